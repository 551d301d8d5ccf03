// Latency and recall of VectorIndex: the bit-code fast path against exact float search.
//
//   npx tsx scripts/bench/search-bench.ts                   10k and 100k synthetic vectors, 200 queries
//   npx tsx scripts/bench/search-bench.ts 5000 20000        sizes of your choice
//   npx tsx scripts/bench/search-bench.ts --million         1M synthetic vectors, float32 and int8
//   npx tsx scripts/bench/search-bench.ts --million --real .cache/embeddings
//                                                            ... and real sentence embeddings (the eval
//                                                            cache: every embedded dataset text), repeated
//   options: --precision float32,int8   --queries 200   --json
//
// Vectors are streamed into the index (a million are never held twice), and the exact top-k of
// every query is computed in float64 from the original float vectors as they stream past, so
// int8 storage is measured against exact float search, not against itself.
import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { FileEmbeddingCache } from '../../core/embedding/file-cache.js';
import { syntheticEmbeddingStream } from '../../core/search/synthetic-vectors.js';
import { TopK } from '../../core/search/top-k.js';
import { VectorIndex, type VectorPrecision } from '../../core/search/vector-index.js';
import { nearestRankPercentile } from '../../core/stats/percentile.js';

/** Where the indexed vectors and the held-out queries come from. */
export interface VectorSource {
  name: string;
  dims: number;
  /** Query vectors; none of them is among the indexed vectors. */
  queries: Float32Array[];
  /** `size` vectors to index, in id order (the i-th gets id i). */
  indexed(size: number): Iterable<Float32Array>;
  /** What the indexed set is at `size` (e.g. how often real texts repeat). */
  describe(size: number): string;
  /** Exact float score of indexed id `id` for `query`, when the source can tell (repeated data). */
  exactScore?(id: number, query: Float32Array): number;
}

/** Synthetic embedding-like vectors: the first `queries` of the stream are the queries, the rest indexed. */
export function syntheticSource(queries: number, dims = 512, seed = 42): VectorSource {
  const stream = syntheticEmbeddingStream(queries, { dims, seed });
  return {
    name: 'synthetic',
    dims,
    queries: [...stream],
    *indexed(size) {
      let i = 0;
      for (const v of syntheticEmbeddingStream(queries + size, { dims, seed })) if (i++ >= queries) yield v;
    },
    describe: (size) => `synthetic: ${size.toLocaleString('en')} distinct`,
  };
}

/**
 * Real sentence embeddings, held out and repeated: every `step`-th vector is a query, the rest
 * are indexed over and over (copy c of text j gets id c * distinct + j) until `size` are. Copies
 * score exactly alike, so recall counts a hit tied with the k-th exact score as found.
 */
export function repeatedSource(vectors: readonly Float32Array[], queries: number): VectorSource {
  if (vectors.length < 2 * queries) throw new Error(`repeatedSource: ${vectors.length} vectors are too few for ${queries} held-out queries`);
  const step = Math.floor(vectors.length / queries);
  const held: Float32Array[] = [];
  const rest: Float32Array[] = [];
  vectors.forEach((v, i) => (i % step === 0 && held.length < queries ? held : rest).push(v));
  const distinct = rest.length;
  return {
    name: 'real',
    dims: vectors[0]!.length,
    queries: held,
    *indexed(size) {
      for (let i = 0; i < size; i++) yield rest[i % distinct]!;
    },
    describe: (size) => `real texts: ${distinct.toLocaleString('en')} distinct, repeated x${(size / distinct).toFixed(size % distinct === 0 ? 0 : 1)}`,
    exactScore: (id, query) => dot64(rest[id % distinct]!, query),
  };
}

/**
 * The vectors of every text the evaluation embedded: its on-disk cache (one file per model and
 * text preparation; the largest is taken when there are several).
 */
export function cachedEmbeddings(dir: string): { vectors: Float32Array[]; modelId: string } {
  const cache = new FileEmbeddingCache(dir);
  let best: { vectors: Float32Array[]; modelId: string } = { vectors: [], modelId: 'none' };
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.vec'))) {
    // The header holds the model id: "COAVEC01", u32 dims, u32 id length, id (see file-cache.ts).
    const head = Buffer.alloc(4096);
    const fd = openSync(path.join(dir, file), 'r');
    readSync(fd, head, 0, head.length, 0);
    closeSync(fd);
    const modelId = head.toString('utf8', 16, 16 + head.readUInt32LE(12));
    const vectors = cache.all(modelId);
    if (vectors.length > best.vectors.length) best = { vectors, modelId };
  }
  return best;
}

export interface SearchBenchOptions {
  sizes: number[];
  source: VectorSource;
  /** Storage precisions to measure, all fed from one pass over the vectors. Default float32. */
  precisions?: VectorPrecision[];
  /** Results per query (default 10). */
  k?: number;
  /** Queries also timed on the exact scan (it costs ~0.4 s a query at 1M). Default 20. */
  exactTimed?: number;
}

export interface SearchRun {
  source: string;
  /** e.g. "real texts: 9,812 distinct, repeated x102" */
  data: string;
  size: number;
  precision: VectorPrecision;
  queries: number;
  p50Ms: number;
  p95Ms: number;
  exactP50Ms: number;
  exactP95Ms: number;
  /**
   * Share of the exact float top-k found: a returned hit counts when its exact float score is at
   * least the k-th exact score - 1e-6 (so a copy tied with a true neighbour is not a miss).
   */
  recall: number;
  /** Largest |returned score - exact float score| over all hits (0 for float32). */
  maxScoreError: number;
  /** Path the default search took ('exact' below the index's size threshold) and dot products per query. */
  path: 'exact' | 'coded';
  meanScored: number;
  meanShortlisted: number;
  /** Adding every vector (copying, quantising for int8), and the first search (centre and all bit codes). */
  addMs: number;
  firstSearchMs: number;
  /** Typed-array bytes the index holds, and the heap growth while adding (the id map, approximate). */
  indexMB: number;
  idMapMB: number;
}

export interface SearchBenchResult {
  runs: SearchRun[];
  /** Lowest recall@k against exact float search over all runs. */
  recallVsExact: number;
}

export const TIE_TOLERANCE = 1e-6;

export async function benchSearch(options: SearchBenchOptions): Promise<SearchBenchResult> {
  const { source } = options;
  const k = options.k ?? 10;
  const precisions = options.precisions ?? ['float32'];
  const exactTimed = Math.min(options.exactTimed ?? 20, source.queries.length);
  const queries = source.queries;
  const result: SearchBenchResult = { runs: [], recallVsExact: 1 };
  for (const size of options.sizes) {
    collect();
    const heapBefore = process.memoryUsage().heapUsed;
    // Sized up front, as a loader that knows its row count would, so memory shows no growth headroom.
    const indexes = precisions.map((precision) => new VectorIndex(source.dims, { precision, initialCapacity: size }));
    const addMs = precisions.map(() => 0);
    const truth = queries.map(() => new TopK(k));
    let id = 0;
    for (const v of source.indexed(size)) {
      for (let q = 0; q < queries.length; q++) truth[q]!.push(dot64(v, queries[q]!), id);
      for (let x = 0; x < indexes.length; x++) {
        const t0 = performance.now();
        indexes[x]!.add(id, v);
        addMs[x]! += performance.now() - t0;
      }
      id++;
    }
    if (id < size) throw new Error(`benchSearch: the ${source.name} source gave ${id} vectors, not ${size}`);
    collect();
    const idMapMB = Math.max(0, process.memoryUsage().heapUsed - heapBefore) / 1e6 / indexes.length;
    const exactTop = truth.map((t) => t.result());

    for (let x = 0; x < indexes.length; x++) {
      const index = indexes[x]!;
      let start = performance.now();
      index.search(queries[0]!, k);
      const firstSearchMs = performance.now() - start;
      // Warm both paths up so the JIT has compiled them before timing.
      for (let i = 0; i < Math.min(20, queries.length); i++) index.search(queries[i]!, k);
      for (let i = 0; i < Math.min(2, exactTimed); i++) index.search(queries[i]!, k, { exact: true });

      let path = index.lastSearch.path;
      const fast: number[] = [];
      const exact: number[] = [];
      let found = 0;
      let wanted = 0;
      let scored = 0;
      let shortlisted = 0;
      let maxScoreError = 0;
      queries.forEach((query, q) => {
        start = performance.now();
        const got = index.search(query, k);
        fast.push(performance.now() - start);
        scored += index.lastSearch.scored;
        shortlisted += index.lastSearch.shortlisted;
        path = index.lastSearch.path;
        const top = exactTop[q]!;
        const kth = top[top.length - 1]?.score ?? -Infinity;
        const exactById = new Map(top.map((h) => [h.id, h.score]));
        for (const hit of got) {
          const exactScore = source.exactScore?.(hit.id, query) ?? exactById.get(hit.id);
          // Without exactScore (distinct synthetic vectors) a hit outside the exact top-k scores below its k-th.
          if (exactScore === undefined) continue;
          maxScoreError = Math.max(maxScoreError, Math.abs(hit.score - exactScore));
          if (exactScore >= kth - TIE_TOLERANCE) found++;
        }
        wanted += top.length;
        if (q < exactTimed) {
          start = performance.now();
          index.search(query, k, { exact: true });
          exact.push(performance.now() - start);
        }
      });
      const recall = wanted === 0 ? 1 : Math.min(found, wanted) / wanted;
      result.runs.push({
        source: source.name,
        data: source.describe(size),
        size,
        precision: index.precision,
        queries: queries.length,
        p50Ms: nearestRankPercentile(fast, 50),
        p95Ms: nearestRankPercentile(fast, 95),
        exactP50Ms: nearestRankPercentile(exact, 50),
        exactP95Ms: nearestRankPercentile(exact, 95),
        recall,
        maxScoreError,
        path,
        meanScored: scored / queries.length,
        meanShortlisted: shortlisted / queries.length,
        addMs: addMs[x]!,
        firstSearchMs,
        indexMB: index.byteLength / 1e6,
        idMapMB,
      });
      result.recallVsExact = Math.min(result.recallVsExact, recall);
    }
  }
  return result;
}

/** Dot product in float64: the reference scores. */
function dot64(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let d = 0; d < a.length; d++) s += a[d]! * b[d]!;
  return s;
}

function collect(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    gc();
    gc();
  }
}

export function formatSearchBench(result: SearchBenchResult, k = 10): string {
  const header = [
    'vectors',
    'store',
    'fast p50 ms',
    'fast p95 ms',
    'exact p50 ms',
    'exact p95 ms',
    `recall@${k}`,
    'max score err',
    'shortlist',
    'scored',
    'add s',
    'first search s',
    'index MB',
  ];
  const rows = result.runs.map((r) => [
    String(r.size),
    r.precision,
    r.p50Ms.toFixed(2),
    r.p95Ms.toFixed(2),
    r.exactP50Ms.toFixed(1),
    r.exactP95Ms.toFixed(1),
    r.recall.toFixed(4),
    r.maxScoreError.toExponential(1),
    String(Math.round(r.meanShortlisted)),
    `${Math.round(r.meanScored)}${r.path === 'exact' ? ' (exact)' : ''}`,
    (r.addMs / 1000).toFixed(1),
    (r.firstSearchMs / 1000).toFixed(2),
    (r.indexMB + r.idMapMB).toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  const data = [...new Set(result.runs.map((r) => r.data))];
  return [
    ...data.map((d) => `  data: ${d}`),
    line(header),
    ...rows.map(line),
    `recall@${k} vs exact float search (lowest): ${result.recallVsExact.toFixed(4)}; a hit counts when its exact score >= the k-th exact score - ${TIE_TOLERANCE}`,
    'index MB: vectors, scales, ids, bit codes, scratch, and the heap growth while adding (id map)',
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      million: { type: 'boolean', default: false },
      real: { type: 'string' },
      precision: { type: 'string' },
      queries: { type: 'string', default: '200' },
      json: { type: 'boolean', default: false },
    },
  });
  const fromArgs = positionals.map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const sizes = fromArgs.length > 0 ? fromArgs : values.million ? [1_000_000] : [10_000, 100_000];
  const precisions = (values.precision?.split(',') ?? (values.million ? ['float32', 'int8'] : ['float32'])) as VectorPrecision[];
  const queries = Number(values.queries);
  const results: SearchBenchResult[] = [];
  console.log(`VectorIndex search bench: top-10, ${queries} held-out queries, stores ${precisions.join(' and ')}`);
  results.push(await benchSearch({ sizes, source: syntheticSource(queries), precisions }));
  console.log(formatSearchBench(results[0]!));
  if (values.real) {
    const { vectors, modelId } = cachedEmbeddings(values.real);
    console.log(`\nreal sentence embeddings: ${vectors.length.toLocaleString('en')} distinct texts in ${values.real} (${modelId})`);
    results.push(await benchSearch({ sizes, source: repeatedSource(vectors, queries), precisions }));
    console.log(formatSearchBench(results[1]!));
  }
  if (values.json) console.log(JSON.stringify({ search: results.flatMap((r) => r.runs) }));
}
