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
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { applyMigrations, MIGRATION_FILE, readMigrations } from '../core/store/migrate.js';

export const SNAPSHOT_FILE = 'schema.prisma.snapshot';
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const PRISMA_BIN = path.join(path.dirname(createRequire(import.meta.url).resolve('prisma/package.json')), 'build', 'index.js');

export interface NewMigrationOptions {
  name: string;
  /** Create the migration even when the schema did not change (for hand-written SQL). */
  empty?: boolean;
  schema?: string;
  migrationsDir?: string;
  now?: Date;
}

export type NewMigrationResult =
  | { status: 'created'; directory: string; sql: string }
  | { status: 'unchanged' };

/** UTC yyyymmddHHMMSS, the prefix Prisma gives migration directories. */
function timestamp(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function diff(from: string | null, to: string, scratchDir: string): { changed: boolean; sql: string } {
  const out = path.join(scratchDir, 'diff.sql');
  const args = [
    PRISMA_BIN, 'migrate', 'diff',
    ...(from ? ['--from-schema-datamodel', from] : ['--from-empty']),
    '--to-schema-datamodel', to, '--script', '--exit-code', '--output', out,
  ];
  // prisma.config.ts opens DATABASE_URL with the adapter even for a pure schema diff; give it a
  // scratch file so the command never touches a real database.
  const result = spawnSync(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${path.join(scratchDir, 'cli.db')}`, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
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
  const name = options.name.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`migration name must be letters, digits and _: ${JSON.stringify(options.name)}`);
  const schema = path.resolve(ROOT, options.schema ?? path.join('prisma', 'schema.prisma'));
  const migrationsDir = path.resolve(ROOT, options.migrationsDir ?? path.join('prisma', 'migrations'));
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
    const { changed, sql } = diff(snapshot, schema, scratch);
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

    // Prove the whole chain applies to a fresh database before anyone commits it.
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
  const result = createMigration({ name, empty: flags.has('--empty') });
  if (result.status === 'unchanged') {
    console.log('prisma/schema.prisma matches the newest migration: nothing to do (use --empty for a hand-written one).');
    return 0;
  }
  console.log(`created ${path.relative(ROOT, result.directory)}/${MIGRATION_FILE}:\n\n${result.sql}`);
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
