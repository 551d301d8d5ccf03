// Shared set-up for store tests: a real SQLite file in a fresh temp directory per test.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../core/logging.js';
import { openStore, type Store } from '../../../core/store/index.js';

export const silentLogger = createLogger({ level: 'silent' });

export function makeTempDir(prefix = 'co-agent-store-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Opens a store on a new database file; `done()` closes it and deletes the directory. */
export async function openTempStore(): Promise<{ store: Store; dir: string; done(): Promise<void> }> {
  const temp = makeTempDir();
  const store = await openStore({ path: path.join(temp.dir, 'test.db'), logger: silentLogger });
  return {
    store,
    dir: temp.dir,
    async done() {
      await store.close();
      temp.cleanup();
    },
  };
}
