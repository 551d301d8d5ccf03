// The one retry policy of the service: how long to wait before trying again, when to stop, and
// who does the retrying. Callers say what a failure is (`classify`): only they know their errors.
//
// Owners: every retry belongs to exactly one of these, so nothing retries twice over.
//
// 1. The executor (core/concierge/executor.ts) owns every outbox action, whole: the lookups,
//    reads and the write it takes. It retries across time and restarts through the outbox
//    (`attempts`, `notBefore`), never in memory. The platform ports make ONE try per perform
//    (the Matrix port always did; the Discourse port uses the client's single-try view), so a
//    write is sent at most EXECUTOR_RETRY_POLICY.maxAttempts = 8 times, not 5 inside each of 8.
//    Waits 2 s doubling with equal jitter (each in [step/2, step]), cap 5 min, or exactly the
//    wait the platform named (Discourse 429 Retry-After / extras.wait_seconds, Matrix
//    M_LIMIT_EXCEEDED retry_after_ms). Worst case before an action is parked as failed: 7 waits
//    of at most 2+4+...+128 = 254 s (at least 127 s), plus 8 tries (a Discourse try is bounded
//    by its 15 s request timeout per request). Idempotency is the outbox key: the Matrix
//    transaction id, the Discourse marker (looked for before a re-send).
// 2. The platform clients own the calls made outside actions (catch-up, history, start-up,
//    joins): short, in memory, in `retry()` below. Discourse: 5 tries, 0.5 s doubling with
//    jitter, cap 30 s a wait and 120 s in all (bridges/discourse/api/retry.ts). Matrix: 6 tries,
//    0.5 s doubling with jitter, cap 30 s, backoff at most 0.25+...+8 = 15.5 s in all plus the
//    waits the homeserver names (bridges/matrix/errors.ts); start-up waits for the homeserver
//    without a limit. Rate-limit waits the server names are always honoured exactly.
// 3. Loops that run for the life of the service (the Matrix sync loop, waiting for the forum
//    at start) own their own endless retry; what they call inside makes one try.
//
// A Discourse write outside the executor retries a failure only when the forum cannot have
// applied it (429, connection never opened), or after looking for its effect (the marker).

export interface RetryPolicy {
  /** Tries in all, including the first. */
  maxAttempts: number;
  /** First backoff step; doubles with every retry. */
  baseDelayMs: number;
  /** Cap on one backoff step (not on a wait the server names). */
  maxDelayMs: number;
  /** Cap on all waits of one call together; a wait that would pass it ends the retrying. */
  maxTotalWaitMs: number;
}

/** What the caller makes of one failure. */
export interface Verdict {
  retryable: boolean;
  /** The server named how long to wait (rate limits): waited exactly, not backed off. */
  retryAfterMs?: number | undefined;
}

/**
 * Backoff before retry number `attempt` (1-based): "equal jitter", half of the exponential step
 * fixed and half random, so retries of many callers spread out yet never collapse to zero.
 */
export function backoffDelay(attempt: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(attempt - 1, 52));
  return Math.round(step / 2 + random() * (step / 2));
}

/** The wait before retry number `attempt`: the server's when it named one, else the backoff. */
export function retryDelay(attempt: number, verdict: Verdict, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random?: () => number): number {
  return verdict.retryAfterMs !== undefined ? Math.max(0, verdict.retryAfterMs) : backoffDelay(attempt, policy, random);
}

/** Whether a failure on try `attempt` ends the retrying (permanent, or the tries are used up). */
export function isLastAttempt(attempt: number, verdict: Verdict, policy: Pick<RetryPolicy, 'maxAttempts'>): boolean {
  return !verdict.retryable || attempt >= policy.maxAttempts;
}

/** Waits `ms`, or less when `signal` aborts (never rejects: the caller decides what stopping means). */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface RetryOptions {
  policy: RetryPolicy;
  /** Retryable or permanent, and any wait the server named. */
  classify: (error: unknown) => Verdict;
  /** Stops the retrying (shutdown): the last failure is thrown instead of waiting further. */
  signal?: AbortSignal | undefined;
  /** Injectable for tests: waiting without real time, jitter without randomness. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
  onRetry?: ((error: unknown, attempt: number, delayMs: number) => void) | undefined;
}

/**
 * Runs `run` (given the 1-based try number) until it succeeds, a failure is permanent, the
 * tries or the total wait are used up, or `signal` aborts; then throws the last failure as is.
 */
export async function retry<T>(run: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { policy, signal } = options;
  const sleep = options.sleep ?? pause;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      const verdict = options.classify(error);
      if (isLastAttempt(attempt, verdict, policy) || signal?.aborted) throw error;
      const delay = retryDelay(attempt, verdict, policy, options.random);
      if (waited + delay > policy.maxTotalWaitMs) throw error;
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, signal);
      waited += delay;
      if (signal?.aborted) throw error;
    }
  }
}
