// How fast the Discourse webhook route answers while the queue drains: the real service
// (Express route, HMAC check, SQLite queue, the model learning each post) on loopback, loaded
// with signed post_created deliveries by concurrent clients for a bounded time. The load
// generator runs in its own process (scripts/bench/webhook-sender.ts), so this process is only
// the service, and its event loop's delay (perf_hooks.monitorEventLoopDelay) is reported:
// while loaded, and while the backlog drains (each post embedded and learned) afterwards.
//
//   npm run bench:webhooks [-- --seconds 10] [-- --concurrency 16] [-- --store sqlite|postgresql] [-- --json]
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { loadConfig } from '../bridges/config.js';
import { createLogger } from '../core/logging.js';
import { openStore } from '../core/store/index.js';
import { start } from '../main.js';
import { buildForumCommunity } from './support/discourse-community.js';
import { freePort } from './support/service-io.js';
import { startFakeForum } from './stand-ins/discourse-forum/index.js';
import { nearestRankPercentile } from '../core/stats/percentile.js';
import type { SenderOrders, SenderReport } from './bench/webhook-sender.js';
import { benchStore, type BenchStoreKind } from './bench/bench-store.js';

const SECRET = 'bench-secret';
const say = (line: string) => process.stderr.write(`${line}\n`);

function options() {
  try {
    const { values } = parseArgs({
      options: {
        seconds: { type: 'string', default: '10' },
        concurrency: { type: 'string', default: '16' },
        store: { type: 'string', default: 'sqlite' },
        json: { type: 'boolean', default: false },
      },
    });
    if (values.store !== 'sqlite' && values.store !== 'postgresql') throw new Error('--store must be sqlite or postgresql');
    const seconds = Number(values.seconds);
    const concurrency = Number(values.concurrency);
    if (!(seconds > 0 && seconds <= 120) || !(Number.isInteger(concurrency) && concurrency > 0 && concurrency <= 256))
      throw new Error('--seconds must be in (0, 120] and --concurrency in 1..256');
    return { seconds, concurrency, json: values.json, store: values.store as BenchStoreKind };
  } catch (error) {
    process.stderr.write(
      `usage: npm run bench:webhooks [-- --seconds N] [-- --concurrency N] [-- --store sqlite|postgresql] [-- --json]\n${(error as Error).message}\n`,
    );
    process.exit(2);
  }
}

/** Runs the load generator in a child process and waits for its report. */
function sendFromChild(orders: SenderOrders): Promise<SenderReport> {
  const child = fork(new URL('./bench/webhook-sender.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let report: SenderReport | undefined;
    child.once('message', (m) => {
      report = m as SenderReport;
    });
    child.once('error', reject);
    child.once('exit', (code) => (report ? resolve(report) : reject(new Error(`the load generator exited with ${code} before reporting`))));
    child.send(orders);
  });
}

/** The histogram's max and p99 in ms (it records ns). */
const delays = (h: IntervalHistogram) => ({ maxMs: Math.round(h.max / 1e5) / 10, p99Ms: Math.round(h.percentile(99) / 1e5) / 10 });

async function main(): Promise<void> {
  const opts = options();
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-bench-webhooks-'));
  const forum = await startFakeForum({ validate: false });
  const database = await benchStore(opts.store, dir);
  try {
    const c = buildForumCommunity(forum);
    const port = await freePort();
    const file = path.join(dir, 'co-agent.yaml');
    writeFileSync(
      file,
      [
        ...database.yaml(dir),
        'log:',
        '  level: warn',
        'web:',
        `  port: ${port}`,
        'discourse:',
        `  baseUrl: ${forum.url}`,
        '  pollSeconds: 3600',
        '  backfillTopics: 10',
      ].join('\n'),
    );
    const config = loadConfig({ file, env: { DISCOURSE_API_KEY: forum.adminApiKey, DISCOURSE_API_USERNAME: 'coagent', DISCOURSE_WEBHOOK_SECRET: SECRET } });
    const app = await start(config, createLogger({ level: 'warn' }));
    await app.idle();
    const store = await openStore({ path: database.location, logger: createLogger({ level: 'silent' }) });
    const url = `http://127.0.0.1:${port}/webhooks/discourse`;
    const topicId = c.topics.onboarding!;
    say(`loading ${url} for ${opts.seconds} s with ${opts.concurrency} concurrent senders`);

    // Sampled every 5 ms; the max is the longest the loop was kept from running a timer.
    const loadLoop = monitorEventLoopDelay({ resolution: 5 });
    loadLoop.enable();
    const report = await sendFromChild({ url, secret: SECRET, topicId, categoryId: c.general, seconds: opts.seconds, concurrency: opts.concurrency });
    loadLoop.disable();
    const { latencies, failures } = report;
    const loadSeconds = report.seconds;
    const queuedAtEnd = (await store.inbox.counts('discourse')).pending;
    say(`sent ${latencies.length} deliveries (${failures} not 200); ${queuedAtEnd} still queued; draining`);
    const drainLoop = monitorEventLoopDelay({ resolution: 5 });
    drainLoop.enable();
    const drainStart = performance.now();
    await app.idle();
    const drainSeconds = (performance.now() - drainStart) / 1000;
    drainLoop.disable();
    const handled = (await store.inbox.counts('discourse')).done;
    await store.close();
    await app.stop();

    const r = (p: number) => Math.round(nearestRankPercentile(latencies, p) * 10) / 10;
    const result = {
      deliveries: latencies.length,
      failures,
      concurrency: opts.concurrency,
      seconds: Math.round(loadSeconds * 10) / 10,
      store: opts.store,
      acceptedPerSecond: Math.round(latencies.length / loadSeconds),
      p50Ms: r(50),
      p95Ms: r(95),
      p99Ms: r(99),
      maxMs: r(100),
      queuedAtEndOfLoad: queuedAtEnd,
      drainSeconds: Math.round(drainSeconds * 10) / 10,
      handledTotal: handled,
      handledPerSecond: Math.round((handled / (loadSeconds + drainSeconds)) * 10) / 10,
      loadGenerator: 'child process',
      loopDelayMaxMs: Math.max(delays(loadLoop).maxMs, delays(drainLoop).maxMs),
      loopDelayLoad: delays(loadLoop),
      loopDelayDrain: delays(drainLoop),
    };
    say(
      `webhook receive latency p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, p99 ${result.p99Ms} ms; ${result.acceptedPerSecond} deliveries/s accepted while the queue drained at ${result.handledPerSecond}/s (drain after load: ${result.drainSeconds} s)`,
    );
    say(
      `event loop delay: max ${result.loopDelayLoad.maxMs} ms (p99 ${result.loopDelayLoad.p99Ms}) under load, max ${result.loopDelayDrain.maxMs} ms (p99 ${result.loopDelayDrain.p99Ms}) while the backlog drained`,
    );
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await forum.close();
    await database.drop();
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
