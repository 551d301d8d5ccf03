// Markup in what members write must reach the dashboard as text: a store whose member name and
// problem text are HTML/script payloads, the real service on it, and every page read in Chromium
// with an ear for dialogs (alert() would mean the payload ran).
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { openStore } from '../../core/store/index.js';
import { login } from '../../scripts/support/browser/login.js';
import { screenshot, visit, watchForTrouble } from './support/pages.js';
import { startOnStore } from '../../scripts/support/browser/service.js';
import { openSession, type DashboardSession } from './support/session.js';
import { NAME_PAYLOAD, seedXssCommunity, TEXT_PAYLOAD, type XssCommunity } from './support/xss-community.js';

const PASSWORDS = { admin: 'admin-password-for-xss', viewer: 'viewer-password-for-xss' };

let session: DashboardSession;
let community: XssCommunity;

beforeAll(async () => {
  session = await openSession('co-agent-browser-xss-', async (dir) => {
    const dbPath = path.join(dir, 'xss.db');
    const store = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
    community = await seedXssCommunity(store);
    await store.close();
    return startOnStore(dir, dbPath, PASSWORDS);
  });
}, 180_000);

afterAll(async () => {
  await session?.close();
});

describe('markup in names and texts on the dashboard', () => {
  it('shows the payloads as literal text on every page, and no dialog fires', async () => {
    const { page, service } = session;
    const trouble = watchForTrouble(page);
    await login(page, service.url, PASSWORDS.admin);

    await visit(page, `${service.url}/problems?period=4w`);
    const row = page.locator(`tr[data-problem="${community.problemId}"]`);
    await expect(row.locator('td').nth(1).textContent()).resolves.toBe(TEXT_PAYLOAD.split('\n')[0]);
    await expect(row.locator('td').nth(6).textContent()).resolves.toBe(NAME_PAYLOAD);

    expect(await visit(page, `${service.url}/problems/${community.problemId}`)).toBe('ready');
    await expect(page.locator('.request-text').textContent()).resolves.toBe(TEXT_PAYLOAD);
    await expect(page.locator('.responses strong').textContent()).resolves.toBe(NAME_PAYLOAD);
    await screenshot(page, 'xss-problem-detail');

    expect(await visit(page, `${service.url}/helpers?period=4w`)).toBe('ready');
    await expect(page.locator(`tr[data-helper="${community.attackerId}"] th`).textContent()).resolves.toBe(NAME_PAYLOAD);
    await screenshot(page, 'xss-helpers');

    expect(await visit(page, `${service.url}/network?period=4w`)).toBe('ready');
    await screenshot(page, 'xss-network');

    for (const path of ['/', '/connections', '/network', '/problems', `/problems/${community.problemId}`, '/helpers', '/tags', '/attention', '/audit']) {
      await visit(page, `${service.url}${path}`);
      // Had any payload been parsed as HTML, these elements would exist in the page.
      expect(await page.locator('main img, main script, main b').count(), path).toBe(0);
    }
    expect(trouble).toEqual({ errors: [], dialogs: [] });
  });
});
