// The main thread's side of the figures worker (figures-worker.ts): started with the
// dashboard (warm) or on the first request, one request at a time in its queue, answers matched by id. Should the worker fail
// to start or die, the answers are computed in place (slower for the loop, never missing).
import { Worker } from 'node:worker_threads';
import { workerTarget } from '../../../core/worker-target.js';
import type { Logger } from '../../../core/logging.js';
import type { FigureView } from './figures.js';
import type { FigureReply, FigureRequest, FiguresWorkerInit } from './figures-worker.js';

export type FigureSource = (view: FigureView) => Promise<string>;

export interface FiguresWorker {
  json: FigureSource;
  /** Starts the worker now, so it reads the history before the first request needs it. */
  warm(): void;
  close(): Promise<void>;
}

export function figuresWorker(options: { databasePath: string; logger: Logger; inPlace: FigureSource }): FiguresWorker {
  let worker: Worker | undefined;
  let broken = false;
  let nextId = 1;
  const pending = new Map<number, { resolve(json: string): void; reject(error: Error): void }>();

  const start = (): Worker => {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const { target, eval: isCode } = workerTarget(new URL(`./figures-worker${ext}`, import.meta.url));
    const w = new Worker(target, { eval: isCode, workerData: { databasePath: options.databasePath } satisfies FiguresWorkerInit });
    // The service's lifetime decides, not this thread's.
    w.unref();
    w.on('message', (m: FigureReply | { ready: true }) => {
      if (!('id' in m)) return;
      const p = pending.get(m.id);
      pending.delete(m.id);
      if ('json' in m) p?.resolve(m.json);
      else p?.reject(new Error(m.error));
    });
    const fail = (error: Error): void => {
      if (worker !== w) return;
      worker = undefined;
      broken = true;
      options.logger.error({ err: error }, 'dashboard figures worker failed; computing figures in place');
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`figures worker exited with code ${code}`)));
    return w;
  };

  return {
    json: (view) => {
      if (broken) return options.inPlace(view);
      worker ??= start();
      const w = worker;
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.postMessage({ id, view } satisfies FigureRequest);
      }).catch((error: unknown) => {
        // A request the worker dropped by dying is answered in place.
        if (broken) return options.inPlace(view);
        throw error;
      });
    },
    warm: () => {
      if (!broken) worker ??= start();
    },
    close: async () => {
      const w = worker;
      worker = undefined;
      broken = true;
      if (w) await w.terminate();
    },
  };
}
