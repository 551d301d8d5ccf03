// Worker-thread entry for EmbedderPool: loads its own USE-lite model (WASM cannot share one
// model across threads in Node) and embeds the batches the pool sends, one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { UseEmbedder, type UseEmbedderOptions } from './use-model.js';

/** What the pool passes as workerData. */
export type EmbedWorkerInit = UseEmbedderOptions;

export interface SerializedError {
  name: string;
  message: string;
  /** ModelFileError's file. */
  file?: string;
}

export type EmbedWorkerRequest = { type: 'embed'; id: number; texts: string[] };

export type EmbedWorkerReply =
  | { type: 'ready'; modelId: string; dims: number; backend: string; backendNotes: string[] }
  | { type: 'load-error'; error: SerializedError }
  /** `data` holds count * dims floats; its buffer is transferred, not copied. */
  | { type: 'result'; id: number; count: number; data: Float32Array }
  | { type: 'error'; id: number; error: SerializedError };

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const file = (e as { file?: unknown }).file;
    return { name: e.name, message: e.message, ...(typeof file === 'string' ? { file } : {}) };
  }
  return { name: 'Error', message: String(e) };
}

async function main(port: NonNullable<typeof parentPort>): Promise<void> {
  let embedder: UseEmbedder;
  try {
    embedder = await UseEmbedder.load((workerData ?? {}) as EmbedWorkerInit);
  } catch (e) {
    port.postMessage({ type: 'load-error', error: serializeError(e) } satisfies EmbedWorkerReply);
    return;
  }
  const { modelId, dims, backend, backendNotes } = embedder;
  port.postMessage({ type: 'ready', modelId, dims, backend, backendNotes } satisfies EmbedWorkerReply);

  // The pool sends one request at a time per worker; the chain keeps order if it ever sends more.
  let queue = Promise.resolve();
  port.on('message', (msg: EmbedWorkerRequest) => {
    if (msg?.type !== 'embed') return;
    queue = queue.then(async () => {
      try {
        const vectors = await embedder.embedBatch(msg.texts);
        const data = new Float32Array(vectors.length * dims);
        vectors.forEach((v, i) => data.set(v, i * dims));
        port.postMessage({ type: 'result', id: msg.id, count: vectors.length, data } satisfies EmbedWorkerReply, [data.buffer]);
      } catch (e) {
        port.postMessage({ type: 'error', id: msg.id, error: serializeError(e) } satisfies EmbedWorkerReply);
      }
    });
  });
}

if (parentPort) void main(parentPort);
