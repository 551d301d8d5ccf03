// Time from a mention to the bot's reply in its thread, end to end: the real service (real
// matrix-bot-sdk, SQLite, the sentence model) against the fake homeserver on loopback, with
// 10,000 documents in the store. Prints p50/p95 over 50 mentions.
//
//   npm run bench:matrix              (add -- --json for one JSON line at the end)
//
// The documents are the startups-se questions and answers, the SemEval questions, and answer
// paragraphs as chat messages, up to 10,000; the last 50 startups-se questions are held out and
// asked as mentions. Vectors come from the evaluation's cache (.cache/embeddings) when present,
// so only what is missing is embedded (that can take a few minutes on a first run).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../core/config/index.js';
import type { EmbeddingCache } from '../core/embedding/cache.js';
import { FileEmbeddingCache } from '../core/embedding/file-cache.js';
import { TextEmbedder } from '../core/embedding/text-embedder.js';
import { EmbedderPool } from '../core/embedding/worker-pool.js';
import { documentText } from '../core/engine/engine.js';
import { storeEmbeddingCache } from '../core/engine/engine-service.js';
import { createLogger } from '../core/logging.js';
import { openStore, type DocumentInput } from '../core/store/index.js';
import { cleanText } from '../core/text/clean.js';
import { memberId } from '../core/types.js';
import { start } from '../main.js';
import { buildCommunity, mentionOfBot } from '../test/e2e/matrix-community.js';
import { seedTags, writeServiceConfig } from '../test/e2e/service-harness.js';
import { startFakeHomeserver } from './stand-ins/matrix-homeserver/index.js';
import { percentile } from './bench/stats.js';
import { chronological, loadDataset, type QaQuestion } from './eval/datasets.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SHARED = path.resolve(ROOT, '../shared/datasets');
const DOCUMENTS = 10_000;
const MENTIONS = 50;

const json = process.argv.includes('--json');
const unknown = process.argv.slice(2).filter((a) => a !== '--json');
if (unknown.length > 0) {
  process.stderr.write(`usage: npm run bench:matrix [-- --json]\nunknown argument: ${unknown.join(' ')}\n`);
  process.exit(2);
}
const say = (line: string) => process.stderr.write(`${line}\n`);

/** The two caches as one: reads the file cache too, and copies what it finds into the store. */
function layered(store: EmbeddingCache, file: EmbeddingCache): EmbeddingCache {
  return {
    async get(modelId, hashes) {
      const found = await store.get(modelId, hashes);
      const missing = hashes.filter((h) => !found.has(h));
      if (missing.length > 0) {
        const fromFile = await file.get(modelId, missing);
        await store.put(modelId, [...fromFile].map(([hash, vector]) => ({ hash, vector })));
        for (const [h, v] of fromFile) found.set(h, v);
      }
      return found;
    },
    async put(modelId, entries) {
      await store.put(modelId, entries);
      await file.put(modelId, entries);
    },
  };
}

function corpus(): { docs: Omit<DocumentInput, 'authorId'>[]; authors: (string | null)[]; probes: QaQuestion[] } {
  const startups = loadDataset(path.join(SHARED, 'startups-se/questions.jsonl'));
  const semeval = loadDataset(path.join(SHARED, 'semeval2016-qatarliving/questions.jsonl'));
  if (startups.kind !== 'qa' || semeval.kind !== 'ranking') throw new Error('unexpected dataset formats');
  const ordered = chronological(startups.questions);
  const probes = ordered.slice(-MENTIONS);
  const docs: Omit<DocumentInput, 'authorId'>[] = [];
  const authors: (string | null)[] = [];
  const add = (d: Omit<DocumentInput, 'authorId'>, author: string | null) => {
    if (docs.length < DOCUMENTS) {
      docs.push(d);
      authors.push(author);
    }
  };
  for (const q of ordered.slice(0, -MENTIONS)) {
    const thread = `se-${q.id}`;
    add({ platform: 'discourse', externalId: thread, threadId: thread, kind: 'question', title: q.title, text: cleanText(q.body, 'auto'), url: q.url ?? null, createdAt: new Date(q.date), tags: q.tags }, q.asker.id);
    for (const a of q.answers) {
      add({ platform: 'discourse', externalId: `se-a${a.id}`, threadId: thread, kind: 'answer', text: cleanText(a.body, 'auto'), createdAt: new Date(a.date), score: a.score, accepted: a.accepted }, a.author.id);
    }
  }
  for (const q of semeval.questions) {
    for (const r of q.related) add({ platform: 'discourse', externalId: `ql-${r.id}`, threadId: `ql-${r.id}`, kind: 'question', title: r.subject, text: cleanText(r.body, 'auto'), createdAt: new Date(r.date ?? '2015-01-01') }, null);
  }
  // Pad with chat-sized messages: later paragraphs of long answers.
  for (const q of ordered.slice(0, -MENTIONS)) {
    for (const a of q.answers) {
      const paragraphs = cleanText(a.body, 'auto').split(/\n\s*\n/).slice(1).filter((p) => p.split(/\s+/).length >= 8);
      for (const [i, p] of paragraphs.entries()) add({ platform: 'matrix', externalId: `$pad-${a.id}-${i}`, threadId: `$pad-${a.id}-${i}`, kind: 'message', text: p, createdAt: new Date(a.date) }, a.author.id);
    }
  }
  return { docs, authors, probes };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-bench-matrix-'));
  const hs = await startFakeHomeserver({ validate: false });
  try {
    const community = buildCommunity(hs);
    const configFile = writeServiceConfig(dir, hs.url);
    const config = loadConfig({ file: configFile, env: { MATRIX_ACCESS_TOKEN: community.bot.accessToken } });
    config.log.level = 'warn';
    config.engine.workers = 2;
    // One member asks 50 times in a row here; the per-member flood limit would stop that.
    config.concierge.flood.maxRequests = 1000;
    await seedTags(config.database.path);

    const { docs, authors, probes } = corpus();
    say(`seeding ${docs.length} documents`);
    const logger = createLogger({ level: 'warn' });
    const store = await openStore({ path: config.database.path, logger });
    const members = new Map<string, number>();
    for (const a of new Set(authors)) {
      if (a === null || a === '-1') continue;
      const { member } = await store.members.upsertByIdentity({ platform: 'matrix', externalId: `@se-${a}:localhost`, displayName: `Member ${a}` });
      members.set(a, member.id);
    }
    await store.documents.upsertMany(docs.map((d, i) => ({ ...d, authorId: authors[i] && members.has(authors[i]!) ? memberId(members.get(authors[i]!)!) : null })));
    // Fill the store's embedding cache (from the file cache where it can), as a running service would have.
    const pool = await EmbedderPool.load({ workers: 2 });
    const embedder = new TextEmbedder(pool, { cache: layered(storeEmbeddingCache(store), new FileEmbeddingCache(path.join(ROOT, '.cache/embeddings'))) });
    let last = 0;
    await embedder.embedMany(docs.map((d) => documentText({ title: d.title ?? undefined, text: d.text })), {
      onProgress: (done, total) => {
        if (Date.now() - last > 5000 || done === total) {
          last = Date.now();
          say(`  vectors ${done}/${total}`);
        }
      },
    });
    await pool.close();
    await store.close();

    say('starting the service');
    const startedAt = Date.now();
    const app = await start(config, createLogger({ level: process.env.BENCH_LOG_LEVEL === 'info' ? 'info' : 'warn' }));
    say(`service ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    await app.idle();

    const latencies: number[] = [];
    for (const [i, q] of probes.entries()) {
      const text = `${q.title} ${cleanText(q.body, 'auto').slice(0, 300)}`;
      const t0 = performance.now();
      const ask = hs.send(community.users.alice, community.general, 'm.room.message', mentionOfBot(community.bot.userId, text));
      await hs.waitForEvent((e) => e.sender === community.bot.userId && e.type === 'm.room.message'
        && (e.content as { 'm.relates_to'?: { event_id?: string } })['m.relates_to']?.event_id === ask, 30_000);
      latencies.push(performance.now() - t0);
      if ((i + 1) % 10 === 0) say(`  ${i + 1}/${probes.length} mentions answered`);
      await app.idle();
    }
    await app.stop();

    const r = (p: number) => Math.round(percentile(latencies, p));
    const result = { documents: docs.length, mentions: latencies.length, p50Ms: r(50), p95Ms: r(95), maxMs: Math.round(Math.max(...latencies)) };
    say(`mention -> thread reply over ${result.mentions} mentions, ${result.documents} documents: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms`);
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await hs.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
