// The console over real HTTP, on a real store with the concierge behind it: the attention API
// and page for the community team only, each action posted twice landing once, CSRF, a viewer
// refused, a 1 MB note refused by the body limit, and the audit log filtered by who and what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginForm, loginToDashboard, setCookies } from '../../scripts/bench/dashboard-client.js';
import { hashPassword } from '../../web/dashboard/auth/staff.js';
import { createConsole } from '../../core/concierge/console.js';
import { fileSchema } from '../../bridges/config.js';
import type { Problem } from '../../core/store/index.js';
import { createDashboard } from '../../web/dashboard/index.js';
import { startHttpServer, type HttpServer } from '../../web/server.js';
import { DAVE, DAY_MS, EQUITY_REQUEST, ERIN, FRANK, NOW, createWorld, mention, silentLogger, type World } from '../unit/concierge/fixture.js';

const ADMIN = 'console admin password';
const VIEWER = 'console viewer password';

let w: World;
let server: HttpServer;
let base: string;
let problem: Problem;
let frankId: number;
type Who = 'admin' | 'viewer' | 'marie' | 'vera';
const sessions: Record<Who, { cookie: string; csrf: string }> = {} as never;
const MARIE_PASSWORD = 'marie concierge password';
const VERA_PASSWORD = 'vera viewer password';
let staffEnv: string;
let stopServer: () => Promise<void>;

/** A staff login: the login form with a name. */
async function staffLogin(name: string, password: string): Promise<Response> {
  const form = await loginForm(base);
  return fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie },
    body: new URLSearchParams({ csrf: form.csrf, name, password }).toString(),
  });
}

async function sessionFor(password: string, name?: string): Promise<{ cookie: string; csrf: string }> {
  const cookie = name
    ? setCookies(await staffLogin(name, password)).find((c) => c.startsWith('coagent_session='))!
    : (await loginToDashboard(base, password)).cookie;
  const html = await (await fetch(`${base}/`, { headers: { cookie, accept: 'text/html' } })).text();
  return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(html)![1]! };
}

function post(as: Who, kind: string, fields: Record<string, string>, csrf = sessions[as].csrf): Promise<Response> {
  return fetch(`${base}/console/${kind}`, {
    method: 'POST',
    headers: { cookie: sessions[as].cookie, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({ csrf, ...fields }).toString(),
  });
}

beforeAll(async () => {
  w = await createWorld();
  const e = mention(DAVE, EQUITY_REQUEST);
  await w.receive(e);
  problem = (await w.store.problems.findBySourceEvent('matrix', e.eventId))!;
  frankId = (await w.member(FRANK)).id;
  // A cheap scrypt cost keeps logins quick here; the cost travels inside each hash.
  const cheap = { log2N: 10, r: 8, p: 1 };
  staffEnv = `marie:concierge:${await hashPassword(MARIE_PASSWORD, cheap)},vera:viewer:${await hashPassword(VERA_PASSWORD, cheap)}`;
  await startServer();
  sessions.admin = await sessionFor(ADMIN);
  sessions.viewer = await sessionFor(VIEWER);
  sessions.marie = await sessionFor(MARIE_PASSWORD, 'Marie');
  sessions.vera = await sessionFor(VERA_PASSWORD, 'vera');
});

/** (Re)starts the dashboard on the same store: sessions live in the database. */
async function startServer(): Promise<void> {
  const defaults = fileSchema.parse({}).dashboard;
  const dashboard = await createDashboard({
    store: w.store,
    logger: silentLogger,
    config: { ...defaults, password: ADMIN, viewerPassword: VIEWER, refreshSeconds: 0, staleSeconds: 0, staff: staffEnv },
    console: createConsole(w.ctx),
    now: () => new Date(NOW.getTime() + 2 * DAY_MS),
  });
  server = await startHttpServer({ host: '127.0.0.1', port: 0, logger: silentLogger, routes: { '/': dashboard.router } });
  base = `http://127.0.0.1:${server.port}`;
  stopServer = () => server.close();
}

afterAll(async () => {
  await server?.close();
  await w?.done();
});

describe('the console over HTTP', () => {
  it('serves the attention list and page to the admin, and 403 to a viewer (page, API and navigation link)', async () => {
    const res = await fetch(`${base}/api/attention`, { headers: { cookie: sessions.admin.cookie } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stuck: { problemId: number }[] };
    expect(body.stuck.map((s) => s.problemId)).toEqual([problem.id]);
    const page = await fetch(`${base}/attention`, { headers: { cookie: sessions.admin.cookie, accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/assets/js/pages/attention.js');

    expect((await fetch(`${base}/api/attention`, { headers: { cookie: sessions.viewer.cookie } })).status).toBe(403);
    expect((await fetch(`${base}/api/audit`, { headers: { cookie: sessions.viewer.cookie } })).status).toBe(403);
    expect((await fetch(`${base}/attention`, { headers: { cookie: sessions.viewer.cookie, accept: 'text/html' } })).status).toBe(403);
    const viewerHome = await (await fetch(`${base}/`, { headers: { cookie: sessions.viewer.cookie, accept: 'text/html' } })).text();
    expect(viewerHome).not.toContain('href="/attention');
  });

  it('lands an invitation once when the same form is submitted twice, as the bot in the thread', async () => {
    const form = { request: 'double-submit-0001', problem: String(problem.id), member: String(frankId), note: 'You know this well.' };
    const [first, second] = [await post('admin', 'invite', form), await post('admin', 'invite', form)];
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ status: 'done' });
    expect(await second.json()).toMatchObject({ status: 'repeated' });
    const rows = w.actions.filter((a) => a.key === `console:invite:${problem.id}:${frankId}`);
    expect(rows).toHaveLength(1);
    expect(await w.store.outbox.get(`console:invite:${problem.id}:${frankId}`)).not.toBeNull();
  });

  it('lands each other action once when its form is submitted twice', async () => {
    const before = w.actions.length;
    const forms: [string, Record<string, string>][] = [
      ['summary', { problem: String(problem.id), text: 'Vest everyone.' }],
      ['pause', { member: String(w.members.erin.id), days: '7' }],
      ['unpause', { member: String(w.members.erin.id) }],
      ['introduce', { memberA: String(frankId), memberB: String(w.members.carol.id), note: 'Both hire.' }],
      ['reroute', { problem: String(problem.id), member: String(w.members.erin.id), note: '' }],
      ['solve', { problem: String(problem.id), note: 'Thanks all.' }],
    ];
    for (const [kind, fields] of forms) {
      const request = `twice-${kind}-0001`;
      const a = await post('admin', kind, { request, ...fields });
      const b = await post('admin', kind, { request, ...fields });
      expect([kind, ((await a.json()) as { status: string }).status]).toEqual([kind, 'done']);
      expect([kind, ((await b.json()) as { status: string }).status]).toEqual([kind, 'repeated']);
    }
    // One message each: summary, pause, unpause, introduction room, re-route, solved.
    expect(w.actions.length - before).toBe(forms.length);
    expect((await w.store.problems.get(problem.id))?.status).toBe('solved');
  });

  it('refuses a viewer, a missing or wrong CSRF token, a 1 MB note, and acting on a solved request', async () => {
    const before = w.actions.length;
    const viewer = await post('viewer', 'close', { request: 'viewer-try-0001', problem: String(problem.id), note: '' });
    expect(viewer.status).toBe(403);
    const wrong = await post('admin', 'close', { request: 'csrf-try-0001', problem: String(problem.id), note: '' }, 'not-the-token');
    expect(wrong.status).toBe(403);
    const huge = await post('admin', 'invite', { request: 'huge-note-0001', problem: String(problem.id), member: String(frankId), note: 'x'.repeat(1 << 20) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toEqual({ status: 'refused', message: 'The form is larger than 16kb; a note may hold up to 4000 characters. Nothing was sent.' });
    const late = await post('admin', 'close', { request: 'late-close-0001', problem: String(problem.id), note: '' });
    expect(late.status).toBe(409);
    expect(await late.json()).toEqual({ status: 'refused', message: `Request ${problem.id} is solved already; nothing was sent.` });
    const bad = await post('admin', 'invite', { request: 'bad-0001', problem: 'abc', member: '1' });
    expect(bad.status).toBe(400);
    expect(w.actions.length).toBe(before);
    // Refused by permission or token before the concierge: never in the audit log.
    expect((await w.store.consoleActions.list()).map((r) => r.requestId)).not.toContain('viewer-try-0001');
  });

  it("records a staff member's action under their name; a staff viewer is refused; a wrong password is refused", async () => {
    const me = await (await fetch(`${base}/`, { headers: { cookie: sessions.marie.cookie, accept: 'text/html' } })).text();
    expect(me).toContain('Signed in as marie (concierge)');
    expect(me).toContain('href="/attention');
    const done = await post('marie', 'pause', { request: 'marie-pause-0001', member: String(w.members.carol.id), days: '3' });
    expect(await done.json()).toMatchObject({ status: 'done' });
    expect((await w.store.consoleActions.list({ staff: 'marie' })).map((r) => [r.kind, r.role])).toEqual([['pause', 'concierge']]);
    expect((await post('vera', 'unpause', { request: 'vera-unpause-0001', member: String(w.members.carol.id) })).status).toBe(403);
    expect((await fetch(`${base}/attention`, { headers: { cookie: sessions.vera.cookie, accept: 'text/html' } })).status).toBe(403);
    const wrong = await staffLogin('marie', 'not her password');
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong name or password.');
    expect((await staffLogin('nobody', MARIE_PASSWORD)).status).toBe(401);
  });

  it('keeps staff sessions across a restart (they are in the database)', async () => {
    await stopServer();
    await startServer();
    const me = await fetch(`${base}/api/me`, { headers: { cookie: sessions.marie.cookie } });
    expect(me.status).toBe(200);
    const again = await post('marie', 'unpause', { request: 'marie-unpause-0001', member: String(w.members.carol.id) });
    expect(await again.json()).toMatchObject({ status: 'done' });
  });

  it('review mode: a proposal approved by two staff members (and each form sent twice) is sent once', async () => {
    w.ctx.settings.mode = 'review';
    try {
      const e = mention(ERIN, EQUITY_REQUEST);
      await w.receive(e);
      const proposed = (await w.store.problems.findBySourceEvent('matrix', e.eventId))!;
      const [invitation] = await w.store.invitations.listForProblem(proposed.id);
      expect(invitation?.status).toBe('pending');
      const listed = (await (await fetch(`${base}/api/attention`, { headers: { cookie: sessions.admin.cookie } })).json()) as {
        review: boolean;
        proposals: { problemId: number; memberId: number }[];
      };
      expect(listed.review).toBe(true);
      expect(listed.proposals).toContainEqual(expect.objectContaining({ problemId: proposed.id, memberId: invitation!.memberId }));
      const before = w.actions.length;
      const form = { problem: String(proposed.id), member: String(invitation!.memberId), note: 'Approved.' };
      const statuses = [];
      for (const [who, request] of [
        ['admin', 'approve-admin-0001'],
        ['admin', 'approve-admin-0001'],
        ['marie', 'approve-marie-0001'],
        ['marie', 'approve-marie-0001'],
      ] as const) {
        statuses.push(((await (await post(who, 'approve', { request, ...form })).json()) as { status: string }).status);
      }
      expect(statuses).toEqual(['done', 'repeated', 'refused', 'repeated']);
      expect(w.actions.slice(before).map((a) => a.key)).toEqual([`matrix:review:${invitation!.id}`]);
    } finally {
      w.ctx.settings.mode = 'auto';
    }
  });

  it('lists every action in the audit log with who did it, filterable by who, what and when', async () => {
    const all = (await (await fetch(`${base}/api/audit`, { headers: { cookie: sessions.admin.cookie } })).json()) as {
      actions: { staff: string; kind: string; outcome: string }[];
    };
    expect(all.actions.length).toBe(12);
    expect(new Set(all.actions.map((a) => a.staff))).toEqual(new Set(['admin', 'marie']));
    const marie = (await (await fetch(`${base}/api/audit?staff=marie`, { headers: { cookie: sessions.admin.cookie } })).json()) as typeof all;
    expect(marie.actions.map((a) => a.kind)).toEqual(['approve', 'unpause', 'pause']);
    const closes = (await (await fetch(`${base}/api/audit?kind=close`, { headers: { cookie: sessions.admin.cookie } })).json()) as typeof all;
    expect(closes.actions).toEqual([
      expect.objectContaining({ kind: 'close', outcome: `refused: Request ${problem.id} is solved already; nothing was sent.` }),
    ]);
    const nobody = (await (await fetch(`${base}/api/audit?staff=someone-else`, { headers: { cookie: sessions.admin.cookie } })).json()) as typeof all;
    expect(nobody.actions).toEqual([]);
    const future = (await (await fetch(`${base}/api/audit?from=2999-01-01`, { headers: { cookie: sessions.admin.cookie } })).json()) as typeof all;
    expect(future.actions).toEqual([]);
    expect((await fetch(`${base}/api/audit?from=yesterday`, { headers: { cookie: sessions.admin.cookie } })).status).toBe(400);
  });
});
