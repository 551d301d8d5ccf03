// Raw community texts (any markup) in, one unit vector per text out:
// clean -> chunk -> embed every chunk through the Embedder in batches -> pool per text -> renormalise.
//
// Pooling: a weighted mean of the chunk vectors. Each chunk weighs its word count (a trailing
// "Thanks!" chunk must not count as much as a paragraph), and the first chunk counts
// FIRST_CHUNK_WEIGHT times more: it holds the title (callers put it first) and the problem
// statement, which is what "similar past topics" should match on, while later chunks are mostly
// logs, attempts and details. On SemEval-2016 task 3B, doubling the first chunk raised MAP from
// .807 to .820 with 24-word chunks and from .813 to .821 with 32-word chunks; tripling it
// gained nothing more (.821 with 24-word chunks). The renormalised mean is again a unit
// vector, so cosine stays a dot product.
//
// Empty input (nothing left after cleaning: blank, markup only, a lone reply fallback) gives
// the zero vector: its dot product with everything is 0, so it matches nothing, rather than a
// vector of " " that would look similar to every other near-empty text. See isZeroVector.
import { chunkTextDetailed, DEFAULT_MAX_CHUNKS, DEFAULT_MAX_WORDS, type ChunkOptions } from '../text/chunk.js';
import { cleanText, type TextFormat } from '../text/clean.js';
import { contentHash } from '../text/hash.js';
import type { EmbeddingCache } from './cache.js';
import type { Embedder } from './embedder.js';

export const FIRST_CHUNK_WEIGHT = 2;

export interface TextEmbedderOptions {
  cache?: EmbeddingCache;
  /** Markup of the inputs; 'auto' (default) detects HTML, Markdown or plain text per text. */
  format?: TextFormat;
  chunk?: ChunkOptions;
  /** Chunks per embedBatch call. Default 32 (the throughput plateau of USE-lite on WASM). */
  batchSize?: number;
  /** Batches in flight at once, so every worker of a pool stays busy. Default 2. */
  concurrency?: number;
  firstChunkWeight?: number;
  /** Texts per step of embedMany: each step's vectors are cached before the next starts. Default 256. */
  windowTexts?: number;
}

export interface EmbedManyOptions {
  /** Called as texts complete (cache hits first), with the number done and the total. */
  onProgress?: (done: number, total: number) => void;
}

/** True for the vector that stands for "no content" (all zeros). */
export function isZeroVector(v: Float32Array): boolean {
  for (let i = 0; i < v.length; i++) if (v[i] !== 0) return false;
  return true;
}

interface Pending {
  hash: string;
  cleaned: string;
  /** Input positions that share this cleaned text. */
  indices: number[];
}

interface ChunkSlot {
  text: string;
  vector?: Float32Array;
}

export class TextEmbedder {
  /**
   * The embedder's model id plus the chunking and pooling settings: the cache key, since a
   * different chunk size or weighting gives different vectors from the same model.
   */
  readonly modelId: string;
  readonly dims: number;
  private readonly chunkOptions: Required<ChunkOptions>;
  private readonly batchSize: number;
  private readonly concurrency: number;
  private readonly firstChunkWeight: number;
  private readonly windowTexts: number;

  constructor(
    private readonly embedder: Embedder,
    private readonly options: TextEmbedderOptions = {},
  ) {
    this.chunkOptions = {
      maxWords: options.chunk?.maxWords ?? DEFAULT_MAX_WORDS,
      maxChunks: options.chunk?.maxChunks ?? DEFAULT_MAX_CHUNKS,
      overlap: options.chunk?.overlap ?? 0,
    };
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 32));
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 2));
    this.firstChunkWeight = options.firstChunkWeight ?? FIRST_CHUNK_WEIGHT;
    this.windowTexts = Math.max(1, Math.floor(options.windowTexts ?? 256));
    const { maxWords, maxChunks, overlap } = this.chunkOptions;
    this.modelId = `${embedder.modelId}|text-v1:w${maxWords}:c${maxChunks}:o${overlap}:f${this.firstChunkWeight}`;
    this.dims = embedder.dims;
  }

  /** The cleaned text, its hash (the cache key) and its chunks, for logs and debugging. */
  prepare(text: string): { cleaned: string; hash: string; chunks: string[]; truncated: boolean } {
    const cleaned = cleanText(text, this.options.format ?? 'auto');
    const { chunks, truncated } = chunkTextDetailed(cleaned, this.chunkOptions);
    return { cleaned, hash: contentHash(cleaned), chunks, truncated };
  }

  async embed(text: string): Promise<Float32Array> {
    const [v] = await this.embedMany([text]);
    return v!;
  }

  /**
   * One unit vector per text, in order (the zero vector for texts with no content). Identical
   * texts are embedded once; cached texts not at all. Treat the vectors as read-only: equal
   * texts share one array, and cached arrays may be shared with the cache.
   */
  async embedMany(texts: readonly string[], options: EmbedManyOptions = {}): Promise<Float32Array[]> {
    return (await this.embedManyHashed(texts, [], options)).vectors;
  }

  /**
   * embedMany for texts whose content hash may be known already (`known[i]`, as an earlier
   * embedMany found it): a known hash with a cached vector skips cleaning and hashing the text,
   * which at a million documents was a quarter of start-up. A known hash the cache lacks (or a
   * wrong one) is ignored and the text handled as embedMany does. Returns each text's content
   * hash as well (undefined for a text with no content), for the caller to remember.
   */
  async embedManyHashed(
    texts: readonly string[],
    known: readonly (string | undefined)[],
    options: EmbedManyOptions = {},
  ): Promise<{ vectors: Float32Array[]; hashes: (string | undefined)[] }> {
    const total = texts.length;
    const results: (Float32Array | undefined)[] = new Array(total);
    const hashes: (string | undefined)[] = new Array(total);
    let done = 0;
    const progress = (n: number): void => {
      done += n;
      options.onProgress?.(done, total);
    };

    const unknown: number[] = [];
    const withHash: number[] = [];
    for (let i = 0; i < total; i++) (this.options.cache && known[i] ? withHash : unknown).push(i);
    for (let start = 0; start < withHash.length; start += this.windowTexts) {
      const window = withHash.slice(start, start + this.windowTexts);
      const cached = await this.options.cache!.get(
        this.modelId,
        window.map((i) => known[i]!),
      );
      let hits = 0;
      for (const i of window) {
        const v = cached.get(known[i]!);
        if (!v) {
          unknown.push(i);
          continue;
        }
        results[i] = v;
        hashes[i] = known[i];
        hits++;
      }
      progress(hits);
    }

    const byHash = new Map<string, Pending>();
    let empty = 0;
    for (const i of unknown) {
      const raw = texts[i];
      const cleaned = cleanText(typeof raw === 'string' ? raw : '', this.options.format ?? 'auto');
      if (cleaned === '') {
        results[i] = new Float32Array(this.dims);
        empty++;
        continue;
      }
      const hash = contentHash(cleaned);
      hashes[i] = hash;
      const p = byHash.get(hash);
      if (p) p.indices.push(i);
      else byHash.set(hash, { hash, cleaned, indices: [i] });
    }
    if (empty > 0) progress(empty);

    const pending = [...byHash.values()];
    for (let start = 0; start < pending.length; start += this.windowTexts) {
      const window = pending.slice(start, start + this.windowTexts);
      const cached = this.options.cache
        ? await this.options.cache.get(
            this.modelId,
            window.map((p) => p.hash),
          )
        : new Map<string, Float32Array>();
      const missing = window.filter((p) => !cached.has(p.hash));
      const fresh = await this.embedPending(missing);
      if (this.options.cache && fresh.size > 0) {
        await this.options.cache.put(
          this.modelId,
          [...fresh].map(([hash, vector]) => ({ hash, vector })),
        );
      }
      let completed = 0;
      for (const p of window) {
        const v = cached.get(p.hash) ?? fresh.get(p.hash)!;
        for (const i of p.indices) results[i] = v;
        completed += p.indices.length;
      }
      progress(completed);
    }
    return { vectors: results as Float32Array[], hashes };
  }

  /** Embeds the chunks of `items` (deduplicated, sorted by length) and pools them per text. */
  private async embedPending(items: readonly Pending[]): Promise<Map<string, Float32Array>> {
    const out = new Map<string, Float32Array>();
    if (items.length === 0) return out;
    const slots = new Map<string, ChunkSlot>();
    const plans = items.map((p) => {
      const { chunks } = chunkTextDetailed(p.cleaned, this.chunkOptions);
      // Cleaned text is never blank, so there is at least one chunk; guard anyway.
      const parts = chunks.length > 0 ? chunks : [p.cleaned.slice(0, 200)];
      const refs = parts.map((text) => {
        let slot = slots.get(text);
        if (!slot) slots.set(text, (slot = { text }));
        return slot;
      });
      return { pending: p, refs };
    });
    // Similar lengths in one batch: the model pads every text of a batch to the longest one.
    const work = [...slots.values()].sort((a, b) => a.text.length - b.text.length);
    await this.runBatches(work);
    for (const { pending, refs } of plans) out.set(pending.hash, this.pool(refs));
    return out;
  }

  private async runBatches(work: ChunkSlot[]): Promise<void> {
    const batches: ChunkSlot[][] = [];
    for (let i = 0; i < work.length; i += this.batchSize) batches.push(work.slice(i, i + this.batchSize));
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < batches.length) {
        const batch = batches[next++]!;
        const vectors = await this.embedBatchWithRetry(batch.map((s) => s.text));
        batch.forEach((slot, k) => (slot.vector = vectors[k]));
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batches.length) }, lane));
  }

  /** One retry: a worker crash rejects only the batch it was running, and the pool restarts it. */
  private async embedBatchWithRetry(texts: string[]): Promise<Float32Array[]> {
    let vectors: Float32Array[];
    try {
      vectors = await this.embedder.embedBatch(texts);
    } catch {
      vectors = await this.embedder.embedBatch(texts);
    }
    if (vectors.length !== texts.length) throw new Error(`embedder returned ${vectors.length} vectors for ${texts.length} texts`);
    return vectors;
  }

  /** Weighted mean of the chunk vectors (see the header), renormalised to unit length. */
  private pool(refs: readonly ChunkSlot[]): Float32Array {
    const sum = new Float32Array(this.dims);
    refs.forEach((slot, k) => {
      const words = slot.text.split(' ').length;
      const w = words * (k === 0 ? this.firstChunkWeight : 1);
      const v = slot.vector!;
      for (let d = 0; d < sum.length; d++) sum[d]! += w * v[d]!;
    });
    let norm = 0;
    for (let d = 0; d < sum.length; d++) norm += sum[d]! * sum[d]!;
    norm = Math.sqrt(norm);
    if (norm > 0) for (let d = 0; d < sum.length; d++) sum[d]! /= norm;
    return sum;
  }
}
