// How soon each dashboard page is usable: the real service on a store with a large community
// (100k interactions, 10k problems by default, from scripts/bench/dashboard-seed.ts), Debian's
// Chromium logged in through the login form, and for each page the time from the start of
// navigation until its main chart or table shows data (<main data-ready-ms>, measured by the
// browser). The first load of each page meets an empty API cache; later loads are repeats.
//
//   npm run bench:dashboard-pages [-- --runs 5] [-- --interactions N] [-- --problems N] [-- --json]
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Page } from 'playwright-core';
import { createLogger } from '../core/logging.js';
import { openStore } from '../core/store/index.js';
import { launchChromium } from './support/browser/chromium.js';
import { login } from './support/browser/login.js';
import { startOnStore, tempDir } from './support/browser/service.js';
import { seedDashboardData } from './bench/dashboard-seed.js';
import { nearestRankPercentile } from '../core/stats/percentile.js';

const say = (line: string) => process.stderr.write(`${line}\n`);
const TARGET_MS = 1000;
const PASSWORDS = { admin: 'bench-admin-password', viewer: 'bench-viewer-password' };

function options() {
  try {
    const { values } = parseArgs({
      options: {
        runs: { type: 'string', default: '5' },
        interactions: { type: 'string', default: '100000' },
        problems: { type: 'string', default: '10000' },
        json: { type: 'boolean', default: false },
      },
    });
    const [runs, interactions, problems] = [Number(values.runs), Number(values.interactions), Number(values.problems)];
    if (!(Number.isInteger(runs) && runs >= 1 && runs <= 50)) throw new Error('--runs must be 1..50');
    if (!(Number.isInteger(interactions) && interactions > 0 && Number.isInteger(problems) && problems > 0))
      throw new Error('--interactions and --problems must be positive whole numbers');
    return { runs, interactions, problems, json: values.json };
  } catch (error) {
    say(`usage: npm run bench:dashboard-pages [-- --runs N] [-- --interactions N] [-- --problems N] [-- --json]\n${(error as Error).message}`);
    process.exit(2);
  }
}

interface Load {
  state: string;
  readyMs: number;
  apiMs: number;
}

/** One navigation: the page's own figure, and how long its API requests took on the wire. */
async function load(page: Page, url: string): Promise<Load> {
  await page.goto(url, { waitUntil: 'commit' });
  const main = page.locator('main:not([data-state="loading"])');
  await main.waitFor({ timeout: 30_000 });
  const readyMs = Number(await main.getAttribute('data-ready-ms'));
  const state = (await main.getAttribute('data-state')) ?? '?';
  const apiMs = await page.evaluate(() =>
    Math.max(
      0,
      ...performance
        .getEntriesByType('resource')
        .filter((e) => new URL(e.name).pathname.startsWith('/api/'))
        .map((e) => e.duration),
    ),
  );
  return { state, readyMs, apiMs };
}

async function main(): Promise<void> {
  const opts = options();
  const tmp = tempDir('co-agent-bench-pages-');
  const dbPath = path.join(tmp.dir, 'dashboard.db');
  try {
    say(`seeding ${opts.interactions} interactions and ${opts.problems} problems...`);
    const store = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
    const seeded = await seedDashboardData(store, { interactions: opts.interactions, problems: opts.problems });
    await store.close();
    say(`seeded in ${seeded.seconds.toFixed(1)} s: ${JSON.stringify(seeded.counts)}; starting the service`);
    const service = await startOnStore(tmp.dir, dbPath, PASSWORDS);
    const browser = await launchChromium();
    try {
      const page = await browser.context.newPage();
      await login(page, service.url, PASSWORDS.admin);
      const list = await page.request.get(`${service.url}/api/problems?period=12w&limit=1`);
      const firstProblem = ((await list.json()) as { items: { id: number }[] }).items[0]?.id;
      const pages = ['/', '/connections', '/network', '/problems', ...(firstProblem ? [`/problems/${firstProblem}`] : []), '/helpers', '/tags'];
      const rows = [];
      for (const p of pages) {
        const loads: Load[] = [];
        // A problem's detail is not limited to a period (its API takes no parameters).
        const url = p.startsWith('/problems/') ? `${service.url}${p}` : `${service.url}${p}?period=12w`;
        for (let i = 0; i < opts.runs; i++) loads.push(await load(page, url));
        const ready = loads.map((l) => l.readyMs);
        const repeats = ready.slice(1);
        rows.push({
          page: p,
          state: loads[0]!.state,
          firstMs: ready[0]!,
          p50Ms: nearestRankPercentile(repeats.length ? repeats : ready, 50),
          maxMs: Math.max(...ready),
          apiFirstMs: Math.round(loads[0]!.apiMs),
          apiP50Ms: Math.round(
            nearestRankPercentile(
              loads.map((l) => l.apiMs),
              50,
            ),
          ),
        });
        say(`${p}: first ${ready[0]} ms, then ${repeats.join(', ')} ms`);
      }
      const width = Math.max(...rows.map((r) => r.page.length));
      const line = (cells: (string | number)[]) => cells.map((c, i) => (i === 0 ? String(c).padEnd(width) : String(c).padStart(9))).join('  ');
      const out = [
        `Page usable (main chart/table drawn), ms from navigation start; ${opts.runs} loads each, 12-week period;`,
        `store: ${seeded.counts.interactions} interactions, ${seeded.counts.problems} problems. Target: ${TARGET_MS} ms.`,
        line(['page', 'state', 'first', 'p50', 'max', 'api first', 'api p50', 'target']),
        ...rows.map((r) => line([r.page, r.state, r.firstMs, r.p50Ms, r.maxMs, r.apiFirstMs, r.apiP50Ms, r.maxMs <= TARGET_MS ? 'ok' : 'OVER'])),
      ];
      process.stdout.write(`${out.join('\n')}\n`);
      if (opts.json) process.stdout.write(`${JSON.stringify({ runs: opts.runs, counts: seeded.counts, targetMs: TARGET_MS, pages: rows })}\n`);
    } finally {
      await browser.close();
      await service.stop();
    }
  } finally {
    tmp.remove();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
