// The dashboard API over real HTTP on a hand-built history (dashboard-history.ts) whose every
// figure is worked out below; bad parameters; an empty community; privacy (opted-out members,
// the viewer role); names with markup come back as plain strings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginToDashboard } from '../../scripts/bench/dashboard-client.js';
import {
  OPTED_OUT_LABEL,
  type ConnectionsResponse,
  type HelpersResponse,
  type NetworkResponse,
  type OverviewResponse,
  type ProblemDetail,
  type ProblemsResponse,
  type TagsResponse,
} from '../../web/dashboard/api-types.js';
import { buildDashboardHistory, NOW, XSS_NAME, FORMULA_NAME, type DashboardHistory } from './dashboard-history.js';
import { ADMIN_PASSWORD, openDashboardServer, VIEWER_PASSWORD, type DashboardServer } from './dashboard-server.js';

const HOUR = 3_600_000;

describe('dashboard API on a known history', () => {
  let d: DashboardServer;
  let h: DashboardHistory;
  let admin: string;
  let viewer: string;
  const get = async <T>(url: string, cookie = admin): Promise<{ status: number; body: T }> => {
    const res = await fetch(`${d.base}${url}`, { headers: { cookie } });
    expect(res.headers.get('content-type'), url).toMatch(/^application\/json/);
    return { status: res.status, body: (await res.json()) as T };
  };
  const ok = async <T>(url: string, cookie = admin): Promise<T> => {
    const { status, body } = await get<T>(url, cookie);
    expect(status, `${url}: ${JSON.stringify(body)}`).toBe(200);
    return body;
  };

  beforeAll(async () => {
    d = await openDashboardServer();
    h = await buildDashboardHistory(d.store);
    await d.start({}, () => NOW);
    admin = (await loginToDashboard(d.base, ADMIN_PASSWORD)).cookie;
    viewer = (await loginToDashboard(d.base, VIEWER_PASSWORD)).cookie;
  });
  afterAll(async () => d.close());

  it("overview: the period's numbers against the 24 days before, and the weekly trend", async () => {
    const o = await ok<OverviewResponse>('/api/overview?period=4w');
    expect(o.period).toEqual({ from: '2025-02-17', to: '2025-03-12' });
    expect(o.metrics).toEqual({
      // P1, P2, P4 opened in the period; P3 in the one before.
      problemsOpened: { value: 3, previous: 1, change: 2 },
      // Of those, P1 was solved (and P3 before).
      problemsSolved: { value: 1, previous: 1, change: 0 },
      solveRate: { value: 1 / 3, previous: 1, change: 1 / 3 - 1 },
      // P1 answered after 30 min, P2 after 4 h, P4 not yet: median of the two; P3 after 1 h.
      medianTimeToFirstResponseMs: { value: (0.5 * HOUR + 4 * HOUR) / 2, previous: HOUR, change: (0.5 * HOUR + 4 * HOUR) / 2 - HOUR },
      // Ben, the XSS-named member and Dee (opted out, still counted) answered; before: Ada.
      activeHelpers: { value: 3, previous: 1, change: 2 },
      // Ada-Ben through the bot; XSS-Ben and Cy-Dee directly; before: Ada-Cy directly.
      newTiesConcierge: { value: 1, previous: 0, change: 1 },
      newTiesDirect: { value: 2, previous: 1, change: 1 },
      // One bypass (Ada replying to Ben directly) of 3 chances (2 interactions on the
      // concierge-made pair + P1 solved with the bot); before: 0 of 1 (P3 solved).
      bypassRate: { value: 1 / 3, previous: 0, change: 1 / 3 },
    });
    expect(o.trend).toEqual([
      { weekStart: '2025-02-17', opened: 0, solved: 0 },
      { weekStart: '2025-02-24', opened: 0, solved: 0 },
      { weekStart: '2025-03-03', opened: 2, solved: 1 },
      { weekStart: '2025-03-10', opened: 1, solved: 0 },
    ]);
    expect(o.notObservable).toMatch(/cannot be observed/);
  });

  it('connections: new ties per week by kind, the bypass rate and all interactions', async () => {
    const c = await ok<ConnectionsResponse>('/api/connections?from=2025-02-24&to=2025-03-12');
    expect(c.period).toEqual({ from: '2025-02-24', to: '2025-03-12' });
    expect(c.weeks).toEqual([
      { weekStart: '2025-02-24', conciergeTies: 0, directTies: 0, bypassRate: null, interactions: 0 },
      { weekStart: '2025-03-03', conciergeTies: 1, directTies: 2, bypassRate: 1 / 3, interactions: 5 },
      { weekStart: '2025-03-10', conciergeTies: 0, directTies: 0, bypassRate: null, interactions: 0 },
    ]);
  });

  it('network: members as nodes (the opted-out one only counted), edges by how the tie was made, brokers', async () => {
    const n = await ok<NetworkResponse>('/api/network?period=4w');
    const byLabel = new Map(n.nodes.map((x) => [x.label, x]));
    expect(n.nodes.map((x) => x.label).sort()).toEqual([XSS_NAME, FORMULA_NAME, 'Ada', 'Ben', 'Eve', 'Gil Moreau', 'Gil Moreau'].sort());
    expect(JSON.stringify(n)).not.toContain('Dee');
    expect(n.nodes.some((x) => x.id === String(h.dee))).toBe(false);
    expect(n.optedOutMembers).toBe(1);
    expect(byLabel.get('Ada')).toEqual({
      id: String(h.ada),
      label: 'Ada',
      activity: 3,
      brokerScore: 1,
      isolated: false,
      accounts: [{ platform: 'matrix', account: '@member1:example.org' }],
    });
    // One node per person, with every account.
    expect(byLabel.get('Ben')?.accounts).toEqual([
      { platform: 'matrix', account: '@member2:example.org' },
      { platform: 'discourse', account: 'ben_o' },
    ]);
    expect(n.probablySamePerson.map((p) => [p.a.id, p.b.id])).toEqual([[h.gilMatrix, h.gilForum]]);
    expect(byLabel.get('Ben')).toMatchObject({ activity: 3, brokerScore: 1, isolated: false });
    // Cy's mention of Dee counts as activity, though the edge is not shown.
    expect(byLabel.get(FORMULA_NAME)).toMatchObject({ activity: 2, brokerScore: 0, isolated: false });
    expect(byLabel.get(XSS_NAME)).toMatchObject({ activity: 1, brokerScore: 0 });
    expect(byLabel.get('Eve')).toMatchObject({ activity: 0, brokerScore: 0, isolated: true });
    const edge = (a: number, b: number) =>
      n.edges.find((e) => (e.source === String(a) && e.target === String(b)) || (e.source === String(b) && e.target === String(a)));
    expect(n.edges).toHaveLength(3);
    expect(edge(h.ada, h.ben)).toMatchObject({ kind: 'concierge', weight: 2 });
    expect(edge(h.xss, h.ben)).toMatchObject({ kind: 'direct', weight: 1 });
    // A tie from the previous period keeps its kind.
    expect(edge(h.ada, h.cy)).toMatchObject({ kind: 'direct', weight: 1 });
    expect(n.summary).toMatchObject({ activeMembers: 5 });
    const heavy = await ok<NetworkResponse>('/api/network?period=4w&minWeight=2');
    expect(heavy.edges).toEqual([expect.objectContaining({ kind: 'concierge', weight: 2 })]);
    expect(heavy.nodes).toHaveLength(7);
  });

  it('helpers: invitations by outcome and helpful answers; the opted-out member only counted', async () => {
    const r = await ok<HelpersResponse>('/api/helpers?period=4w');
    const matrix = (n: number) => ({ platform: 'matrix', account: `@member${n}:example.org` });
    expect(r.helpers).toEqual([
      {
        id: h.ben,
        name: 'Ben',
        accounts: [matrix(2), { platform: 'discourse', account: 'ben_o' }],
        invited: 1,
        accepted: 1,
        declined: 0,
        ignored: 0,
        helpfulAnswers: 1,
      },
      { id: h.cy, name: FORMULA_NAME, accounts: [matrix(3)], invited: 1, accepted: 0, declined: 1, ignored: 0, helpfulAnswers: 0 },
      { id: h.xss, name: XSS_NAME, accounts: [matrix(5)], invited: 0, accepted: 0, declined: 0, ignored: 0, helpfulAnswers: 1 },
    ]);
    expect(r.optedOutMembers).toBe(1);
  });

  it('people: each person once with their accounts; members that are probably one person flagged and counted', async () => {
    const o = await ok<OverviewResponse>('/api/overview?period=4w');
    // Eight members (Ben one person with two accounts, Gil two members), nine accounts.
    expect(o.people).toEqual({ people: 8, accounts: 9, linkedPeople: 1, probablySamePerson: 1 });
    const r = await ok<HelpersResponse>('/api/helpers?period=4w');
    expect(r.probablySamePerson).toEqual([
      {
        a: { id: h.gilMatrix, name: 'Gil Moreau', accounts: [{ platform: 'matrix', account: '@member7:example.org' }] },
        b: { id: h.gilForum, name: 'Gil Moreau', accounts: [{ platform: 'discourse', account: 'gil_m' }] },
        reasons: ['the same name', 'a username made from the name'],
        offer: 'not offered',
      },
    ]);
    // Gil says "not me": the flag goes, and the count with it.
    await d.store.accountPairs.decide(
      { platform: 'matrix', externalId: '@member7:example.org' },
      { platform: 'discourse', externalId: 'gil_m' },
      { status: 'refused', by: 'member', at: NOW },
    );
    expect((await ok<OverviewResponse>('/api/overview?period=4w')).people.probablySamePerson).toBe(0);
    expect((await ok<HelpersResponse>('/api/helpers?period=4w')).probablySamePerson).toEqual([]);
  });

  it('tags: volume and solve rate per tag, with weekly lines', async () => {
    const t = await ok<TagsResponse>('/api/tags?period=4w');
    expect(t.tags.map((x) => [x.tag, x.total, x.solved, x.solveRate])).toEqual([
      ['hiring', 2, 0, 0],
      ['retros', 1, 1, 1],
    ]);
    expect(t.tags[1]!.weeks.find((w) => w.weekStart === '2025-03-03')).toEqual({ weekStart: '2025-03-03', opened: 1, solved: 1 });
    // Over all time P3 (solved in February) counts for retros too.
    const all = await ok<TagsResponse>('/api/tags?period=all');
    expect(all.tags.find((x) => x.tag === 'retros')).toMatchObject({ total: 2, solved: 2, solveRate: 1 });
  });

  it('problems: newest first, with tags, time to first response and responders (opted-out ones unnamed)', async () => {
    const r = await ok<ProblemsResponse>('/api/problems?period=4w');
    expect(r.total).toBe(3);
    expect(r.items.map((p) => p.id)).toEqual([h.p4, h.p2, h.p1]);
    expect(r.items[2]).toEqual({
      id: h.p1,
      title: 'How do I run retros that change something?',
      status: 'solved',
      tags: ['retros'],
      platform: 'matrix',
      createdAt: '2025-03-03T10:00:00.000Z',
      timeToFirstResponseMs: 0.5 * HOUR,
      responders: ['Ben'],
    });
    expect(r.items[1]).toMatchObject({ status: 'answered', platform: 'discourse', timeToFirstResponseMs: 4 * HOUR, responders: [XSS_NAME, OPTED_OUT_LABEL] });
    expect(r.items[0]).toMatchObject({ status: 'opened', timeToFirstResponseMs: null, responders: [] });
  });

  it('problems: filters by status, tag, platform and words, and pages', async () => {
    const ids = async (query: string, cookie = admin) => (await ok<ProblemsResponse>(`/api/problems?period=4w&${query}`, cookie)).items.map((p) => p.id);
    expect(await ids('status=solved')).toEqual([h.p1]);
    expect(await ids('tag=hiring')).toEqual([h.p4, h.p2]);
    expect(await ids('platform=discourse')).toEqual([h.p2]);
    expect(await ids('q=RETROS%20quotes')).toEqual([h.p1]);
    // LIKE wildcards in the words are taken literally.
    expect(await ids('q=%25')).toEqual([]);
    const page = await ok<ProblemsResponse>('/api/problems?period=4w&limit=1&offset=1');
    expect([page.total, page.items.map((p) => p.id)]).toEqual([3, [h.p2]]);
    // A viewer may not search the text (a search would reveal it), only tags.
    expect(await ids('q=quotes', viewer)).toEqual([]);
    expect(await ids('q=hir', viewer)).toEqual([h.p4, h.p2]);
  });

  it("a problem's detail: lifecycle, answers and links; the text for the admin only", async () => {
    const p = await ok<ProblemDetail>(`/api/problems/${h.p1}`);
    expect(p).toMatchObject({
      id: h.p1,
      status: 'solved',
      tags: ['retros'],
      platform: 'matrix',
      originator: 'Ada',
      createdAt: '2025-03-03T10:00:00.000Z',
      solvedAt: '2025-03-04T09:00:00.000Z',
      links: { matrix: 'https://matrix.to/#/!retros%3Aexample.org/%24p1root' },
    });
    expect(p.text).toContain('with "quotes"');
    expect(p.timeline.map((t) => [t.from, t.to])).toEqual([
      [null, 'opened'],
      ['opened', 'invited'],
      ['invited', 'answered'],
      ['answered', 'solved'],
    ]);
    expect(p.timeline[3]).toEqual({ at: '2025-03-04T09:00:00.000Z', from: 'answered', to: 'solved', cause: 'test: solved' });
    expect(p.responses).toEqual([{ member: 'Ben', at: '2025-03-03T10:30:00.000Z', link: null }]);

    const forum = await ok<ProblemDetail>(`/api/problems/${h.p2}`);
    expect(forum.links).toEqual({ forum: 'https://forum.example.org/t/42' });
    expect(forum.responses.map((r) => r.member)).toEqual([XSS_NAME, OPTED_OUT_LABEL]);
    expect(forum.timeline.map((t) => t.cause)).toContain(`${OPTED_OUT_LABEL} answered on discourse`);
    expect(JSON.stringify(forum)).not.toContain('Dee');

    const seen = await ok<ProblemDetail>(`/api/problems/${h.p1}`, viewer);
    expect(seen.text).toBeNull();
    expect(seen.title).toBe(`Problem #${h.p1}`);
    expect(JSON.stringify(seen)).not.toContain('retros that change');
    const list = await ok<ProblemsResponse>('/api/problems?period=4w', viewer);
    expect(JSON.stringify(list)).not.toContain('retros that change');
  });

  it('returns markup in names as plain JSON strings, for the pages to insert as text', async () => {
    const res = await fetch(`${d.base}/api/problems?period=4w&status=answered`, { headers: { cookie: admin } });
    const raw = await res.text();
    expect(raw).toContain(JSON.stringify(XSS_NAME).slice(1, -1));
    expect((JSON.parse(raw) as ProblemsResponse).items[0]!.responders[0]).toBe(XSS_NAME);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('answers 404 JSON for unknown and malformed problem ids', async () => {
    for (const id of ['999999', 'abc', '0', '-1', '1e3', '99999999999999999999']) {
      const { status, body } = await get<{ error: string }>(`/api/problems/${id}`);
      expect(status, id).toBe(404);
      expect(body.error, id).toMatch(/^no problem/);
    }
    expect((await get('/api/nothing-here')).status).toBe(404);
  });

  it('answers 400 with a clear message for malformed or unknown parameters, never 500', async () => {
    const cases: [string, RegExp][] = [
      ['/api/overview?period=3w', /period must be one of 4w, 12w, 26w, 52w, all/],
      ['/api/overview?period=4w&period=12w', /given once/],
      ['/api/overview?from=2025-02-30&to=2025-03-01', /from must be a date written YYYY-MM-DD/],
      ['/api/overview?from=2025-03-01', /from and to go together/],
      ['/api/overview?from=2025-03-05&to=2025-03-01', /from must not be after to/],
      ['/api/overview?period=4w&from=2025-03-01&to=2025-03-05', /either period or from and to/],
      ['/api/overview?from=2000-01-01&to=2025-01-01', /at most 3660 days/],
      ['/api/connections?colour=red', /unknown parameter "colour"/],
      ['/api/network?minWeight=0', /minWeight must be a whole number from 1/],
      ['/api/problems?status=done', /status must be one of opened/],
      ['/api/problems?platform=slack', /platform must be one of matrix, discourse/],
      ['/api/problems?limit=0', /limit must be a whole number from 1 to 200/],
      ['/api/problems?limit=abc', /limit must be a whole number/],
      ['/api/problems?offset=-5', /offset must be a whole number from 0/],
      ['/api/problems?tag=', /tag must be a tag name/],
      [`/api/problems?q=${'a%20'.repeat(9)}`, /at most 8 words/],
      ['/api/problems/1?period=4w', /unknown parameter "period"/],
      ['/export/problems.csv?period=1y', /period must be one of/],
    ];
    for (const [url, message] of cases) {
      const { status, body } = await get<{ error: string }>(url);
      expect(status, url).toBe(400);
      expect(body.error, url).toMatch(message);
    }
  });

  it('sees a write at the next request (refreshSeconds: 0) and reports it', async () => {
    const before = await ok<OverviewResponse>('/api/overview?period=4w');
    await d.store.interactions.record({
      fromMemberId: h.ben,
      toMemberId: h.ada,
      kind: 'reply',
      platform: 'matrix',
      mediated: false,
      occurredAt: new Date('2025-03-11T10:00:00Z'),
    });
    const after = await ok<OverviewResponse>('/api/overview?period=4w');
    // Another direct contact on the concierge-made pair: 2 bypasses of 4 chances.
    expect(before.metrics.bypassRate.value).toBeCloseTo(1 / 3);
    expect(after.metrics.bypassRate.value).toBeCloseTo(2 / 4);
  });

  it('with staleSeconds, answers the first request after a write with the previous figures at once, and the new ones once computed', async () => {
    await d.start({ staleSeconds: 300 }, () => NOW);
    const before = await ok<OverviewResponse>('/api/overview?period=4w');
    expect(before.metrics.bypassRate.value).toBeCloseTo(2 / 4);
    await d.store.interactions.record({
      fromMemberId: h.ben,
      toMemberId: h.ada,
      kind: 'reply',
      platform: 'matrix',
      mediated: false,
      occurredAt: new Date('2025-03-11T11:00:00Z'),
    });
    const first = await ok<OverviewResponse>('/api/overview?period=4w');
    expect(first).toEqual(before);
    // The recompute started by that request runs on the figures worker; wait for its answer.
    let fresh = first;
    for (let i = 0; i < 200 && fresh.metrics.bypassRate.value === before.metrics.bypassRate.value; i++) {
      await new Promise((r) => setTimeout(r, 50));
      fresh = await ok<OverviewResponse>('/api/overview?period=4w');
    }
    expect(fresh.metrics.bypassRate.value).toBeCloseTo(3 / 5);
  });
});

describe('dashboard API on an empty community', () => {
  let d: DashboardServer;
  let admin: string;
  beforeAll(async () => {
    d = await openDashboardServer();
    await d.start({}, () => NOW);
    admin = (await loginToDashboard(d.base, ADMIN_PASSWORD)).cookie;
  });
  afterAll(async () => d.close());
  const ok = async <T>(url: string): Promise<T> => {
    const res = await fetch(`${d.base}${url}`, { headers: { cookie: admin } });
    expect(res.status, url).toBe(200);
    return (await res.json()) as T;
  };

  it('answers every endpoint with zeros, nulls and empty lists', async () => {
    const o = await ok<OverviewResponse>('/api/overview');
    expect(o.period).toEqual({ from: '2024-12-23', to: '2025-03-12' });
    expect(o.metrics.problemsOpened).toEqual({ value: 0, previous: 0, change: 0 });
    expect(o.metrics.solveRate).toEqual({ value: null, previous: null, change: null });
    expect(o.metrics.medianTimeToFirstResponseMs).toEqual({ value: null, previous: null, change: null });
    expect(o.metrics.bypassRate).toEqual({ value: null, previous: null, change: null });
    expect(o.trend).toHaveLength(12);
    expect(o.trend.every((w) => w.opened === 0 && w.solved === 0)).toBe(true);
    const c = await ok<ConnectionsResponse>('/api/connections');
    expect(c.weeks).toHaveLength(12);
    expect(c.weeks.every((w) => w.conciergeTies === 0 && w.directTies === 0 && w.bypassRate === null && w.interactions === 0)).toBe(true);
    expect(await ok<NetworkResponse>('/api/network')).toMatchObject({ nodes: [], edges: [], optedOutMembers: 0 });
    expect(await ok<ProblemsResponse>('/api/problems')).toMatchObject({ total: 0, items: [] });
    expect(await ok<HelpersResponse>('/api/helpers')).toMatchObject({ helpers: [], optedOutMembers: 0 });
    expect(await ok<TagsResponse>('/api/tags')).toMatchObject({ tags: [] });
    // "All time" with nothing recorded is the current week.
    expect((await ok<OverviewResponse>('/api/overview?period=all')).period).toEqual({ from: '2025-03-10', to: '2025-03-12' });
    const csv = await fetch(`${d.base}/export/interactions.csv`, { headers: { cookie: admin } });
    expect(await csv.text()).toBe('id,occurred_at,platform,kind,mediated,from,to,problem_id\r\n');
  });
});
