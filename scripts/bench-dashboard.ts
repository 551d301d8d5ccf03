// How fast the dashboard's API answers on a big community: a fresh SQLite store filled with
// 100k interactions and 10k problems (scripts/bench/dashboard-seed.ts), the dashboard served
// over real HTTP on loopback, each endpoint called in turn after logging in.
//
// Three figures per endpoint: first (the first request since start: nothing to answer with
// but a full computation), warm (the data did not change since the answer was computed: what
// a manager clicking around sees; p50/p95 of --samples requests) and cold (the first request
// after a write to the store, a new interaction as a live community makes them: median and p95
// of --cold requests). After a write the figures over the whole history answer with the
// previous figures while they are recomputed (dashboard.staleSeconds, default 300); with
// --stale-seconds 0 every cold request waits for its recompute. Figures are recomputed on the
// dashboard's worker thread; the event loop's longest delay over the whole run
// (perf_hooks.monitorEventLoopDelay, this process is the service) shows whether one held it up.
//
//   npm run bench:dashboard [-- --json] [-- --samples 40] [-- --cold 5] [-- --stale-seconds 300] [-- --interactions 100000 --problems 10000 --members 400]
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileSchema } from '../bridges/config.js';
import { registerBuiltInPlatforms } from '../bridges/profiles.js';
import { createLogger } from '../core/logging.js';
import { openStore } from '../core/store/index.js';
import { createDashboard } from '../web/dashboard/index.js';
import { startHttpServer } from '../web/server.js';
import { loginToDashboard } from './bench/dashboard-client.js';
import { seedDashboardData } from './bench/dashboard-seed.js';
import { nearestRankPercentile } from '../core/stats/percentile.js';
import { benchStore, type BenchStoreKind } from './bench/bench-store.js';
import type { MemberId } from '../core/types.js';

const say = (line: string) => process.stderr.write(`${line}\n`);
const USAGE =
  'usage: npm run bench:dashboard [-- --json] [-- --store sqlite|postgresql] [-- --samples N] [-- --cold N] [-- --stale-seconds N] [-- --interactions N] [-- --problems N] [-- --members N]';

function options() {
  try {
    const { values } = parseArgs({
      options: {
        json: { type: 'boolean', default: false },
        samples: { type: 'string', default: '40' },
        cold: { type: 'string', default: '5' },
        'stale-seconds': { type: 'string', default: String(fileSchema.parse({}).dashboard.staleSeconds) },
        interactions: { type: 'string', default: '100000' },
        problems: { type: 'string', default: '10000' },
        members: { type: 'string', default: '400' },
        store: { type: 'string', default: 'sqlite' },
      },
    });
    if (values.store !== 'sqlite' && values.store !== 'postgresql') throw new Error('--store must be sqlite or postgresql');
    const int = (name: keyof typeof values, min: number, max: number): number => {
      const n = Number(values[name]);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
      return n;
    };
    return {
      json: values.json === true,
      samples: int('samples', 1, 10_000),
      cold: int('cold', 0, 100),
      staleSeconds: int('stale-seconds', 0, 86_400),
      interactions: int('interactions', 0, 10_000_000),
      problems: int('problems', 0, 1_000_000),
      members: int('members', 3, 100_000),
      store: values.store as BenchStoreKind,
    };
  } catch (error) {
    process.stderr.write(`${USAGE}\n${(error as Error).message}\n`);
    process.exit(2);
  }
}

interface Row {
  endpoint: string;
  firstMs: number;
  warmP50Ms: number;
  warmP95Ms: number;
  coldMedianMs: number | null;
  coldP95Ms: number | null;
  bytes: number;
}

async function main(): Promise<void> {
  registerBuiltInPlatforms();
  const opts = options();
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-bench-dashboard-'));
  const logger = createLogger({ level: 'warn' });
  const database = await benchStore(opts.store, dir);
  const store = await openStore({ path: database.location, logger: createLogger({ level: 'silent' }) });
  try {
    say(`seeding ${opts.interactions} interactions, ${opts.problems} problems, ${opts.members} members ...`);
    const seeded = await seedDashboardData(store, { interactions: opts.interactions, problems: opts.problems, members: opts.members });
    say(`seeded in ${seeded.seconds.toFixed(1)} s: ${JSON.stringify(seeded.counts)}`);

    const password = randomBytes(16).toString('base64url');
    const dashboard = await createDashboard({
      store,
      logger,
      config: { ...fileSchema.parse({}).dashboard, password, refreshSeconds: 1, staleSeconds: opts.staleSeconds },
      links: { discourseBaseUrl: 'https://forum.bench.example' },
    });
    const server = await startHttpServer({ host: '127.0.0.1', port: 0, logger, routes: { '/': dashboard.router } });
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const { cookie } = await loginToDashboard(base, password);
      const get = async (url: string): Promise<{ ms: number; bytes: number }> => {
        const started = performance.now();
        const res = await fetch(`${base}${url}`, { headers: { cookie } });
        const body = await res.arrayBuffer();
        const ms = performance.now() - started;
        if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${Buffer.from(body).toString().slice(0, 200)}`);
        return { ms, bytes: body.byteLength };
      };
      const someProblem = seeded.counts.problems > 0 ? Math.ceil(seeded.counts.problems / 2) : 1;
      const endpoints = [
        '/api/overview',
        '/api/connections',
        '/api/network',
        '/api/helpers',
        '/api/tags',
        '/api/problems',
        '/api/problems?q=team%20meeting&status=solved',
        '/api/problems?tag=hiring&offset=100',
        `/api/problems/${someProblem}`,
        '/api/overview?period=52w',
        '/api/connections?period=all',
        '/api/network?period=52w',
        '/api/tags?period=all',
      ];
      const rows: Row[] = [];
      let writes = 0;
      const loop = monitorEventLoopDelay({ resolution: 5 });
      loop.enable();
      const [a, b] = [1, 2] as MemberId[];
      for (const endpoint of endpoints) {
        const firstMs = (await get(endpoint)).ms;
        const cold: number[] = [];
        for (let i = 0; i < opts.cold; i++) {
          // A write changes the store's fingerprint; once the dashboard looks again (every
          // refreshSeconds: 1 s here, 30 s by default) the next request is a cold one.
          await store.interactions.record({
            fromMemberId: a!,
            toMemberId: b!,
            kind: 'reply',
            platform: 'matrix',
            mediated: false,
            occurredAt: new Date(),
            sourceEventId: `bench:write:${++writes}`,
          });
          await new Promise((r) => setTimeout(r, 1100));
          cold.push((await get(endpoint)).ms);
          // Lets the recompute that request started finish before the next write, as a manager's
          // next click would a few seconds later.
          await new Promise((r) => setTimeout(r, 2000));
        }
        const warm: number[] = [];
        let bytes = 0;
        for (let i = 0; i < opts.samples; i++) {
          const r = await get(endpoint);
          warm.push(r.ms);
          bytes = r.bytes;
        }
        const row = {
          endpoint,
          firstMs,
          warmP50Ms: nearestRankPercentile(warm, 50),
          warmP95Ms: nearestRankPercentile(warm, 95),
          coldMedianMs: cold.length > 0 ? nearestRankPercentile(cold, 50) : null,
          coldP95Ms: cold.length > 0 ? nearestRankPercentile(cold, 95) : null,
          bytes,
        };
        rows.push(row);
        say(
          `${endpoint}: first ${firstMs.toFixed(0)} ms; warm p50 ${row.warmP50Ms.toFixed(1)} ms, p95 ${row.warmP95Ms.toFixed(1)} ms; cold median ${row.coldMedianMs?.toFixed(0) ?? '-'} ms, p95 ${row.coldP95Ms?.toFixed(0) ?? '-'} ms`,
        );
      }
      loop.disable();
      const loopDelayMaxMs = Math.round(loop.max / 1e5) / 10;
      const coldP95Ms = Math.max(...rows.map((r) => r.coldP95Ms ?? 0));
      const firstMaxMs = Math.max(...rows.map((r) => r.firstMs));
      say(
        `event loop: longest delay ${loopDelayMaxMs} ms over the requests; slowest cold p95 ${coldP95Ms.toFixed(0)} ms (staleSeconds ${opts.staleSeconds}); slowest first request ${firstMaxMs.toFixed(0)} ms`,
      );
      const exports = [];
      for (const url of ['/export/problems.csv?period=all', '/export/interactions.csv?period=all']) {
        const r = await get(url);
        exports.push({ endpoint: url, ms: r.ms, bytes: r.bytes });
      }

      if (opts.json) {
        process.stdout.write(
          `${JSON.stringify({ store: opts.store, seeded: seeded.counts, samples: opts.samples, coldRuns: opts.cold, staleSeconds: opts.staleSeconds, coldP95Ms, firstMaxMs, loopDelayMaxMs, endpoints: rows, exports })}\n`,
        );
        return;
      }
      const fmt = (n: number | null) => (n === null ? '-' : n.toFixed(1)).padStart(9);
      process.stdout.write(
        `\nDashboard API over HTTP: ${seeded.counts.interactions} interactions, ${seeded.counts.problems} problems, ${opts.members} members\n`,
      );
      process.stdout.write(
        `first: the first request since start; warm: ${opts.samples} requests each, data unchanged; cold: median and p95 of ${opts.cold} first requests after a write (staleSeconds ${opts.staleSeconds})\n`,
      );
      process.stdout.write(`event loop's longest delay over the requests: ${loopDelayMaxMs} ms\n\n`);
      process.stdout.write(
        `${'endpoint'.padEnd(50)} ${'first ms'.padStart(9)} ${'p50 ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'cold ms'.padStart(9)} ${'cold p95'.padStart(9)} ${'KB'.padStart(7)}\n`,
      );
      for (const r of rows) {
        process.stdout.write(
          `${r.endpoint.padEnd(50)} ${fmt(r.firstMs)} ${fmt(r.warmP50Ms)} ${fmt(r.warmP95Ms)} ${fmt(r.coldMedianMs)} ${fmt(r.coldP95Ms)} ${(r.bytes / 1024).toFixed(0).padStart(7)}\n`,
        );
      }
      for (const e of exports) process.stdout.write(`${e.endpoint.padEnd(50)} ${fmt(e.ms)} (one request) ${(e.bytes / 1024).toFixed(0).padStart(7)} KB\n`);
    } finally {
      await server.close();
      await dashboard.close();
    }
  } finally {
    await store.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exitCode = 1;
});
