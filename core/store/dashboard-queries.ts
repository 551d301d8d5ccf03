// The dashboard's read layer: the columns the metrics need, read with prepared statements on
// the bulk connection (Prisma took seconds for 100k interactions; this takes ~0.3 s), plus the
// paged problem list, a problem's detail and the CSV exports. Read-only: nothing here writes.
import Database, { type Statement } from 'better-sqlite3';
import { memberId, problemId, type DocumentKind, type MemberId, type Platform, type ProblemId } from '../types.js';
import { readPairs, type AccountPair } from './account-pairs.js';
import { asDocumentKind, asOneOf, asPlatform, type StoreContext } from './context.js';
import { readAccounts, type AccountRow } from './identities.js';
import { isPostgresUrl } from './postgres/connect.js';
import { PostgresSyncConnection } from './postgres/sync-connection.js';
import { BUSY_TIMEOUT_MS, fromDbDate, fromDbDateOrNull, toDbDate, type SqliteDatabase } from './sqlite.js';
import {
  INTERACTION_KINDS,
  INVITATION_STATUSES,
  PROBLEM_STATUSES,
  type Interaction,
  type InteractionId,
  type InvitationStatus,
  type ProblemStatus,
} from './types.js';

export interface DashboardMember {
  id: MemberId;
  name: string;
  optedOut: boolean;
}

/** An interaction without its idempotency key (the metrics de-duplicate by id). */
export type DashboardInteraction = Omit<Interaction, 'sourceEventId'>;

export interface DashboardProblem {
  id: ProblemId;
  originatorId: MemberId;
  status: ProblemStatus;
  platform: Platform;
  threadId: string | null;
  createdAt: Date;
  updatedAt: Date;
  solvedAt: Date | null;
}

export interface DashboardResponse {
  id: number;
  problemId: ProblemId;
  memberId: MemberId;
  createdAt: Date;
}

export interface DashboardFeedback {
  problemId: ProblemId | null;
  fromMemberId: MemberId;
  kind: 'solved';
  createdAt: Date;
}

export interface DashboardInvitation {
  id: number;
  problemId: ProblemId;
  memberId: MemberId;
  status: InvitationStatus;
  createdAt: Date;
  sentAt: Date | null;
  respondedAt: Date | null;
}

/** A document of a thread that may be a request members resolved without the bot. */
export interface DashboardThreadDocument {
  platform: Platform;
  threadId: string;
  kind: DocumentKind;
  /** '?' when the text has a question mark, else '' (the text itself is not read). */
  text: string;
  authorId: MemberId | null;
  accepted: boolean;
  score: number;
  createdAt: Date;
}

export interface ProblemFilter {
  from: Date;
  to: Date;
  status?: ProblemStatus | undefined;
  platform?: Platform | undefined;
  tag?: string | undefined;
  /** Every word must occur (case-insensitive) in the text or, with `searchText: false`, in a tag name. */
  words?: readonly string[] | undefined;
  searchText: boolean;
  limit: number;
  offset: number;
}

export interface ProblemRow {
  id: ProblemId;
  originatorId: MemberId;
  status: ProblemStatus;
  platform: Platform;
  createdAt: Date;
  solvedAt: Date | null;
  /** The source document's title, else the start of the text (up to 300 characters). */
  head: string;
}

/** When a member first answered a problem. */
export interface ResponderRow {
  problemId: ProblemId;
  memberId: MemberId;
  firstAt: Date;
}

export interface ProblemDetailRow extends ProblemRow {
  text: string;
  containerId: string | null;
  threadId: string | null;
  sourceUrl: string | null;
  tags: string[];
  transitions: { at: Date; from: ProblemStatus | null; to: ProblemStatus; cause: string }[];
  responses: { memberId: MemberId; at: Date; url: string | null; platform: Platform; externalId: string | null; containerId: string | null }[];
  /** Other places it is discussed (e.g. the forum topic it was mirrored to). */
  threads: { platform: Platform; containerId: string; threadId: string }[];
}

export interface ExportProblemRow extends ProblemRow {
  text: string;
  tags: string[];
  /** Member ids in order of first response. */
  responders: MemberId[];
  /** The first response by someone other than the originator. */
  firstResponseAt: Date | null;
}

export type FingerprintPart = 'interactions' | 'problems' | 'tags' | 'invitations' | 'responses' | 'feedback' | 'members' | 'documents' | 'accounts' | 'merges';

export interface DashboardQueries {
  /** Every account with its member (each person's accounts, and matching them). */
  accounts(): AccountRow[];
  /** Pairs of accounts decided or offered (linked, "not me", separated, offers). */
  accountPairs(): AccountPair[];
  /**
   * Changes whenever data the dashboard shows changes (members, problems, transitions, tags,
   * invitations, responses, feedback, interactions, documents added, accounts, account pairs,
   * merges and splits, or their dated updates).
   * A few ms at 100k interactions: callers cache what they compute against it.
   */
  fingerprint(): string;
  /** The same, per kind of record: what a reader can reuse when only other parts changed. */
  fingerprints(): Record<FingerprintPart, string>;
  /** The earliest problem or interaction, for "all time". */
  firstActivity(): Date | null;
  members(): DashboardMember[];
  /** Every interaction, in time order (then id). */
  interactions(): DashboardInteraction[];
  /** Interactions with an id above `id` (those recorded since), in time order. */
  interactionsAfter(id: number): DashboardInteraction[];
  /** How many interactions there are and the highest id, to tell whether `interactionsAfter` is all that changed. */
  interactionStats(): { count: number; maxId: number };
  problems(): DashboardProblem[];
  problemTags(): { problemId: ProblemId; tag: string }[];
  responses(): DashboardResponse[];
  /** "solved" feedback, which dates a solve when the problem has no solvedAt. */
  solvedFeedback(): DashboardFeedback[];
  /** Invitations sent (status not pending) dated by sentAt, else createdAt, in [from, to). */
  invitationsSent(from: Date, to: Date): DashboardInvitation[];
  /** Per member: feedback received in [from, to) saying an answer helped (solved, thanks, reaction, positive rating). */
  helpfulFeedback(from: Date, to: Date): Map<MemberId, number>;
  /** Documents of threads without a problem where some document is accepted or liked. */
  resolutionCandidates(): DashboardThreadDocument[];
  /** A page of problems opened in [from, to), newest first, and how many match in all. */
  searchProblems(filter: ProblemFilter): { total: number; rows: ProblemRow[] };
  tagsOf(problems: readonly ProblemId[]): Map<ProblemId, string[]>;
  /** Each member's first response to each of the problems, earliest first. */
  respondersOf(problems: readonly ProblemId[]): ResponderRow[];
  problem(id: ProblemId): ProblemDetailRow | null;
  /** Problems opened in [from, to), oldest first (read page by page: safe to pause between rows). */
  exportProblems(from: Date, to: Date): Iterable<ExportProblemRow>;
  /** Interactions in [from, to), in time order (read page by page). */
  exportInteractions(from: Date, to: Date): Iterable<DashboardInteraction>;
}

type Raw = unknown[];
const num = (v: unknown): number => Number(v);
const str = (v: unknown): string => String(v);
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const EXPORT_PAGE = 2000;

const INTERACTION_COLUMNS = '"id", "fromMemberId", "toMemberId", "kind", "platform", "mediated", "problemId", "occurredAt"';
function toInteraction(r: Raw): DashboardInteraction {
  return {
    id: num(r[0]) as InteractionId,
    fromMemberId: memberId(num(r[1])),
    toMemberId: memberId(num(r[2])),
    kind: asOneOf(INTERACTION_KINDS, str(r[3]), 'interaction kind'),
    platform: asPlatform(str(r[4])),
    mediated: num(r[5]) === 1,
    problemId: r[6] === null ? null : problemId(num(r[6])),
    occurredAt: fromDbDate(r[7]),
  };
}

const PROBLEM_ROW_COLUMNS = `p."id", p."originatorId", p."status", p."platform", p."createdAt", p."solvedAt",
  substr(coalesce(d."title", p."text"), 1, 300)`;
function toProblemRow(r: Raw): ProblemRow {
  return {
    id: problemId(num(r[0])),
    originatorId: memberId(num(r[1])),
    status: asOneOf(PROBLEM_STATUSES, str(r[2]), 'problem status'),
    platform: asPlatform(str(r[3])),
    createdAt: fromDbDate(r[4]),
    solvedAt: fromDbDateOrNull(r[5]),
    head: str(r[6] ?? ''),
  };
}

const TAG_EXISTS = 'EXISTS (SELECT 1 FROM "ProblemTag" pt JOIN "Tag" t ON t."id" = pt."tagId" WHERE pt."problemId" = p."id" AND';

/** LIKE pattern matching `word` anywhere, with the wildcards in it taken literally. */
const containsPattern = (word: string): string => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Reads a query in keyset pages; `key` gives the (sort value, id) of a row to continue after. */
function* paged<T>(page: (after: [string, number]) => Raw[], key: (r: Raw) => [string, number], map: (r: Raw) => T): Generator<T> {
  // An open iterator would keep the shared connection busy across the awaits of a streamed
  // response, and every other query on it would fail; whole pages leave it free between rows.
  // Before every stored date: a valid timestamp for PostgreSQL, and the lowest text for SQLite.
  let after: [string, number] = ['0001-01-01T00:00:00.000+00:00', 0];
  for (;;) {
    const rows = page(after);
    for (const r of rows) yield map(r);
    const last = rows.at(-1);
    if (rows.length < EXPORT_PAGE || !last) return;
    after = key(last);
  }
}

/**
 * The dashboard's queries on a read-only connection of its own, for the figures worker (a
 * thread cannot share the store's connections). WAL lets it read while the service writes.
 */
export function openDashboardReader(file: string): { queries: DashboardQueries; close(): void } {
  if (isPostgresUrl(file)) {
    // PostgreSQL: a synchronous connection of the worker's own, its transactions read-only.
    const pgDb = new PostgresSyncConnection(file, { readOnly: true });
    return { queries: dashboardQueries({ db: pgDb as unknown as SqliteDatabase }), close: () => pgDb.close() };
  }
  const db = new Database(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  return { queries: dashboardQueries({ db }), close: () => db.close() };
}

export function dashboardQueries(ctx: Pick<StoreContext, 'db'>): DashboardQueries {
  const { db } = ctx;
  // Statements built from a filter's shape are prepared once per shape.
  const prepared = new Map<string, Statement>();
  const statement = (sql: string): Statement => {
    let s = prepared.get(sql);
    if (!s) {
      s = db.prepare(sql);
      prepared.set(sql, s);
    }
    return s;
  };

  // Separate simple statements: SQLite answers a bare max(id) or count(*) from the b-tree
  // without a scan, which it does not do once they are combined in one expression (40 ms -> 7 ms).
  const fingerprintSql = Object.entries({
    interactions: ['SELECT max("id") FROM "Interaction"', 'SELECT count(*) FROM "Interaction"'],
    problems: [
      'SELECT max("id") FROM "Problem"',
      'SELECT count(*) FROM "Problem"',
      'SELECT max("updatedAt") FROM "Problem"',
      'SELECT max("id") FROM "ProblemTransition"',
    ],
    tags: ['SELECT count(*) FROM "ProblemTag"', 'SELECT count(*) FROM "Tag"', `SELECT group_concat("status" || ':' || "name", ',') FROM "Tag"`],
    invitations: [
      'SELECT max("id") FROM "Invitation"',
      'SELECT count(*) FROM "Invitation"',
      'SELECT max("sentAt") FROM "Invitation"',
      'SELECT max("respondedAt") FROM "Invitation"',
    ],
    responses: ['SELECT max("id") FROM "Response"', 'SELECT count(*) FROM "Response"'],
    feedback: ['SELECT max("id") FROM "Feedback"', 'SELECT count(*) FROM "Feedback"'],
    members: ['SELECT count(*) FROM "Member"', 'SELECT max("updatedAt") FROM "Member"'],
    documents: ['SELECT max("id") FROM "Document"', 'SELECT count(*) FROM "Document"'],
    accounts: [
      'SELECT count(*) FROM "Identity"',
      'SELECT max("id") FROM "Identity"',
      'SELECT max("id") FROM "AccountPair"',
      'SELECT max("decidedAt") FROM "AccountPair"',
    ],
    merges: ['SELECT count(*) FROM "MemberMerge"', 'SELECT max("splitAt") FROM "MemberMerge"'],
  } satisfies Record<FingerprintPart, string[]>).map(([part, sqls]) => [part, sqls.map((sql) => db.prepare(sql).pluck())] as const);
  const fingerprints = (): Record<FingerprintPart, string> =>
    Object.fromEntries(fingerprintSql.map(([part, sts]) => [part, sts.map((st) => String(st.get() ?? '')).join('|')])) as Record<FingerprintPart, string>;
  const firstActivitySql = db
    .prepare(
      `SELECT min(t) FROM (
      SELECT min("createdAt") AS t FROM "Problem" UNION ALL SELECT min("occurredAt") FROM "Interaction") AS firsts`,
    )
    .pluck();
  const membersSql = db.prepare('SELECT "id", "displayName", "optedOut" FROM "Member" ORDER BY "id"').raw();
  const interactionsSql = db.prepare(`SELECT ${INTERACTION_COLUMNS} FROM "Interaction" ORDER BY "occurredAt", "id"`).raw();
  const interactionsAfterSql = db.prepare(`SELECT ${INTERACTION_COLUMNS} FROM "Interaction" WHERE "id" > ? ORDER BY "occurredAt", "id"`).raw();
  const interactionCountSql = db.prepare('SELECT count(*) FROM "Interaction"').pluck();
  const interactionMaxIdSql = db.prepare('SELECT coalesce(max("id"), 0) FROM "Interaction"').pluck();
  const interactionsPageSql = db
    .prepare(
      `SELECT ${INTERACTION_COLUMNS} FROM "Interaction"
      WHERE "occurredAt" >= ? AND "occurredAt" < ? AND ("occurredAt", "id") > (?, ?) ORDER BY "occurredAt", "id" LIMIT ${EXPORT_PAGE}`,
    )
    .raw();
  const problemsSql = db
    .prepare('SELECT "id", "originatorId", "status", "platform", "threadId", "createdAt", "updatedAt", "solvedAt" FROM "Problem" ORDER BY "createdAt", "id"')
    .raw();
  const problemTagsSql = db
    .prepare(
      `SELECT pt."problemId", t."name" FROM "ProblemTag" pt JOIN "Tag" t ON t."id" = pt."tagId" AND t."status" = 'active' ORDER BY pt."problemId", pt."confidence" DESC, t."name"`,
    )
    .raw();
  const responsesSql = db.prepare('SELECT "id", "problemId", "memberId", "createdAt" FROM "Response"').raw();
  const solvedFeedbackSql = db.prepare(`SELECT "problemId", "fromMemberId", "createdAt" FROM "Feedback" WHERE "kind" = 'solved'`).raw();
  const invitationsSentSql = db
    .prepare(
      `SELECT "id", "problemId", "memberId", "status", "createdAt", "sentAt", "respondedAt"
      FROM "Invitation" WHERE "status" <> 'pending' AND coalesce("sentAt", "createdAt") >= ? AND coalesce("sentAt", "createdAt") < ?`,
    )
    .raw();
  const helpfulSql = db
    .prepare(
      `SELECT "toMemberId", count(*) FROM "Feedback"
      WHERE "toMemberId" IS NOT NULL AND "createdAt" >= ? AND "createdAt" < ? AND "value" > 0
        AND "kind" IN ('solved', 'thanks', 'reaction', 'rating')
      GROUP BY "toMemberId"`,
    )
    .raw();
  // Only threads where some document is accepted or liked can hold an unassisted resolution;
  // of the text only whether it asks something is read.
  const candidatesSql = db
    .prepare(
      `SELECT d."platform", d."threadId", d."kind", instr(d."text", '?') > 0, d."authorId", d."accepted", d."score", d."createdAt"
      FROM "Document" d
      WHERE d."deletedAt" IS NULL
        AND EXISTS (SELECT 1 FROM "Document" x WHERE x."platform" = d."platform" AND x."threadId" = d."threadId"
                      AND x."deletedAt" IS NULL AND (x."accepted" = 1 OR x."score" > 0))
        AND NOT EXISTS (SELECT 1 FROM "Problem" p WHERE p."platform" = d."platform" AND p."threadId" = d."threadId")`,
    )
    .raw();
  const problemSql = db
    .prepare(
      `SELECT ${PROBLEM_ROW_COLUMNS}, p."text", p."containerId", p."threadId", d."url"
      FROM "Problem" p LEFT JOIN "Document" d ON d."id" = p."sourceDocumentId" WHERE p."id" = ?`,
    )
    .raw();
  const transitionsSql = db.prepare('SELECT "at", "from", "to", "cause" FROM "ProblemTransition" WHERE "problemId" = ? ORDER BY "at", "id"').raw();
  const problemResponsesSql = db
    .prepare(
      `SELECT r."memberId", r."createdAt", d."url", r."platform", d."externalId", d."containerId"
      FROM "Response" r LEFT JOIN "Document" d ON d."id" = r."documentId" WHERE r."problemId" = ? ORDER BY r."createdAt", r."id"`,
    )
    .raw();
  const threadsSql = db.prepare('SELECT "platform", "containerId", "threadId" FROM "ProblemThread" WHERE "problemId" = ? ORDER BY "createdAt"').raw();
  const exportProblemsSql = db
    .prepare(
      `SELECT ${PROBLEM_ROW_COLUMNS}, p."text",
        (SELECT group_concat("name", char(31)) FROM (SELECT t."name" FROM "ProblemTag" pt JOIN "Tag" t ON t."id" = pt."tagId"
           WHERE pt."problemId" = p."id" ORDER BY pt."confidence" DESC, t."name") AS names),
        (SELECT group_concat("memberId") FROM (SELECT "memberId", min("createdAt") AS f FROM "Response" WHERE "problemId" = p."id"
           GROUP BY "memberId" ORDER BY f) AS helpers),
        (SELECT min(r."createdAt") FROM "Response" r WHERE r."problemId" = p."id" AND r."memberId" <> p."originatorId")
      FROM "Problem" p LEFT JOIN "Document" d ON d."id" = p."sourceDocumentId"
      WHERE p."createdAt" >= ? AND p."createdAt" < ? AND (p."createdAt", p."id") > (?, ?)
      ORDER BY p."createdAt", p."id" LIMIT ${EXPORT_PAGE}`,
    )
    .raw();

  const tagsOf = (ids: readonly ProblemId[]): Map<ProblemId, string[]> => {
    const out = new Map<ProblemId, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = statement(`SELECT pt."problemId", t."name" FROM "ProblemTag" pt JOIN "Tag" t ON t."id" = pt."tagId" AND t."status" = 'active'
        WHERE pt."problemId" IN (${placeholders(ids.length)}) ORDER BY pt."confidence" DESC, t."name"`)
      .raw()
      .all(...ids) as Raw[];
    for (const r of rows) out.get(problemId(num(r[0])))?.push(str(r[1]));
    return out;
  };

  return {
    accounts: () => readAccounts(db),
    accountPairs: () => readPairs(db),

    fingerprint: () => Object.values(fingerprints()).join('|'),
    fingerprints,

    firstActivity: () => fromDbDateOrNull(firstActivitySql.get()),

    members: () => (membersSql.all() as Raw[]).map((r) => ({ id: memberId(num(r[0])), name: str(r[1]), optedOut: num(r[2]) === 1 })),

    interactions: () => (interactionsSql.all() as Raw[]).map(toInteraction),

    interactionsAfter: (id) => (interactionsAfterSql.all(id) as Raw[]).map(toInteraction),

    interactionStats: () => ({ count: num(interactionCountSql.get()), maxId: num(interactionMaxIdSql.get()) }),

    problems: () =>
      (problemsSql.all() as Raw[]).map((r) => ({
        id: problemId(num(r[0])),
        originatorId: memberId(num(r[1])),
        status: asOneOf(PROBLEM_STATUSES, str(r[2]), 'problem status'),
        platform: asPlatform(str(r[3])),
        threadId: strOrNull(r[4]),
        createdAt: fromDbDate(r[5]),
        updatedAt: fromDbDate(r[6]),
        solvedAt: fromDbDateOrNull(r[7]),
      })),

    problemTags: () => (problemTagsSql.all() as Raw[]).map((r) => ({ problemId: problemId(num(r[0])), tag: str(r[1]) })),

    responses: () =>
      (responsesSql.all() as Raw[]).map((r) => ({
        id: num(r[0]),
        problemId: problemId(num(r[1])),
        memberId: memberId(num(r[2])),
        createdAt: fromDbDate(r[3]),
      })),

    solvedFeedback: () =>
      (solvedFeedbackSql.all() as Raw[]).map((r) => ({
        problemId: r[0] === null ? null : problemId(num(r[0])),
        fromMemberId: memberId(num(r[1])),
        kind: 'solved' as const,
        createdAt: fromDbDate(r[2]),
      })),

    invitationsSent: (from, to) =>
      (invitationsSentSql.all(toDbDate(from), toDbDate(to)) as Raw[]).map((r) => ({
        id: num(r[0]),
        problemId: problemId(num(r[1])),
        memberId: memberId(num(r[2])),
        status: asOneOf(INVITATION_STATUSES, str(r[3]), 'invitation status'),
        createdAt: fromDbDate(r[4]),
        sentAt: fromDbDateOrNull(r[5]),
        respondedAt: fromDbDateOrNull(r[6]),
      })),

    helpfulFeedback: (from, to) => new Map((helpfulSql.all(toDbDate(from), toDbDate(to)) as Raw[]).map((r) => [memberId(num(r[0])), num(r[1])])),

    resolutionCandidates: () =>
      (candidatesSql.all() as Raw[]).map((r) => ({
        platform: asPlatform(str(r[0])),
        threadId: str(r[1]),
        kind: asDocumentKind(str(r[2])),
        text: num(r[3]) === 1 ? '?' : '',
        authorId: r[4] === null ? null : memberId(num(r[4])),
        accepted: num(r[5]) === 1,
        score: num(r[6]),
        createdAt: fromDbDate(r[7]),
      })),

    searchProblems: (f) => {
      const where: string[] = ['p."createdAt" >= ?', 'p."createdAt" < ?'];
      const params: unknown[] = [toDbDate(f.from), toDbDate(f.to)];
      if (f.status) {
        where.push('p."status" = ?');
        params.push(f.status);
      }
      if (f.platform) {
        where.push('p."platform" = ?');
        params.push(f.platform);
      }
      if (f.tag) {
        where.push(`${TAG_EXISTS} t."name" = ?)`);
        params.push(f.tag);
      }
      for (const word of f.words ?? []) {
        where.push(f.searchText ? `p."text" LIKE ? ESCAPE '\\'` : `${TAG_EXISTS} t."name" LIKE ? ESCAPE '\\')`);
        params.push(containsPattern(word));
      }
      const clause = where.join(' AND ');
      const total = num(
        statement(`SELECT count(*) FROM "Problem" p WHERE ${clause}`)
          .pluck()
          .get(...params),
      );
      const rows = (
        statement(`SELECT ${PROBLEM_ROW_COLUMNS} FROM "Problem" p LEFT JOIN "Document" d ON d."id" = p."sourceDocumentId"
          WHERE ${clause} ORDER BY p."createdAt" DESC, p."id" DESC LIMIT ? OFFSET ?`)
          .raw()
          .all(...params, f.limit, f.offset) as Raw[]
      ).map(toProblemRow);
      return { total, rows };
    },

    tagsOf,

    respondersOf: (ids) => {
      if (ids.length === 0) return [];
      return (
        statement(`SELECT "problemId", "memberId", min("createdAt") AS f FROM "Response"
          WHERE "problemId" IN (${placeholders(ids.length)}) GROUP BY "problemId", "memberId" ORDER BY f, "memberId"`)
          .raw()
          .all(...ids) as Raw[]
      ).map((r) => ({ problemId: problemId(num(r[0])), memberId: memberId(num(r[1])), firstAt: fromDbDate(r[2]) }));
    },

    problem: (id) => {
      const r = problemSql.get(id) as Raw | undefined;
      if (!r) return null;
      return {
        ...toProblemRow(r),
        text: str(r[7]),
        containerId: strOrNull(r[8]),
        threadId: strOrNull(r[9]),
        sourceUrl: strOrNull(r[10]),
        tags: tagsOf([id]).get(id) ?? [],
        transitions: (transitionsSql.all(id) as Raw[]).map((t) => ({
          at: fromDbDate(t[0]),
          from: t[1] === null ? null : asOneOf(PROBLEM_STATUSES, str(t[1]), 'problem status'),
          to: asOneOf(PROBLEM_STATUSES, str(t[2]), 'problem status'),
          cause: str(t[3]),
        })),
        responses: (problemResponsesSql.all(id) as Raw[]).map((x) => ({
          memberId: memberId(num(x[0])),
          at: fromDbDate(x[1]),
          url: strOrNull(x[2]),
          platform: asPlatform(str(x[3])),
          externalId: strOrNull(x[4]),
          containerId: strOrNull(x[5]),
        })),
        threads: (threadsSql.all(id) as Raw[]).map((x) => ({ platform: asPlatform(str(x[0])), containerId: str(x[1]), threadId: str(x[2]) })),
      };
    },

    exportProblems: (from, to) =>
      paged(
        (after) => exportProblemsSql.all(toDbDate(from), toDbDate(to), ...after) as Raw[],
        (r) => [str(r[4]), num(r[0])],
        (r) => ({
          ...toProblemRow(r),
          text: str(r[7]),
          tags: r[8] === null ? [] : str(r[8]).split('\u001f'),
          responders:
            r[9] === null
              ? []
              : str(r[9])
                  .split(',')
                  .map((x) => memberId(Number(x))),
          firstResponseAt: fromDbDateOrNull(r[10]),
        }),
      ),

    exportInteractions: (from, to) =>
      paged(
        (after) => interactionsPageSql.all(toDbDate(from), toDbDate(to), ...after) as Raw[],
        (r) => [str(r[7]), num(r[0])],
        toInteraction,
      ),
  };
}
