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
import { loadConfig } from '../bridges/config.js';
import { createLogger } from '../core/logging.js';
import { cleanText } from '../core/text/clean.js';
import { start } from '../main.js';
import { buildCommunity, mentionOfBot } from './support/matrix-community.js';
import { seedTags, writeServiceConfig } from './support/service-config.js';
import { startFakeHomeserver } from './stand-ins/matrix-homeserver/index.js';
import { corpus, seedHistory } from './bench/matrix-history.js';
import { nearestRankPercentile } from '../core/stats/percentile.js';

const MENTIONS = 50;

const json = process.argv.includes('--json');
const unknown = process.argv.slice(2).filter((a) => a !== '--json');
if (unknown.length > 0) {
  process.stderr.write(`usage: npm run bench:matrix [-- --json]\nunknown argument: ${unknown.join(' ')}\n`);
  process.exit(2);
}
const say = (line: string) => process.stderr.write(`${line}\n`);

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

    const history = corpus(MENTIONS);
    const { docs, probes } = history;
    say(`seeding ${docs.length} documents`);
    await seedHistory(config, history, say);

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
      await hs.waitForEvent(
        (e) =>
          e.sender === community.bot.userId &&
          e.type === 'm.room.message' &&
          (e.content as { 'm.relates_to'?: { event_id?: string } })['m.relates_to']?.event_id === ask,
        30_000,
      );
      latencies.push(performance.now() - t0);
      if ((i + 1) % 10 === 0) say(`  ${i + 1}/${probes.length} mentions answered`);
      await app.idle();
    }
    await app.stop();

    const r = (p: number) => Math.round(nearestRankPercentile(latencies, p));
    const result = { documents: docs.length, mentions: latencies.length, p50Ms: r(50), p95Ms: r(95), maxMs: Math.round(Math.max(...latencies)) };
    say(
      `mention -> thread reply over ${result.mentions} mentions, ${result.documents} documents: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms`,
    );
    if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await hs.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
