// Benchmarks: embedding throughput, vector search latency and recall, end-to-end engine latency,
// and the memory of a service holding 100k documents with its embedding workers loaded.
//   npm run bench [-- --json] [-- --quick]
//   npm run bench -- --million [--real DIR]   also search 1M vectors (synthetic, and the eval's cached
//                                             embeddings of real texts repeated, when DIR holds them;
//                                             default .cache/embeddings), float32 and int8; and
//                                             the memory bench at 1M documents with int8 vectors
//   npm run bench -- --memory-only --docs 10000 --workers 1   the memory bench alone, at another size
//                                             or worker count (the 10k, one-worker target: 512 MiB)
//                   [--precision int8]        with int8 vectors (default float32), as the 1M service runs
// It prints figures; it asserts nothing (targets are listed beside the figures).
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { benchEmbedding } from './bench/embedding-bench.js';
import { benchEngine } from './bench/engine-bench.js';
import { benchMemory, formatMemoryBench } from './bench/memory-bench.js';
import { benchSearch, cachedEmbeddings, formatSearchBench, repeatedSource, syntheticSource, type SearchRun } from './bench/search-bench.js';

const { values: args } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    million: { type: 'boolean', default: false },
    real: { type: 'string', default: '.cache/embeddings' },
    'memory-only': { type: 'boolean', default: false },
    docs: { type: 'string' },
    workers: { type: 'string' },
    precision: { type: 'string', default: 'float32' },
  },
});
const log = (line: string): void => console.error(line);

if (args['memory-only']) {
  const docs = Number(args.docs ?? 10_000);
  const workers = Number(args.workers ?? 1);
  const precision = args.precision;
  if (!Number.isInteger(docs) || docs < 1 || !Number.isInteger(workers) || workers < 1 || workers > 8 || (precision !== 'float32' && precision !== 'int8')) {
    log('usage: npm run bench -- --memory-only [--docs N] [--workers 1..8] [--precision float32|int8] [--json]');
    process.exit(2);
  }
  log(`memory: ${docs.toLocaleString('en')} documents indexed (${precision} vectors + BM25) with ${workers} embedding worker(s) loaded...`);
  const m = await benchMemory({ docs, workers, precision });
  const target = docs <= 10_000 && workers === 1 ? 'target <= 512' : docs <= 100_000 ? 'target <= 1024' : '';
  console.log([`RSS with ${docs.toLocaleString('en')} docs + ${workers} worker(s): ${m.rssMiB.toFixed(0)} MiB   ${target}`, formatMemoryBench(m)].join('\n'));
  if (args.json)
    console.log(JSON.stringify({ serviceRssMiB: m.rssMiB, memory: { docs: m.docs, workers, precision: m.precision, ...m.parts }, indexBuild: m.build }));
  process.exit(0);
}

log('1/4 embedding throughput (2 worker threads, 30-word texts)...');
const embedding = await benchEmbedding({ texts: args.quick ? 64 : 256 });

log('2/4 vector search (synthetic embedding-like vectors, top-10)...');
const queries = args.quick ? 50 : 200;
const searches = [await benchSearch({ sizes: [10_000, 100_000], source: syntheticSource(queries) })];
if (args.million) {
  log('    ... and 1M vectors, float32 and int8 (minutes: the exact top-10 of every query is computed too)');
  searches.push(await benchSearch({ sizes: [1_000_000], source: syntheticSource(queries), precisions: ['float32', 'int8'] }));
  const real = existsSync(args.real) ? cachedEmbeddings(args.real).vectors : [];
  if (real.length >= 2 * queries)
    searches.push(await benchSearch({ sizes: [1_000_000], source: repeatedSource(real, queries), precisions: ['float32', 'int8'] }));
  else log(`    no real embeddings: ${real.length} cached in ${args.real} (npm run eval fills it)`);
}
const runs = searches.flatMap((s) => s.runs);
const run = (source: string, size: number, precision = 'float32'): SearchRun | undefined =>
  runs.find((r) => r.source === source && r.size === size && r.precision === precision);

log('3/4 engine: one new problem against 10k documents and 500 members...');
const engine = await benchEngine({ docs: 10_000, members: 500, queries: args.quick ? 50 : 200 });

const memoryDocs = args.million ? 1_000_000 : args.quick ? 20_000 : 100_000;
const memoryPrecision = args.million ? 'int8' : 'float32';
log(`4/4 memory: ${memoryDocs.toLocaleString('en')} documents indexed (${memoryPrecision} vectors + BM25) with two embedding workers loaded...`);
// Without the tag classifier: training it on 33k tagged documents takes minutes and adds ~12 MB.
const memory = await benchMemory({ docs: memoryDocs, workers: 2, precision: memoryPrecision });
const serviceRss = memory.rssMiB;
const peakRssMiB = process.resourceUsage().maxRSS / 1024;

const row = (name: string, value: string, target: string): string => `  ${name.padEnd(34)} ${value.padStart(12)}   ${target}`;
console.log(
  [
    'Co-Agent benchmark',
    row('embedding backend', embedding.backend, ''),
    row('texts/s, batch 1 (both cores)', embedding.textsPerSecBatch1.toFixed(1), 'target >= 40'),
    row('texts/s, batch 32 (both cores)', embedding.textsPerSecBatch32.toFixed(1), 'target >= 40'),
    '',
    ...searches.map((s) => formatSearchBench(s)),
    ...(args.million ? ['targets at 1M: p95 <= 50 ms, recall@10 >= 0.98'] : []),
    '',
    row('engine p50 ms (10k docs, 500 members)', engine.p50Ms.toFixed(1), ''),
    row('engine p95 ms', engine.p95Ms.toFixed(1), 'target <= 300'),
    '',
    row(`RSS with ${memoryDocs / 1000}k docs + workers, MiB`, serviceRss.toFixed(0), args.million ? 'target <= 2560' : 'target <= 1024'),
    formatMemoryBench(memory),
    row('peak RSS of this run, MiB', peakRssMiB.toFixed(0), ''),
  ].join('\n'),
);
if (args.json) {
  console.log(
    JSON.stringify({
      embedding: {
        backend: embedding.backend,
        textsPerSecBatch1: embedding.textsPerSecBatch1,
        textsPerSecBatch32: embedding.textsPerSecBatch32,
        workers: embedding.workers,
      },
      search: {
        docs10k: { p50Ms: run('synthetic', 10_000)!.p50Ms, p95Ms: run('synthetic', 10_000)!.p95Ms },
        docs100k: { p50Ms: run('synthetic', 100_000)!.p50Ms, p95Ms: run('synthetic', 100_000)!.p95Ms },
        recallVsExact: Math.min(...searches.map((s) => s.recallVsExact)),
        ...(args.million ? { million: runs.filter((r) => r.size === 1_000_000) } : {}),
      },
      engine: { p50Ms: engine.p50Ms, p95Ms: engine.p95Ms },
      serviceRssMiB: serviceRss,
      memory: { docs: memory.docs, precision: memory.precision, ...memory.parts },
      indexBuild: memory.build,
      peakRssMiB,
    }),
  );
}
