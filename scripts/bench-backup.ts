// `npm run bench:backup [-- --documents N]`: builds a database of N documents (default 100,000)
// with one 512-d embedding each, then times `npm run backup`'s copy and `npm run restore`'s
// swap on it, and prints the figures (docs/operations.md, Backups).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '../core/logging.js';
import { backupDatabaseFile, openStore, restoreDatabaseFile, type DocumentInput } from '../core/store/index.js';

const arg = process.argv.indexOf('--documents');
const total = arg > 0 ? Number(process.argv[arg + 1]) : 100_000;
const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-bench-backup-'));
const dbPath = path.join(dir, 'co-agent.db');
const mb = (file: string) => `${(statSync(file).size / 1e6).toFixed(0)} MB`;
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(2);

try {
  const store = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
  const words = 'team manager onboarding remote feedback budget hiring review meeting goal plan coaching conflict priority delivery'.split(' ');
  let started = performance.now();
  for (let i = 0; i < total; i += 2000) {
    const docs: DocumentInput[] = [];
    const vectors: [string, Float32Array][] = [];
    for (let j = i; j < Math.min(total, i + 2000); j++) {
      const text = Array.from({ length: 60 }, (_, k) => words[(j * 7 + k * 3) % words.length]).join(' ') + ` #${j}`;
      docs.push({
        platform: 'discourse',
        externalId: `p${j}`,
        threadId: `t${Math.floor(j / 10)}`,
        kind: j % 10 === 0 ? 'question' : 'answer',
        text,
        createdAt: new Date(Date.UTC(2025, 0, 1) + j * 60_000),
      });
      vectors.push([`h${j}`, Float32Array.from({ length: 512 }, (_, k) => Math.sin(j + k))]);
    }
    await store.documents.upsertMany(docs);
    await store.embeddings.put('bench-model', vectors);
  }
  await store.close();
  process.stdout.write(`database: ${total.toLocaleString('en')} documents with one 512-d embedding each, ${mb(dbPath)}, built in ${seconds(started)} s\n`);

  const backup = path.join(dir, 'backup.db');
  started = performance.now();
  const r = await backupDatabaseFile(dbPath, backup);
  process.stdout.write(`backup:  ${seconds(started)} s (${r.pages.toLocaleString('en')} pages, ${mb(backup)})\n`);
  started = performance.now();
  await restoreDatabaseFile(backup, dbPath);
  process.stdout.write(`restore: ${seconds(started)} s (integrity quick_check, copy, swap)\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
