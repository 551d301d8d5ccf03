// The dashboard in the real service (main.ts `start`) against the fake homeserver: mounted
// beside /healthz, behind the login, showing a request made in Matrix moments ago; and without
// DASHBOARD_PASSWORD, a 503 and a warning while the service runs on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginToDashboard } from '../../scripts/bench/dashboard-client.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import type { ProblemDetail, ProblemsResponse } from '../../web/dashboard/api-types.js';
import { buildCommunity, mentionOfBot, type Community } from '../../scripts/support/matrix-community.js';
import { createHarness, type Harness } from './service-harness.js';
import { eventually } from '../../scripts/support/service-io.js';
import { seedTags } from '../../scripts/support/service-config.js';

const PASSWORD = 'a long dashboard password';

describe('the dashboard in the running service', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let h: Harness;
  let base: string;

  beforeAll(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 300 });
    c = buildCommunity(hs);
    h = createHarness(hs.url, { MATRIX_ACCESS_TOKEN: c.bot.accessToken, DASHBOARD_PASSWORD: PASSWORD }, 'dashboard:\n  refreshSeconds: 0\n  staleSeconds: 0\n');
    await seedTags(h.dbPath);
    const app = await h.start();
    base = `http://127.0.0.1:${app.port}`;
  });
  afterAll(async () => {
    await h?.stop();
    await hs?.close();
    h?.cleanup();
  });

  it('keeps /healthz open and the API closed without a login', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/api/overview`)).status).toBe(401);
  });

  it('shows a request made in Matrix, with a link back to its thread', async () => {
    const { cookie } = await loginToDashboard(base, PASSWORD);
    const ask = hs.send(c.users.alice, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we run one-on-ones with a remote team?'));
    const item = await eventually(
      'the request in /api/problems',
      async () => {
        const list = (await (await fetch(`${base}/api/problems?period=4w`, { headers: { cookie } })).json()) as ProblemsResponse;
        return list.items.find((p) => p.title.includes('one-on-ones'));
      },
      60_000,
    );
    expect(item).toMatchObject({ platform: 'matrix' });
    const detail = (await (await fetch(`${base}/api/problems/${item.id}`, { headers: { cookie } })).json()) as ProblemDetail;
    expect(detail.originator).toBe('Alice Archer');
    expect(detail.links.matrix).toContain(encodeURIComponent(ask));
    expect(detail.timeline[0]).toMatchObject({ from: null, to: 'opened' });
    // The password is a secret: never in the logs.
    expect(JSON.stringify(h.logs)).not.toContain(PASSWORD);
  });
});

describe('the service without a dashboard password', () => {
  let hs: FakeHomeserver;
  let h: Harness;

  beforeAll(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 300 });
    h = createHarness(hs.url, buildCommunity(hs).bot.accessToken);
    await h.start();
  });
  afterAll(async () => {
    await h?.stop();
    await hs?.close();
    h?.cleanup();
  });

  it('runs, answers the dashboard routes 503 saying what to set, and warns once at start', async () => {
    const base = `http://127.0.0.1:${h.app!.port}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const res = await fetch(`${base}/api/overview`);
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toMatch(/set the environment variable DASHBOARD_PASSWORD/);
    expect(h.logs.filter((l) => l.level === 40 && String(l.msg).includes('DASHBOARD_PASSWORD'))).toHaveLength(1);
  });
});
