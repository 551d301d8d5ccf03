// Guessing the admin password over real HTTP, the ways a sign-in campaign tried it: straight
// on, with viewer logins in between (a success must not clear the admin's count), with forged
// X-Forwarded-For behind a proxy that appends to it, from many addresses at once, and with a
// flood of viewer logins against a live admin session. Prints the figures at the end:
//   npx vitest run test/e2e/dashboard-login-guessing.test.ts
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, manualClock, openDashboardServer, VIEWER_PASSWORD, type DashboardServer } from './dashboard-server.js';
import { startForwardingProxy } from './forwarding-proxy.js';
import { Guesser, guessesBefore429 } from './login-guesser.js';

const MAX_GUESSES = 2000;

/** Viewer sessions in the database. */
async function liveViewerSessions(d: DashboardServer): Promise<number> {
  return Number(d.readRows('SELECT COUNT(*) AS n FROM "DashboardSession" WHERE "role" = \'viewer\'')[0]!['n']);
}
const figures: [string, string][] = [];
afterAll(() => {
  console.log(['guesses accepted before 429 (a fresh server each):', ...figures.map(([mode, figure]) => `  ${mode.padEnd(52)} ${figure}`)].join('\n'));
});

describe('guessing the admin password', () => {
  let d: DashboardServer;
  beforeAll(async () => {
    d = await openDashboardServer();
  });
  afterAll(async () => d.close());

  it('straight on: the client waits after a few wrong guesses', async () => {
    await d.start();
    const g = new Guesser(d.base, { localAddress: '127.0.0.11' });
    const accepted = await guessesBefore429(g, MAX_GUESSES);
    g.close();
    figures.push(['direct', String(accepted)]);
    expect(accepted).toBe(5);
  });

  it("with a viewer login after every guess: the viewer's success does not clear the admin's count", async () => {
    await d.start();
    const g = new Guesser(d.base, { localAddress: '127.0.0.12' });
    let viewerLogins = 0;
    const accepted = await guessesBefore429(g, MAX_GUESSES, {
      between: async () => {
        if ((await g.login(VIEWER_PASSWORD)).status === 303) viewerLogins++;
      },
    });
    g.close();
    figures.push(['viewer login interleaved', `${accepted} (viewer logins in between: ${viewerLogins})`]);
    expect(accepted).toBe(5);
    expect(viewerLogins).toBe(5);
  });

  it('with a forged X-Forwarded-For through a trusted proxy that appends: the real client is counted', async () => {
    await d.start({ trustProxy: 1 });
    const proxy = await startForwardingProxy(d.base, { proto: 'http' });
    const g = new Guesser(proxy.url, { localAddress: '127.0.0.13' });
    let n = 0;
    const accepted = await guessesBefore429(g, MAX_GUESSES, { headers: () => ({ 'x-forwarded-for': `198.51.${(n >> 8) & 255}.${n++ & 255}` }) });
    g.close();
    await proxy.close();
    figures.push(['forged X-Forwarded-For, trustProxy: 1', String(accepted)]);
    expect(accepted).toBe(5);
  });

  const fromManyAddresses = async (prefix: string): Promise<number> => {
    let accepted = 0;
    for (let i = 1; i <= 40; i++) {
      const g = new Guesser(d.base, { localAddress: `${prefix}.${i}` });
      accepted += await guessesBefore429(g, MAX_GUESSES);
      g.close();
    }
    return accepted;
  };

  it('from many addresses at once: the role itself backs off', async () => {
    await d.start({ login: { failuresPerMinute: 1000 } });
    const accepted = await fromManyAddresses('127.0.1');
    figures.push(['40 client addresses (no per-minute ceiling)', String(accepted)]);
    expect(accepted).toBe(20);
  });

  it('from many addresses within a minute: the ceiling stops everyone first, with a warning', async () => {
    await d.start();
    const accepted = await fromManyAddresses('127.0.3');
    figures.push(['40 client addresses (defaults)', String(accepted)]);
    expect(accepted).toBe(10);
    expect(d.logs.some((l) => l.level === 40 && String(l.msg).includes('ceiling'))).toBe(true);
  });

  it('straight on for hours: each guess past the limit doubles the wait, up to an hour', async () => {
    const clock = manualClock();
    await d.start({}, undefined, clock);
    const g = new Guesser(d.base, { localAddress: '127.0.0.16' });
    const waits: number[] = [];
    let accepted = 0;
    while (waits.length < 8) {
      const answer = await g.login(`wrong guess ${accepted}`);
      if (answer.status === 401) {
        accepted++;
        continue;
      }
      expect(answer.status).toBe(429);
      const wait = Number(answer.headers['retry-after']);
      waits.push(wait);
      clock.advance(wait * 1000);
    }
    g.close();
    figures.push(['direct, waits (s) after each guess past the limit', waits.join(', ')]);
    expect(waits).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
  });
});

describe('a flood of viewer logins', () => {
  let d: DashboardServer;
  beforeAll(async () => {
    d = await openDashboardServer();
  });
  afterAll(async () => d.close());

  it('does not log the admin out', async () => {
    await d.start();
    const admin = new Guesser(d.base, { localAddress: '127.0.0.14' });
    expect((await admin.login(ADMIN_PASSWORD)).status).toBe(303);
    const viewer = new Guesser(d.base, { localAddress: '127.0.0.15' });
    let viewerLogins = 0;
    for (let i = 0; i < 1000; i++) if ((await viewer.login(VIEWER_PASSWORD)).status === 303) viewerLogins++;
    const me = await admin.request('GET', '/api/me');
    admin.close();
    viewer.close();
    const viewerSessions = (d.store as unknown as { dashboardSessions?: unknown }).dashboardSessions ? await liveViewerSessions(d) : 'n/a';
    figures.push([
      '1,000 viewer logins against a live admin session',
      `${viewerLogins} viewer logins; admin ${me.status === 200 ? 'still logged in' : `logged out (${me.status})`}; viewer sessions kept: ${viewerSessions}`,
    ]);
    expect(viewerLogins).toBe(1000);
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toEqual({ role: 'admin' });
  });
});
