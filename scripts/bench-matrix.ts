// Time from a mention to the bot's reply in its thread, end to end: the real service (real
// matrix-bot-sdk, SQLite, the sentence model) against the fake homeserver on loopback, with
// 10,000 documents in the store. Prints p50/p95 over 50 mentions in each of two phases:
//   fitting  right after a cold start, while the engine calibrates and trains its tag classifier
//            in the background (the top-level p50Ms/p95Ms of --json, as before);
//   steady   after that fitting has finished (App.fitted()), nothing else running.
//
//   npm run bench:matrix              (add -- --json for one JSON line at the end)
//
// The documents are the startups-se questions and answers, the SemEval questions, and answer
// paragraphs as chat messages, up to 10,000; the last 100 startups-se questions are held out and
// asked as mentions, 50 per phase. Vectors come from the evaluation's cache (.cache/embeddings) when present,
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
const PHASES = 2;

const json = process.argv.includes('--json');
const unknown = process.argv.slice(2).filter((a) => a !== '--json');
if (unknown.length > 0) {
  process.stderr.write(`usage: npm run bench:matrix [-- --json]\nunknown argument: ${unknown.join(' ')}\n`);
  process.exit(2);
}
const say = (line: string) => process.stderr.write(`${line}\n`);

interface Phase {
  mentions: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
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

    const history = corpus(MENTIONS * PHASES);
    const { docs, probes } = history;
    say(`seeding ${docs.length} documents`);
    await seedHistory(config, history, say);

    say('starting the service');
    const startedAt = Date.now();
    const app = await start(config, createLogger({ level: process.env.BENCH_LOG_LEVEL === 'info' ? 'info' : 'warn' }));
    say(`service ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    await app.idle();

    const ask = async (phase: string, questions: typeof probes): Promise<Phase> => {
      const latencies: number[] = [];
      for (const [i, q] of questions.entries()) {
        const text = `${q.title} ${cleanText(q.body, 'auto').slice(0, 300)}`;
        const t0 = performance.now();
        const mention = hs.send(community.users.alice, community.general, 'm.room.message', mentionOfBot(community.bot.userId, text));
        await hs.waitForEvent(
          (e) =>
            e.sender === community.bot.userId &&
            e.type === 'm.room.message' &&
            (e.content as { 'm.relates_to'?: { event_id?: string } })['m.relates_to']?.event_id === mention,
          30_000,
        );
        latencies.push(performance.now() - t0);
        if ((i + 1) % 10 === 0) say(`  ${phase}: ${i + 1}/${questions.length} mentions answered`);
        await app.idle();
      }
      const r = (p: number) => Math.round(nearestRankPercentile(latencies, p));
      const result = { mentions: latencies.length, p50Ms: r(50), p95Ms: r(95), maxMs: Math.round(Math.max(...latencies)) };
      say(`mention -> thread reply, ${phase}, ${result.mentions} mentions: p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, max ${result.maxMs} ms`);
      return result;
    };

    const fitting = await ask('while fitting', probes.slice(0, MENTIONS));
    say('waiting for the background fitting to finish');
    const waitedFrom = Date.now();
    await app.fitted();
    const fittedAfterSeconds = Math.round((Date.now() - startedAt) / 100) / 10;
    say(`fitting done ${fittedAfterSeconds} s after start (waited ${((Date.now() - waitedFrom) / 1000).toFixed(1)} s)`);
    const steady = await ask('steady state', probes.slice(MENTIONS));
    await app.stop();

    // Top-level figures are the fitting phase's, comparable with the bench's earlier output.
    const result = { documents: docs.length, ...fitting, steady, fittedAfterSeconds };
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
