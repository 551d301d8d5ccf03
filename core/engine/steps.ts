// Long computations written as generators that yield now and then: run them straight through
// (drain), or give the event loop back at every yield (drainAsync) when they run in a service.

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

/** True once every `ms` milliseconds: for loops that should pause by time, not by count. */
export function timeSlices(ms: number): () => boolean {
  let last = performance.now();
  return () => {
    const now = performance.now();
    if (now - last < ms) return false;
    last = now;
    return true;
  };
}
