// Time as the stand-in's rules see it. Every duration in a rule (a minute of API limit, 5 s
// between posts, an hour of webhook retries) is multiplied by `scale`, so tests run the real
// rules faster without changing them. Two clocks: the wall clock (Date, which the sandbox's
// simulated clock moves forward) for what members do, and a monotonic clock for the API limit,
// which must not reset when the simulated clock jumps.

export interface ForumTime {
  /** 1 = real time; 0.01 = a minute of rules lasts 600 ms. */
  readonly scale: number;
  /** Wall-clock now (ms), as Date gives it. */
  now(): number;
  /** Monotonic now (ms), for limits on API requests. */
  monotonic(): number;
  /** A rule's duration in this forum's time. */
  ms(realMs: number): number;
}

export function forumTime(scale = 1): ForumTime {
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`timeScale must be in (0, 1], got ${scale}`);
  return {
    scale,
    now: () => Date.now(),
    monotonic: () => performance.now(),
    ms: (realMs) => realMs * scale,
  };
}
