// Discourse's RateLimiter (lib/rate_limiter.rb): per key, the times of the last `max` actions;
// one more is allowed when fewer than `max` fall inside the window, else the caller waits until
// the oldest leaves it. The error is RateLimiter::LimitExceeded: HTTP 429 with the wait.
import { ForumError } from './state-errors.js';

export class SlidingWindowLimiter {
  readonly #log = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Milliseconds until one more action is allowed for `key` (0: now). */
  waitMs(key: string): number {
    const times = this.#recent(key);
    return times.length < this.max ? 0 : Math.max(0, (times[0] ?? 0) + this.windowMs - this.now());
  }

  /** Records an action, or throws the 429 Discourse would answer. */
  perform(key: string, errorCode?: string): void {
    const wait = this.waitMs(key);
    if (wait > 0) throw rateLimited(wait, errorCode);
    this.#recent(key).push(this.now());
  }

  #recent(key: string): number[] {
    const since = this.now() - this.windowMs;
    const times = (this.#log.get(key) ?? []).filter((t) => t > since).slice(-this.max);
    this.#log.set(key, times);
    return times;
  }
}

/** "You've performed this action too many times", with extras.wait_seconds and time_left. */
export function rateLimited(waitMs: number, errorCode?: string): ForumError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const left = `${seconds} ${seconds === 1 ? 'second' : 'seconds'}`;
  const error = new ForumError(429, [`You’ve performed this action too many times. Please wait ${left} before trying again.`], 'rate_limit', {
    wait_seconds: Math.max(0, Math.round(waitMs) / 1000),
    time_left: left,
  });
  error.headers = { 'Retry-After': String(seconds), ...(errorCode ? { 'Discourse-Rate-Limit-Error-Code': errorCode } : {}) };
  return error;
}
