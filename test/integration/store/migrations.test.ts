import { appendFileSync, cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, MigrationError } from '../../../core/store/index.js';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, readMigrations } from '../../../core/store/migrate.js';
import { makeTempDir, silentLogger } from './helpers.js';
import { runPrisma } from './prisma-cli.js';
import { describeSchema } from './schema-snapshot.js';

const SCHEMA = path.join('prisma', 'schema.prisma');

describe('migrations', () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (temp = makeTempDir('co-agent-migrations-')));
  afterEach(() => temp.cleanup());

  async function buildWithRunner(file: string, migrationsDir?: string): Promise<void> {
    const store = await openStore({ path: file, logger: silentLogger, ...(migrationsDir ? { migrationsDir } : {}) });
    await store.close();
  }

  it('builds exactly the schema that `prisma db push` builds from schema.prisma', { timeout: 200_000 }, async () => {
    const fromMigrations = path.join(temp.dir, 'migrated.db');
    const fromPush = path.join(temp.dir, 'pushed.db');
    await buildWithRunner(fromMigrations);
    const push = await runPrisma(['db', 'push', '--skip-generate', '--schema', SCHEMA], fromPush);
    expect(push.code, push.stdout + push.stderr).toBe(0);

    const migrated = describeSchema(fromMigrations, { ignoreTables: ['_prisma_migrations'] });
    const pushed = describeSchema(fromPush);
    expect(Object.keys(migrated.tables)).toEqual(Object.keys(pushed.tables));
    // A sanity check that the comparison sees real structure, not two empty files.
    expect(Object.keys(pushed.tables)).toContain('Embedding');
    expect(pushed.tables.Interaction?.indexes.some((i) => i.unique === 1 && i.columns.length === 5)).toBe(true);
    expect(migrated).toEqual(pushed);
  });

  it('records migrations so that `prisma migrate status` agrees', { timeout: 200_000 }, async () => {
    const file = path.join(temp.dir, 'status.db');
    await buildWithRunner(file);
    const status = await runPrisma(['migrate', 'status', '--schema', SCHEMA], file);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Database schema is up to date/);
  });

  it('applies each migration once, however often the store opens', async () => {
    const file = path.join(temp.dir, 'twice.db');
    const db = new Database(file);
    try {
      const first = applyMigrations(db);
      const expected = readMigrations(DEFAULT_MIGRATIONS_DIR).map((m) => m.name);
      expect(first.applied).toEqual(expected);
      const rowsBefore = db.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name').all();
      expect(applyMigrations(db).applied).toEqual([]);
      expect(db.prepare('SELECT * FROM _prisma_migrations ORDER BY migration_name').all()).toEqual(rowsBefore);
      const row = rowsBefore[0] as { checksum: string; finished_at: string; applied_steps_count: number; logs: null };
      expect(row.checksum).toBe(readMigrations(DEFAULT_MIGRATIONS_DIR)[0]?.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.applied_steps_count).toBe(1);
    } finally {
      db.close();
    }
    await buildWithRunner(file);
  });

  it('refuses to start when an applied migration was changed', async () => {
    const dir = path.join(temp.dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const file = path.join(temp.dir, 'tampered.db');
    await buildWithRunner(file, dir);
    const [first] = readMigrations(dir);
    if (!first) throw new Error('no migrations');
    appendFileSync(path.join(dir, first.name, 'migration.sql'), '\n-- an innocent-looking edit\n');

    const opening = openStore({ path: file, logger: silentLogger, migrationsDir: dir });
    await expect(opening).rejects.toBeInstanceOf(MigrationError);
    await expect(openStore({ path: file, logger: silentLogger, migrationsDir: dir })).rejects.toThrow(
      new RegExp(`migration ${first.name} was changed after it was applied`),
    );
  });

  it('accepts a migration whose line endings a Windows checkout changed', async () => {
    const dir = path.join(temp.dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const file = path.join(temp.dir, 'crlf.db');
    await buildWithRunner(file, dir);
    const [first] = readMigrations(dir);
    if (!first) throw new Error('no migrations');
    writeFileSync(path.join(dir, first.name, 'migration.sql'), first.sql.replace(/\n/g, '\r\n'));
    await expect(buildWithRunner(file, dir)).resolves.toBeUndefined();
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    const dir = path.join(temp.dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(path.join(dir, '99990101000000_broken'));
    writeFileSync(path.join(dir, '99990101000000_broken', 'migration.sql'), 'CREATE TABLE "Half" ("id" INTEGER);\nINSERT INTO "NoSuchTable" VALUES (1);\n');
    const file = path.join(temp.dir, 'broken.db');

    await expect(buildWithRunner(file, dir)).rejects.toThrow(/migration 99990101000000_broken failed and was rolled back: no such table: NoSuchTable/);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'Half'`).get()).toEqual({ n: 0 });
      const names = db
        .prepare('SELECT migration_name FROM _prisma_migrations')
        .all()
        .map((r) => (r as { migration_name: string }).migration_name);
      expect(names).toEqual(readdirSync(DEFAULT_MIGRATIONS_DIR).filter((n) => !n.endsWith('.toml')));
    } finally {
      db.close();
    }
  });

  it('refuses a database that has a migration these files do not know', async () => {
    const file = path.join(temp.dir, 'newer.db');
    await buildWithRunner(file);
    const db = new Database(file);
    db.prepare(
      `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
                VALUES ('x', 'abc', '2030-01-01T00:00:00.000+00:00', '20300101000000_from_the_future', '2030-01-01T00:00:00.000+00:00', 1)`,
    ).run();
    db.close();
    await expect(buildWithRunner(file)).rejects.toThrow(/20300101000000_from_the_future, which is not in .*older Co-Agent/);
  });

  it('keeps child rows when a migration redefines a parent table (foreign keys off during the change)', async () => {
    const dir = path.join(temp.dir, 'migrations');
    cpSync(DEFAULT_MIGRATIONS_DIR, dir, { recursive: true });
    const file = path.join(temp.dir, 'redefine.db');
    const store = await openStore({ path: file, logger: silentLogger, migrationsDir: dir });
    await store.members.upsertByIdentity({ platform: 'matrix', externalId: '@kept:example.org' });
    await store.close();

    // What `prisma migrate diff` writes for a change SQLite cannot ALTER in place.
    const name = '99990101000000_redefine_member';
    mkdirSync(path.join(dir, name));
    writeFileSync(
      path.join(dir, name, 'migration.sql'),
      `-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Member" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "displayName" TEXT NOT NULL,
    "optedOut" BOOLEAN NOT NULL DEFAULT false,
    "pausedUntil" DATETIME,
    "weeklyBudget" INTEGER,
    "quietHours" TEXT,
    "timeZone" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "recognitionDigest" BOOLEAN NOT NULL DEFAULT false,
    "leftAt" DATETIME,
    "interests" TEXT
);
INSERT INTO "new_Member" SELECT * FROM "Member";
DROP TABLE "Member";
ALTER TABLE "new_Member" RENAME TO "Member";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
`,
    );
    const reopened = await openStore({ path: file, logger: silentLogger, migrationsDir: dir });
    try {
      const member = await reopened.members.findByIdentity({ platform: 'matrix', externalId: '@kept:example.org' });
      expect(member?.identities).toHaveLength(1);
    } finally {
      await reopened.close();
    }
  });
});
