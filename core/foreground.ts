// Request work in progress: an inbound event being handled, an outbound action being performed.
// Background computations (training, calibration, indexing) run in time slices beside it
// (core/engine/steps.ts); while request work is in progress their slices shrink, so each await of
// a request waits a couple of milliseconds for them, not a whole slice. A mention's path has
// dozens of awaits: with 20 ms slices a retraining after start added most of a second to it.
let active = 0;

/** Whether request work is in progress now. */
export function foregroundActive(): boolean {
  return active > 0;
}

/** Marks request work as begun; call the returned function (once is enough; more are ignored) when it ends. */
export function beginForeground(): () => void {
  active += 1;
  let ended = false;
  return () => {
    if (ended) return;
    ended = true;
    active -= 1;
  };
}

/** Runs `work` as request work: background slices stay short until it is done. */
export async function inForeground<T>(work: () => Promise<T>): Promise<T> {
  active += 1;
  try {
    return await work();
  } finally {
    active -= 1;
  }
}
