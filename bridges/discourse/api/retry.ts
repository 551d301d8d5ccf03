// The retry loop every client call runs in. Rate limits wait what Discourse asks; outages back
// off exponentially with jitter (many workers retrying in lockstep would re-trigger the limit);
// attempts and total waiting are both bounded so a dead forum fails a call in bounded time and
// the executor's own schedule takes over. Writes plug in an existence check (see idempotency.ts)
// that runs before any re-send that could duplicate a post.
import { DiscourseApiError, STOPPING, errorFromTransport } from './errors.js';

export interface RetryPolicy {
  /** Total tries including the first. */
  maxAttempts: number;
  /** First backoff step; doubles each retry. */
  baseDelayMs: number;
  /** Cap on one backoff step. */
  maxDelayMs: number;
  /** Cap on the sum of all waits of one call; beyond it the last error is thrown. */
  maxTotalWaitMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalWaitMs: 120_000,
};

export interface RetryDeps {
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1); injectable so tests get deterministic jitter. */
  random: () => number;
  onRetry?: ((error: DiscourseApiError, attempt: number, delayMs: number) => void) | undefined;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Backoff before retry number `attempt` (1-based): "equal jitter", half of the exponential step
 * fixed and half random, so retries stay spread out yet never collapse to zero.
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export interface RetryHooks<T> {
  /**
   * Looks for the effect of an earlier attempt (a post already created). Runs before the first
   * attempt when `checkFirst` is set, and before every re-send after an ambiguous failure.
   * Returns the existing result, or undefined to go ahead and send.
   */
  findExisting?: (() => Promise<T | undefined>) | undefined;
  checkFirst?: boolean | undefined;
}

export async function withRetry<T>(
  send: () => Promise<T>,
  policy: RetryPolicy,
  deps: RetryDeps,
  hooks: RetryHooks<T> = {},
): Promise<T> {
  let waited = 0;
  let mustCheck = hooks.checkFirst === true;
  let sawAmbiguous = false;
  for (let attempt = 1; ; attempt++) {
    try {
      if (mustCheck && hooks.findExisting) {
        const existing = await hooks.findExisting();
        if (existing !== undefined) return existing;
        // Only a completed lookup clears the flag: if the lookup itself failed we still don't
        // know, and the next attempt must look again before sending.
        mustCheck = false;
      }
      return await send();
    } catch (caught) {
      const error = caught instanceof DiscourseApiError ? caught : errorFromTransport('?', '?', caught);
      if (error.ambiguous) {
        mustCheck = true;
        sawAmbiguous = true;
      } else if (!error.retryable && sawAmbiguous && hooks.findExisting && !mustCheck) {
        // A refusal after an ambiguous failure can be Discourse's own duplicate guard ("Body is
        // too similar to what you recently posted") for the post our lookup just missed: look
        // once more so the caller gets that post, not an error.
        const existing = await hooks.findExisting().catch(() => undefined);
        if (existing !== undefined) return existing;
      }
      if (!error.retryable || error.code === STOPPING || attempt >= policy.maxAttempts) throw error;
      const delay = error.retryAfterMs ?? backoffDelay(attempt, policy, deps.random);
      if (waited + delay > policy.maxTotalWaitMs) throw error;
      deps.onRetry?.(error, attempt, delay);
      await deps.sleep(delay);
      waited += delay;
    }
  }
}
