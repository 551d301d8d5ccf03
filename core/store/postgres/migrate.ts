// The PostgreSQL migration runner: applies prisma/postgresql/migrations at start-up, like
// ../migrate.ts does for SQLite, recording them in Prisma's `_prisma_migrations` table in
// Prisma's format (so `prisma migrate status --config prisma.postgresql.config.ts` agrees).
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type pg from 'pg';
import type { Logger } from '../../logging.js';
import { checkAppliedMigrations, MigrationError, readMigrations, type AppliedRow, type MigrationResult } from '../migrate.js';

/** prisma/postgresql/migrations of this checkout. */
export const POSTGRES_MIGRATIONS_DIR = fileURLToPath(new URL('../../../prisma/postgresql/migrations/', import.meta.url));

// Exactly the table Prisma creates on PostgreSQL.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Any fixed number: every Co-Agent process migrating this database takes the same lock, so two
// starting together apply each migration once.
const MIGRATION_LOCK = 7_220_190_019;

export async function applyPostgresMigrations(client: pg.Client, options: { migrationsDir?: string; logger?: Logger } = {}): Promise<MigrationResult> {
  const dir = options.migrationsDir ?? POSTGRES_MIGRATIONS_DIR;
  const files = readMigrations(dir);
  await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow & { finished_at: Date | null }>(
      `SELECT id, checksum, migration_name, finished_at, rolled_back_at, logs
       FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`,
    );
    checkAppliedMigrations(
      rows.map((r) => ({ ...r, finished_at: r.finished_at?.toISOString() ?? null, rolled_back_at: null })),
      files,
      dir,
    );
    const done = new Set(rows.map((r) => r.migration_name));

    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file.name)) continue;
      const startedAt = new Date();
      // PostgreSQL's DDL is transactional: a failing migration leaves nothing behind.
      await client.query('BEGIN');
      try {
        await client.query(file.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, NULL, NULL, $4, 1)`,
          [randomUUID(), file.checksum, file.name, startedAt],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        const reason = error instanceof Error ? error.message : String(error);
        throw new MigrationError(`migration ${file.name} failed and was rolled back: ${reason}`, { cause: error });
      }
      applied.push(file.name);
      options.logger?.info({ migration: file.name }, 'applied database migration');
    }
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
  }
}
