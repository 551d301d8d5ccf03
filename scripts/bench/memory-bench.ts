// Where a service's memory goes with a large history: the embedding workers, the vector indexes,
// the BM25 index and the JavaScript heap (documents, threads, dictionaries), each measured after
// forcing garbage collection. Needs `node --expose-gc` (the npm scripts pass it).
import { EmbedderPool } from '../../core/embedding/worker-pool.js';
import type { VectorPrecision } from '../../core/search/vector-index.js';
import { benchCommunity } from './engine-bench.js';

export interface MemoryBreakdown {
  docs: number;
  workers: number;
  precision: VectorPrecision;
  /**
   * Building the in-memory indexes from documents and vectors already in memory: kb.add for
   * every document (vector index, BM25, document map, threads), then the first vector search
   * (centre and all bit codes). observeMs: tag and member-profile bookkeeping on top. All ms.
   */
  build: { kbAddMs: number; firstSearchMs: number; observeMs: number };
  /** Resident set size with everything loaded, MiB. */
  rssMiB: number;
  parts: {
    /** RSS before the workers and the history: Node, the code, TensorFlow.js's main-thread part. */
    baseMiB: number;
    /** RSS the embedding worker threads added (model weights, WASM heap, one V8 isolate each). */
    workersMiB: number;
    vectorIndexMiB: number;
    bm25TypedArraysMiB: number;
    /** JavaScript heap the history added: documents and their text, threads, maps, the term dictionary. */
    heapMiB: number;
    /** RSS not accounted for above: allocator slack, code, fragmentation. */
    otherMiB: number;
  };
}

const mib = (bytes: number): number => bytes / 2 ** 20;

function collect(): NodeJS.MemoryUsage {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('memory bench: run node with --expose-gc (npm run bench does)');
  gc();
  gc();
  return process.memoryUsage();
}

export async function benchMemory(options: { docs: number; workers: number; members?: number; precision?: VectorPrecision }): Promise<MemoryBreakdown> {
  const precision = options.precision ?? 'float32';
  const start = collect();
  const pool = await EmbedderPool.load({ workers: options.workers });
  // A full batch, so each worker's WASM heap reaches the size it keeps while serving.
  await pool.embedBatch(
    Array.from({ length: 32 * options.workers }, (_, i) => `warm up text ${i}: how do other teams plan hiring, budget and the roadmap for next year?`),
  );
  const withWorkers = collect();
  const community = await benchCommunity(options.docs, options.members ?? 2_000, 1, false, precision);
  const { kb } = community;
  const t0 = performance.now();
  kb.vectors.search(community.queries[0]!.vector, 10);
  const firstSearchMs = performance.now() - t0;
  const end = collect();
  const vectorIndex = mib(kb.vectors.byteLength);
  const bm25 = mib(kb.lexical.byteLength);
  const heap = mib(end.heapUsed - withWorkers.heapUsed);
  const rss = mib(end.rss);
  const base = mib(start.rss);
  const workers = mib(withWorkers.rss - start.rss);
  await pool.close();
  return {
    docs: options.docs,
    workers: options.workers,
    precision,
    build: { kbAddMs: community.kbAddMs, firstSearchMs, observeMs: community.observeMs },
    rssMiB: rss,
    parts: {
      baseMiB: base,
      workersMiB: workers,
      vectorIndexMiB: vectorIndex,
      bm25TypedArraysMiB: bm25,
      heapMiB: heap,
      otherMiB: rss - base - workers - vectorIndex - bm25 - heap,
    },
  };
}

export function formatMemoryBench(m: MemoryBreakdown): string {
  const row = (name: string, v: number): string => `    ${name.padEnd(36)} ${v.toFixed(0).padStart(8)} MiB`;
  return [
    `  memory with ${m.docs.toLocaleString('en')} documents (${m.precision} vectors) and ${m.workers} embedding worker(s), after GC: RSS ${m.rssMiB.toFixed(0)} MiB`,
    row('Node, code, main-thread TensorFlow', m.parts.baseMiB),
    row('embedding workers', m.parts.workersMiB),
    row('vector index (one, filtered for tags)', m.parts.vectorIndexMiB),
    row('BM25 postings (typed arrays)', m.parts.bm25TypedArraysMiB),
    row('JS heap: documents, threads, maps', m.parts.heapMiB),
    row('other (allocator, fragmentation)', m.parts.otherMiB),
    `  building the indexes from vectors in memory: kb.add ${(m.build.kbAddMs / 1000).toFixed(1)} s + first search (bit codes) ${(m.build.firstSearchMs / 1000).toFixed(1)} s; tag/profile bookkeeping ${(m.build.observeMs / 1000).toFixed(1)} s more`,
  ].join('\n');
}
