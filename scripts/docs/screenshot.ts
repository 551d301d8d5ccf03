// The README's dashboard picture (docs/dashboard.png): the sandbox plays some simulated weeks, then
// Debian's Chromium (playwright-core) logs in to the dashboard and captures the overview page.
//
//   npx tsx scripts/docs/screenshot.ts [--weeks N] [--out FILE]
//
// Needs /usr/bin/chromium (bash scripts/setup/install-chromium.sh). Takes a few minutes: the
// sandbox reads its history and plays the weeks first (12 by default, as `npm start` does).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from '../support/browser/chromium.js';
import { login } from '../support/browser/login.js';
import { startSandbox, tempDir } from '../support/browser/service.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORDS = { admin: 'screenshot-admin-password', viewer: 'screenshot-viewer-password' };
const say = (line: string) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    weeks: { type: 'string', default: '12' },
    out: { type: 'string', default: path.join(ROOT, 'docs', 'dashboard.png') },
  },
});
const weeks = Number(values.weeks);
if (!Number.isInteger(weeks) || weeks < 1 || weeks > 52) {
  say('usage: npx tsx scripts/docs/screenshot.ts [--weeks 1..52] [--out FILE]');
  process.exit(2);
}

const work = tempDir('co-agent-screenshot-');
say(`[screenshot] starting the sandbox for ${weeks} simulated week(s); this takes a few minutes`);
const service = await startSandbox(work.dir, PASSWORDS, weeks, { timeoutMs: 30 * 60_000 });
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await login(page, service.url, PASSWORDS.admin);
  await page.goto(`${service.url}/`);
  await page.locator('main[data-state="ready"]').waitFor({ timeout: 60_000 });
  mkdirSync(path.dirname(values.out), { recursive: true });
  await page.screenshot({ path: values.out, fullPage: false });
  say(`[screenshot] wrote ${values.out}`);
} finally {
  await browser.close();
  await service.stop();
  work.remove();
}
