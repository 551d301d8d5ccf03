// One browser test's world: a temporary folder, the service started in it, Chromium with a
// page, all closed together.
import type { Page } from 'playwright-core';
import { launchChromium, type Browser } from '../../../scripts/support/browser/chromium.js';
import { tempDir, type RunningService } from '../../../scripts/support/browser/service.js';

export interface DashboardSession {
  service: RunningService;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

/** Starts the service (given the folder to use) and Chromium side by side. */
export async function openSession(prefix: string, startService: (dir: string) => Promise<RunningService>): Promise<DashboardSession> {
  const tmp = tempDir(prefix);
  const [service, browser] = await Promise.all([startService(tmp.dir), launchChromium()]).catch((error: unknown) => {
    tmp.remove();
    throw error;
  });
  const page = await browser.context.newPage();
  return {
    service,
    browser,
    page,
    close: async () => {
      await browser.close();
      await service.stop();
      tmp.remove();
    },
  };
}
