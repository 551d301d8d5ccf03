// Spreads embedding over worker threads, one USE-lite model per worker: WASM multithreading
// does not work in Node, so this is how the model uses more than one core. The main thread
// never loads TensorFlow.js.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { workerTarget } from '../worker-target.js';
import type { Embedder } from './embedder.js';
import type { EmbedWorkerInit, EmbedWorkerReply, EmbedWorkerRequest, SerializedError } from './embed-worker.js';
import type { BackendPreference } from './use-model.js';

export interface EmbedderPoolOptions {
  /** Worker threads, each with its own model (~250 MB). Default: os.availableParallelism(). */
  workers?: number;
  backend?: BackendPreference;
  /** Model directory (tests of broken files); default: the npm package. */
  modelDir?: string;
  /** Largest batch one worker embeds at once; bigger calls are split. Default 32. */
  maxBatchPerWorker?: number;
  /** A worker that is not ready after this long fails the load. Default 120 s. */
  loadTimeoutMs?: number;
  /** Worker entry; tests pass a fake. Default: embed-worker next to this file. */
  workerUrl?: URL;
  /** Receives worker crashes and restarts, for the caller's log. */
  onEvent?: (message: string) => void;
  /**
   * The model the workers will load, known beforehand (model-files.ts): the pool answers
   * modelId and dims with these while loading, and the load fails if the workers differ.
   */
  expect?: { modelId: string; dims: number };
  /**
   * Load the workers' models one after another instead of all at once: on a small machine,
   * loading several competes for the cores with whatever the service does meanwhile (start-up
   * indexing its history), while the first worker alone already embeds.
   */
  oneAtATime?: boolean;
}

/** In-flight work failed because its worker thread died; the pool restarts the worker. */
export class EmbedWorkerCrashError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EmbedWorkerCrashError';
  }
}

interface Job {
  texts: string[];
  resolve: (vectors: Float32Array[]) => void;
  reject: (error: Error) => void;
  /** Retried alone after its shared batch failed: never merged again. */
  solo?: boolean;
}

interface Slot {
  index: number;
  worker: Worker | undefined;
  ready: boolean;
  /** The jobs merged into the batch the worker is running. */
  jobs: Job[];
  jobId: number;
  /** Last uncaught error the worker reported, for the crash message. */
  lastError: Error | undefined;
  /** Restarts that failed in a row; the slot gives up after MAX_RESTART_FAILURES. */
  failedRestarts: number;
  dead: boolean;
}

interface WorkerInfo {
  modelId: string;
  dims: number;
  backend: string;
  backendNotes: string[];
}

const MAX_RESTART_FAILURES = 3;
/**
 * The port takes chunks, not documents. A longer text is cut here as a safety net: the USE
 * tokenizer is quadratic in characters, so one unchunked megabyte would stall a worker for
 * minutes. 4,096 characters is far above any chunk TextEmbedder makes (32 words).
 */
export const MAX_TEXT_CHARS = 4096;

/** The worker entry beside this module: .ts under tsx/vitest, .js once compiled. */
function defaultWorkerUrl(): URL {
  const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./embed-worker${ext}`, import.meta.url);
}

async function toError(e: SerializedError): Promise<Error> {
  if (e.name === 'ModelFileError' && e.file) {
    // Loaded only on this path, so the main thread does not pull in TensorFlow.js.
    const { ModelFileError } = await import('./use-model.js');
    const prefix = `Embedding model file ${e.file}: `;
    return new ModelFileError(e.file, e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message);
  }
  const err = new Error(e.message);
  err.name = e.name;
  return err;
}

type ResolvedOptions = EmbedderPoolOptions & { maxBatchPerWorker: number; loadTimeoutMs: number };

export class EmbedderPool implements Embedder {
  readonly size: number;
  private info: WorkerInfo = { modelId: '', dims: 0, backend: '', backendNotes: [] };
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private closed = false;
  private nextId = 1;

  private constructor(private readonly options: ResolvedOptions) {
    this.size = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
    this.slots = Array.from({ length: this.size }, (_, index) => ({
      index,
      worker: undefined,
      ready: false,
      jobs: [],
      jobId: 0,
      lastError: undefined,
      failedRestarts: 0,
      dead: false,
    }));
  }

  get modelId(): string {
    return this.info.modelId || (this.options.expect?.modelId ?? '');
  }
  get dims(): number {
    return this.info.dims || (this.options.expect?.dims ?? 0);
  }
  get backend(): string {
    return this.info.backend || 'loading';
  }
  /** Why this backend (and what failed before it), plus the worker count, for the start-up log. */
  get backendNotes(): string[] {
    return [...this.info.backendNotes, `${this.size} worker thread(s), one model each`];
  }

  /** Starts the workers and waits until every one has loaded the model; rejects with the first load error. */
  static async load(options: EmbedderPoolOptions = {}): Promise<EmbedderPool> {
    const pool = EmbedderPool.start(options);
    await pool.ready;
    return pool;
  }

  /**
   * Starts the workers without waiting for their models (seconds): embedBatch calls made
   * meanwhile wait in the queue and run as soon as a worker is ready. `ready` settles when
   * every worker has loaded, or rejects with the first load error (the pool is then closed and
   * the queued calls fail with that error). Closing the pool meanwhile stops the load.
   */
  static start(options: EmbedderPoolOptions = {}): EmbedderPool {
    const pool = new EmbedderPool({
      ...options,
      maxBatchPerWorker: Math.max(1, Math.floor(options.maxBatchPerWorker ?? 32)),
      loadTimeoutMs: options.loadTimeoutMs ?? 120_000,
    });
    pool.ready = pool.startAll();
    // Observed by whoever awaits `ready`; a pool nobody waits for must not crash the process.
    pool.ready.catch(() => undefined);
    return pool;
  }

  /** Settles once every worker has loaded its model (see start). */
  ready: Promise<void> = Promise.resolve();

  private async startAll(): Promise<void> {
    const startOne = (slot: Slot): Promise<WorkerInfo> =>
      this.startWorker(slot).then((info) => {
        // Work queued while loading starts on the first worker that is ready.
        // (Not with another model than expected: the load fails below.)
        if (!this.mismatch(info)) {
          if (!this.info.modelId) this.info = info;
          this.dispatch();
        }
        return info;
      });
    let started: PromiseSettledResult<WorkerInfo>[] = [];
    if (this.options.oneAtATime) {
      for (const slot of this.slots) {
        // Closed while loading: start no more workers.
        const [result] = this.closed ? [{ status: 'rejected', reason: new Error('EmbedderPool closed') } as const] : await Promise.allSettled([startOne(slot)]);
        started.push(result);
        if (result.status === 'rejected') break;
      }
    } else {
      started = await Promise.allSettled(this.slots.map(startOne));
    }
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    const info = (started[0] as PromiseFulfilledResult<WorkerInfo> | undefined)?.value;
    const expect = this.options.expect;
    const error: unknown = failed
      ? failed.reason
      : expect && info && this.mismatch(info)
        ? new Error(`the embedding workers loaded ${info.modelId} (${info.dims} dims), expected ${expect.modelId} (${expect.dims} dims)`)
        : undefined;
    if (error !== undefined) {
      for (const job of this.queue.splice(0)) job.reject(error instanceof Error ? error : new Error(String(error)));
      await this.close();
      throw error;
    }
    this.info = info!;
  }

  /** True when the workers loaded another model than the one the caller expected. */
  private mismatch(info: WorkerInfo): boolean {
    const expect = this.options.expect;
    return expect !== undefined && (info.modelId !== expect.modelId || info.dims !== expect.dims);
  }

  async embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.closed) throw new Error('EmbedderPool is closed');
    if (texts.length === 0) return [];
    if (this.slots.every((s) => s.dead)) throw new EmbedWorkerCrashError('no embedding worker is running (restarts failed)');
    // Even parts, one per worker, each at most maxBatchPerWorker: a batch of 32 on two workers
    // becomes 16 + 16; concurrent calls queue their parts and idle workers take them in order.
    const part = Math.min(this.options.maxBatchPerWorker, Math.ceil(texts.length / this.size));
    const parts: Promise<Float32Array[]>[] = [];
    for (let i = 0; i < texts.length; i += part) {
      const slice = texts.slice(i, i + part).map((t) => (t.length > MAX_TEXT_CHARS ? t.slice(0, MAX_TEXT_CHARS) : t));
      parts.push(new Promise((resolve, reject) => this.queue.push({ texts: slice, resolve, reject })));
    }
    this.dispatch();
    return (await Promise.all(parts)).flat();
  }

  /** Terminates the workers; queued and in-flight calls reject. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const error = new Error('EmbedderPool closed');
    for (const job of this.queue.splice(0)) job.reject(error);
    await Promise.all(
      this.slots.map(async (slot) => {
        const { worker, jobs } = slot;
        slot.worker = undefined;
        slot.jobs = [];
        slot.ready = false;
        for (const job of jobs) job.reject(error);
        await worker?.terminate();
      }),
    );
  }

  /**
   * Gives queued work to idle workers. Small jobs waiting together are merged into one batch
   * (up to maxBatchPerWorker texts): the model has a fixed cost per call (~15-25 ms), so
   * single-text calls arriving together run several times faster as one batch.
   */
  private dispatch(): void {
    const idle = this.slots.filter((s) => s.ready && s.worker && s.jobs.length === 0);
    idle.forEach((slot, i) => {
      if (this.queue.length === 0) return;
      // Share the queue evenly among the idle workers (a split call's parts go to different
      // workers); a worker alone takes as much as fits in one batch.
      const share = Math.ceil(this.queue.length / (idle.length - i));
      const jobs = [this.queue.shift()!];
      let count = jobs[0]!.texts.length;
      while (!jobs[0]!.solo && jobs.length < share && this.queue.length > 0) {
        const next = this.queue[0]!;
        if (next.solo || count + next.texts.length > this.options.maxBatchPerWorker) break;
        jobs.push(this.queue.shift()!);
        count += next.texts.length;
      }
      slot.jobs = jobs;
      slot.jobId = this.nextId++;
      const texts = jobs.length === 1 ? jobs[0]!.texts : jobs.flatMap((j) => j.texts);
      slot.worker!.postMessage({ type: 'embed', id: slot.jobId, texts } satisfies EmbedWorkerRequest);
    });
  }

  /**
   * A merged batch failed: each of its jobs goes back to the front of the queue to run alone,
   * so one bad text fails only its own caller. A job that failed alone gets the error.
   */
  private failed(jobs: Job[], error: Error): void {
    if (jobs.length === 1) {
      jobs[0]!.reject(error);
      return;
    }
    this.queue.unshift(...jobs.map((j) => ({ ...j, solo: true })));
  }

  /** Starts the slot's worker; resolves when its model is loaded, rejects on a load error, exit or timeout. */
  private startWorker(slot: Slot): Promise<WorkerInfo> {
    const url = this.options.workerUrl ?? defaultWorkerUrl();
    const init: EmbedWorkerInit = {
      ...(this.options.backend ? { backend: this.options.backend } : {}),
      ...(this.options.modelDir ? { modelDir: this.options.modelDir } : {}),
    };
    const { target, eval: isCode } = workerTarget(url);
    const worker = new Worker(target, { workerData: init, eval: isCode });
    slot.worker = worker;
    slot.ready = false;
    slot.lastError = undefined;
    // Kept for the worker's whole life: an 'error' event without a listener would crash the process.
    worker.on('error', (e) => {
      if (slot.worker === worker) slot.lastError = e;
    });
    return new Promise<WorkerInfo>((resolve, reject) => {
      let settled = false;
      const fail = (e: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        if (slot.worker === worker) slot.worker = undefined;
        void worker.terminate();
        reject(e);
      };
      const timer = setTimeout(
        () => fail(new Error(`embedding worker ${slot.index} did not load the model within ${this.options.loadTimeoutMs} ms`)),
        this.options.loadTimeoutMs,
      );
      const onMessage = (msg: EmbedWorkerReply): void => {
        if (msg.type === 'load-error') {
          // The worker exits right after this message; its exit must not replace the real reason.
          worker.off('exit', onExit);
          void toError(msg.error).then(fail);
          return;
        }
        if (msg.type !== 'ready' || settled) return;
        settled = true;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        // Switch to the serving listeners in the same tick, so no exit or message is missed.
        this.serve(slot, worker);
        slot.ready = true;
        resolve({ modelId: msg.modelId, dims: msg.dims, backend: msg.backend, backendNotes: msg.backendNotes });
      };
      const onExit = (code: number): void => {
        fail(slot.lastError ?? new Error(`embedding worker ${slot.index} exited (code ${code}) before its model was loaded`));
      };
      worker.on('message', onMessage);
      worker.on('exit', onExit);
    });
  }

  /** Listens to a ready worker: results, per-batch errors, crashes. */
  private serve(slot: Slot, worker: Worker): void {
    worker.on('message', (msg: EmbedWorkerReply) => {
      if (slot.worker !== worker || (msg.type !== 'result' && msg.type !== 'error')) return;
      const jobs = slot.jobs;
      if (jobs.length === 0 || msg.id !== slot.jobId) return;
      slot.jobs = [];
      if (msg.type === 'result') {
        const dims = msg.data.length / Math.max(1, msg.count);
        let at = 0;
        for (const job of jobs) {
          const out: Float32Array[] = [];
          for (let i = 0; i < job.texts.length; i++, at++) out.push(msg.data.slice(at * dims, (at + 1) * dims));
          job.resolve(out);
        }
        this.dispatch();
      } else {
        void toError(msg.error).then((e) => {
          this.failed(jobs, e);
          this.dispatch();
        });
      }
    });
    worker.on('exit', (code) => {
      if (slot.worker !== worker || this.closed) return;
      const jobs = slot.jobs;
      const why = slot.lastError ? `: ${slot.lastError.message}` : '';
      slot.worker = undefined;
      slot.ready = false;
      slot.jobs = [];
      const message = `embedding worker ${slot.index} exited (code ${code})${why}`;
      const texts = jobs.reduce((n, j) => n + j.texts.length, 0);
      if (jobs.length > 0) this.failed(jobs, new EmbedWorkerCrashError(`${message} while embedding ${texts} text(s); the worker is being restarted`));
      this.options.onEvent?.(`${message}; restarting it`);
      this.restart(slot);
      this.dispatch();
    });
  }

  private restart(slot: Slot): void {
    this.startWorker(slot).then(
      () => {
        if (this.closed) return;
        slot.failedRestarts = 0;
        this.options.onEvent?.(`embedding worker ${slot.index} restarted`);
        this.dispatch();
      },
      (e: Error) => {
        if (this.closed) return;
        slot.failedRestarts++;
        this.options.onEvent?.(`embedding worker ${slot.index} failed to restart (${e.message})`);
        if (slot.failedRestarts < MAX_RESTART_FAILURES) {
          this.restart(slot);
          return;
        }
        slot.dead = true;
        if (this.slots.every((s) => s.dead)) {
          // Nothing left to run queued work: fail it rather than leave callers waiting forever.
          for (const job of this.queue.splice(0)) job.reject(new EmbedWorkerCrashError(`no embedding worker could be restarted: ${e.message}`));
        }
      },
    );
  }
}
