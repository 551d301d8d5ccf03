// `npm run backup` under write load: another process commits batches of ten inbox events while
// the backup runs; the copy must be a consistent snapshot (whole batches only, intact), and
// `npm run restore` must put exactly that copy back. Bad targets get a clear error.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logging.js';
import { backupDatabaseFile, openStore, pidFileOf, restoreDatabaseFile } from '../../../core/store/index.js';
import { backupCli } from '../../../scripts/backup.js';

const BATCH = 10;

/** Every table's rows, ordered, as JSON: two databases with equal dumps hold the same data. */
function dump(file: string): Record<string, string> {
  const db = new Database(file, { readonly: true });
  try {
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]
    ).map((t) => t.name);
    return Object.fromEntries(tables.map((t) => [t, JSON.stringify(db.prepare(`SELECT * FROM "${t}" ORDER BY rowid`).raw().all())]));
  } finally {
    db.close();
  }
}

const count = (file: string): number => {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM InboxEvent').get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('backup and restore', () => {
  let dir: string;
  let dbPath: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-backup-'));
    dbPath = path.join(dir, 'co-agent.db');
    const store = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
    await store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies a consistent snapshot while another process writes, and restores exactly that copy', async () => {
    // The writer: its own process and connection, committing BATCH rows per transaction as fast as it can.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `
      const Database = require(${JSON.stringify(createRequire(import.meta.url).resolve('better-sqlite3'))});
      const db = new Database(${JSON.stringify(dbPath)}, { timeout: 5000 });
      const insert = db.prepare("INSERT INTO InboxEvent (platform, eventId, payload, receivedAt) VALUES ('matrix', ?, ?, '2026-12-01T00:00:00.000+00:00')");
      const batch = db.transaction((n) => { for (let i = 0; i < ${BATCH}; i++) insert.run('e' + n + '-' + i, 'x'.repeat(2000)); });
      let n = 0;
      const loop = () => { batch(n++); if (n === 50) process.stdout.write('writing\\n'); setImmediate(loop); };
      loop();
    `,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => writer.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        writer.stdout.once('data', () => resolve());
        writer.once('exit', (code) => reject(new Error(`writer exited early (${String(code)})`)));
      });
      const before = count(dbPath);
      const backup = path.join(dir, 'backup.db');
      const lines: string[] = [];
      const code = await backupCli([backup, '--database', dbPath], { env: {}, out: (l) => lines.push(l), err: (l) => lines.push(l) });
      expect(code).toBe(0);
      expect(lines.join('\n')).toMatch(/^backed up .* to .*backup\.db: \d+ pages/);
      const during = count(dbPath);
      writer.kill('SIGKILL');
      await exited;
      const after = count(dbPath);

      const copied = count(backup);
      // A snapshot: whole transactions only, taken between the start and the end of the backup.
      expect(copied % BATCH).toBe(0);
      expect(copied).toBeGreaterThanOrEqual(before);
      expect(copied).toBeLessThanOrEqual(during);
      expect(after).toBeGreaterThanOrEqual(during);
      const check = new Database(backup, { readonly: true });
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();

      // A pid file left by a crashed service (its process is gone) does not block the restore.
      writeFileSync(pidFileOf(dbPath), '2147483646\n');
      await restoreDatabaseFile(backup, dbPath);
      expect(count(dbPath)).toBe(copied);
      expect(dump(dbPath)).toEqual(dump(backup));
      // The restored file opens as a store (migrations recorded, nothing to apply).
      const store = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
      expect(await store.inbox.counts('matrix')).toMatchObject({ pending: copied });
      await store.close();
    } finally {
      writer.kill('SIGKILL');
      await exited;
    }
  });

  it('says clearly why a backup cannot be written', async () => {
    await expect(backupDatabaseFile(dbPath, path.join(dir, 'missing', 'b.db'))).rejects.toThrow(/cannot write the backup: directory .*missing does not exist/);
    const file = path.join(dir, 'a-file');
    writeFileSync(file, 'x');
    await expect(backupDatabaseFile(dbPath, path.join(file, 'b.db'))).rejects.toThrow(/cannot write the backup: .*a-file is not a directory/);
    await expect(backupDatabaseFile(dbPath, file)).rejects.toThrow(/already exists/);
    await expect(backupDatabaseFile(path.join(dir, 'nope.db'), path.join(dir, 'c.db'))).rejects.toThrow(/database .*nope\.db does not exist/);
    const err: string[] = [];
    expect(await backupCli([path.join(dir, 'missing', 'b.db'), '--database', dbPath], { env: {}, out: () => undefined, err: (l) => err.push(l) })).toBe(1);
    expect(err.join('\n')).toMatch(/^co-agent: cannot write the backup/);
  });
});
