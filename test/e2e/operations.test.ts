// An operator's view of the running service: /healthz and /readyz, /metrics behind its bearer
// token with values that move when a member asks the bot, and `npm run restore` refused while
// the service runs on the database.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pidFileOf } from '../../core/store/index.js';
import { restoreCli } from '../../scripts/backup.js';
import { mentionOfBot, threadOf } from '../../scripts/support/matrix-community.js';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';

const TOKEN = 'metrics-token-for-the-test-0123456789';

/** One sample's value from Prometheus text, or 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-z_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2] ?? '';
    if (Object.entries(labels).every(([k, v]) => have.includes(`${k}="${v}"`))) total += Number(m[3]);
  }
  return total;
}

describe('operations: readiness, metrics, restore guard', () => {
  let world: MatrixWorld;
  let base: string;
  const scrape = async (auth = `Bearer ${TOKEN}`) => fetch(`${base}/metrics`, { headers: { authorization: auth } });

  beforeAll(async () => {
    world = await startMatrixWorld({ auth: (c) => ({ MATRIX_ACCESS_TOKEN: c.bot.accessToken, METRICS_TOKEN: TOKEN }) });
    base = `http://127.0.0.1:${world.h.app!.port}`;
  });
  afterAll(async () => world?.close());

  it('is alive and ready once the store, the model and Matrix are up', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    // On PostgreSQL, where instances may share the database (failover), it also says it is the active one.
    expect(await ready.json()).toEqual({ status: 'ready', ...(world.h.config.database.url ? { role: 'active' } : {}) });
  });

  it('refuses /metrics without the token or with a wrong one', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const wrong = await scrape('Bearer not-the-token');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('co_agent_');
  });

  it('serves Prometheus metrics whose values move when a member asks the bot', async () => {
    const before = await (await scrape()).text();
    expect(sample(before, 'co_agent_build_info', { version: '0.1.0' })).toBe(1);
    expect(before).toMatch(/^co_agent_nodejs_eventloop_lag_seconds \d/m);
    expect(before).toMatch(/^co_agent_inbox_lag_seconds\{platform="matrix"\} \d/m);
    expect(before).toMatch(/^co_agent_outbox_actions\{platform="matrix",status="failed"\} 0$/m);

    const { hs, c } = world;
    const ask = hs.send(c.users.carol, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how should I run a first one-to-one with a new report?'));
    await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask, 60_000);
    await world.h.app!.idle();

    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const after = await res.text();
    const moved = (name: string, labels: Record<string, string> = {}) => sample(after, name, labels) - sample(before, name, labels);
    expect(moved('co_agent_events_received_total', { platform: 'matrix' })).toBeGreaterThan(0);
    expect(moved('co_agent_events_processed_total', { platform: 'matrix', status: 'done' })).toBeGreaterThan(0);
    expect(moved('co_agent_sends_total', { platform: 'matrix', outcome: 'ok' })).toBeGreaterThan(0);
    expect(moved('co_agent_requests_answered_total', { platform: 'matrix' })).toBe(1);
    expect(moved('co_agent_mention_to_reply_seconds_count', { platform: 'matrix' })).toBe(1);
    expect(moved('co_agent_engine_seconds_count', { method: 'analyze' })).toBeGreaterThan(0);
    expect(sample(after, 'co_agent_embedding_batch_seconds_count')).toBeGreaterThan(0);
  });

  it('marks the database as in use, and a restore is refused while the service runs', async () => {
    const err: string[] = [];
    if (world.h.config.database.url) {
      // On PostgreSQL the server's own tools back up and restore; the file tools say so.
      const code = await restoreCli([path.join(world.h.dir, 'no-such-backup.db')], {
        env: { CO_AGENT_CONFIG: path.join(world.h.dir, 'co-agent.yaml') },
        out: () => undefined,
        err: (l) => err.push(l),
      });
      expect(code).toBe(1);
      expect(err.join('\n')).toMatch(/the store is on PostgreSQL .*pg_dump/);
      return;
    }
    const db = world.h.dbPath;
    expect(existsSync(pidFileOf(db))).toBe(true);
    const code = await restoreCli([path.join(world.h.dir, 'no-such-backup.db'), '--database', db], { env: {}, out: () => undefined, err: (l) => err.push(l) });
    expect(code).toBe(1);
    expect(err.join('\n')).toMatch(/refusing to restore: the service \(pid \d+\) is running/);
  });
});
