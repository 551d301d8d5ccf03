// Writes the next database migration after prisma/schema.prisma changed:
//
//   npm run db:migration -- add_member_nickname        (SQL generated from the schema change)
//   npm run db:migration -- backfill_tags --empty      (an empty migration to fill in by hand)
//
// Offline, Prisma 6 with the driver adapter cannot diff from a migrations folder or a live
// database (`--from-migrations` needs a shadow database, which the adapter cannot run;
// `--from-url`/`--from-schema-datasource` are refused with an adapter). It can diff two schema
// files. So every migration directory keeps a copy of the schema it migrates to
// (schema.prisma.snapshot), and the next migration is the diff from the newest snapshot to the
// current schema. The new migration is then applied to a scratch database to prove it runs.
//
// PostgreSQL has its own chain (prisma/postgresql/migrations, from prisma/postgresql/schema.prisma,
// which is derived from prisma/schema.prisma): the same command writes both, under the same name.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { applyMigrations, MIGRATION_FILE, readMigrations } from '../core/store/migrate.js';
import { POSTGRES_SCHEMA, writePostgresSchema } from './postgres-schema.js';

export const SNAPSHOT_FILE = 'schema.prisma.snapshot';
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PRISMA_BIN = path.join(path.dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build', 'index.js');

export type MigrationProvider = 'sqlite' | 'postgresql';

/** Where each provider keeps its schema, migrations and Prisma CLI configuration. */
export const PROVIDERS: Record<MigrationProvider, { schema: string; migrationsDir: string; config: string }> = {
  sqlite: { schema: path.join('prisma', 'schema.prisma'), migrationsDir: path.join('prisma', 'migrations'), config: 'prisma.config.ts' },
  postgresql: {
    schema: path.relative(ROOT, POSTGRES_SCHEMA),
    migrationsDir: path.join('prisma', 'postgresql', 'migrations'),
    config: 'prisma.postgresql.config.ts',
  },
};

export interface NewMigrationOptions {
  name: string;
  /** sqlite (default) or postgresql: which schema, chain and CLI configuration. */
  provider?: MigrationProvider;
  /** Create the migration even when the schema did not change (for hand-written SQL). */
  empty?: boolean;
  schema?: string;
  migrationsDir?: string;
  now?: Date;
}

export type NewMigrationResult = { status: 'created'; directory: string; sql: string } | { status: 'unchanged' };

/** A PostgreSQL server the CLI may connect to (it only checks it is there); as the tests find it. */
export function postgresServerUrl(): string {
  return process.env.CO_AGENT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
}

/** UTC yyyymmddHHMMSS, the prefix Prisma gives migration directories. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function diff(from: string | null, to: string, scratchDir: string, provider: MigrationProvider): { changed: boolean; sql: string } {
  const out = path.join(scratchDir, 'diff.sql');
  const args = [
    PRISMA_BIN,
    'migrate',
    'diff',
    '--config',
    PROVIDERS[provider].config,
    ...(from ? ['--from-schema-datamodel', from] : ['--from-empty']),
    '--to-schema-datamodel',
    to,
    '--script',
    '--exit-code',
    '--output',
    out,
  ];
  // prisma.config.ts opens DATABASE_URL with the adapter even for a pure schema diff; give it a
  // scratch file so the command never touches a real database. The pg adapter connects to a
  // server even for a schema-to-schema diff (it reads nothing there): the test server's.
  const databaseUrl = provider === 'sqlite' ? `file:${path.join(scratchDir, 'cli.db')}` : postgresServerUrl();
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    encoding: 'utf8',
    // Generous: some Prisma 6 commands idle ~60 s after printing their result.
    timeout: 180_000,
  });
  // --exit-code: 0 means no difference, 2 means a difference, anything else failed.
  if (result.status !== 0 && result.status !== 2) {
    throw new Error(`prisma migrate diff failed (exit ${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`);
  }
  return { changed: result.status === 2, sql: result.status === 2 ? readFileSync(out, 'utf8') : '' };
}

export function createMigration(options: NewMigrationOptions): NewMigrationResult {
  const name = options.name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`migration name must be letters, digits and _: ${JSON.stringify(options.name)}`);
  const provider = options.provider ?? 'sqlite';
  const schema = path.resolve(ROOT, options.schema ?? PROVIDERS[provider].schema);
  const migrationsDir = path.resolve(ROOT, options.migrationsDir ?? PROVIDERS[provider].migrationsDir);
  mkdirSync(migrationsDir, { recursive: true });

  const existing = readMigrations(migrationsDir);
  const latest = existing.at(-1);
  const snapshot = latest ? path.join(migrationsDir, latest.name, SNAPSHOT_FILE) : null;
  if (snapshot && !existsSync(snapshot)) {
    throw new Error(
      `${snapshot} is missing: every migration directory keeps the schema it migrates to. ` +
        `Restore it (git) or copy the schema that ${latest?.name} produced there.`,
    );
  }

  const scratch = mkdtempSync(path.join(tmpdir(), 'co-agent-migration-'));
  try {
    const { changed, sql } = diff(snapshot, schema, scratch, provider);
    if (!changed && !options.empty) return { status: 'unchanged' };

    // Names sort in apply order, so never go back in time behind the newest migration.
    let stamp = timestamp(options.now ?? new Date());
    const newestStamp = latest?.name.slice(0, 14);
    if (newestStamp && stamp <= newestStamp) stamp = String(BigInt(newestStamp) + 1n);
    const directory = path.join(migrationsDir, `${stamp}_${name}`);
    const body = changed ? sql : `-- ${name}: write the SQL of this migration by hand.\n`;
    mkdirSync(directory);
    writeFileSync(path.join(directory, MIGRATION_FILE), body);
    copyFileSync(schema, path.join(directory, SNAPSHOT_FILE));

    // Prove the whole chain applies to a fresh database before anyone commits it. (The
    // PostgreSQL chain is proved by the schema-match test, which needs a server.)
    if (provider === 'postgresql') return { status: 'created', directory, sql: body };
    const db = new Database(path.join(scratch, 'verify.db'));
    try {
      applyMigrations(db, { migrationsDir });
    } catch (error) {
      rmSync(directory, { recursive: true, force: true });
      throw error;
    } finally {
      db.close();
    }
    return { status: 'created', directory, sql: body };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main(argv: readonly string[]): number {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const [name] = argv.filter((a) => !a.startsWith('--'));
  if (!name || flags.has('--help')) {
    console.error('usage: npm run db:migration -- <name> [--empty]');
    return name ? 0 : 2;
  }
  if (writePostgresSchema()) console.log('rewrote prisma/postgresql/schema.prisma from prisma/schema.prisma');
  let created = 0;
  for (const provider of ['sqlite', 'postgresql'] as const) {
    const result = createMigration({ name, provider, empty: flags.has('--empty') });
    if (result.status === 'unchanged') {
      console.log(`${PROVIDERS[provider].schema} matches its newest migration: nothing to do for ${provider} (use --empty for a hand-written one).`);
      continue;
    }
    created += 1;
    console.log(`created ${path.relative(ROOT, result.directory)}/${MIGRATION_FILE}:\n\n${result.sql}`);
  }
  if (created === 0) return 0;
  console.log('Review the SQL, run the tests (they compare the migrated schema with schema.prisma), commit the directory.');
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
