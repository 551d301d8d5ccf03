// How fast the Discourse webhook route answers while the queue drains: the real service
// (Express route, HMAC check, SQLite queue, the model learning each post) on loopback, loaded
// with signed post_created deliveries by concurrent clients for a bounded time.
//
//   npm run bench:webhooks [-- --seconds 10] [-- --concurrency 16] [-- --json]
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../core/config/index.js';
import { createLogger } from '../core/logging.js';
import { openStore } from '../core/store/index.js';
import { start } from '../main.js';
import { buildForumCommunity } from '../test/e2e/discourse-community.js';
import { freePort } from '../test/e2e/service-harness.js';
import { startFakeForum } from './stand-ins/discourse-forum/index.js';
import { percentile } from './bench/stats.js';

const SECRET = 'bench-secret';
const say = (line: string) => process.stderr.write(`${line}\n`);

function options() {
  try {
    const { values } = parseArgs({ options: { seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '16' }, json: { type: 'boolean', default: false } } });
    const seconds = Number(values.seconds);
    const concurrency = Number(values.concurrency);
    if (!(seconds > 0 && seconds <= 120) || !(Number.isInteger(concurrency) && concurrency > 0 && concurrency <= 256)) throw new Error('--seconds must be in (0, 120] and --concurrency in 1..256');
    return { seconds, concurrency, json: values.json };
  } catch (error) {
    process.stderr.write(`usage: npm run bench:webhooks [-- --seconds N] [-- --concurrency N] [-- --json]\n${(error as Error).message}\n`);
    process.exit(2);
  }
}

const SENTENCES = ['We moved our one-on-ones to a shared agenda and it helped.', 'Budget reviews every quarter keep surprises small.', 'New managers get a buddy for their first three months.', 'Remote teams need written decisions more than meetings.', 'Hiring loops work better with a scorecard agreed up front.'];

async function main(): Promise<void> {
  const opts = options();
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-bench-webhooks-'));
  const forum = await startFakeForum({ validate: false });
  try {
    const c = buildForumCommunity(forum);
    const port = await freePort();
    const file = path.join(dir, 'co-agent.yaml');
    writeFileSync(file, ['database:', `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`, 'log:', '  level: warn', 'web:', `  port: ${port}`,
      'discourse:', `  baseUrl: ${forum.url}`, '  pollSeconds: 3600', '  backfillTopics: 10'].join('\n'));
    const config = loadConfig({ file, env: { DISCOURSE_API_KEY: forum.adminApiKey, DISCOURSE_API_USERNAME: 'coagent', DISCOURSE_WEBHOOK_SECRET: SECRET } });
    const app = await start(config, createLogger({ level: 'warn' }));
    await app.idle();
    const store = await openStore({ path: config.database.path, logger: createLogger({ level: 'silent' }) });
    const url = `http://127.0.0.1:${port}/webhooks/discourse`;
    const topicId = c.topics.onboarding!;
    say(`loading ${url} for ${opts.seconds} s with ${opts.concurrency} concurrent senders`);

    let next = 1;
    const latencies: number[] = [];
    let failures = 0;
    const deadline = performance.now() + opts.seconds * 1000;
    const sender = async () => {
      while (performance.now() < deadline) {
        const n = next++;
        const body = JSON.stringify({ post: {
          id: 1_000_000 + n, topic_id: topicId, post_number: 100 + n, post_type: 1, username: ['alice', 'bob', 'carol', 'dave'][n % 4], name: 'Member',
          created_at: new Date().toISOString(), raw: `${SENTENCES[n % SENTENCES.length]} (note ${n})`, cooked: '<p>…</p>', topic_title: 'Onboarding', category_id: c.general, topic_archetype: 'regular',
        } });
        const t0 = performance.now();
        const response = await fetch(url, { method: 'POST', body, headers: {
          'Content-Type': 'application/json', 'X-Discourse-Event': 'post_created', 'X-Discourse-Event-Type': 'post', 'X-Discourse-Event-Id': String(5_000_000 + n),
          'X-Discourse-Event-Signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
        } });
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (response.status !== 200) failures++;
      }
    };
    const loadStart = performance.now();
    await Promise.all(Array.from({ length: opts.concurrency }, sender));
    const loadSeconds = (performance.now() - loadStart) / 1000;
    const queuedAtEnd = (await store.inbox.counts('discourse')).pending;
    say(`sent ${latencies.length} deliveries (${failures} not 200); ${queuedAtEnd} still queued; draining`);
    const drainStart = performance.now();
    await app.idle();
    const drainSeconds = (performance.now() - drainStart) / 1000;
    const handled = (await store.inbox.counts('discourse')).done;
    await store.close();
    await app.stop();

    const r = (p: number) => Math.round(percentile(latencies, p) * 10) / 10;
    const result = {
      deliveries: latencies.length, failures, concurrency: opts.concurrency, seconds: Math.round(loadSeconds * 10) / 10,
      acceptedPerSecond: Math.round(latencies.length / loadSeconds), p50Ms: r(50), p95Ms: r(95), p99Ms: r(99), maxMs: r(100),
      queuedAtEndOfLoad: queuedAtEnd, drainSeconds: Math.round(drainSeconds * 10) / 10, handledTotal: handled,
      handledPerSecond: Math.round((handled / (loadSeconds + drainSeconds)) * 10) / 10,
    };
    say(`webhook receive latency p50 ${result.p50Ms} ms, p95 ${result.p95Ms} ms, p99 ${result.p99Ms} ms; ${result.acceptedPerSecond} deliveries/s accepted while the queue drained at ${result.handledPerSecond}/s (drain after load: ${result.drainSeconds} s)`);
    if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
  } finally {
    await forum.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
