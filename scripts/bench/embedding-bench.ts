// Embedding throughput of USE-lite through EmbedderPool (one model per worker thread), on
// generated ~30-word community-style texts, every one different and no cache.
//
//   npx tsx scripts/bench/embedding-bench.ts [--workers 2] [--texts 320] [--chunk-sizes] [--cache]
//
// batch 1: single-text calls, 4 per worker in flight, as when messages arrive together (the pool
// merges calls that wait in its queue into one model call).
// batch 32: two 32-text calls in flight (the pool splits each over the workers), as TextEmbedder does.
// --chunk-sizes: words/s for chunks of 16-128 words (the chunker's maxWords choice).
// --cache: FileEmbeddingCache write and load of 100,000 vectors of 512 dims.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { FileEmbeddingCache } from '../../core/embedding/file-cache.js';
import { EmbedderPool } from '../../core/embedding/worker-pool.js';
import { contentHash } from '../../core/text/hash.js';

export interface EmbeddingBenchResult {
  backend: string;
  textsPerSecBatch1: number;
  textsPerSecBatch32: number;
  workers: number;
  /** Peak resident memory of the process (main thread and workers), MB. */
  peakRssMb: number;
  loadMs: number;
  backendNotes: string[];
  /**
   * Texts per CPU-second of the whole process (batch 1, batch 32): what each core delivers,
   * unaffected by other processes competing for the cores.
   */
  textsPerCpuSecBatch1: number;
  textsPerCpuSecBatch32: number;
  /** 1-minute load average when the run started; above the core count, other work competed. */
  loadAverage: number;
}

const SUBJECTS = [
  'the nginx proxy',
  'our Matrix bridge',
  'the Discourse forum',
  'my Postgres database',
  'the CI pipeline',
  'the Docker image',
  'the login page',
  'our Kubernetes cluster',
  'the email digest',
  'the search index',
  'the mobile app',
  'the backup job',
  'the payment webhook',
  'the Python worker',
  'the React frontend',
  'the SSO integration',
];
const PROBLEMS = [
  'times out after thirty seconds',
  'returns a 502 error',
  'crashes on startup',
  'uses all the memory',
  'drops messages at night',
  'rejects valid tokens',
  'is very slow since the upgrade',
  'fails with permission denied',
  'loses uploaded files',
  'sends duplicate notifications',
  'ignores the config file',
  'hangs during migration',
];
const CONTEXT = [
  'after we moved to the new server',
  'only for some users',
  'when traffic is high',
  'since version 2.3',
  'on Monday mornings',
  'behind the corporate firewall',
  'with large attachments',
  'in the staging environment',
  'after a restart',
  'when two admins edit at once',
];
const TRIED = [
  'I already raised the timeout',
  'restarting did not help',
  'the logs show nothing useful',
  'I checked the disk space',
  'clearing the cache changed nothing',
  'rolling back fixed it for a day',
  'the docs do not mention this',
  'a colleague sees the same',
];
const ASKS = [
  'Has anyone seen this before?',
  'How can I debug it?',
  'What should I check next?',
  'Is this a known bug?',
  'Who knows this part of the setup?',
  'Any pointers would help.',
];

/** A small seeded generator, so runs are comparable. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** `n` different texts of about 30 words each (25-36), mixing problem reports. */
export function benchTexts(n: number, seed = 1): string[] {
  const r = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const seen = new Set<string>();
  const out: string[] = [];
  while (out.length < n) {
    const text = `${pick(SUBJECTS)} ${pick(PROBLEMS)} ${pick(CONTEXT)}, ticket ${1000 + Math.floor(r() * 9000)}. ${pick(TRIED)} and ${pick(TRIED).toLowerCase()}. ${pick(ASKS)}`;
    const sentence = text.charAt(0).toUpperCase() + text.slice(1);
    if (seen.has(sentence)) continue;
    seen.add(sentence);
    out.push(sentence);
  }
  return out;
}

/** Texts per wall-clock second and per CPU-second, sending `batch` at a time with `inFlight` calls outstanding. */
async function throughput(pool: EmbedderPool, texts: string[], batch: number, inFlight: number): Promise<{ perSec: number; perCpuSec: number }> {
  let next = 0;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const lane = async (): Promise<void> => {
    while (next < texts.length) {
      const slice = texts.slice(next, next + batch);
      next += batch;
      await pool.embedBatch(slice);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  const cpu = process.cpuUsage(cpu0);
  return { perSec: texts.length / ((performance.now() - t0) / 1000), perCpuSec: texts.length / ((cpu.user + cpu.system) / 1e6) };
}

export async function benchEmbedding(options: { workers?: number; texts?: number } = {}): Promise<EmbeddingBenchResult> {
  const workers = options.workers ?? availableParallelism();
  const n = Math.max(32, options.texts ?? 320);
  const loadAverage = loadavg()[0]!;
  const t0 = performance.now();
  const pool = await EmbedderPool.load({ workers });
  const loadMs = performance.now() - t0;
  try {
    // One generated set, so every text is distinct across warm-up and both runs.
    const all = benchTexts(2 * n + 64, 11);
    await pool.embedBatch(all.slice(0, 64)); // warm-up: kernels and first allocations
    const batch1 = await throughput(pool, all.slice(64, 64 + n), 1, 4 * workers);
    const batch32 = await throughput(pool, all.slice(64 + n), 32, 2);
    return {
      backend: pool.backend,
      backendNotes: pool.backendNotes,
      textsPerSecBatch1: batch1.perSec,
      textsPerSecBatch32: batch32.perSec,
      textsPerCpuSecBatch1: batch1.perCpuSec,
      textsPerCpuSecBatch32: batch32.perCpuSec,
      loadAverage,
      workers: pool.size,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      loadMs,
    };
  } finally {
    await pool.close();
  }
}

/** Words per second when a long document is embedded in chunks of `sizes` words (batch 32). */
export async function benchChunkSizes(
  sizes: readonly number[],
  options: { workers?: number; words?: number } = {},
): Promise<{ maxWords: number; wordsPerSec: number; chunksPerSec: number }[]> {
  const pool = await EmbedderPool.load({ workers: options.workers ?? availableParallelism() });
  try {
    const words = benchTexts(400, 5).join(' ').split(' ');
    const total = Math.min(words.length, options.words ?? 6000);
    await pool.embedBatch(benchTexts(32, 99));
    const out: { maxWords: number; wordsPerSec: number; chunksPerSec: number }[] = [];
    for (const size of sizes) {
      const chunks: string[] = [];
      for (let i = 0; i + size <= total; i += size) chunks.push(words.slice(i, i + size).join(' '));
      const chunksPerSec = (await throughput(pool, chunks, 32, 2)).perSec;
      out.push({ maxWords: size, wordsPerSec: chunksPerSec * size, chunksPerSec });
    }
    return out;
  } finally {
    await pool.close();
  }
}

/** Time to append and then load `count` vectors through FileEmbeddingCache. */
export async function benchFileCache(count = 100_000, dims = 512): Promise<{ count: number; fileMb: number; writeMs: number; loadMs: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'coagent-cache-bench-'));
  try {
    const cache = new FileEmbeddingCache(dir);
    const vector = new Float32Array(dims).fill(0.04);
    const t0 = performance.now();
    for (let start = 0; start < count; start += 1000) {
      const entries = Array.from({ length: Math.min(1000, count - start) }, (_, k) => ({ hash: contentHash(`doc ${start + k}`), vector }));
      await cache.put('bench-model', entries);
    }
    const writeMs = performance.now() - t0;
    const t1 = performance.now();
    const reloaded = new FileEmbeddingCache(dir);
    const { vectors, file } = reloaded.stats('bench-model');
    const loadMs = performance.now() - t1;
    if (vectors !== count) throw new Error(`loaded ${vectors} of ${count} vectors from ${file}`);
    return { count, fileMb: (count * (36 + dims * 4)) / 2 ** 20, writeMs, loadMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  const workers = arg('--workers') ? Number(arg('--workers')) : undefined;
  const texts = arg('--texts') ? Number(arg('--texts')) : undefined;
  const r = await benchEmbedding({ ...(workers ? { workers } : {}), ...(texts ? { texts } : {}) });
  const rows: [string, string][] = [
    ['backend', `${r.backend} (${r.backendNotes.join('; ')})`],
    ['workers', String(r.workers)],
    ['model load', `${r.loadMs.toFixed(0)} ms`],
    ['texts/s, batch 1', r.textsPerSecBatch1.toFixed(1)],
    ['texts/s, batch 32', r.textsPerSecBatch32.toFixed(1)],
    ['texts/CPU-s, b1', `${r.textsPerCpuSecBatch1.toFixed(1)}  (per core; x${r.workers} = ${(r.textsPerCpuSecBatch1 * r.workers).toFixed(0)}/s on idle cores)`],
    [
      'texts/CPU-s, b32',
      `${r.textsPerCpuSecBatch32.toFixed(1)}  (per core; x${r.workers} = ${(r.textsPerCpuSecBatch32 * r.workers).toFixed(0)}/s on idle cores)`,
    ],
    ['peak RSS', `${r.peakRssMb.toFixed(0)} MB`],
    ['load average', `${r.loadAverage.toFixed(2)} at start on ${availableParallelism()} cores`],
  ];
  console.log('Embedding throughput (USE-lite, ~30-word texts, all different, no cache)');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(18)} ${v}`);
  if (process.argv.includes('--chunk-sizes')) {
    console.log('\nChunk size (batch 32, words/s over the same ~6,000 words)');
    console.log(`  ${'maxWords'.padEnd(10)} ${'words/s'.padStart(8)} ${'chunks/s'.padStart(9)}`);
    for (const c of await benchChunkSizes([16, 32, 48, 64, 128], { ...(workers ? { workers } : {}) })) {
      console.log(`  ${String(c.maxWords).padEnd(10)} ${c.wordsPerSec.toFixed(0).padStart(8)} ${c.chunksPerSec.toFixed(1).padStart(9)}`);
    }
  }
  if (process.argv.includes('--cache')) {
    const c = await benchFileCache();
    console.log(`\nFileEmbeddingCache: ${c.count} vectors (${c.fileMb.toFixed(0)} MB): write ${c.writeMs.toFixed(0)} ms, load ${c.loadMs.toFixed(0)} ms`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}
