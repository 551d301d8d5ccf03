// The embedding pipeline the evaluation and benchmarks use: the worker pool (one model per core)
// behind the text embedder, with vectors cached on disk so a second run skips the model. The pool
// starts on the first text the cache does not hold, so a fully cached run never loads the model
// (two workers and ~600 MB saved, and the run starts at once).
import { MemoryEmbeddingCache } from '../../core/embedding/cache.js';
import type { Embedder } from '../../core/embedding/embedder.js';
import { FileEmbeddingCache } from '../../core/embedding/file-cache.js';
import { TextEmbedder } from '../../core/embedding/text-embedder.js';
import { EmbedderPool } from '../../core/embedding/worker-pool.js';
import type { CorpusEmbedder } from './qa-corpus.js';

export interface CorpusEmbedderHandle extends CorpusEmbedder {
  readonly modelId: string;
  /** The TensorFlow.js backend, or "not loaded" when every vector came from the cache. */
  readonly backend: string;
  close(): Promise<void>;
}

/** The pool behind an Embedder that loads it only when a text must really be embedded. */
class LazyPool implements Embedder {
  private pool: Promise<EmbedderPool> | undefined;
  private loaded: EmbedderPool | undefined;

  constructor(
    readonly modelId: string,
    readonly dims: number,
    private readonly options: { workers?: number | undefined; log?: ((line: string) => void) | undefined },
  ) {}

  get backend(): string {
    return this.loaded?.backend ?? 'not loaded';
  }

  async embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    this.pool ??= EmbedderPool.load({ ...(this.options.workers ? { workers: this.options.workers } : {}), onEvent: (m) => this.options.log?.(m) }).then((p) => {
      this.loaded = p;
      this.options.log?.(`embedding with ${p.modelId} on ${p.backend} (${p.backendNotes.join('; ')})`);
      if (p.modelId !== this.modelId || p.dims !== this.dims)
        throw new Error(`the embedding workers loaded ${p.modelId} (${p.dims} dims), expected ${this.modelId}`);
      return p;
    });
    return (await this.pool).embedBatch(texts);
  }

  async close(): Promise<void> {
    if (this.pool) await (await this.pool).close();
  }
}

export async function createCorpusEmbedder(options: {
  workers?: number | undefined;
  cacheDir?: string | undefined;
  log?: (line: string) => void;
}): Promise<CorpusEmbedderHandle> {
  // Only the model's name and size, read from its package: TensorFlow.js stays in the workers.
  const { locateModelFiles, useModelId, USE_DIMS } = await import('../../core/embedding/use-model.js');
  const pool = new LazyPool(useModelId(locateModelFiles()), USE_DIMS, options);
  const cache = options.cacheDir ? new FileEmbeddingCache(options.cacheDir) : new MemoryEmbeddingCache();
  const text = new TextEmbedder(pool, { cache });
  return {
    modelId: text.modelId,
    dims: text.dims,
    get backend() {
      return pool.backend;
    },
    embedMany: (texts, o) => text.embedMany(texts, o),
    close: () => pool.close(),
  };
}
