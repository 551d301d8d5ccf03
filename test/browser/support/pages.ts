// Opening dashboard pages and waiting for them the way a person would: until <main> says the
// page's chart or table is drawn ("ready"), an empty state is shown, or an error.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-artifacts/screenshots/', import.meta.url));

export type PageState = 'ready' | 'empty' | 'error';

export async function settled(page: Page, timeout = 15_000): Promise<PageState> {
  const main = page.locator('main:not([data-state="loading"])');
  await main.waitFor({ timeout });
  return (await main.getAttribute('data-state')) as PageState;
}

export async function visit(page: Page, url: string): Promise<PageState> {
  await page.goto(url);
  return settled(page);
}

/** Saves a full-page screenshot as a test artifact; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Collects what must never happen on a page: script errors, console errors (failed loads, CSP
 * violations) and dialogs (an alert() from injected markup).
 */
export function watchForTrouble(page: Page): { errors: string[]; dialogs: string[] } {
  const trouble = { errors: [] as string[], dialogs: [] as string[] };
  page.on('pageerror', (error) => trouble.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') trouble.errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('dialog', (dialog) => {
    trouble.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  return trouble;
}
