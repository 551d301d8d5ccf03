// The one retry policy of the service: how long to wait before trying again, when to stop, and
// who does the retrying. Callers say what a failure is (`classify`): only they know their errors.
// Waits the server names (Discourse 429 Retry-After / extras.wait_seconds, Matrix
// M_LIMIT_EXCEEDED retry_after_ms) are always honoured exactly; otherwise the wait doubles with
// "equal jitter" (each wait in [step/2, step]) up to a cap.
//
// Every retry has exactly one owner, so nothing retries twice over:
//
// 1. Outbox actions: the executor (core/concierge/executor.ts), for the whole action (its
//    lookups, reads and the write). Retries live in the outbox (attempts, notBefore), so they
//    survive restarts and failover. Ports make ONE try per perform: the Matrix port always did,
//    the Discourse port uses the client's singleTry() view. A write is sent at most 8 times in
//    all (it was up to 5 inside each of 8 on Discourse). EXECUTOR_RETRY_POLICY: 8 tries, 2 s
//    doubling, cap 5 min: 7 waits of 127 to 254 s in all before the action is parked as failed,
//    plus the tries (a Discourse request times out after 15 s). Never sent twice: the key is the
//    Matrix transaction id and the Discourse marker, looked for before any re-send.
// 2. Calls outside actions (catch-up, history, joins, doctor): the platform client, in memory,
//    with `retry()` below, bounded. Discourse (api/retry.ts): 5 tries, 0.5 s doubling, cap 30 s
//    a wait and 120 s of waiting in all. Matrix (matrix/errors.ts): 6 tries, 0.5 s doubling,
//    cap 30 s: at most 15.5 s of backoff plus the waits the homeserver names.
// 3. Loops that run until they succeed or the service stops (waiting for the forum or the
//    homeserver at start, the Matrix sync loop, reading a room's or the forum's history): the loop itself, without a limit, 30 s (start)
//    or 60 s (sync) at most between tries; what it calls makes one try.
//
// A Discourse write outside the executor re-sends only where the forum cannot have applied it
// (429, connection never opened) or after looking for its effect (the marker).

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

/**
 * Background reads that must happen once (a room's or the forum's history): tried again until
 * they succeed, fail for good, or the service stops; 2 s doubling with jitter, a minute at most.
 */
export const UNTIL_DONE_POLICY: RetryPolicy = { maxAttempts: Infinity, baseDelayMs: 2000, maxDelayMs: 60_000, maxTotalWaitMs: Infinity };

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
