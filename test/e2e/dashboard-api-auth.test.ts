// The dashboard's login over real HTTP: sessions, CSRF, rate limits, expiry, headers, and the
// 503 answer when no password is set.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginForm, loginToDashboard, postLogin, setCookies } from '../../scripts/bench/dashboard-client.js';
import { ADMIN_PASSWORD, manualClock, openDashboardServer, VIEWER_PASSWORD, type DashboardServer } from './dashboard-server.js';
import { Guesser } from './login-guesser.js';

/**
 * A page navigation as a browser makes it. Not with fetch: undici sets Sec-Fetch-Mode: cors on
 * every request, whatever the caller says.
 */
function navigate(url: string, cookie?: string): Promise<{ status: number; location: string | undefined; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { accept: 'text/html', 'sec-fetch-mode': 'navigate', ...(cookie ? { cookie } : {}) } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('dashboard login', () => {
  let d: DashboardServer;
  beforeAll(async () => {
    d = await openDashboardServer();
    await d.start();
  });
  afterAll(async () => d.close());

  it('answers 401 JSON to the API and the exports, and sends page navigations to /login, without a session', async () => {
    for (const url of ['/api/overview', '/api/problems/1', '/export/problems.csv']) {
      const res = await fetch(`${d.base}${url}`);
      expect(res.status, url).toBe(401);
      expect(await res.json()).toEqual({ error: 'login required' });
    }
    const page = await navigate(`${d.base}/`);
    expect(page.status).toBe(303);
    expect(page.location).toBe('/login');
    // What a browser fetches by itself (icons, scripts) is refused, not redirected.
    const asset = await fetch(`${d.base}/assets/dashboard.css`, { headers: { accept: 'text/css', 'sec-fetch-mode': 'no-cors' }, redirect: 'manual' });
    expect(asset.status).toBe(401);
    expect((await fetch(`${d.base}/favicon.ico`)).status).toBe(204);
  });

  it('keeps the login form valid when the browser asks for something else before posting it', async () => {
    const form = await loginForm(d.base);
    // The form's cookie comes back with the next requests; the nonce it holds must not change
    // under the open form (the second page's token may differ: it carries the second it was issued).
    const again = await fetch(`${d.base}/login`, { headers: { cookie: form.cookie } });
    expect(again.status).toBe(200);
    expect(setCookies(again).join('; ')).toBe(form.cookie);
    const res = await postLogin(d.base, ADMIN_PASSWORD, form);
    expect(res.status).toBe(303);
  });

  it('logs in with the admin password: an HttpOnly, SameSite=Strict session cookie, then the API answers', async () => {
    const res = await postLogin(d.base, ADMIN_PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('coagent_session='))!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).not.toMatch(/; Secure/); // plain HTTP on loopback
    expect(cookie).toMatch(/^coagent_session=[A-Za-z0-9_-]{43};/);
    const me = await fetch(`${d.base}/api/me`, { headers: { cookie: setCookies(res).find((c) => c.startsWith('coagent_session='))! } });
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ role: 'admin' });
  });

  it('logs in with the viewer password as a viewer', async () => {
    const { cookie } = await loginToDashboard(d.base, VIEWER_PASSWORD);
    expect(await (await fetch(`${d.base}/api/me`, { headers: { cookie } })).json()).toEqual({ role: 'viewer' });
  });

  it("refuses a login without the form's CSRF token (403), whatever the password", async () => {
    const form = await loginForm(d.base);
    const noToken = await fetch(`${d.base}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
      body: new URLSearchParams({ password: ADMIN_PASSWORD }).toString(),
    });
    expect(noToken.status).toBe(403);
    const otherToken = await postLogin(d.base, ADMIN_PASSWORD, { csrf: 'x'.repeat(43), cookie: form.cookie });
    expect(otherToken.status).toBe(403);
    expect(setCookies(otherToken).some((c) => c.startsWith('coagent_session='))).toBe(false);
  });

  it('refuses a login CSRF pair the client made up itself: the token must be one the server signed', async () => {
    const madeUp = 'A'.repeat(43);
    for (const cookie of [`coagent_login=${madeUp}`, `__Host-coagent_login=${madeUp}`]) {
      const res = await postLogin(d.base, ADMIN_PASSWORD, { csrf: madeUp, cookie });
      expect(res.status, cookie).toBe(403);
      expect(setCookies(res).some((c) => /coagent_session=/.test(c))).toBe(false);
    }
    // A real form's token belongs to its own cookie: with another browser's cookie it is refused.
    const [mine, theirs] = [await loginForm(d.base), await loginForm(d.base)];
    expect((await postLogin(d.base, ADMIN_PASSWORD, { csrf: mine.csrf, cookie: theirs.cookie })).status).toBe(403);
    expect((await postLogin(d.base, ADMIN_PASSWORD, mine)).status).toBe(303);
  });

  it("logs out only with the session's CSRF token, and the session is gone afterwards", async () => {
    const { cookie } = await loginToDashboard(d.base, ADMIN_PASSWORD);
    const without = await fetch(`${d.base}/logout`, { method: 'POST', headers: { cookie }, redirect: 'manual' });
    expect(without.status).toBe(403);
    expect((await fetch(`${d.base}/api/me`, { headers: { cookie } })).status).toBe(200);

    // The pages get the token from the server (PagesDeps.csrfToken); here we read it the same way.
    const token = await csrfOf(d, cookie);
    const out = await fetch(`${d.base}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: token }).toString(),
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect(out.headers.getSetCookie().some((c) => c.startsWith('coagent_session=;') && c.includes('Max-Age=0'))).toBe(true);
    expect((await fetch(`${d.base}/api/me`, { headers: { cookie } })).status).toBe(401);
  });

  it('sets the security headers on pages, API and errors alike', async () => {
    for (const url of ['/login', '/api/overview']) {
      const res = await fetch(`${d.base}${url}`);
      expect(res.headers.get('content-security-policy'), url).toContain("default-src 'self'");
      expect(res.headers.get('content-security-policy'), url).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), url).toBe('DENY');
    }
    // The login page has no inline script or style for the CSP to block.
    const html = await (await fetch(`${d.base}/login`)).text();
    expect(html).not.toMatch(/<script|<style| style=/);
  });

  it('keeps /healthz open', async () => {
    const res = await fetch(`${d.base}/healthz`);
    expect(res.status).toBe(200);
  });
});

/** The session's CSRF token, as the pages router hands it to the page. */
async function csrfOf(d: DashboardServer, cookie: string): Promise<string> {
  const page = await navigate(`${d.base}/`, cookie);
  const token = /name="csrf" value="([^"]+)"|content="([A-Za-z0-9_-]{43})"/.exec(page.body);
  if (!token) throw new Error('the page carries no CSRF token');
  return (token[1] ?? token[2])!;
}

describe('dashboard login limits', () => {
  let d: DashboardServer;
  beforeAll(async () => {
    d = await openDashboardServer();
    await d.start({ login: { attemptsPerClient: 3 } });
  });
  afterAll(async () => d.close());

  it('answers a wrong password 401, and after the limit 429 with Retry-After, even for the right password', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await postLogin(d.base, `guess ${i}`);
      expect(res.status).toBe(401);
      expect(await res.text()).toContain('Wrong password.');
    }
    const limited = await postLogin(d.base, ADMIN_PASSWORD);
    expect(limited.status).toBe(429);
    const wait = Number(limited.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    // Failed attempts are logged with the client address, never with the password tried.
    const failures = d.logs.filter((l) => l.msg === 'dashboard login failed');
    expect(failures).toHaveLength(3);
    expect(JSON.stringify(d.logs)).not.toContain('guess 1');
  });

  it('doubles the wait with every wrong password after the limit, up to the cap', async () => {
    const clock = manualClock();
    await d.start({ login: { attemptsPerClient: 2, maxWaitMinutes: 8 } }, undefined, clock);
    const g = new Guesser(d.base, { localAddress: '127.0.0.21' });
    const waits: number[] = [];
    for (let i = 0; waits.length < 5; i++) {
      const res = await g.login(`guess ${i}`);
      if (res.status === 429) {
        const wait = Number(res.headers['retry-after']);
        waits.push(wait);
        clock.advance(wait * 1000);
      } else {
        expect(res.status).toBe(401);
      }
    }
    g.close();
    // The second wrong guess costs a minute, each further one twice the wait before, up to 8 minutes.
    expect(waits).toEqual([60, 120, 240, 480, 480]);
  });

  it('pauses every login past the failures-per-minute ceiling and logs a warning', async () => {
    const clock = manualClock();
    await d.start({ login: { attemptsPerClient: 100, attemptsPerRole: 100, failuresPerMinute: 6 } }, undefined, clock);
    for (let i = 0; i < 3; i++) {
      const g = new Guesser(d.base, { localAddress: `127.0.2.${i + 1}` });
      expect((await g.login('wrong')).status).toBe(401);
      expect((await g.login('wrong again')).status).toBe(401);
      g.close();
    }
    const someoneElse = new Guesser(d.base, { localAddress: '127.0.2.99' });
    const paused = await someoneElse.login(ADMIN_PASSWORD);
    expect(paused.status).toBe(429);
    expect(Number(paused.headers['retry-after'])).toBe(60);
    expect(d.logs.filter((l) => String(l.msg).includes('ceiling'))).toHaveLength(1);
    clock.advance(60_000);
    expect((await someoneElse.login(ADMIN_PASSWORD)).status).toBe(303);
    someoneElse.close();
  });

  it('ends a session after the idle time: the API says so, pages go to the login with a note', async () => {
    const clock = manualClock();
    await d.start({ sessionIdleHours: 1 }, undefined, clock);
    const first = await loginToDashboard(d.base, ADMIN_PASSWORD);
    const second = await loginToDashboard(d.base, ADMIN_PASSWORD);
    expect((await fetch(`${d.base}/api/me`, { headers: { cookie: first.cookie } })).status).toBe(200);
    clock.advance(3_600_001);
    const api = await fetch(`${d.base}/api/me`, { headers: { cookie: first.cookie } });
    expect(api.status).toBe(401);
    expect(await api.json()).toEqual({ error: 'session expired: log in again' });
    const page = await navigate(`${d.base}/`, second.cookie);
    expect(page.status).toBe(303);
    expect(page.location).toBe('/login?expired=1');
    // Gone for good, not only for pages.
    expect((await fetch(`${d.base}/api/me`, { headers: { cookie: second.cookie } })).status).toBe(401);
    const login = await (await fetch(`${d.base}/login?expired=1`)).text();
    expect(login).toContain('Your session expired.');
  });
});

describe('dashboard behind an HTTPS proxy (trustProxy)', () => {
  let d: DashboardServer;
  beforeAll(async () => {
    d = await openDashboardServer();
  });
  afterAll(async () => d.close());

  const viaProxy = async (client: string, password: string) => {
    const g = new Guesser(d.base);
    const res = await g.login(password, { 'x-forwarded-proto': 'https', 'x-forwarded-for': client });
    g.close();
    return res;
  };

  it('with a hop count: marks the session cookie Secure (__Host-) and counts failed logins per real client address', async () => {
    await d.start({ trustProxy: 1, login: { attemptsPerClient: 1 } });
    expect((await viaProxy('203.0.113.7', 'wrong')).status).toBe(401);
    expect((await viaProxy('203.0.113.7', ADMIN_PASSWORD)).status).toBe(429);
    const other = await viaProxy('198.51.100.9', ADMIN_PASSWORD);
    expect(other.status).toBe(303);
    expect(other.headers['set-cookie']?.find((c) => c.startsWith('__Host-coagent_session='))).toMatch(/; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
  });

  it('with proxy addresses: the first address from the right that is not a proxy is the client', async () => {
    await d.start({ trustProxy: ['127.0.0.1', '10.0.0.0/8'], login: { attemptsPerClient: 1 } });
    // The client wrote 192.0.2.1 itself; 203.0.113.8 reached the 10.x proxy, which reached us.
    expect((await viaProxy('192.0.2.1, 203.0.113.8, 10.1.2.3', 'wrong')).status).toBe(401);
    expect((await viaProxy('192.0.2.2, 203.0.113.8, 10.1.2.3', ADMIN_PASSWORD)).status).toBe(429);
    expect((await viaProxy('203.0.113.9', ADMIN_PASSWORD)).status).toBe(303);
    expect(d.logs.filter((l) => l.msg === 'dashboard login failed').at(-1)).toMatchObject({ client: '203.0.113.8' });
  });

  it('without trustProxy: X-Forwarded-For and -Proto mean nothing', async () => {
    await d.start({ login: { attemptsPerClient: 1 } });
    expect((await viaProxy('203.0.113.10', 'wrong')).status).toBe(401);
    // Another "client" is still the same socket address: refused.
    expect((await viaProxy('203.0.113.11', ADMIN_PASSWORD)).status).toBe(429);
  });
});

describe('dashboard without a password', () => {
  let d: DashboardServer;
  beforeAll(async () => {
    d = await openDashboardServer();
    await d.start({ password: undefined, viewerPassword: undefined });
  });
  afterAll(async () => d.close());

  it('answers 503 saying how to enable it, logs a warning, and leaves /healthz alone', async () => {
    const api = await fetch(`${d.base}/api/overview`);
    expect(api.status).toBe(503);
    expect(((await api.json()) as { error: string }).error).toContain('DASHBOARD_PASSWORD');
    const page = await fetch(`${d.base}/login`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain('DASHBOARD_PASSWORD');
    const navigation = await fetch(`${d.base}/network`, { headers: { Accept: 'text/html,application/xhtml+xml' } });
    expect(navigation.status).toBe(503);
    expect((await fetch(`${d.base}/nope`)).status).toBe(404);
    expect((await fetch(`${d.base}/healthz`)).status).toBe(200);
    expect(d.logs.some((l) => l.level === 40 && String(l.msg).includes('DASHBOARD_PASSWORD'))).toBe(true);
  });
});
