import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR, readMigrations } from '../../../core/store/migrate.js';
import { createMigration, SNAPSHOT_FILE } from '../../../scripts/new-migration.js';
import { makeTempDir } from './helpers.js';
import { REPO_ROOT } from './prisma-cli.js';

describe('npm run db:migration (scripts/new-migration.ts)', () => {
  let temp: ReturnType<typeof makeTempDir>;
  let migrationsDir: string;
  let schema: string;
  beforeEach(() => {
    temp = makeTempDir('co-agent-new-migration-');
    migrationsDir = path.join(temp.dir, 'migrations');
    schema = path.join(temp.dir, 'schema.prisma');
    cpSync(DEFAULT_MIGRATIONS_DIR, migrationsDir, { recursive: true });
    cpSync(path.join(REPO_ROOT, 'prisma', 'schema.prisma'), schema);
  });
  afterEach(() => temp.cleanup());

  it('the newest checked-in migration carries a snapshot of the current schema', () => {
    const newest = readMigrations(DEFAULT_MIGRATIONS_DIR).at(-1);
    if (!newest) throw new Error('no migrations');
    const snapshot = readFileSync(path.join(DEFAULT_MIGRATIONS_DIR, newest.name, SNAPSHOT_FILE), 'utf8');
    // Without this the next `db:migration` would diff from a stale schema.
    expect(snapshot).toBe(readFileSync(path.join(REPO_ROOT, 'prisma', 'schema.prisma'), 'utf8'));
  });

  it('creates nothing when the schema did not change', { timeout: 200_000 }, () => {
    expect(createMigration({ name: 'noop', schema, migrationsDir })).toEqual({ status: 'unchanged' });
    expect(readMigrations(migrationsDir)).toHaveLength(readMigrations(DEFAULT_MIGRATIONS_DIR).length);
  });

  it('writes the SQL for a schema change, with a snapshot, that applies after the others', { timeout: 200_000 }, () => {
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('  timeZone          String?\n', '  timeZone          String?\n  nickname          String?\n'));
    const result = createMigration({ name: 'Add member nickname', schema, migrationsDir, now: new Date('2000-01-01T00:00:00Z') });
    if (result.status !== 'created') throw new Error('expected a migration');
    expect(result.sql).toMatch(/ALTER TABLE "Member" ADD COLUMN "nickname" TEXT;/);
    const name = path.basename(result.directory);
    // The clock said 2000, but the new migration must still sort after the existing ones.
    expect(name.endsWith('_add_member_nickname')).toBe(true);
    expect(readMigrations(migrationsDir).at(-1)?.name).toBe(name);
    expect(readFileSync(path.join(result.directory, SNAPSHOT_FILE), 'utf8')).toBe(readFileSync(schema, 'utf8'));

    const db = new Database(path.join(temp.dir, 'applied.db'));
    try {
      applyMigrations(db, { migrationsDir });
      const columns = db
        .prepare(`SELECT name FROM pragma_table_info('Member')`)
        .all()
        .map((c) => (c as { name: string }).name);
      expect(columns).toContain('nickname');
    } finally {
      db.close();
    }
    // The next run diffs from the new snapshot, so it finds nothing more to do.
    expect(createMigration({ name: 'again', schema, migrationsDir })).toEqual({ status: 'unchanged' });
  });

  it('refuses to guess when the newest migration has no snapshot', () => {
    const newest = readMigrations(migrationsDir).at(-1);
    if (!newest) throw new Error('no migrations');
    rmSync(path.join(migrationsDir, newest.name, SNAPSHOT_FILE));
    expect(() => createMigration({ name: 'x', schema, migrationsDir })).toThrow(/schema\.prisma\.snapshot is missing/);
  });
});
