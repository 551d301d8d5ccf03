// Logging in to the dashboard as a person does: the login page's password field and button.
// Shared by the browser tests and the page-load bench (which must not import test files).
import type { Page } from 'playwright-core';

export async function submitLogin(page: Page, baseUrl: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.locator('input[type="password"]').fill(password);
  await Promise.all([page.waitForNavigation(), page.locator('form button[type="submit"]').click()]);
}

/** Logs in and waits for the first dashboard page to settle; fails with the login page's message. */
export async function login(page: Page, baseUrl: string, password: string): Promise<void> {
  await submitLogin(page, baseUrl, password);
  if (new URL(page.url()).pathname === '/login') {
    const message = await page
      .locator('[role="alert"]')
      .textContent()
      .catch(() => null);
    throw new Error(`login refused: ${message ?? 'no message'}`);
  }
  await page.locator('main:not([data-state="loading"])').waitFor({ timeout: 15_000 });
}
