// How a Discourse client call retries, on the service's one policy (core/retry.ts, whose header
// says who owns which retry). Rate limits wait what Discourse asks; outages back off with jitter;
// tries and total waiting are bounded so a dead forum fails a call in bounded time. The
// executor's port uses the client's single-try view (maxAttempts 1): the executor owns retrying
// actions, so a write is never retried here inside each of the executor's tries. Writes plug in
// an existence check (see idempotency.ts) that runs before any re-send that could duplicate a post.
import { pause, retry, type RetryPolicy, type Verdict } from '../../../core/retry.js';
import { DiscourseApiError, STOPPING, errorFromTransport } from './errors.js';

export { backoffDelay, type RetryPolicy } from '../../../core/retry.js';

/** Calls outside the executor: 5 tries, 0.5 s doubling, 30 s a wait, 120 s of waiting in all. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxTotalWaitMs: 120_000,
};

/** One try: for calls whose caller owns the retrying (the executor's port). */
export const SINGLE_TRY: Partial<RetryPolicy> = { maxAttempts: 1 };

export interface RetryDeps {
  sleep: (ms: number) => Promise<void>;
  /** In [0, 1); injectable so tests get deterministic jitter. */
  random: () => number;
  onRetry?: ((error: DiscourseApiError, attempt: number, delayMs: number) => void) | undefined;
}

export const realSleep = (ms: number): Promise<void> => pause(ms);

/** A failure as the policy sees it; a request refused because the service stops is not retried now. */
export function verdictOf(error: DiscourseApiError): Verdict {
  return { retryable: error.retryable && error.code !== STOPPING, retryAfterMs: error.retryAfterMs };
}

const asApiError = (caught: unknown): DiscourseApiError => (caught instanceof DiscourseApiError ? caught : errorFromTransport('?', '?', caught));

export interface RetryHooks<T> {
  /**
   * Looks for the effect of an earlier attempt (a post already created). Runs before the first
   * attempt when `checkFirst` is set, and before every re-send after an ambiguous failure.
   * Returns the existing result, or undefined to go ahead and send.
   */
  findExisting?: (() => Promise<T | undefined>) | undefined;
  /** An earlier call (the executor's previous try, a crashed run) may already have sent this. */
  checkFirst?: boolean | undefined;
}

export async function withRetry<T>(send: () => Promise<T>, policy: RetryPolicy, deps: RetryDeps, hooks: RetryHooks<T> = {}): Promise<T> {
  let mustCheck = hooks.checkFirst === true;
  // Whether something may already have gone out: before this call (checkFirst) or in it.
  let mayHaveSent = mustCheck;
  return retry(
    async () => {
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
        const error = asApiError(caught);
        if (error.ambiguous) {
          mustCheck = true;
          mayHaveSent = true;
        } else if (!error.retryable && mayHaveSent && hooks.findExisting && !mustCheck) {
          // A refusal when an earlier send may have gone out can be Discourse's own duplicate guard
          // ("Body is too similar to what you recently posted") for the post our lookup just
          // missed: look once more so the caller gets that post, not an error.
          const existing = await hooks.findExisting().catch(() => undefined);
          if (existing !== undefined) return existing;
        }
        throw error;
      }
    },
    {
      policy,
      classify: (error) => verdictOf(asApiError(error)),
      sleep: deps.sleep,
      random: deps.random,
      onRetry: (error, attempt, delayMs) => deps.onRetry?.(asApiError(error), attempt, delayMs),
    },
  );
}
