// EmbedderPool's scheduling and failure handling, with a fake worker (no model): fast and
// deterministic. The real model runs in test/unit/embedding/real-model.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbedderPool, EmbedWorkerCrashError } from './worker-pool.js';

// Speaks the embed-worker protocol. modelDir (passed through workerData) selects a behaviour.
// Vector of text t: [t.length, threadId, size of the batch it ran in, 0]; "__crash__" kills
// the worker, "__throw__" fails the batch.
const FAKE_WORKER = `
import { parentPort, workerData, threadId } from 'node:worker_threads';
const mode = workerData?.modelDir;
const dims = 4;
if (mode === 'missing-vocab') {
  parentPort.postMessage({ type: 'load-error', error: { name: 'ModelFileError', message: 'Embedding model file /m/vocab.json: missing', file: '/m/vocab.json' } });
} else if (mode === 'hang') {
  setInterval(() => {}, 1000);
} else if (mode === 'throw') {
  throw new Error('boom while loading');
} else {
  parentPort.postMessage({ type: 'ready', modelId: 'fake-model', dims, backend: 'fake', backendNotes: ['fake backend'] });
  parentPort.on('message', (msg) => {
    if (msg.texts.includes('__crash__')) process.exit(7);
    if (msg.texts.includes('__throw__')) {
      parentPort.postMessage({ type: 'error', id: msg.id, error: { name: 'Error', message: 'cannot embed __throw__' } });
      return;
    }
    const data = new Float32Array(msg.texts.length * dims);
    msg.texts.forEach((t, i) => { data[i * dims] = t.length; data[i * dims + 1] = threadId; data[i * dims + 2] = msg.texts.length; });
    setTimeout(() => parentPort.postMessage({ type: 'result', id: msg.id, count: msg.texts.length, data }, [data.buffer]), 20);
  });
}
`;

let dir: string;
let workerUrl: URL;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'coagent-pool-'));
  const file = path.join(dir, 'fake-worker.mjs');
  writeFileSync(file, FAKE_WORKER);
  workerUrl = pathToFileURL(file);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const texts = (n: number): string[] => Array.from({ length: n }, (_, i) => 'x'.repeat(i + 1));

describe('EmbedderPool (fake worker)', () => {
  it('splits a batch across workers and keeps the order', async () => {
    const pool = await EmbedderPool.load({ workers: 2, workerUrl });
    try {
      expect(pool).toMatchObject({ modelId: 'fake-model', dims: 4, backend: 'fake', size: 2 });
      expect(pool.backendNotes).toEqual(['fake backend', '2 worker thread(s), one model each']);
      const vs = await pool.embedBatch(texts(10));
      expect(vs.map((v) => v[0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      // Five texts each, on two different threads.
      expect(new Set(vs.map((v) => v[1])).size).toBe(2);
      expect(new Set(vs.slice(0, 5).map((v) => v[1])).size).toBe(1);
    } finally {
      await pool.close();
    }
  });

  it('caps the part one worker gets and serves concurrent callers', async () => {
    const pool = await EmbedderPool.load({ workers: 2, workerUrl, maxBatchPerWorker: 3 });
    try {
      const [a, b, c] = await Promise.all([pool.embedBatch(texts(7)), pool.embedBatch(['one']), pool.embedBatch([])]);
      expect(a.map((v) => v[0])).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(b.map((v) => v[0])).toEqual([3]);
      expect(c).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('merges single-text calls that wait together into one batch, keeping each answer apart', async () => {
    const pool = await EmbedderPool.load({ workers: 1, workerUrl, maxBatchPerWorker: 4 });
    try {
      const results = await Promise.all(texts(9).map((t) => pool.embedBatch([t])));
      expect(results.map((r) => r[0]![0])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      // The first call runs alone; the eight queued behind it go as two batches of four.
      expect(results.map((r) => r[0]![2])).toEqual([1, 4, 4, 4, 4, 4, 4, 4, 4]);
    } finally {
      await pool.close();
    }
  });

  it('fails only the caller whose text breaks a merged batch', async () => {
    const pool = await EmbedderPool.load({ workers: 1, workerUrl });
    try {
      const busy = pool.embedBatch(['first']);
      const calls = [
        pool.embedBatch(['aa']),
        pool.embedBatch(['__throw__']),
        pool.embedBatch(['bbbb']),
        pool.embedBatch(['__crash__']),
        pool.embedBatch(['c']),
      ];
      const settled = await Promise.allSettled([busy, ...calls]);
      expect(settled.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled']);
      expect((settled[3] as PromiseFulfilledResult<Float32Array[]>).value[0]![0]).toBe(4);
      expect(String((settled[2] as PromiseRejectedResult).reason)).toContain('cannot embed __throw__');
      expect((settled[4] as PromiseRejectedResult).reason).toBeInstanceOf(EmbedWorkerCrashError);
    } finally {
      await pool.close();
    }
  });

  it('rejects only the batch of a crashed worker, then restarts it', async () => {
    const events: string[] = [];
    const pool = await EmbedderPool.load({ workers: 1, workerUrl, onEvent: (e) => events.push(e) });
    try {
      const crash = pool.embedBatch(['__crash__']);
      await expect(crash).rejects.toBeInstanceOf(EmbedWorkerCrashError);
      await expect(crash).rejects.toThrow(/exited \(code 7\).*restarted/);
      const vs = await pool.embedBatch(['after']);
      expect(vs[0]![0]).toBe(5);
      expect(events.some((e) => e.includes('restarted'))).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('passes a per-batch error through without killing the worker', async () => {
    const pool = await EmbedderPool.load({ workers: 1, workerUrl });
    try {
      await expect(pool.embedBatch(['__throw__'])).rejects.toThrow('cannot embed __throw__');
      expect((await pool.embedBatch(['ok']))[0]![0]).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('rejects load() with ModelFileError naming the file', async () => {
    const { ModelFileError } = await import('./use-model.js');
    const load = EmbedderPool.load({ workers: 2, workerUrl, modelDir: 'missing-vocab' });
    await expect(load).rejects.toBeInstanceOf(ModelFileError);
    await expect(load).rejects.toMatchObject({ file: '/m/vocab.json', message: expect.stringContaining('/m/vocab.json: missing') });
  });

  it('rejects load() when a worker throws or never gets ready', async () => {
    await expect(EmbedderPool.load({ workers: 1, workerUrl, modelDir: 'throw' })).rejects.toThrow('boom while loading');
    await expect(EmbedderPool.load({ workers: 1, workerUrl, modelDir: 'hang', loadTimeoutMs: 300 })).rejects.toThrow('did not load the model within 300 ms');
  });

  it('start() answers the expected model at once and runs calls made while loading, workers loading one at a time', async () => {
    const pool = EmbedderPool.start({ workers: 2, workerUrl, oneAtATime: true, expect: { modelId: 'fake-model', dims: 4 } });
    try {
      expect(pool).toMatchObject({ modelId: 'fake-model', dims: 4, backend: 'loading' });
      const early = pool.embedBatch(texts(4));
      await pool.ready;
      expect((await early).map((v) => v[0])).toEqual([1, 2, 3, 4]);
      expect(pool.backend).toBe('fake');
    } finally {
      await pool.close();
    }
  });

  it('start(): calls made while loading fail with the load error, or when the workers load another model than expected', async () => {
    const broken = EmbedderPool.start({ workers: 1, workerUrl, modelDir: 'throw' });
    await expect(broken.embedBatch(['x'])).rejects.toThrow('boom while loading');
    await expect(broken.ready).rejects.toThrow('boom while loading');
    const other = EmbedderPool.start({ workers: 1, workerUrl, expect: { modelId: 'use-lite-512', dims: 512 } });
    const early = expect(other.embedBatch(['x'])).rejects.toThrow('expected use-lite-512');
    await expect(other.ready).rejects.toThrow('loaded fake-model (4 dims), expected use-lite-512 (512 dims)');
    await early;
  });

  it('close() while loading stops the load', async () => {
    const pool = EmbedderPool.start({ workers: 2, workerUrl, modelDir: 'hang', oneAtATime: true });
    const call = expect(pool.embedBatch(['x'])).rejects.toThrow('closed');
    await pool.close();
    await call;
    await expect(pool.ready).rejects.toThrow();
  });

  it('close() rejects pending work and later calls', async () => {
    const pool = await EmbedderPool.load({ workers: 1, workerUrl });
    const pending = expect(pool.embedBatch(['slow'])).rejects.toThrow('closed');
    await pool.close();
    await pending;
    await expect(pool.embedBatch(['late'])).rejects.toThrow('closed');
    await pool.close();
  });
});
