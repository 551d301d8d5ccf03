// What every repository module gets: the Prisma client, the bulk better-sqlite3 connection and
// the write lock that keeps the two connections from waiting on each other.
import type { Logger } from '../logging.js';
import type { DocumentKind, Platform } from '../types.js';
import { Prisma, type PrismaClient } from './generated/client.js';
import type { SqliteDatabase } from './sqlite.js';

export interface StoreContext {
  prisma: PrismaClient;
  /** Second connection for bulk paths (embeddings, documents) where Prisma is ~100x slower. */
  db: SqliteDatabase;
  /**
   * On PostgreSQL `db` is a PostgresSyncConnection (postgres/sync-connection.ts) with the same
   * API, translating the SQL; the few statements it cannot translate branch on this.
   */
  dialect: 'sqlite' | 'postgresql';
  logger: Logger;
  /**
   * Runs a write with the store's write lock held. Prisma keeps SQLite's write lock across
   * awaits inside its transactions (nested writes use one), while better-sqlite3 waits for a
   * lock synchronously, blocking the event loop Prisma needs to finish: without this lock the
   * two connections could stall each other until the busy timeout. Every write goes through it.
   */
  write<T>(fn: () => Promise<T> | T): Promise<T>;
  /**
   * Bumped whenever a tag is renamed or merged away: repositories that cache tag ids by name
   * start afresh when it changed.
   */
  tagGeneration: { value: number };
}

/** A FIFO async lock: one holder at a time, in arrival order. */
export class WriteLock {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T> | T): Promise<T> {
    const result = this.#tail.then(() => fn());
    // The next holder waits for this one to settle, whether it succeeded or failed.
    this.#tail = result.catch(() => undefined);
    return result;
  }
}

export class StoreError extends Error {
  override readonly name = 'StoreError';
}

/** True when Prisma reports a unique constraint violation (P2002). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/** True when Prisma reports that the row to update or delete does not exist (P2025). */
export function isNotFound(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2025';
}

export function asPlatform(value: string): Platform {
  // Any platform id a bridge wrote: the store keeps no list of them (core/platforms.ts does).
  if (/^[a-z][a-z0-9-]{0,31}$/.test(value)) return value;
  throw new StoreError(`unknown platform in database: ${JSON.stringify(value)}`);
}

const DOCUMENT_KINDS: readonly DocumentKind[] = ['question', 'answer', 'message', 'topic', 'post'];
export function asDocumentKind(value: string): DocumentKind {
  if ((DOCUMENT_KINDS as readonly string[]).includes(value)) return value as DocumentKind;
  throw new StoreError(`unknown document kind in database: ${JSON.stringify(value)}`);
}

/** Narrows a stored string to one of a known list of values, or fails loudly. */
export function asOneOf<T extends string>(values: readonly T[], value: string, what: string): T {
  if ((values as readonly string[]).includes(value)) return value as T;
  throw new StoreError(`unknown ${what} in database: ${JSON.stringify(value)}`);
}
