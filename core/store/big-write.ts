// Writes one large text value (megabytes of learned settings) on a worker thread with its own
// connection, so the event loop does not wait the tens of milliseconds SQLite takes to write it
// (and to zero the old value's pages: secure_delete). The caller holds the store's write lock,
// so no other write of this process runs meanwhile; another process's lock is waited for there.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { BUSY_TIMEOUT_MS } from './sqlite.js';

const require = createRequire(import.meta.url);

// Plain CommonJS, run with `eval`: no TypeScript loader is needed inside the worker.
const WORKER_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: workerData.timeout });
try {
  db.pragma('synchronous = NORMAL');
  db.pragma('secure_delete = ON');
  const text = Buffer.from(workerData.bytes.buffer, workerData.bytes.byteOffset, workerData.bytes.byteLength).toString('utf8');
  db.prepare(workerData.sql).run(...workerData.before, text, ...workerData.after);
  parentPort.postMessage({ ok: true });
} catch (e) {
  parentPort.postMessage({ ok: false, message: e instanceof Error ? e.message : String(e) });
} finally {
  db.close();
}
`;

/**
 * Runs `sql` once on a fresh connection to `file` in a worker thread, binding `before`, the text,
 * then `after`. Resolves when it is committed; rejects with SQLite's error.
 */
export function writeTextOffThread(
  file: string,
  sql: string,
  before: readonly (string | number)[],
  text: string,
  after: readonly (string | number)[],
): Promise<void> {
  // Its own ArrayBuffer (never a slice of Node's shared pool), so it can be transferred.
  const bytes = new TextEncoder().encode(text);
  const worker = new Worker(WORKER_CODE, {
    eval: true,
    workerData: { driver: require.resolve('better-sqlite3'), file, timeout: BUSY_TIMEOUT_MS, sql, before, after, bytes },
    transferList: [bytes.buffer as ArrayBuffer],
  });
  return new Promise((resolve, reject) => {
    let answered = false;
    worker.once('message', (m: { ok: boolean; message?: string }) => {
      answered = true;
      if (m.ok) resolve();
      else reject(new Error(`writing a large value failed: ${m.message}`));
    });
    worker.once('error', (e) => {
      answered = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the writer thread exited (code ${code}) before answering`));
    });
  });
}
