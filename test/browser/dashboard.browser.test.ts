// The dashboard as a manager uses it, in Debian's Chromium, against the real service running
// the sandbox (a synthetic community and a few simulated weeks): log in (a wrong password
// first), every page drawn with the API's numbers, a period change, a problem's detail, the
// viewer login without message text, and logout. The sandbox runs in review mode (proposals
// nobody reviewed go out as proposed three simulated hours later, so the week plays much as in
// auto mode), and a member asks the bot at the end: its proposals wait on the Attention page
// (reviewMinutes is real time then). Screenshots:
// test-artifacts/screenshots/.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type {
  ConnectionsResponse,
  HelpersResponse,
  NetworkResponse,
  OverviewResponse,
  ProblemDetail,
  ProblemsResponse,
  TagsResponse,
} from '../../web/dashboard/api-types.js';
import { mentionOfBot } from '../../scripts/stand-ins/matrix-homeserver/messages.js';
import { login, submitLogin } from '../../scripts/support/browser/login.js';
import { screenshot, settled, visit, watchForTrouble } from './support/pages.js';
import { startSandbox, type RunningService } from '../../scripts/support/browser/service.js';
import { openSession, type DashboardSession } from './support/session.js';
import { shownCount, shownPercent } from './support/shown.js';

const PASSWORDS = { admin: 'admin-password-for-tests', viewer: 'viewer-password-for-tests' };
// Enough simulated community life for every chart to have data, quick enough for a test.
const WEEKS = 1;
const REVIEW_MODE = ['concierge:', '  mode: review', '  reviewMinutes: 180'];
const REVIEW_QUESTION = 'How do we onboard a new engineering manager who joins next month?';

let session: DashboardSession;
let service: RunningService;
let page: Page;
let trouble: ReturnType<typeof watchForTrouble>;

async function api<T>(path: string): Promise<T> {
  const response = await page.request.get(`${service.url}${path}`);
  expect(response.status(), path).toBe(200);
  return (await response.json()) as T;
}

const text = (selector: string) => page.locator(selector).first().textContent();

/**
 * A member of the sandbox's community asks the bot now, through the stand-in homeserver, as a
 * person in a Matrix client would (the stand-in's accounts have the password "password").
 */
async function askTheBotAsAMember(question: string): Promise<void> {
  const hs = /stand-ins: Matrix homeserver (http:\/\/127\.0\.0\.1:\d+)/.exec(service.output())?.[1];
  expect(hs, 'the homeserver URL in the sandbox output').toBeDefined();
  const call = async (method: string, path: string, token?: string, body?: unknown) => {
    const response = await fetch(`${hs}/_matrix/client/v3${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    expect(response.status, `${method} ${path}`).toBe(200);
    return (await response.json()) as Record<string, unknown>;
  };
  const login = async (user: string) =>
    await call('POST', '/login', undefined, { type: 'm.login.password', identifier: { type: 'm.id.user', user }, password: 'password' });
  const bot = await login('coagent');
  const botId = bot['user_id'] as string;
  const botToken = bot['access_token'] as string;
  // The community's busiest room (not the Space) and one of its members.
  let best: { roomId: string; members: string[] } | undefined;
  for (const roomId of (await call('GET', '/joined_rooms', botToken))['joined_rooms'] as string[]) {
    const room = encodeURIComponent(roomId);
    if ((await call('GET', `/rooms/${room}/state/m.room.create/`, botToken))['type'] === 'm.space') continue;
    const members = Object.keys((await call('GET', `/rooms/${room}/joined_members`, botToken))['joined'] as object).filter((u) => u !== botId);
    if (!best || members.length > best.members.length) best = { roomId, members };
  }
  const asker = await login(best!.members[0]!);
  await call(
    'PUT',
    `/rooms/${encodeURIComponent(best!.roomId)}/send/m.room.message/review-${Date.now()}`,
    asker['access_token'] as string,
    mentionOfBot(botId, question),
  );
}

beforeAll(async () => {
  session = await openSession('co-agent-browser-', (dir) => startSandbox(dir, PASSWORDS, WEEKS, { extraYaml: REVIEW_MODE }));
  ({ service, page } = session);
  trouble = watchForTrouble(page);
}, 270_000);

afterAll(async () => {
  await session?.close();
});

describe('the sandbox dashboard in Chromium', () => {
  it('refuses a wrong password with a message, then logs in to the overview', async () => {
    await submitLogin(page, service.url, 'not-the-password');
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(text('[role="alert"]')).resolves.toMatch(/wrong password/i);
    await screenshot(page, 'login-wrong-password');
    // The refused login answered 401, which the browser logs as a failed load: expected here.
    trouble.errors.length = 0;

    await login(page, service.url, PASSWORDS.admin);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await settled(page)).toBe('ready');
  });

  it("overview: every headline number is the API's, with the weekly trend drawn", async () => {
    const o = await api<OverviewResponse>('/api/overview?period=12w');
    expect(await visit(page, `${service.url}/?period=12w`)).toBe('ready');
    const value = (key: string) => text(`[data-metric="${key}"] .value`);
    for (const key of ['problemsOpened', 'problemsSolved', 'activeHelpers', 'newTiesConcierge', 'newTiesDirect'] as const) {
      await expect(value(key), key).resolves.toBe(shownCount(o.metrics[key].value));
    }
    await expect(value('solveRate')).resolves.toBe(shownPercent(o.metrics.solveRate.value));
    await expect(value('bypassRate')).resolves.toBe(shownPercent(o.metrics.bypassRate.value));
    expect(o.metrics.problemsOpened.value).toBeGreaterThan(0);
    // People, not accounts: members who accepted the bot's offer and posted the code are one person.
    expect(o.people.linkedPeople).toBeGreaterThan(0);
    expect(o.people.people).toBeLessThan(o.people.accounts);
    await expect(page.locator('.people').getAttribute('data-people')).resolves.toBe(String(o.people.people));
    await expect(page.locator('.people').getAttribute('data-same-person')).resolves.toBe(String(o.people.probablySamePerson));
    expect(await page.locator('main canvas').count()).toBe(1);
    await expect(text('.not-observable')).resolves.toBe(o.notObservable);
    await screenshot(page, 'overview');
  });

  it('connection growth: the stacked ties and the bypass line, totals as in the API', async () => {
    const c = await api<ConnectionsResponse>('/api/connections?period=12w');
    expect(await visit(page, `${service.url}/connections?period=12w`)).toBe('ready');
    await expect(text('[data-total="concierge"]')).resolves.toBe(shownCount(c.weeks.reduce((s, w) => s + w.conciergeTies, 0)));
    await expect(text('[data-total="direct"]')).resolves.toBe(shownCount(c.weeks.reduce((s, w) => s + w.directTies, 0)));
    expect(await page.locator('.figures tbody tr').count()).toBe(c.weeks.length);
    expect(await page.locator('main canvas').count()).toBe(1);
    await screenshot(page, 'connections');
  });

  it('network: a graph node per member, opted-out members as a count', async () => {
    const n = await api<NetworkResponse>('/api/network?period=12w');
    expect(await visit(page, `${service.url}/network?period=12w`)).toBe('ready');
    // Up to 150 members; isolated ones are only listed when there are more than 12.
    const isolated = n.nodes.filter((x) => x.isolated).length;
    const drawable = isolated > 12 ? n.nodes.length - isolated : n.nodes.length;
    expect(Number(await page.locator('.graph').getAttribute('data-nodes'))).toBe(Math.min(drawable, 150));
    expect(Number(await page.locator('.graph').getAttribute('data-edges'))).toBeGreaterThan(0);
    expect(await page.locator('.graph canvas').count()).toBeGreaterThan(0);
    await expect(text('[data-opted-out]')).resolves.toBe(shownCount(n.optedOutMembers));
    expect(await page.locator('.isolated li').count()).toBe(isolated);
    await screenshot(page, 'network');
  });

  it('problems: the list and its total as in the API, filterable by status', async () => {
    const p = await api<ProblemsResponse>('/api/problems?period=12w&limit=50');
    expect(await visit(page, `${service.url}/problems?period=12w`)).toBe('ready');
    await expect(text('[data-total]')).resolves.toBe(shownCount(p.total));
    expect(await page.locator('tbody tr').count()).toBe(p.items.length);
    expect(await page.locator('tbody tr').first().getAttribute('data-problem')).toBe(String(p.items[0]!.id));
    await screenshot(page, 'problems');

    const status = p.items[0]!.status;
    const filtered = await api<ProblemsResponse>(`/api/problems?period=12w&limit=50&status=${status}`);
    await page.locator('select[name="status"]').selectOption(status);
    await Promise.all([page.waitForURL(/status=/), page.locator('form.filters button[type="submit"]').click()]);
    expect(await settled(page)).toBe('ready');
    await expect(text('[data-total]')).resolves.toBe(shownCount(filtered.total));
    const statuses = await page.locator('tbody .status').allTextContents();
    expect(new Set(statuses)).toEqual(new Set([status]));
  });

  it("a problem's detail: title, lifecycle and answers from the list's first row", async () => {
    expect(await visit(page, `${service.url}/problems?period=12w`)).toBe('ready');
    const link = page.locator('tbody tr a').first();
    await Promise.all([page.waitForURL(/\/problems\/\d+/), link.click()]);
    expect(await settled(page)).toBe('ready');
    const id = /\/problems\/(\d+)/.exec(page.url())![1]!;
    const d = await api<ProblemDetail>(`/api/problems/${id}`);
    await expect(text('.problem-title')).resolves.toBe(d.title);
    expect(await page.locator('.timeline li').count()).toBe(d.timeline.length);
    expect(d.text).not.toBeNull();
    await expect(text('.request-text')).resolves.toBe(d.text);
    const hrefs = await page.locator('.links a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([d.links.matrix, d.links.forum].filter(Boolean));
    await screenshot(page, 'problem-detail');
  });

  it('helpers and tags: a row per person (with every account) and per tag, charts drawn', async () => {
    const h = await api<HelpersResponse>('/api/helpers?period=12w');
    expect(await visit(page, `${service.url}/helpers?period=12w`)).toBe('ready');
    expect(await page.locator('table.helpers tbody tr').count()).toBe(h.helpers.length);
    // Each person once: no account in two rows, and people who linked show both accounts in theirs.
    const accounts = h.helpers.flatMap((r) => r.accounts.map((a) => `${a.platform}:${a.account}`));
    expect(new Set(accounts).size).toBe(accounts.length);
    const linked = h.helpers.find((r) => new Set(r.accounts.map((a) => a.platform)).size === 2)!;
    expect(linked).toBeDefined();
    await expect(page.locator(`tr[data-helper="${linked.id}"] td.accounts`).textContent()).resolves.toMatch(
      new RegExp(`^Matrix ${linked.accounts[0]!.account.replace(/[.]/g, '\\.')} · forum `),
    );
    // Members that are probably one person, not linked yet, are listed apart, each pair once.
    expect(await page.locator('.same-person tbody tr').count()).toBe(h.probablySamePerson.length);
    await screenshot(page, 'helpers');
    const mostAsked = Math.max(...h.helpers.map((r) => r.invited));
    await expect(text('table.helpers tbody tr td.num')).resolves.toBe(shownCount(mostAsked));
    expect(await page.locator('main canvas').count()).toBe(1);
    await screenshot(page, 'helpers');

    const t = await api<TagsResponse>('/api/tags?period=12w');
    expect(await visit(page, `${service.url}/tags?period=12w`)).toBe('ready');
    expect(await page.locator('table.tags tbody tr').count()).toBe(t.tags.length);
    expect(await page.locator('main canvas').count()).toBe(2);
    await screenshot(page, 'tags');
  });

  it("attention: the console shows the sandbox's requests as the API lists them, and the expertise-gap chart", async () => {
    const a = await api<{ stuck: unknown[]; noHelper: unknown[]; newcomers: unknown[]; gaps: unknown[] }>('/api/attention');
    expect(await visit(page, `${service.url}/attention`)).toBe('ready');
    const shown = async (section: string) => (await page.locator(`section[data-section="${section}"] h2`).textContent())?.match(/\((\d+)\)$/)?.[1];
    await expect(shown('Stuck requests')).resolves.toBe(String(a.stuck.length));
    await expect(shown('Requests with no possible helper')).resolves.toBe(String(a.noHelper.length));
    await expect(shown('New members who have not asked or answered')).resolves.toBe(String(a.newcomers.length));
    expect(await page.locator('section[data-section="gaps"] canvas').count()).toBe(a.gaps.length > 0 ? 1 : 0);
    await screenshot(page, 'sandbox-attention');
  });

  it("review mode: a request asked now waits on the Attention page with the bot's proposals", async () => {
    await askTheBotAsAMember(REVIEW_QUESTION);
    type Proposals = { review: boolean; proposals: { problemText: string; name: string }[] };
    const waiting = (a: Proposals) => a.proposals.filter((p) => p.problemText.includes(REVIEW_QUESTION));
    let a = await api<Proposals>('/api/attention');
    for (const deadline = Date.now() + 60_000; waiting(a).length === 0 && Date.now() < deadline; a = await api<Proposals>('/api/attention')) {
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(waiting(a).length, 'proposals for the new request').toBeGreaterThan(0);
    expect(a.review).toBe(true);
    expect(await visit(page, `${service.url}/attention`)).toBe('ready');
    const items = page.locator('section[data-section="Invitations waiting for review"] ul.proposals > li');
    await expect(items.count()).resolves.toBe(a.proposals.length);
    await expect(items.filter({ hasText: REVIEW_QUESTION }).count()).resolves.toBe(waiting(a).length);
    await screenshot(page, 'sandbox-review');
  });

  it('the period selector changes what every request covers and stays in the URL', async () => {
    expect(await visit(page, `${service.url}/connections?period=12w`)).toBe('ready');
    await Promise.all([page.waitForURL(/period=4w/), page.locator('.periods a[data-period="4w"]').click()]);
    expect(await settled(page)).toBe('ready');
    const c = await api<ConnectionsResponse>('/api/connections?period=4w');
    expect(c.weeks.length).toBeLessThan(12);
    expect(await page.locator('.figures tbody tr').count()).toBe(c.weeks.length);
    expect(await page.locator('.periods a[aria-current="true"]').getAttribute('data-period')).toBe('4w');
    // Navigation keeps the period.
    await Promise.all([page.waitForURL(/\/network\?period=4w/), page.locator('nav.pages a', { hasText: 'Network' }).click()]);
    expect(await settled(page)).toMatch(/ready|empty/);
    await screenshot(page, 'network-4w');
  });

  it('logs out with the button; pages then send the browser to the login page', async () => {
    await Promise.all([page.waitForURL(/\/login$/), page.locator('form.logout button').click()]);
    await page.goto(`${service.url}/network`);
    expect(new URL(page.url()).pathname).toBe('/login');
    const response = await page.request.get(`${service.url}/api/overview`);
    expect(response.status()).toBe(401);
  });

  it('the viewer login sees no message text', async () => {
    await login(page, service.url, PASSWORDS.viewer);
    const p = await api<ProblemsResponse>('/api/problems?period=12w&limit=1');
    expect(await visit(page, `${service.url}/problems/${p.items[0]!.id}`)).toBe('ready');
    expect(await page.locator('.request-text').count()).toBe(0);
    await expect(text('main .note')).resolves.toMatch(/admin login only/);
    await screenshot(page, 'problem-detail-viewer');
    await Promise.all([page.waitForURL(/\/login$/), page.locator('form.logout button').click()]);
  });

  it('no page raised a script error or a dialog', () => {
    expect(trouble).toEqual({ errors: [], dialogs: [] });
  });
});
