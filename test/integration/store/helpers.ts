// Shared set-up for store tests: a real SQLite file in a fresh temp directory per test, or, with
// CO_AGENT_TEST_STORE=postgresql, a fresh database on CO_AGENT_TEST_POSTGRES_URL's server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../core/logging.js';
import { openStore, type Store } from '../../../core/store/index.js';
import { createTestDatabase } from './postgres-server.js';

export const silentLogger = createLogger({ level: 'silent' });

export function makeTempDir(prefix = 'co-agent-store-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a store on a new database file; `done()` closes it and deletes the directory. */
export async function openTempStore(): Promise<{ store: Store; dir: string; done(): Promise<void> }> {
  const temp = makeTempDir();
  const database = process.env.CO_AGENT_TEST_STORE === 'postgresql' ? await createTestDatabase() : undefined;
  const store = await openStore({ ...(database ? { url: database.url } : { path: path.join(temp.dir, 'test.db') }), logger: silentLogger });
  return {
    store,
    dir: temp.dir,
    async done() {
      await store.close();
      await database?.drop();
      temp.cleanup();
    },
  };
}
