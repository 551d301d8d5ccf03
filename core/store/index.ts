// The store: the only door to the database. openStore() migrates the file, then hands out narrow
// repositories that speak core types; Prisma stays inside this folder.
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Logger } from '../logging.js';
import { accountPairRepository, type AccountPairRepository } from './account-pairs.js';
import { bulkHistoryRepository, type BulkHistoryRepository } from './bulk-history.js';
import { consoleActionRepository, type ConsoleActionRepository } from './console-actions.js';
import { WriteLock, type StoreContext } from './context.js';
import { dashboardQueries, type DashboardQueries } from './dashboard-queries.js';
export { openDashboardReader } from './dashboard-queries.js';
import { dashboardSessionRepository, type DashboardSessionRepository } from './dashboard-sessions.js';
import { documentRepository, type DocumentRepository } from './documents.js';
import { embeddingRepository, type EmbeddingRepository } from './embeddings.js';
import { processedEventRepository, syncCursorRepository, type ProcessedEventRepository, type SyncCursorRepository } from './events.js';
import { feedbackRepository, type FeedbackRepository } from './feedback.js';
import { generatedSecretRepository, type GeneratedSecretRepository } from './generated-secrets.js';
import { PrismaClient } from './generated/client.js';
import { PrismaClient as PostgresPrismaClient } from './generated-pg/client.js';
import { leaseRepository, type LeaseRepository } from './lease.js';
import { connectPostgres, isPostgresUrl, redactUrl } from './postgres/connect.js';
import { applyPostgresMigrations } from './postgres/migrate.js';
import { PostgresSyncConnection } from './postgres/sync-connection.js';
import { identityQueries, type IdentityQueries } from './identities.js';
import { inboxRepository, type InboxRepository } from './inbox.js';
import { introductionRepository, type IntroductionRepository } from './introductions.js';
import { interactionRepository, type InteractionRepository } from './interactions.js';
import { invitationRepository, type InvitationRepository } from './invitations.js';
import { learnedSettingsRepository, type LearnedSettingsRepository } from './learned-settings.js';
import { linkCodeRepository, type LinkCodeRepository } from './link-codes.js';
import { memberMergeRepository, type MemberMergeRepository } from './member-merges.js';
import { memberRepository, type MemberRepository } from './members.js';
import { applyMigrations } from './migrate.js';
import { operationsRepository, type OperationsRepository } from './operations.js';
import { memberDataRepository, type MemberDataRepository } from './member-data.js';
import { outboxRepository, type OutboxRepository } from './outbox.js';
import { problemRepository, similarityRepository, type ProblemRepository, type SimilarityRepository } from './problems.js';
import { responseRepository, type ResponseRepository } from './responses.js';
import { BUSY_TIMEOUT_MS, openDatabase, resolveDatabasePath, type SqliteDatabase } from './sqlite.js';
import { tagRepository, type TagRepository } from './tags.js';

export * from './types.js';
export { MigrationError } from './migrate.js';
export { backupDatabaseFile, checkBackupTarget, restoreDatabaseFile, type BackupResult, type OperationsRepository } from './operations.js';
export { ERASED_MARK, ERASED_MEMBER_NAME, type ErasureResult, type MemberDataExport, type MemberDataRepository } from './member-data.js';
export { claimServicePidFile, pidFileOf, runningServicePid } from './service-lock.js';
export { StoreError } from './context.js';
export { DatabaseConnectionError, isPostgresUrl } from './postgres/connect.js';
export { copySqliteToPostgres, CopyRefused, type CopyResult, type TableCount } from './postgres/copy.js';
export type { CursorValues, InboxItem, InboxStatus, NewInboxEvent } from './inbox.js';
export type { LinkCode, LinkCodeRefusal } from './link-codes.js';
export type { AccountPair, PairStatus } from './account-pairs.js';
export { PAIR_STATUSES, orderPair } from './account-pairs.js';
export type { MemberMergeRecord, MergeOutcome, MergeRefusal, SplitOutcome, SplitRefusal } from './member-merges.js';
export type { AccountRow } from './identities.js';
export type { LearnedSettingsRecord } from './learned-settings.js';
export type { LeaseRepository, LeaseState } from './lease.js';
export type { Introduction } from './introductions.js';
export type * from './bulk-history.js';
export type * from './dashboard-queries.js';
export type { NewSessionLimits, StoredSession } from './dashboard-sessions.js';
export type { NewOutboxAction, OutboxAction, OutboxStatus } from './outbox.js';
export type { ConsoleActionFilter, ConsoleActionRecord, ConsoleActionRepository, NewConsoleAction } from './console-actions.js';
export type {
  AccountPairRepository,
  IdentityQueries,
  LearnedSettingsRepository,
  MemberMergeRepository,
  DashboardSessionRepository,
  DocumentRepository,
  EmbeddingRepository,
  GeneratedSecretRepository,
  InboxRepository,
  IntroductionRepository,
  LinkCodeRepository,
  OutboxRepository,
  FeedbackRepository,
  InteractionRepository,
  InvitationRepository,
  MemberRepository,
  ProblemRepository,
  ProcessedEventRepository,
  ResponseRepository,
  SimilarityRepository,
  SyncCursorRepository,
  TagRepository,
};

export interface Store {
  /** Absolute path of the database file (SQLite), or the server's URL without its password (PostgreSQL). */
  readonly path: string;
  /** Which database it runs on. */
  readonly dialect: 'sqlite' | 'postgresql';
  /**
   * What openDashboardReader opens for a read-only connection of its own: the file, or the full
   * PostgreSQL URL (which may hold a password: never log it).
   */
  readonly readerAddress: string;
  readonly members: MemberRepository;
  readonly documents: DocumentRepository;
  readonly tags: TagRepository;
  readonly problems: ProblemRepository;
  readonly similarity: SimilarityRepository;
  readonly invitations: InvitationRepository;
  readonly responses: ResponseRepository;
  readonly feedback: FeedbackRepository;
  readonly interactions: InteractionRepository;
  readonly events: ProcessedEventRepository;
  readonly cursors: SyncCursorRepository;
  readonly embeddings: EmbeddingRepository;
  readonly inbox: InboxRepository;
  readonly outbox: OutboxRepository;
  readonly linkCodes: LinkCodeRepository;
  readonly introductions: IntroductionRepository;
  /** Pairs of accounts that may be one person: offers, answers, links and separations. */
  readonly accountPairs: AccountPairRepository;
  /** Members folded into one person, journaled so a wrong merge can be split. */
  readonly merges: MemberMergeRepository;
  /** Accounts across members: matching, activity, e-mail hashes, document authors. */
  readonly identities: IdentityQueries;
  /** What the engine fitted on the history (see core/engine/calibration.ts). */
  readonly learned: LearnedSettingsRepository;
  /** Writes history at volume (benchmarks, seeding, imports), without the workflow's checks. */
  readonly bulk: BulkHistoryRepository;
  /** The dashboard's fast reads (prepared statements, only the columns it needs). */
  readonly dashboard: DashboardQueries;
  /** Dashboard logins, by a hash of their id. */
  readonly dashboardSessions: DashboardSessionRepository;
  /** Secrets the service made up for itself (e.g. the CSRF signing key), kept across restarts. */
  readonly generatedSecrets: GeneratedSecretRepository;
  /** What staff did on the dashboard's console (the audit log; one row per submitted form). */
  readonly consoleActions: ConsoleActionRepository;
  /** Health, inbox lag and online backups (npm run backup, /readyz, /metrics). */
  readonly operations: OperationsRepository;
  /** A member's data: export and erasure (my-data, forget-me, npm run member -- export|erase). */
  readonly memberData: MemberDataRepository;
  /** Which instance is active when several share the database (failover). */
  readonly lease: LeaseRepository;
  /** Waits for writes in progress, then closes both connections. Safe to call twice. */
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  /** `file:./data/co-agent.db` (Prisma style), or `postgresql://...` for the PostgreSQL store ... */
  url?: string;
  /** ... or a plain file path. One of the two is required. */
  path?: string;
  logger: Logger;
  /** Defaults to this checkout's prisma/migrations; tests point it elsewhere. */
  migrationsDir?: string;
}

/**
 * Opens the store and applies pending migrations first: on SQLite (a file, created if needed) or,
 * for a `postgresql://` url, on PostgreSQL (waiting for an unreachable server; the database must exist).
 */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  const logger = options.logger.child({ component: 'store' });
  // A postgresql:// URL given as `path` counts too (tools that pass one location through).
  const postgresUrl = options.url ?? options.path;
  const opened = isPostgresUrl(postgresUrl) ? await openPostgres(postgresUrl, options, logger) : await openSqlite(options, logger);
  return assembleStore(opened, logger);
}

interface Connections {
  path: string;
  readerAddress: string;
  dialect: Store['dialect'];
  prisma: PrismaClient;
  db: SqliteDatabase;
}

async function openSqlite(options: OpenStoreOptions, logger: Logger): Promise<Connections> {
  const file = resolveDatabasePath(options);
  let db: SqliteDatabase | undefined;
  let prisma: PrismaClient | undefined;
  try {
    db = openDatabase(file);
    const { applied } = applyMigrations(db, { logger, ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}) });
    prisma = new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: file, timeout: BUSY_TIMEOUT_MS }) });
    await prisma.$connect();
    // better-sqlite3 is built with foreign keys on, but say so rather than rely on a build flag.
    await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
    // As on the bulk connection (sqlite.ts): deleted content is zeroed in the file.
    await prisma.$executeRawUnsafe('PRAGMA secure_delete = ON');
    const [fk] = await prisma.$queryRawUnsafe<{ foreign_keys: bigint | number }[]>('PRAGMA foreign_keys');
    if (Number(fk?.foreign_keys) !== 1) throw new Error('could not enable foreign keys on the Prisma connection');
    logger.info({ path: file, migrationsApplied: applied.length }, 'store open');
    return { path: file, readerAddress: file, dialect: 'sqlite', prisma, db };
  } catch (error) {
    await prisma?.$disconnect().catch(() => undefined);
    db?.close();
    throw error;
  }
}

async function openPostgres(url: string, options: OpenStoreOptions, logger: Logger): Promise<Connections> {
  const migrator = await connectPostgres(url, { logger });
  let applied: string[];
  try {
    ({ applied } = await applyPostgresMigrations(migrator, { logger, ...(options.migrationsDir ? { migrationsDir: options.migrationsDir } : {}) }));
  } finally {
    await migrator.end().catch(() => undefined);
  }
  let sync: PostgresSyncConnection | undefined;
  let prisma: PostgresPrismaClient | undefined;
  try {
    sync = new PostgresSyncConnection(url, { lockTimeoutMs: BUSY_TIMEOUT_MS });
    prisma = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url, options: '-c TimeZone=UTC' }) });
    await prisma.$connect();
    logger.info({ url: redactUrl(url), migrationsApplied: applied.length }, 'store open');
    // The two generated clients differ only in their query compiler: the repositories use the
    // API both share, so the PostgreSQL client stands in for the SQLite one's type.
    return {
      path: redactUrl(url),
      readerAddress: url,
      dialect: 'postgresql',
      prisma: prisma as unknown as PrismaClient,
      db: sync as unknown as SqliteDatabase,
    };
  } catch (error) {
    await prisma?.$disconnect().catch(() => undefined);
    sync?.close();
    throw error;
  }
}

function assembleStore(connections: Connections, logger: Logger): Store {
  const { prisma, db } = connections;
  const lock = new WriteLock();
  const ctx: StoreContext = { prisma, db, dialect: connections.dialect, logger, write: (fn) => lock.run(fn), tagGeneration: { value: 0 } };
  let closed: Promise<void> | undefined;

  return {
    path: connections.path,
    readerAddress: connections.readerAddress,
    dialect: connections.dialect,
    members: memberRepository(ctx),
    documents: documentRepository(ctx),
    tags: tagRepository(ctx),
    problems: problemRepository(ctx),
    similarity: similarityRepository(ctx),
    invitations: invitationRepository(ctx),
    responses: responseRepository(ctx),
    feedback: feedbackRepository(ctx),
    interactions: interactionRepository(ctx),
    events: processedEventRepository(ctx),
    cursors: syncCursorRepository(ctx),
    embeddings: embeddingRepository(ctx),
    inbox: inboxRepository(ctx),
    outbox: outboxRepository(ctx),
    linkCodes: linkCodeRepository(ctx),
    introductions: introductionRepository(ctx),
    accountPairs: accountPairRepository(ctx),
    merges: memberMergeRepository(ctx),
    identities: identityQueries(ctx),
    learned: learnedSettingsRepository(ctx),
    bulk: bulkHistoryRepository(ctx),
    dashboard: dashboardQueries(ctx),
    dashboardSessions: dashboardSessionRepository(ctx),
    generatedSecrets: generatedSecretRepository(ctx),
    consoleActions: consoleActionRepository(ctx),
    operations: operationsRepository(ctx),
    memberData: memberDataRepository(ctx),
    lease: leaseRepository(ctx),
    close() {
      // Taking the write lock last means every write queued before close() finishes first.
      closed ??= lock.run(async () => {
        await connections.prisma.$disconnect();
        connections.db.close();
        logger.info('store closed');
      });
      return closed;
    },
  };
}
