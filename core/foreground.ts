// Request work in progress: an inbound event being handled, an outbound action being performed,
// an HTTP request being answered. Background computations (training, calibration, indexing) run
// in time slices beside it (core/engine/steps.ts). While request work is in progress their
// slices shrink to a couple of milliseconds, and at each pause they wait for the request work to
// end (a bounded wait, so they still move on under a steady stream of requests). A mention's path
// has dozens of awaits: behind 20 ms slices of retraining it took most of a second. Work a
// request runs itself (its own sliced steps) never waits for itself: the request's context is
// carried by AsyncLocalStorage, and background work a request sets off leaves that context.
import { AsyncLocalStorage } from 'node:async_hooks';

let active = 0;
/** Set inside request work, so a request's own sliced work never waits for itself. */
const context = new AsyncLocalStorage<true>();
let waiters: (() => void)[] = [];

const ended = (): void => {
  active -= 1;
  if (active > 0) return;
  const wake = waiters;
  waiters = [];
  for (const w of wake) w();
};

/** Whether request work is in progress now. */
export function foregroundActive(): boolean {
  return active > 0;
}

/** Whether the caller runs as (part of) request work. */
export function inForegroundContext(): boolean {
  return context.getStore() === true;
}

/** Runs `start` outside any request's context: background work a request sets off is background. */
export function outsideForeground<T>(start: () => T): T {
  return context.exit(start);
}

/**
 * Marks request work as begun; call the returned function (once is enough; more are ignored)
 * when it ends. Run the work itself with `asForeground`.
 */
export function beginForeground(): () => void {
  active += 1;
  let done = false;
  const end = (): void => {
    if (done) return;
    done = true;
    ended();
  };
  return end;
}

/** Runs `work` in a request's context (what it awaits and sets off belongs to the request). */
export function asForeground<T>(work: () => T): T {
  return context.run(true, work);
}

/** Runs `work` as request work: background slices stay short until it is done. */
export async function inForeground<T>(work: () => Promise<T>): Promise<T> {
  active += 1;
  try {
    return await context.run(true, work);
  } finally {
    ended();
  }
}

/**
 * Resolves once no request work is in progress, or after `maxWaitMs` at the latest (so
 * background work still moves on, slowly, under a steady stream of requests).
 */
export function foregroundDone(maxWaitMs: number): Promise<void> {
  if (active === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, maxWaitMs);
    waiters.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
