// Long computations written as generators that yield now and then: run them straight through
// (drain), give the event loop back at every yield (drainAsync), or once per time slice
// (drainSliced) when they run in a service beside requests and webhooks.
import { foregroundActive, foregroundDone, inForegroundContext } from '../foreground.js';

/** Work that yields now and then (so a caller may pause) and returns a result. */
export type Steps<T> = Generator<void, T, void>;

export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

export async function drainAsync<T>(steps: Steps<T>, pause: () => Promise<void>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await pause();
  }
}

/**
 * True once every `ms` milliseconds (every FOREGROUND_SLICE_MS while request work is in progress,
 * see core/foreground.ts): for loops that should pause by time, not by count.
 */
export function timeSlices(ms: number): () => boolean {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < (foregroundActive() ? Math.min(ms, FOREGROUND_SLICE_MS) : ms)) return false;
    last = now;
    return true;
  };
}

/** Longest stretch (ms) of background work between pauses: requests wait at most about this. */
export const SLICE_MS = 20;
/** The same while a request is being handled: each of its awaits waits at most about this. */
export const FOREGROUND_SLICE_MS = 2;

/** Longest a background pause waits for request work to finish before it takes one more slice. */
export const FOREGROUND_WAIT_MS = 500;

/**
 * Gives the event loop back: pending I/O and timers run before the work resumes. While request
 * work is in progress it waits for it to end (at most FOREGROUND_WAIT_MS): a mention's steps
 * then never queue behind a step of retraining, which can take longer than a slice.
 */
export const yieldToLoop = async (): Promise<void> => {
  await new Promise((resolve) => setImmediate(resolve));
  if (foregroundActive() && !inForegroundContext()) await foregroundDone(FOREGROUND_WAIT_MS);
};

/**
 * Runs `steps` in slices of about `sliceMs`: at the first yield after a slice is used up it
 * awaits `pause` (by default the next turn of the event loop). Same result as drain: only the
 * pauses differ. Steps should yield often (every few ms of work) for slices to stay short.
 */
export async function drainSliced<T>(steps: Steps<T>, pause: () => Promise<void> = yieldToLoop, sliceMs = SLICE_MS): Promise<T> {
  const due = timeSlices(sliceMs);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (due()) await pause();
  }
}
