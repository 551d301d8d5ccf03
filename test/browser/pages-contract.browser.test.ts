// The pages against the API contract, with a stand-in API serving fixed answers: every page
// draws its data, an empty community gets friendly empty states, and markup in names and texts
// stays text. (The real service and its data: dashboard.browser.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from '../../scripts/support/browser/chromium.js';
import { communityAnswers, emptyAnswers } from './support/fixtures.js';
import { visit, watchForTrouble } from './support/pages.js';
import { startStubDashboard } from './support/stub-api.js';

const PAGES = ['/', '/connections', '/network', '/problems', '/problems/1', '/helpers', '/tags'];
const PAYLOAD = '<img src=x onerror=alert(1)>';
const SCRIPT_PAYLOAD = '<script>alert(2)</script> supplier audit';

let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

async function withStub(answers: Parameters<typeof startStubDashboard>[0], run: (url: string, page: Page) => Promise<void>) {
  const stub = await startStubDashboard(answers);
  const page = await browser.context.newPage();
  try {
    await run(stub.url, page);
  } finally {
    await page.close();
    await stub.close();
  }
}

describe('dashboard pages against the API contract', () => {
  it('draws every page from its API answer, under the CSP, with no script error', async () => {
    await withStub(communityAnswers(), async (url, page) => {
      const trouble = watchForTrouble(page);
      for (const path of PAGES) expect(await visit(page, url + path), path).toBe('ready');
      expect(trouble).toEqual({ errors: [], dialogs: [] });

      await visit(page, `${url}/`);
      await expect(page.locator('[data-metric="bypassRate"] .value').textContent()).resolves.toBe('31%');
      await expect(page.locator('[data-metric="medianTimeToFirstResponseMs"] .change').textContent()).resolves.toMatch(/^−15 min/);
      expect(await page.locator('canvas').count()).toBe(1);

      await visit(page, `${url}/network`);
      expect(await page.locator('.graph').getAttribute('data-nodes')).toBe('8');
      expect(await page.locator('.graph canvas').count()).toBeGreaterThan(0);
      await expect(page.locator('.brokers li').allTextContents()).resolves.toEqual(['Ben Osei']);
      await expect(page.locator('.isolated li').allTextContents()).resolves.toEqual(['Hana Sato']);
      await expect(page.locator('[data-opted-out]').textContent()).resolves.toBe('2');
      await expect(page.locator('[data-summary="density"]').textContent()).resolves.toBe('33%');
      await expect(page.locator('.same-person-list li').allTextContents()).resolves.toEqual(['Ada Keller and Ada Keller (forum ada_k)']);

      // People, not accounts: each person's accounts in their row; a probable pair flagged and listed.
      await visit(page, `${url}/helpers`);
      await expect(page.locator('tr[data-helper="2"] td.accounts').textContent()).resolves.toBe('Matrix @member2:localhost · forum member2');
      await expect(page.locator('tr[data-helper="1"] .same-person-flag').textContent()).resolves.toBe('probably also forum ada_k');
      await expect(page.locator('.same-person tbody tr').count()).resolves.toBe(1);
      await expect(page.locator('.same-person tbody tr td').last().textContent()).resolves.toBe('offered, no answer yet');
      await visit(page, `${url}/`);
      await expect(page.locator('.people').textContent()).resolves.toBe(
        '9 people with 12 accounts; 3 use both platforms. 1 pair is probably the same person, not linked yet.',
      );
      await expect(page.locator('.people a').getAttribute('href')).resolves.toBe('/helpers#same-person');
    });
  });

  it('shows a friendly empty state on every page of an empty community', async () => {
    await withStub(emptyAnswers(), async (url, page) => {
      const trouble = watchForTrouble(page);
      for (const path of PAGES.filter((p) => p !== '/problems/1')) {
        expect(await visit(page, url + path), path).toBe('empty');
        expect(await page.locator('.empty').textContent(), path).toMatch(/no|nobody/i);
      }
      expect(trouble).toEqual({ errors: [], dialogs: [] });
      // An unknown problem: the API's 404 becomes a message, not an error page.
      expect(await visit(page, `${url}/problems/2`)).toBe('empty');
      await expect(page.locator('.empty').textContent()).resolves.toContain('There is no problem #2');
    });
  });

  it('shows markup in member names and problem texts as literal text, and drops non-web links', async () => {
    await withStub(communityAnswers({ memberName: PAYLOAD, problemText: SCRIPT_PAYLOAD }), async (url, page) => {
      const trouble = watchForTrouble(page);
      await visit(page, `${url}/problems`);
      await expect(page.locator('tr[data-problem="1"] td').nth(1).textContent()).resolves.toBe(SCRIPT_PAYLOAD);
      await expect(page.locator('tr[data-problem="1"] td').nth(6).textContent()).resolves.toBe(PAYLOAD);
      await visit(page, `${url}/problems/1`);
      await expect(page.locator('.problem-title').textContent()).resolves.toBe(SCRIPT_PAYLOAD);
      await expect(page.locator('.request-text').textContent()).resolves.toContain(SCRIPT_PAYLOAD);
      // The fixture's forum link is javascript:alert(1); only the Matrix link may become an anchor.
      await expect(page.locator('.links a').allTextContents()).resolves.toEqual(['Open the Matrix thread']);
      await visit(page, `${url}/helpers`);
      await expect(page.locator('tr[data-helper="1"] th').textContent()).resolves.toBe(PAYLOAD);
      await visit(page, `${url}/network`);
      await expect(page.locator('.brokers li, .isolated li').allTextContents()).resolves.not.toContain(PAYLOAD);
      for (const path of PAGES) {
        await visit(page, url + path);
        expect(await page.locator('main img, main script').count(), path).toBe(0);
      }
      expect(trouble).toEqual({ errors: [], dialogs: [] });
    });
  });
});
