// The console in Chromium on the real service: the Attention page, an invitation sent with a
// double click (one message), a summary and a note carrying markup (stored and shown as text),
// marking solved, the audit log, tag approval, renaming and merging on the Tags page, and a
// viewer kept out.
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { consoleAnswers } from './support/console-answers.js';
import { login } from '../../scripts/support/browser/login.js';
import { screenshot, visit, watchForTrouble } from './support/pages.js';
import { startOnStore } from '../../scripts/support/browser/service.js';
import { openSession, type DashboardSession } from './support/session.js';
import { NAME_PAYLOAD, TEXT_PAYLOAD } from './support/xss-community.js';

const PASSWORDS = { admin: 'admin-password-for-console', viewer: 'viewer-password-for-console' };
const HOUR = 3_600_000;

let session: DashboardSession;
let store: Store;
let problemId: number;
let helperId: number;
let dbPath: string;

beforeAll(async () => {
  session = await openSession('co-agent-browser-console-', async (dir) => {
    dbPath = path.join(dir, 'console.db');
    const seed = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
    const member = async (externalId: string, displayName: string) =>
      (await seed.members.upsertByIdentity({ platform: 'matrix', externalId, displayName })).member;
    const asker = await member('@mallory:localhost', NAME_PAYLOAD);
    helperId = (await member('@bob:localhost', 'Bob Example')).id;
    await member('@nina:localhost', 'Nina Newcomer');
    // A request nobody was found for, 30 hours old: stuck and without a helper.
    problemId = (
      await seed.problems.create({
        originatorId: asker.id,
        platform: 'matrix',
        text: TEXT_PAYLOAD,
        sourceEventId: '$console-problem',
        containerId: '!room:localhost',
        threadId: '$console-problem',
        tags: [{ name: 'onboarding', confidence: 0.9 }],
        createdAt: new Date(Date.now() - 30 * HOUR),
      })
    ).id;
    // Tags proposed from the history, one named with markup (it must show as text).
    await seed.tags.propose('remote-work', 'Recurring theme in 6 messages: remote, time zones, video calls.');
    await seed.tags.propose(NAME_PAYLOAD, TEXT_PAYLOAD);
    await seed.close();
    return startOnStore(dir, dbPath, PASSWORDS);
  });
  // A second connection to the service's database, to check what the console recorded.
  store = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
}, 180_000);

afterAll(async () => {
  await store?.close();
  await session?.close();
});

/**
 * A console form's status line once the page has handled the answer: the response event fires
 * when its headers arrive, while the page still shows "Sending…" until it has read the body.
 */
async function answeredStatus(form: Locator): Promise<string | null> {
  const status = form.locator('.action-status', { hasNotText: 'Sending…' });
  await status.waitFor();
  return status.textContent();
}

describe('the console in the browser', () => {
  it('shows the Attention page, and a double-clicked invitation with a marked-up note goes out once', async () => {
    const { page, service } = session;
    const trouble = watchForTrouble(page);
    await login(page, service.url, PASSWORDS.admin);
    await expect(page.locator('nav.pages a[href^="/attention"]').count()).resolves.toBe(1);
    expect(await visit(page, `${service.url}/attention`)).toBe('ready');
    const card = page.locator(`section[data-section="Requests with no possible helper"] article[data-problem="${problemId}"]`);
    await expect(card.locator('.request-text').textContent()).resolves.toBe(TEXT_PAYLOAD);
    await expect(card.locator('h3').textContent()).resolves.toContain(NAME_PAYLOAD);
    await expect(page.locator('ul.newcomers li strong').allTextContents()).resolves.toContain('Nina Newcomer');
    await screenshot(page, 'console-attention');

    const invite = card.locator('form[data-kind="invite"]');
    await invite.locator('select[name="member"]').selectOption(String(helperId));
    await invite.locator('textarea[name="note"]').fill(`${NAME_PAYLOAD} ${TEXT_PAYLOAD}`);
    const answers = consoleAnswers(session.page, 'invite', 2);
    await invite.locator('button[type="submit"]').dblclick();
    const statuses = await Promise.all((await answers).map(async (r) => ((await r.json()) as { status: string }).status));
    expect(statuses.sort()).toEqual(['done', 'repeated']);
    const sent = await store.outbox.get(`console:invite:${problemId}:${helperId}`);
    expect(sent).not.toBeNull();
    // The note travels as text inside the bot's message, exactly as typed.
    expect(JSON.stringify(JSON.parse(sent!.payload))).toContain(JSON.stringify(`${NAME_PAYLOAD} ${TEXT_PAYLOAD}`).slice(1, -1));
    expect((await store.consoleActions.list({ kind: 'invite' })).map((r) => r.outcome)).toEqual(['done']);
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    expect(trouble).toEqual({ errors: [], dialogs: [] });
  });

  it('posts a summary, marks the request solved, and lists both in the audit log as text', async () => {
    const { page, service } = session;
    const trouble = watchForTrouble(page);
    expect(await visit(page, `${service.url}/attention`)).toBe('ready');
    const card = page.locator(`article[data-problem="${problemId}"]`).first();
    const summary = card.locator('form[data-kind="summary"]');
    await summary.locator('textarea[name="text"]').fill(TEXT_PAYLOAD);
    const summarised = consoleAnswers(session.page, 'summary', 1);
    await summary.locator('button[type="submit"]').click();
    expect((await summarised)[0]!.status()).toBe(200);
    await expect(answeredStatus(summary)).resolves.toBe(`Summary posted to ${NAME_PAYLOAD}.`);

    const solve = card.locator('form[data-kind="solve"]');
    const solved = consoleAnswers(session.page, 'solve', 1);
    await solve.locator('button[type="submit"]').click();
    expect((await solved)[0]!.status()).toBe(200);
    expect((await store.problems.get(problemId as never))?.status).toBe('solved');
    // Acting again on the solved request is refused, and says why.
    const close = card.locator('form[data-kind="close"]');
    const closed = consoleAnswers(session.page, 'close', 1);
    await close.locator('button[type="submit"]').click();
    expect((await closed)[0]!.status()).toBe(409);
    await expect(answeredStatus(close)).resolves.toBe(`Request ${problemId} is solved already; nothing was sent.`);

    expect(await visit(page, `${service.url}/attention`)).toBe('ready');
    await expect(page.locator(`article[data-problem="${problemId}"]`).count()).resolves.toBe(0);

    expect(await visit(page, `${service.url}/audit`)).toBe('ready');
    await expect(page.locator('table.audit tbody tr td:nth-child(4)').allTextContents()).resolves.toEqual(['close', 'solve', 'summary', 'invite']);
    await expect(page.locator('table.audit tbody tr td:nth-child(2)').allTextContents()).resolves.toEqual(['admin', 'admin', 'admin', 'admin']);
    await expect(page.locator('table.audit td.detail').nth(2).textContent()).resolves.toContain(TEXT_PAYLOAD);
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    await screenshot(page, 'console-audit');
    expect(await visit(page, `${service.url}/audit?kind=summary`)).toBe('ready');
    await expect(page.locator('table.audit tbody tr').count()).resolves.toBe(1);
    // Chromium logs every 4xx answer as an error; the refused close is the one expected.
    expect(trouble.errors.filter((e) => !e.includes('409 (Conflict)') || !e.endsWith('/console/close)'))).toEqual([]);
    expect(trouble.dialogs).toEqual([]);
  });

  it('approves (once for a double click), renames and merges tags on the Tags page; markup in names stays text; no CSRF token, no change', async () => {
    const { page, service } = session;
    const trouble = watchForTrouble(page);
    expect(await visit(page, `${service.url}/tags`)).toBe('ready');
    const panel = page.locator('section[data-section="vocabulary"]');
    const row = (name: string) => panel.locator('tbody tr').filter({ has: page.locator('th', { hasText: name }) });
    await expect(row(NAME_PAYLOAD).locator('th').textContent()).resolves.toBe(NAME_PAYLOAD);
    await expect(row(NAME_PAYLOAD).locator('td.description').textContent()).resolves.toBe(TEXT_PAYLOAD);
    await expect(row('remote-work').getAttribute('data-status')).resolves.toBe('proposed');
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    await screenshot(page, 'console-tags');

    const approved = consoleAnswers(page, 'tag-approve', 2);
    await row('remote-work').locator('form[data-kind="tag-approve"] button[type="submit"]').dblclick();
    const statuses = await Promise.all((await approved).map(async (r) => ((await r.json()) as { status: string }).status));
    expect(statuses.sort()).toEqual(['done', 'repeated']);
    await panel.locator('.vocabulary-status', { hasText: 'Approved' }).waitFor();
    await expect(page.locator('section[data-section="vocabulary"] .vocabulary-status').textContent()).resolves.toBe(
      'Approved: requests are tagged "remote-work" from now on.',
    );
    expect((await store.tags.get('remote-work'))?.status).toBe('active');

    const rename = row('remote-work').locator('form[data-kind="tag-rename"]');
    await rename.locator('input[name="to"]').fill('distributed-teams');
    const renamed = consoleAnswers(page, 'tag-rename', 1);
    await rename.locator('button[type="submit"]').click();
    expect((await renamed)[0]!.status()).toBe(200);
    await panel.locator('.vocabulary-status', { hasText: 'Renamed' }).waitFor();
    expect(await store.tags.get('remote-work')).toBeNull();
    expect((await store.tags.get('distributed-teams'))?.status).toBe('active');

    // The request tagged "onboarding" moves to the tag merged into; "onboarding" is gone.
    const merge = row('onboarding').locator('form[data-kind="tag-merge"]');
    await merge.locator('select[name="to"]').selectOption('distributed-teams');
    const merged = consoleAnswers(page, 'tag-merge', 1);
    await merge.locator('button[type="submit"]').click();
    expect((await merged)[0]!.status()).toBe(200);
    await panel.locator('.vocabulary-status', { hasText: 'Merged' }).waitFor();
    expect(await store.tags.get('onboarding')).toBeNull();
    expect((await store.problems.get(problemId as never))?.tags.map((t) => t.name)).toEqual(['distributed-teams']);
    await expect(row('onboarding').count()).resolves.toBe(0);

    // Without the session's CSRF token the same kind of request is refused and changes nothing.
    const forged = await page.request.post(`${service.url}/console/tag-approve`, { form: { request: 'forged-000000001', tag: NAME_PAYLOAD } });
    expect(forged.status()).toBe(403);
    expect((await store.tags.get(NAME_PAYLOAD))?.status).toBe('proposed');

    expect((await store.consoleActions.list({ kind: 'tag-approve' })).map((r) => [r.staff, r.outcome])).toEqual([['admin', 'done']]);
    expect((await store.consoleActions.list({ kind: 'tag-merge' })).map((r) => r.subject)).toEqual(['tag onboarding']);
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    expect(trouble.dialogs).toEqual([]);
    expect(trouble.errors.filter((e) => !e.includes('403 (Forbidden)'))).toEqual([]);
  });

  it('keeps a viewer out of the console: no link, 403 on the page, refused POST', async () => {
    const { page, service } = session;
    await page.locator('form.logout button').click();
    await page.waitForURL(/\/login$/);
    await login(page, service.url, PASSWORDS.viewer);
    await expect(page.locator('nav.pages a[href^="/attention"]').count()).resolves.toBe(0);
    const response = await page.goto(`${service.url}/attention`);
    expect(response?.status()).toBe(403);
    await page.goto(`${service.url}/`);
    const csrf = await page.locator('form.logout input[name="csrf"]').inputValue();
    // The browser context's own cookies (the viewer's session) go with this request.
    const refused = await page.request.post(`${service.url}/console/close`, {
      form: { csrf, request: 'viewer-0000001', problem: String(problemId), note: '' },
    });
    const status = refused.status();
    expect(status).toBe(403);

    // The tag vocabulary is shown to a viewer, without a form; a tag action is refused.
    expect(await visit(page, `${service.url}/tags`)).toBe('ready');
    await expect(page.locator('section[data-section="vocabulary"] tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('section[data-section="vocabulary"] form').count()).resolves.toBe(0);
    const tagRefused = await page.request.post(`${service.url}/console/tag-approve`, { form: { csrf, request: 'viewer-0000002', tag: NAME_PAYLOAD } });
    expect(tagRefused.status()).toBe(403);
    expect((await store.tags.get(NAME_PAYLOAD))?.status).toBe('proposed');
  });
});
