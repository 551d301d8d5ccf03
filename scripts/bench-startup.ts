// Start-up time of the whole service with 10,000 documents in the store: from start() to a
// ready /readyz, first on a fresh store (cold: no trained models stored yet), then again on the
// same store (warm: the tag classifier and calibration stored by the first run). Also the time
// until the background training that follows a start is done, and the longest event-loop stall
// meanwhile (the service answers requests and webhooks during it).
//
//   npm run bench:startup            (add -- --json for one JSON line at the end)
//
// The history is bench:matrix's (scripts/bench/matrix-history.ts). Vectors come from
// .cache/embeddings when present; texts missing there get seeded random vectors (start-up reads
// vectors from the store's cache and never looks at what they mean), unless --embed is given.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig, type Config } from '../core/config/index.js';
import { createLogger } from '../core/logging.js';
import { start } from '../main.js';
import { buildCommunity } from '../test/e2e/matrix-community.js';
import { seedTags, writeServiceConfig } from '../test/e2e/service-harness.js';
import { startFakeHomeserver } from './stand-ins/matrix-homeserver/index.js';
import { corpus, seedHistory } from './bench/matrix-history.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const embed = args.includes('--embed');
const unknown = args.filter((a) => a !== '--json' && a !== '--embed');
if (unknown.length > 0) {
  process.stderr.write(`usage: npm run bench:startup [-- --json] [-- --embed]\nunknown argument: ${unknown.join(' ')}\n`);
  process.exit(2);
}
const say = (line: string) => process.stderr.write(`${line}\n`);
const seconds = (ms: number): number => Math.round(ms / 100) / 10;

interface Run {
  /** start() called to /readyz answering 200. */
  readySeconds: number;
  /**
   * CPU time the process (all its threads) used until then: on a shared, loaded machine the wall
   * time above mostly measures waiting for a core; this shows the work itself.
   */
  readyCpuSeconds: number;
  /** start() called to the background training after it done. */
  settledSeconds: number;
  /** Longest event-loop delay (ms) between ready and settled. */
  maxLoopDelayMs: number;
}

async function run(config: Config): Promise<Run> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const app = await start(config, createLogger({ level: process.env.BENCH_LOG_LEVEL === 'info' ? 'info' : 'warn' }));
  try {
    const ready = await fetch(`http://127.0.0.1:${app.port}/readyz`);
    if (ready.status !== 200) throw new Error(`/readyz answered ${ready.status}: ${await ready.text()}`);
    const readyAt = performance.now();
    const cpu = process.cpuUsage(cpu0);
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    await app.idle();
    delay.disable();
    return { readySeconds: seconds(readyAt - t0), readyCpuSeconds: seconds((cpu.user + cpu.system) / 1000), settledSeconds: seconds(performance.now() - t0), maxLoopDelayMs: Math.round(delay.max / 1e6) };
  } finally {
    await app.stop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-bench-startup-'));
  const hs = await startFakeHomeserver({ validate: false });
  try {
    const community = buildCommunity(hs);
    const config = loadConfig({ file: writeServiceConfig(dir, hs.url), env: { MATRIX_ACCESS_TOKEN: community.bot.accessToken } });
    config.log.level = 'warn';
    config.engine.workers = 2;
    await seedTags(config.database.path);
    const history = corpus(50);
    say(`seeding ${history.docs.length} documents`);
    const synthetic = await seedHistory(config, history, say, { synthetic: !embed });
    if (synthetic > 0) say(`  ${synthetic} text chunks got seeded random vectors (not in .cache/embeddings)`);

    say('cold start (nothing trained stored yet)');
    const cold = await run(config);
    say(`  ready in ${cold.readySeconds} s (${cold.readyCpuSeconds} s of CPU); background training done at ${cold.settledSeconds} s; longest event-loop stall meanwhile ${cold.maxLoopDelayMs} ms`);
    say('warm start (same store)');
    const warm = await run(config);
    say(`  ready in ${warm.readySeconds} s (${warm.readyCpuSeconds} s of CPU); background work done at ${warm.settledSeconds} s; longest event-loop stall meanwhile ${warm.maxLoopDelayMs} ms`);
    say(`start to /readyz with ${history.docs.length} documents: cold ${cold.readySeconds} s, warm ${warm.readySeconds} s`);
    if (json) process.stdout.write(`${JSON.stringify({ documents: history.docs.length, syntheticChunks: synthetic, cold, warm })}\n`);
  } finally {
    await hs.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error(error);
  process.exit(1);
});
