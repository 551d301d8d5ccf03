// Where text vectors are kept between runs, so each text is embedded once per model. The store
// provides a SQLite-backed implementation; scripts use FileEmbeddingCache; tests use memory.

export interface EmbeddingCacheEntry {
  /** contentHash of the cleaned text (64 hex characters). */
  hash: string;
  vector: Float32Array;
}

export interface EmbeddingCache {
  /** The vectors stored for `hashes` under `modelId`; missing hashes are absent from the map. */
  get(modelId: string, hashes: readonly string[]): Promise<Map<string, Float32Array>>;
  put(modelId: string, entries: readonly EmbeddingCacheEntry[]): Promise<void>;
}

/** A cache in memory, optionally bounded (oldest entries go first). */
export class MemoryEmbeddingCache implements EmbeddingCache {
  private readonly byModel = new Map<string, Map<string, Float32Array>>();
  private count = 0;

  constructor(private readonly maxEntries = Infinity) {}

  get size(): number {
    return this.count;
  }

  async get(modelId: string, hashes: readonly string[]): Promise<Map<string, Float32Array>> {
    const stored = this.byModel.get(modelId);
    const found = new Map<string, Float32Array>();
    if (!stored) return found;
    for (const h of hashes) {
      const v = stored.get(h);
      if (v) found.set(h, v);
    }
    return found;
  }

  async put(modelId: string, entries: readonly EmbeddingCacheEntry[]): Promise<void> {
    let stored = this.byModel.get(modelId);
    if (!stored) this.byModel.set(modelId, (stored = new Map()));
    for (const { hash, vector } of entries) {
      if (!stored.has(hash)) this.count++;
      stored.set(hash, vector);
    }
    this.evict();
  }

  private evict(): void {
    for (const stored of this.byModel.values()) {
      for (const hash of stored.keys()) {
        if (this.count <= this.maxEntries) return;
        stored.delete(hash);
        this.count--;
      }
    }
  }
}
