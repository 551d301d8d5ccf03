// Benchmarks: embedding throughput, vector search latency and recall, end-to-end engine latency,
// and the memory of a service holding 100k documents with its embedding workers loaded.
//   npm run bench [-- --json] [-- --quick]
// It prints figures; it asserts nothing (targets are listed beside the figures).
import { parseArgs } from 'node:util';
import { benchEmbedding } from './bench/embedding-bench.js';
import { benchEngine } from './bench/engine-bench.js';
import { benchMemory, formatMemoryBench } from './bench/memory-bench.js';
import { benchSearch, formatSearchBench } from './bench/search-bench.js';

const { values: args } = parseArgs({ options: { json: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false } } });
const log = (line: string): void => console.error(line);

log('1/4 embedding throughput (2 worker threads, 30-word texts)...');
const embedding = await benchEmbedding({ texts: args.quick ? 64 : 256 });

log('2/4 vector search (synthetic embedding-like vectors, top-10)...');
const sizes = [10_000, 100_000];
const search = await benchSearch({ sizes, queries: args.quick ? 50 : 200 });

log('3/4 engine: one new problem against 10k documents and 500 members...');
const engine = benchEngine({ docs: 10_000, members: 500, queries: args.quick ? 50 : 200 });

log('4/4 memory: 100k documents indexed (vectors + BM25) with two embedding workers loaded...');
// Without the tag classifier: training it on 33k tagged documents takes minutes and adds ~12 MB.
const memory = await benchMemory({ docs: args.quick ? 20_000 : 100_000, workers: 2 });
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
    formatSearchBench(search, sizes),
    '',
    row('engine p50 ms (10k docs, 500 members)', engine.p50Ms.toFixed(1), ''),
    row('engine p95 ms', engine.p95Ms.toFixed(1), 'target <= 300'),
    '',
    row('RSS with 100k docs + workers, MiB', serviceRss.toFixed(0), 'target <= 1024'),
    formatMemoryBench(memory),
    row('peak RSS of this run, MiB', peakRssMiB.toFixed(0), ''),
  ].join('\n'),
);
if (args.json) {
  console.log(
    JSON.stringify({
      embedding: { backend: embedding.backend, textsPerSecBatch1: embedding.textsPerSecBatch1, textsPerSecBatch32: embedding.textsPerSecBatch32, workers: embedding.workers },
      search: {
        docs10k: { p50Ms: search['10000']!.p50Ms, p95Ms: search['10000']!.p95Ms },
        docs100k: { p50Ms: search['100000']!.p50Ms, p95Ms: search['100000']!.p95Ms },
        recallVsExact: search.recallVsExact,
      },
      engine: { p50Ms: engine.p50Ms, p95Ms: engine.p95Ms },
      serviceRssMiB: serviceRss,
      memory: memory.parts,
      peakRssMiB,
    }),
  );
}
