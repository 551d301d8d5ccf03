// Latency and recall of VectorIndex: the bit-code fast path against an exact scan.
//
//   npx tsx scripts/bench/search-bench.ts            10k and 100k synthetic vectors, 200 queries
//   npx tsx scripts/bench/search-bench.ts 5000 20000 sizes of your choice
//
// Other benchmarks call benchSearch() with their own `vectors` (e.g. real sentence embeddings).
import { pathToFileURL } from 'node:url';
import { syntheticEmbeddings } from '../../core/search/synthetic-vectors.js';
import { VectorIndex } from '../../core/search/vector-index.js';

export interface SearchBenchOptions {
  sizes: number[];
  /** Queries per size; each is timed on the fast path and on the exact scan. */
  queries: number;
  dims?: number;
  /** Results per query (default 10). */
  k?: number;
  /**
   * Returns n unit vectors. For each size s, benchSearch asks for s + queries vectors, indexes
   * the first s and queries with the rest (held out, like new posts). Default: synthetic
   * embedding-like vectors (see core/search/synthetic-vectors.ts).
   */
  vectors?: (n: number) => Float32Array[];
}

export interface SizeResult {
  p50Ms: number;
  p95Ms: number;
  exactP50Ms: number;
  exactP95Ms: number;
  /** Share of the exact top-k that the fast path returned. */
  recall: number;
  /** Path the default search took ('exact' below the index's size threshold) and dot products per query. */
  path: 'exact' | 'coded';
  meanScored: number;
  /** First search after loading: includes computing the centre and all bit codes. */
  firstSearchMs: number;
  /** Typed-array bytes the index holds, and the id map's heap growth (approximate). */
  indexMB: number;
  idMapMB: number;
}

export type SearchBenchResult = {
  [size: `${number}`]: SizeResult;
  /** Lowest recall@k of the fast path against exact search over all sizes. */
  recallVsExact: number;
  /** Bytes per vector held by the index at the largest size, scaled to 100,000 vectors. */
  mbPer100k: number;
};

const defaultVectors = (dims: number) => (n: number) => syntheticEmbeddings(n, { dims, seed: 42 });

export async function benchSearch(options: SearchBenchOptions): Promise<SearchBenchResult> {
  const dims = options.dims ?? 512;
  const k = options.k ?? 10;
  const makeVectors = options.vectors ?? defaultVectors(dims);
  const result = { recallVsExact: 1, mbPer100k: 0 } as SearchBenchResult;
  for (const size of options.sizes) {
    let all: Float32Array[] | undefined = makeVectors(size + options.queries);
    if (all.length < size + options.queries) {
      throw new Error(`benchSearch: vectors(${size + options.queries}) returned only ${all.length} vectors`);
    }
    const queries = all.slice(size, size + options.queries);
    const heapBefore = process.memoryUsage().heapUsed;
    // Sized up front, as a loader that knows its row count would, so memory shows no growth headroom.
    const index = new VectorIndex(dims, { initialCapacity: size });
    for (let i = 0; i < size; i++) index.add(i, all[i]!);
    const idMapMB = Math.max(0, process.memoryUsage().heapUsed - heapBefore) / 1e6;
    all = undefined; // the index holds copies; the caller's array is left as it was

    let start = performance.now();
    index.search(queries[0]!, k);
    const firstSearchMs = performance.now() - start;
    // Warm both paths up so the JIT has compiled them before timing.
    for (let i = 0; i < Math.min(20, queries.length); i++) {
      index.search(queries[i]!, k);
      if (i < 3) index.search(queries[i]!, k, { exact: true });
    }

    let path = index.lastSearch.path;
    const fast: number[] = [];
    const exact: number[] = [];
    let found = 0;
    let wanted = 0;
    let scored = 0;
    for (const query of queries) {
      start = performance.now();
      const got = index.search(query, k);
      fast.push(performance.now() - start);
      scored += index.lastSearch.scored;
      path = index.lastSearch.path;
      start = performance.now();
      const truth = index.search(query, k, { exact: true });
      exact.push(performance.now() - start);
      const ids = new Set(got.map((h) => h.id));
      for (const hit of truth) if (ids.has(hit.id)) found++;
      wanted += truth.length;
    }
    const recall = wanted === 0 ? 1 : found / wanted;
    result[`${size}`] = {
      p50Ms: percentile(fast, 50),
      p95Ms: percentile(fast, 95),
      exactP50Ms: percentile(exact, 50),
      exactP95Ms: percentile(exact, 95),
      recall,
      path,
      meanScored: scored / queries.length,
      firstSearchMs,
      indexMB: index.byteLength / 1e6,
      idMapMB,
    };
    result.recallVsExact = Math.min(result.recallVsExact, recall);
    result.mbPer100k = ((index.byteLength + idMapMB * 1e6) / size) * 1e5 / 1e6;
  }
  return result;
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function formatSearchBench(result: SearchBenchResult, sizes: readonly number[], k = 10): string {
  const header = [
    'vectors', 'fast p50 ms', 'fast p95 ms', 'exact p50 ms', 'exact p95 ms', `recall@${k}`, 'scored/query', 'first search ms', 'index MB',
  ];
  const rows = sizes.map((size) => {
    const r = result[`${size}`];
    if (!r) return [String(size), ...header.slice(1).map(() => '-')];
    return [
      String(size), r.p50Ms.toFixed(2), r.p95Ms.toFixed(2), r.exactP50Ms.toFixed(2), r.exactP95Ms.toFixed(2),
      r.recall.toFixed(4), `${Math.round(r.meanScored)}${r.path === 'exact' ? ' (exact)' : ''}`, r.firstSearchMs.toFixed(1), (r.indexMB + r.idMapMB).toFixed(1),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  return [
    line(header),
    ...rows.map(line),
    `recall@${k} vs exact (lowest): ${result.recallVsExact.toFixed(4)}`,
    `memory: ${result.mbPer100k.toFixed(1)} MB per 100k vectors (vectors, ids, bit codes, scratch, id map)`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2).map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const sizes = args.length > 0 ? args : [10_000, 100_000];
  const queries = 200;
  console.log(`VectorIndex search bench: 512-d synthetic embedding-like vectors, top-10, ${queries} held-out queries`);
  const result = await benchSearch({ sizes, queries });
  console.log(formatSearchBench(result, sizes));
}
