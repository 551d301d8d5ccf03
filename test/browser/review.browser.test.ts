// Review mode in Chromium on the real service (concierge.mode: review): the bot's proposals
// wait on the Attention page; approving one with a personal word sends it once, skipping one
// sends nothing, and a note with markup stays text.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { openStore, type Invitation, type Store } from '../../core/store/index.js';
import { consoleAnswers } from './support/console-answers.js';
import { login } from '../../scripts/support/browser/login.js';
import { screenshot, visit, watchForTrouble } from './support/pages.js';
import { startOnStore } from '../../scripts/support/browser/service.js';
import { openSession, type DashboardSession } from './support/session.js';
import { NAME_PAYLOAD, TEXT_PAYLOAD } from './support/xss-community.js';

const PASSWORDS = { admin: 'admin-password-for-review', viewer: 'viewer-password-for-review' };

let session: DashboardSession;
let store: Store;
let dbPath: string;
let problemId: number;
let proposed: Invitation[];

beforeAll(async () => {
  session = await openSession('co-agent-browser-review-', async (dir) => {
    dbPath = path.join(dir, 'review.db');
    const seed = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
    const member = async (externalId: string, displayName: string) =>
      (await seed.members.upsertByIdentity({ platform: 'matrix', externalId, displayName })).member;
    const asker = await member('@alice:localhost', 'Alice Example');
    const helpers = [await member('@bob:localhost', 'Bob Example'), await member('@carol:localhost', NAME_PAYLOAD)];
    problemId = (
      await seed.problems.create({
        originatorId: asker.id,
        platform: 'matrix',
        text: 'How do we split equity with a late cofounder?',
        sourceEventId: '$review-problem',
        containerId: '!room:localhost',
        threadId: '$review-problem',
        tags: [{ name: 'equity', confidence: 0.9 }],
        createdAt: new Date(),
      })
    ).id;
    // What the bot proposes in review mode: invitations left pending, with its reasons.
    proposed = [];
    for (const [i, h] of helpers.entries()) {
      proposed.push(
        (
          await seed.invitations.create({
            problemId: problemId as never,
            memberId: h.id,
            reason: `answered ${3 - i} equity questions`,
            score: 0.9 - i / 10,
            createdAt: new Date(),
          })
        ).value,
      );
    }
    await seed.close();
    return startOnStore(dir, dbPath, PASSWORDS, ['concierge:', '  mode: review', '  reviewMinutes: 600']);
  });
  store = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
}, 180_000);

afterAll(async () => {
  await store?.close();
  await session?.close();
});

describe('review mode in the browser', () => {
  it('lists the proposals; approving one (double-clicked) sends it once with the note; skipping sends nothing', async () => {
    const { page, service } = session;
    const trouble = watchForTrouble(page);
    await login(page, service.url, PASSWORDS.admin);
    expect(await visit(page, `${service.url}/attention`)).toBe('ready');
    const items = page.locator('section[data-section="Invitations waiting for review"] ul.proposals > li');
    await expect(items.count()).resolves.toBe(2);
    await expect(items.nth(1).locator('strong').textContent()).resolves.toBe(NAME_PAYLOAD);
    await screenshot(page, 'console-review');

    const bob = page.locator(`ul.proposals > li[data-member="${proposed[0]!.memberId}"]`);
    await bob.locator('form[data-kind="approve"] textarea[name="note"]').fill(TEXT_PAYLOAD);
    const approved = consoleAnswers(session.page, 'approve', 2);
    await bob.locator('form[data-kind="approve"] button[type="submit"]').dblclick();
    const statuses = await Promise.all((await approved).map(async (r) => ((await r.json()) as { status: string }).status));
    expect(statuses.sort()).toEqual(['done', 'repeated']);
    const sent = await store.outbox.get(`matrix:review:${proposed[0]!.id}`);
    expect(sent?.payload).toContain(JSON.stringify(TEXT_PAYLOAD).slice(1, -1));
    expect((await store.invitations.find(problemId as never, proposed[0]!.memberId))?.status).toBe('sent');

    const carol = page.locator(`ul.proposals > li[data-member="${proposed[1]!.memberId}"]`);
    const skipped = consoleAnswers(session.page, 'skip', 1);
    await carol.locator('form[data-kind="skip"] button[type="submit"]').click();
    expect((await skipped)[0]!.status()).toBe(200);
    expect((await store.invitations.find(problemId as never, proposed[1]!.memberId))?.status).toBe('declined');
    expect(await store.outbox.get(`matrix:review:${proposed[1]!.id}`)).toBeNull();

    expect(await visit(page, `${service.url}/attention`)).toBe('ready');
    await expect(items.count()).resolves.toBe(0);
    expect(await page.locator('main img, main script, main b').count()).toBe(0);
    expect(trouble).toEqual({ errors: [], dialogs: [] });
  });
});
