// The scale curve: memory, search latency, engine latency and start-up time as the history grows.
//
//   npm run bench:scale                         1,000, 10,000 and 100,000 documents
//   npm run bench:scale -- --sizes 1000,10000   sizes of your choice
//   npm run bench:scale -- --million            ... and 1,000,000 (int8 vectors there)
//   options: --json (one JSON line with every size at the end)   --no-startup   --queries 200
//
// Each size runs in its own child process (this script with --child N), so its RSS holds that
// size alone; it prints one JSON line. In it, in order: the memory bench (RSS after GC with two
// embedding workers, and the index build from vectors in memory), the search bench (synthetic
// embedding-like vectors, top-10, fast path against exact float search) and the engine bench
// (one new problem: tags, similar topics, member routing). Then bench:startup --docs N runs in a
// process of its own (the whole service, start() to /readyz, cold and warm).
//
// At 1,000,000 documents the vectors are stored as int8 (engine.vectorPrecision: int8, as a
// service that large should run); smaller sizes use float32, the default. Above 20,000 tagged
// documents the tag classifier learns from the newest 20,000 only, in the service as in the engine
// bench (TAG_TRAINING_LIMIT in core/engine/tagging.ts); the output says when.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { VectorPrecision } from '../core/search/vector-index.js';
import { benchEngine } from './bench/engine-bench.js';
import { benchMemory } from './bench/memory-bench.js';
import { benchSearch, syntheticSource } from './bench/search-bench.js';

const MILLION = 1_000_000;

interface SizeRun {
  docs: number;
  precision: VectorPrecision;
  rssMiB: number;
  /** kb.add of every document plus the first vector search (bit codes), from vectors in memory. */
  indexBuildSeconds: number;
  search: { p50Ms: number; p95Ms: number; recallAt10: number; queries: number };
  engine: { p50Ms: number; p95Ms: number; queries: number; tagModelTrainedOn: number; tagged: number; trainSeconds: number };
  startup?: { coldReadySeconds: number; warmReadySeconds: number; coldSettledSeconds?: number; repeated?: number; syntheticChunks: number } | { error: string };
}

const say = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

async function child(docs: number, queries: number): Promise<void> {
  const precision: VectorPrecision = docs >= MILLION ? 'int8' : 'float32';
  say(`[${docs}] memory bench (2 workers, ${precision})`);
  const memory = await benchMemory({ docs, workers: 2, precision });
  say(`[${docs}]   RSS ${memory.rssMiB.toFixed(0)} MiB`);
  say(`[${docs}] search bench (${queries} queries)`);
  const search = (await benchSearch({ sizes: [docs], source: syntheticSource(queries), precisions: [precision] })).runs[0]!;
  say(`[${docs}]   p95 ${search.p95Ms.toFixed(2)} ms, recall@10 ${search.recall.toFixed(3)}`);
  say(`[${docs}] engine bench (${queries} queries)`);
  const engine = await benchEngine({ docs, queries });
  say(
    `[${docs}]   p95 ${engine.p95Ms.toFixed(1)} ms (tag model trained on ${engine.trainedOn} of ${engine.tagged} tagged documents in ${(engine.trainMs / 1000).toFixed(1)} s)`,
  );
  const run: SizeRun = {
    docs,
    precision,
    rssMiB: Math.round(memory.rssMiB),
    indexBuildSeconds: round((memory.build.kbAddMs + memory.build.firstSearchMs) / 1000, 1),
    search: { p50Ms: round(search.p50Ms, 2), p95Ms: round(search.p95Ms, 2), recallAt10: round(search.recall, 3), queries },
    engine: {
      p50Ms: round(engine.p50Ms, 1),
      p95Ms: round(engine.p95Ms, 1),
      queries,
      tagModelTrainedOn: engine.trainedOn,
      tagged: engine.tagged,
      trainSeconds: round(engine.trainMs / 1000, 1),
    },
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

/** Runs a node process with tsx; resolves to its stdout's last JSON line. stderr passes through. */
function runNode(flags: string[], script: string, args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...flags, '--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const last = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop();
      if (code !== 0 || !last) reject(new Error(`${script} ${args.join(' ')} exited with ${code}`));
      else resolve(JSON.parse(last));
    });
  });
}

interface StartupJson {
  documents: number;
  repeated?: number;
  syntheticChunks: number;
  cold: { readySeconds: number; settledSeconds?: number };
  warm: { readySeconds: number };
}

function table(runs: SizeRun[]): string {
  const header = [
    'documents',
    'vectors',
    'RSS MiB',
    'index build s',
    'search p50 ms',
    'search p95 ms',
    'recall@10',
    'engine p50 ms',
    'engine p95 ms',
    'start cold s',
    'start warm s',
  ];
  const rows = runs.map((r) => {
    const s = r.startup && 'coldReadySeconds' in r.startup ? r.startup : undefined;
    return [
      r.docs.toLocaleString('en'),
      r.precision,
      r.rssMiB.toLocaleString('en'),
      r.indexBuildSeconds.toFixed(1),
      r.search.p50Ms.toFixed(2),
      r.search.p95Ms.toFixed(2),
      r.search.recallAt10.toFixed(3),
      r.engine.p50Ms.toFixed(1),
      r.engine.p95Ms.toFixed(1),
      s ? s.coldReadySeconds.toFixed(1) : '-',
      s ? s.warmReadySeconds.toFixed(1) : '-',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const notes = runs.flatMap((r) => {
    const out: string[] = [];
    if (r.engine.tagModelTrainedOn < r.engine.tagged)
      out.push(
        `${r.docs.toLocaleString('en')}: tag model trained on the newest ${r.engine.tagModelTrainedOn.toLocaleString('en')} of ${r.engine.tagged.toLocaleString('en')} tagged documents`,
      );
    if (r.startup && 'repeated' in r.startup && r.startup.repeated)
      out.push(`${r.docs.toLocaleString('en')}: start-up history is the 10,000-document one repeated x${r.startup.repeated.toFixed(1)}`);
    if (r.startup && 'error' in r.startup) out.push(`${r.docs.toLocaleString('en')}: start-up bench failed: ${r.startup.error}`);
    return out;
  });
  return [line(header), ...rows.map(line), ...notes.map((n) => `  note: ${n}`)].join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      sizes: { type: 'string', default: '1000,10000,100000' },
      million: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'no-startup': { type: 'boolean', default: false },
      queries: { type: 'string', default: '200' },
    },
  });
  const queries = Number(values.queries);
  if (values.child) return child(Number(values.child), queries);

  const sizes = values.sizes.split(',').map(Number);
  if (values.million && !sizes.includes(MILLION)) sizes.push(MILLION);
  if (sizes.some((n) => !Number.isInteger(n) || n <= 0)) throw new Error(`--sizes: positive integers, comma-separated (got ${values.sizes})`);
  if (sizes.includes(MILLION)) say('1,000,000 documents run with engine.vectorPrecision int8 (smaller sizes: float32)');
  const self = fileURLToPath(import.meta.url);
  const runs: SizeRun[] = [];
  for (const docs of sizes) {
    // Heap for the largest: a million documents' text, maps and BM25 dictionary, twice over (memory and engine bench).
    const heapMiB = docs >= MILLION ? 12_000 : 4_096;
    say(`== ${docs.toLocaleString('en')} documents`);
    const run = (await runNode(['--expose-gc', `--max-old-space-size=${heapMiB}`], self, ['--child', String(docs), '--queries', String(queries)])) as SizeRun;
    if (!values['no-startup']) {
      // At a million: int8 vectors as in the rest of the row, and no wait for the background
      // training after the cold start (tens of minutes there; it does not delay /readyz).
      const million = docs >= MILLION ? ['--precision', 'int8', '--ready-only'] : [];
      say(`[${docs}] start-up bench (bench:startup --docs ${docs} ${million.join(' ')})`);
      try {
        const s = (await runNode([`--max-old-space-size=${heapMiB}`], fileURLToPath(new URL('./bench-startup.ts', import.meta.url)), [
          '--docs',
          String(docs),
          ...million,
          '--json',
        ])) as StartupJson;
        run.startup = {
          coldReadySeconds: s.cold.readySeconds,
          warmReadySeconds: s.warm.readySeconds,
          ...(s.cold.settledSeconds === undefined ? {} : { coldSettledSeconds: s.cold.settledSeconds }),
          repeated: s.repeated,
          syntheticChunks: s.syntheticChunks,
        };
      } catch (error) {
        run.startup = { error: error instanceof Error ? error.message : String(error) };
      }
    }
    runs.push(run);
  }
  process.stdout.write(`${table(runs)}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ scale: runs })}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
