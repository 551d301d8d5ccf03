// Shared set-up for store tests: a real SQLite file in a fresh temp directory per test, or, with
// CO_AGENT_TEST_STORE=postgresql, a fresh database on CO_AGENT_TEST_POSTGRES_URL's server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../core/logging.js';
import { openStore, type Store } from '../../../core/store/index.js';
import Database from 'better-sqlite3';
import { PostgresSyncConnection } from '../../../core/store/postgres/sync-connection.js';
import { createTestDatabase } from './postgres-server.js';

export const silentLogger = createLogger({ level: 'silent' });

export function makeTempDir(prefix = 'co-agent-store-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a store on a new database file; `done()` closes it and deletes the directory. */
export interface TempStore {
  store: Store;
  dir: string;
  /** Opens another store on the same database (a restart, once `store` is closed). */
  reopen(): Promise<Store>;
  /** Rows of a read-only SQL query (SQLite's dialect), on a connection of its own. */
  readRows(sql: string): Record<string, unknown>[];
  /** Runs one writing SQL statement (SQLite's dialect) on a connection of its own: data changed behind the store's back. */
  runSql(sql: string, ...params: (string | number)[]): void;
  done(): Promise<void>;
}

export async function openTempStore(): Promise<TempStore> {
  const temp = makeTempDir();
  const database = process.env.CO_AGENT_TEST_STORE === 'postgresql' ? await createTestDatabase() : undefined;
  const location = database ? { url: database.url } : { path: path.join(temp.dir, 'test.db') };
  const store = await openStore({ ...location, logger: silentLogger });
  return {
    store,
    dir: temp.dir,
    reopen: () => openStore({ ...location, logger: silentLogger }),
    readRows(sql) {
      const db = database ? new PostgresSyncConnection(database.url, { readOnly: true }) : new Database(location.path ?? '', { readonly: true });
      try {
        return db.prepare(sql).all() as Record<string, unknown>[];
      } finally {
        db.close();
      }
    },
    runSql(sql, ...params) {
      const db = database ? new PostgresSyncConnection(database.url) : new Database(location.path ?? '');
      try {
        db.prepare(sql).run(...params);
      } finally {
        db.close();
      }
    },
    async done() {
      await store.close();
      await database?.drop();
      temp.cleanup();
    },
  };
}
