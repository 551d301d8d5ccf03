// The embedding pipeline the evaluation and benchmarks use: the worker pool (one model per core)
// behind the text embedder, with vectors cached on disk so a second run skips the model.
import { MemoryEmbeddingCache } from '../../core/embedding/cache.js';
import { FileEmbeddingCache } from '../../core/embedding/file-cache.js';
import { TextEmbedder } from '../../core/embedding/text-embedder.js';
import { EmbedderPool } from '../../core/embedding/worker-pool.js';
import type { CorpusEmbedder } from './qa-corpus.js';

export interface CorpusEmbedderHandle extends CorpusEmbedder {
  readonly modelId: string;
  readonly backend: string;
  close(): Promise<void>;
}

export async function createCorpusEmbedder(options: { workers?: number | undefined; cacheDir?: string | undefined; log?: (line: string) => void }): Promise<CorpusEmbedderHandle> {
  const pool = await EmbedderPool.load({ ...(options.workers ? { workers: options.workers } : {}), onEvent: (m) => options.log?.(m) });
  options.log?.(`embedding with ${pool.modelId} on ${pool.backend} (${pool.backendNotes.join('; ')})`);
  const cache = options.cacheDir ? new FileEmbeddingCache(options.cacheDir) : new MemoryEmbeddingCache();
  const text = new TextEmbedder(pool, { cache });
  return {
    modelId: text.modelId,
    dims: text.dims,
    backend: pool.backend,
    embedMany: (texts, o) => text.embedMany(texts, o),
    close: () => pool.close(),
  };
}
