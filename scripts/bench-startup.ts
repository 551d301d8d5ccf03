// Start-up time of the whole service with 10,000 documents in the store: from start() to a
// ready /readyz, first on a fresh store (cold: no trained models stored yet), then again on the
// same store (warm: the tag classifier and calibration stored by the first run). Also the time
// until the background training that follows a start is done, and the longest event-loop stall
// meanwhile (the service answers requests and webhooks during it).
//
//   npm run bench:startup            (add -- --json for one JSON line at the end)
//   npm run bench:startup -- --docs 100000   another history size (default 10,000)
//   npm run bench:startup -- --docs 1000000 --precision int8 --ready-only
//       --precision int8: engine.vectorPrecision int8 (as a service that large should run)
//       --ready-only: each start is stopped once /readyz answers, without waiting for the
//       background training after it (the warm start then has no newly trained model stored)
//
// The history is bench:matrix's (scripts/bench/matrix-history.ts). Vectors come from
// .cache/embeddings when present; texts missing there get seeded random vectors (start-up reads
// vectors from the store's cache and never looks at what they mean), unless --embed is given.
// With --docs above 10,000 the history is repeated (copies get their own ids and threads, the
// same texts and so the same cached vectors) and the output says how many copies; below, its
// first N documents are taken.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig, type Config } from '../bridges/config.js';
import { createLogger } from '../core/logging.js';
import { start } from '../main.js';
import { buildCommunity } from './support/matrix-community.js';
import { seedTags, writeServiceConfig } from './support/service-config.js';
import { startFakeHomeserver } from './stand-ins/matrix-homeserver/index.js';
import { corpus, seedHistory, type History } from './bench/matrix-history.js';
import { benchStore, takeStoreArg, type BenchStoreKind } from './bench/bench-store.js';

const args = process.argv.slice(2);
const USAGE =
  'usage: npm run bench:startup [-- --json] [-- --embed] [-- --ready-only] [-- --docs N] [-- --precision float32|int8] [-- --store sqlite|postgresql]';
let storeKind: BenchStoreKind;
try {
  storeKind = takeStoreArg(args);
} catch (error) {
  process.stderr.write(`${USAGE}\n${(error as Error).message}\n`);
  process.exit(2);
}
const flags = new Set(['--json', '--embed', '--ready-only']);
const valued = new Map<string, string>();
const unknown: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (flags.has(a)) continue;
  if ((a === '--docs' || a === '--precision') && i + 1 < args.length) valued.set(a, args[++i]!);
  else unknown.push(a);
}
const json = args.includes('--json');
const embed = args.includes('--embed');
const readyOnly = args.includes('--ready-only');
const wanted = valued.has('--docs') ? Number(valued.get('--docs')) : undefined;
const precisionArg = valued.get('--precision') ?? 'float32';
if (unknown.length > 0 || (wanted !== undefined && !(Number.isInteger(wanted) && wanted > 0)) || (precisionArg !== 'float32' && precisionArg !== 'int8')) {
  process.stderr.write(`${USAGE}\n${unknown.length > 0 ? `unknown argument: ${unknown.join(' ')}` : 'bad --docs or --precision value'}\n`);
  process.exit(2);
}
const precision: 'float32' | 'int8' = precisionArg === 'int8' ? 'int8' : 'float32';

/**
 * The history at `size` documents: cut, or repeated with copy c's ids and threads suffixed "~rc"
 * (same texts, authors and dates). Returns how many times the base history appears (1 when cut).
 */
function resized(base: History, size: number): { history: History; copies: number } {
  if (size <= base.docs.length) return { history: { ...base, docs: base.docs.slice(0, size), authors: base.authors.slice(0, size) }, copies: 1 };
  const docs: History['docs'] = [];
  const authors: History['authors'] = [];
  for (let i = 0; i < size; i++) {
    const c = Math.floor(i / base.docs.length);
    const d = base.docs[i % base.docs.length]!;
    docs.push(c === 0 ? d : { ...d, externalId: `${d.externalId}~r${c}`, threadId: `${d.threadId}~r${c}` });
    authors.push(base.authors[i % base.authors.length]!);
  }
  return { history: { ...base, docs, authors }, copies: size / base.docs.length };
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
  /** start() called to the content hashes it found stored (for the next start's reads). */
  hashesKeptSeconds: number;
  /** start() called to the background training after it done (not measured with --ready-only). */
  settledSeconds?: number;
  /** Longest event-loop delay (ms) between ready and settled (not measured with --ready-only). */
  maxLoopDelayMs?: number;
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
    const readyPart = { readySeconds: seconds(readyAt - t0), readyCpuSeconds: seconds((cpu.user + cpu.system) / 1000) };
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    // Stored in the background after ready (a first start, or edited documents): the next start
    // reads vectors by them. Waited for here, so the warm start is what a later restart sees.
    await app.hashesKept();
    const hashesKeptSeconds = seconds(performance.now() - t0);
    if (readyOnly) {
      delay.disable();
      return { ...readyPart, hashesKeptSeconds };
    }
    // Said now: with a large history the background training after it can take many minutes.
    say(`  ready in ${seconds(readyAt - t0)} s; waiting for the background work to finish`);
    await app.idle();
    delay.disable();
    return {
      ...readyPart,
      hashesKeptSeconds,
      settledSeconds: seconds(performance.now() - t0),
      maxLoopDelayMs: Math.round(delay.max / 1e6),
    };
  } finally {
    await app.stop();
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-bench-startup-'));
  const hs = await startFakeHomeserver({ validate: false });
  const database = await benchStore(storeKind, dir);
  try {
    const community = buildCommunity(hs);
    const config = loadConfig({ file: writeServiceConfig(dir, hs.url, '', database.url), env: { MATRIX_ACCESS_TOKEN: community.bot.accessToken } });
    config.log.level = 'warn';
    config.engine.workers = 2;
    config.engine.vectorPrecision = precision;
    await seedTags(database.location);
    const base = corpus(50);
    const { history, copies } = resized(base, wanted ?? base.docs.length);
    const repeated = copies > 1 ? ` (the ${base.docs.length}-document history repeated x${copies.toFixed(1)})` : '';
    say(`seeding ${history.docs.length} documents${repeated}`);
    const synthetic = await seedHistory(config, history, say, { synthetic: !embed });
    if (synthetic > 0) say(`  ${synthetic} text chunks got seeded random vectors (not in .cache/embeddings)`);

    say('cold start (nothing trained stored yet)');
    const cold = await run(config);
    say(
      `  ready in ${cold.readySeconds} s (${cold.readyCpuSeconds} s of CPU)${readyOnly ? '' : `; background training done at ${cold.settledSeconds} s; longest event-loop stall meanwhile ${cold.maxLoopDelayMs} ms`}`,
    );
    say('warm start (same store)');
    const warm = await run(config);
    say(
      `  ready in ${warm.readySeconds} s (${warm.readyCpuSeconds} s of CPU)${readyOnly ? '' : `; background work done at ${warm.settledSeconds} s; longest event-loop stall meanwhile ${warm.maxLoopDelayMs} ms`}`,
    );
    say(`start to /readyz with ${history.docs.length} documents${repeated}: cold ${cold.readySeconds} s, warm ${warm.readySeconds} s`);
    if (json)
      process.stdout.write(
        `${JSON.stringify({ store: storeKind, documents: history.docs.length, repeated: copies > 1 ? copies : undefined, syntheticChunks: synthetic, cold, warm })}\n`,
      );
  } finally {
    await hs.close();
    await database.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
