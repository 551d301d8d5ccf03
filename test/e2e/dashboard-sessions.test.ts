// Dashboard sessions over real HTTP and a real SQLite file: they survive a restart, each role
// has its own cap (a flood of one role's logins pushes out only that role's oldest sessions),
// the database holds only a hash of each session id, and over HTTPS the cookie carries the
// __Host- prefix.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, manualClock, openDashboardServer, VIEWER_PASSWORD, type DashboardServer } from './dashboard-server.js';
import { startForwardingProxy } from './forwarding-proxy.js';
import { searchDatabase } from '../unit/concierge/search-database.js';
import { Guesser } from './login-guesser.js';

const sessionIdOf = (g: Guesser): string => /(?:^|; )(?:__Host-)?coagent_session=([^;]+)/.exec(g.cookie)?.[1] ?? '';

describe('dashboard sessions', () => {
  let d: DashboardServer;
  beforeAll(async () => {
    d = await openDashboardServer();
  });
  afterAll(async () => d.close());

  it('survive a restart of the service', async () => {
    await d.start();
    const admin = new Guesser(d.base);
    expect((await admin.login(ADMIN_PASSWORD)).status).toBe(303);
    await d.start();
    const again = new Guesser(d.base);
    const me = await again.request('GET', '/api/me', { headers: { cookie: admin.cookie } });
    admin.close();
    again.close();
    expect(me.status).toBe(200);
    expect(JSON.parse(me.body)).toEqual({ role: 'admin' });
  });

  it('are capped per role: viewer logins push out only the oldest viewer sessions', async () => {
    const clock = manualClock();
    await d.start({ sessionsPerRole: { admin: 2, viewer: 3 } }, undefined, clock);
    const admins = [new Guesser(d.base), new Guesser(d.base)];
    for (const a of admins) expect((await a.login(ADMIN_PASSWORD)).status).toBe(303);
    const viewers = Array.from({ length: 5 }, () => new Guesser(d.base));
    for (const v of viewers) expect((await v.login(VIEWER_PASSWORD)).status).toBe(303);
    const alive = async (g: Guesser) => (await g.request('GET', '/api/me')).status === 200;
    expect(await Promise.all(admins.map(alive))).toEqual([true, true]);
    expect(await Promise.all(viewers.map(alive))).toEqual([false, false, true, true, true]);
    // A third admin login pushes out the least recently used admin session, no viewer's.
    clock.advance(5 * 60_000);
    await alive(admins[0]!);
    clock.advance(5 * 60_000);
    const third = new Guesser(d.base);
    expect((await third.login(ADMIN_PASSWORD)).status).toBe(303);
    expect(await Promise.all([...admins, third].map(alive))).toEqual([true, false, true]);
    expect(await Promise.all(viewers.slice(2).map(alive))).toEqual([true, true, true]);
    for (const g of [...admins, ...viewers, third]) g.close();
  });

  it('are stored as a hash of their id, never the id itself', async () => {
    await d.start();
    const admin = new Guesser(d.base);
    expect((await admin.login(ADMIN_PASSWORD)).status).toBe(303);
    const id = sessionIdOf(admin);
    admin.close();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // In no table and no column (the session row is there, under a hash).
    expect(Number(d.readRows('SELECT COUNT(*) AS n FROM "DashboardSession"')[0]!['n'])).toBeGreaterThan(0);
    expect(searchDatabase(d.store.readerAddress, id)).toEqual([]);
  });

  it('over HTTPS (behind a trusted proxy) use a __Host- cookie: Secure, Path=/, no Domain', async () => {
    await d.start({ trustProxy: 1 });
    const proxy = await startForwardingProxy(d.base, { proto: 'https' });
    const admin = new Guesser(proxy.url);
    const answer = await admin.login(ADMIN_PASSWORD);
    expect(answer.status).toBe(303);
    const cookies = answer.headers['set-cookie'] ?? [];
    const session = cookies.find((c) => c.startsWith('__Host-coagent_session='));
    expect(session, cookies.join('\n')).toBeDefined();
    expect(session).toMatch(/; Path=\/;/);
    expect(session).toMatch(/; Secure/);
    expect(session).not.toMatch(/Domain=/i);
    expect((await admin.request('GET', '/api/me')).status).toBe(200);
    admin.close();
    await proxy.close();
  });
});
