// Our own migration runner. `prisma migrate deploy` works offline but needs the Prisma CLI (a
// dev dependency) at run time; this applies the same prisma/migrations/*/migration.sql files at
// start-up with better-sqlite3 and records them in Prisma's `_prisma_migrations` table, in
// Prisma's format, so `prisma migrate status` and `migrate deploy` agree with what we did.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../logging.js';
import { toDbDate, type SqliteDatabase } from './sqlite.js';

/** prisma/migrations of this checkout. */
export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

/** The file name that holds a migration's SQL inside its directory (Prisma's convention). */
export const MIGRATION_FILE = 'migration.sql';

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export interface MigrationFile {
  /** Directory name, e.g. `20261128222632_init`; migrations apply in name order. */
  name: string;
  sql: string;
  /** sha256 hex of migration.sql's bytes, as Prisma computes it. */
  checksum: string;
}

export interface MigrationResult {
  /** Names of the migrations applied by this call, in order. */
  applied: string[];
}

// Exactly the table Prisma creates, so its CLI reads and writes our rows.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export interface AppliedRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: string | null;
  rolled_back_at: string | null;
  logs: string | null;
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

/** Reads the migration directories in the order they apply. */
export function readMigrations(dir: string): MigrationFile[] {
  if (!existsSync(dir)) throw new MigrationError(`migrations directory not found: ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, MIGRATION_FILE)))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const bytes = readFileSync(path.join(dir, name, MIGRATION_FILE));
      return { name, sql: bytes.toString('utf8'), checksum: sha256(bytes) };
    });
}

// Prisma accepts a file whose line endings a Windows checkout changed (CRLF vs LF); so do we.
function checksumMatches(file: MigrationFile, recorded: string): boolean {
  if (file.checksum === recorded) return true;
  return sha256(file.sql.replace(/\r\n/g, '\n')) === recorded || sha256(file.sql.replace(/\r?\n/g, '\r\n')) === recorded;
}

/**
 * Refuses (throws MigrationError) when the database and the migration files disagree: an
 * applied migration whose file changed, one that is missing here (a schema newer than this
 * code), or one that failed earlier. Shared by the SQLite and PostgreSQL runners.
 */
export function checkAppliedMigrations(rows: readonly AppliedRow[], files: readonly MigrationFile[], dir: string): void {
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of rows) {
    if (row.finished_at === null) {
      throw new MigrationError(
        `migration ${row.migration_name} failed earlier and the database may be half-migrated; ` +
          `repair it by hand, then mark it with \`npx prisma migrate resolve\`` +
          (row.logs ? `. Recorded error: ${row.logs}` : ''),
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `the database has migration ${row.migration_name}, which is not in ${dir}: ` + 'is an older Co-Agent running against a newer database?',
      );
    }
    if (!checksumMatches(file, row.checksum)) {
      throw new MigrationError(
        `migration ${row.migration_name} was changed after it was applied ` +
          `(checksum ${file.checksum} in ${path.join(dir, row.migration_name, MIGRATION_FILE)}, ` +
          `${row.checksum} recorded in the database); restore the original file and put changes in a new migration`,
      );
    }
  }
}

/**
 * Applies every pending migration from `migrationsDir`, each in its own transaction, and
 * refuses (throws MigrationError) when the database and the migration files disagree: an
 * applied migration whose file changed, one that is missing here, or one that failed earlier.
 */
export function applyMigrations(db: SqliteDatabase, options: { migrationsDir?: string; logger?: Logger } = {}): MigrationResult {
  const dir = options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR;
  const files = readMigrations(dir);
  db.exec(CREATE_MIGRATIONS_TABLE);

  const appliedRows = (): AppliedRow[] =>
    db
      .prepare<[], AppliedRow>(
        `SELECT id, checksum, migration_name, finished_at, rolled_back_at, logs
       FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`,
      )
      .all();

  checkAppliedMigrations(appliedRows(), files, dir);

  const isApplied = db.prepare<[string], { n: number }>(
    `SELECT count(*) AS n FROM "_prisma_migrations"
     WHERE migration_name = ? AND rolled_back_at IS NULL AND finished_at IS NOT NULL`,
  );
  const record = db.prepare(
    `INSERT INTO "_prisma_migrations"
       (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
     VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
  );

  const applied: string[] = [];
  for (const file of files) {
    if ((isApplied.get(file.name)?.n ?? 0) > 0) continue;
    // SQLite ignores `PRAGMA foreign_keys` inside a transaction, and Prisma's table
    // redefinitions (copy, DROP TABLE, rename) would cascade-delete child rows with foreign
    // keys on. So switch them off around the transaction and check integrity before commit,
    // as SQLite's documented ALTER TABLE procedure does.
    db.pragma('foreign_keys = OFF');
    try {
      const startedAt = toDbDate(new Date());
      const apply = db.transaction(() => {
        // Re-check inside the write lock: another process may have just applied it.
        if ((isApplied.get(file.name)?.n ?? 0) > 0) return false;
        db.exec(file.sql);
        const violations = db.pragma('foreign_key_check') as unknown[];
        if (violations.length > 0) {
          throw new MigrationError(`migration ${file.name} leaves ${violations.length} rows violating foreign keys, e.g. ${JSON.stringify(violations[0])}`);
        }
        record.run(randomUUID(), file.checksum, toDbDate(new Date()), file.name, startedAt);
        return true;
      });
      // IMMEDIATE takes the write lock at BEGIN, so two processes starting together serialize.
      if (apply.immediate()) {
        applied.push(file.name);
        options.logger?.info({ migration: file.name }, 'applied database migration');
      }
    } catch (error) {
      if (error instanceof MigrationError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`migration ${file.name} failed and was rolled back: ${reason}`, { cause: error });
    } finally {
      db.pragma('foreign_keys = ON');
    }
  }
  return { applied };
}
