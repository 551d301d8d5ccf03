// Low-level SQLite helpers shared by the migration runner and the bulk (better-sqlite3) paths.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

/** How long a connection waits for another process's write lock before failing (ms). */
export const BUSY_TIMEOUT_MS = 5000;

/** Accepts `file:./x.db` (Prisma style) or a plain path; in-memory databases are refused. */
export function resolveDatabasePath(location: { url?: string | undefined; path?: string | undefined }): string {
  const raw = location.path ?? location.url?.replace(/^file:/, '');
  if (raw === undefined || raw === '') throw new Error('openStore needs a database `path` or `url`');
  // Migrations, Prisma and the bulk connection each open the file; a private in-memory
  // database would be three different databases.
  if (raw === ':memory:' || raw.startsWith('file::memory:')) {
    throw new Error('openStore needs a database file; in-memory databases are not supported');
  }
  return path.resolve(raw);
}

/** Opens a better-sqlite3 connection with the pragmas every Co-Agent connection uses. */
export function openDatabase(file: string): SqliteDatabase {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
  try {
    // Takes effect only when the file is new (a no-op afterwards). A 2 KB embedding row fills
    // half of a default 4 KB page and wastes the rest; 16 KB pages made 100k vectors ~45%
    // smaller on disk and twice as fast to write.
    db.pragma('page_size = 16384');
    // WAL lets readers (engine start-up, dashboard) run while the workflow writes; the mode is
    // stored in the file, so Prisma's connection gets it too.
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across application crashes in WAL mode and much faster than FULL.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed, not left in free pages: an erased member's
    // words must not stay readable in the file (forget-me).
    db.pragma('secure_delete = ON');
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * Dates are stored as text in the same format Prisma's better-sqlite3 adapter writes
 * (ISO 8601 with `+00:00`), so rows written by either path compare correctly as text.
 */
export function toDbDate(date: Date): string {
  return date.toISOString().replace('Z', '+00:00');
}

/** Reads a date written by Prisma, by `toDbDate`, or by SQLite's CURRENT_TIMESTAMP default. */
export function fromDbDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  if (typeof value === 'string') {
    // CURRENT_TIMESTAMP gives "YYYY-MM-DD HH:MM:SS" in UTC, which Date would read as local time.
    const text = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value) ? `${value.replace(' ', 'T')}Z` : value;
    const date = new Date(text);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new Error(`not a stored date: ${String(value)}`);
}

export function fromDbDateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : fromDbDate(value);
}

/** Splits a list into chunks, e.g. to stay under SQLite's limit on bound parameters. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Lets the event loop run (HTTP health checks, webhooks) between bulk transactions. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
