// Turns what matrix-bot-sdk throws into a DeliveryError the executor understands: rate limits
// carry the wait the homeserver asked for, server and network failures are worth retrying,
// other client errors (forbidden, unknown room) are not.
import { MatrixError } from 'matrix-bot-sdk';
import type { DeliveryError } from '../../core/concierge/actions.js';
import { retry, type RetryPolicy } from '../../core/retry.js';

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

/** The HTTP status of a failed SDK call, when it had one. */
function statusOf(error: unknown): number | undefined {
  if (error instanceof MatrixError) return error.statusCode;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

export function describeMatrixError(error: unknown): DeliveryError {
  if (error instanceof MatrixError) {
    const limited = error.errcode === 'M_LIMIT_EXCEEDED' || error.statusCode === 429;
    return {
      message: `${error.errcode}: ${error.error} (HTTP ${error.statusCode})`,
      retryable: limited || error.statusCode >= 500,
      ...(limited ? { retryAfterMs: error.retryAfterMs ?? 1000 } : {}),
    };
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return { message: `homeserver unreachable (${code})`, retryable: true };
  const status = statusOf(error);
  if (status !== undefined) return { message: `homeserver answered HTTP ${status}`, retryable: status >= 500 || status === 429 };
  return { message: error instanceof Error ? error.message : String(error), retryable: true };
}

/**
 * Homeserver calls outside the executor (start-up, joins, history reads): 6 tries, 0.5 s doubling
 * with equal jitter, 30 s a wait; at most 15.5 s of backoff in all, plus the waits the homeserver
 * names (M_LIMIT_EXCEEDED retry_after_ms), which are honoured exactly. Sends are not retried
 * here: the executor owns them (core/retry.ts).
 */
export const MATRIX_RETRY_POLICY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxTotalWaitMs: Infinity };

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  onRetry?: (error: DeliveryError, attempt: number, delayMs: number) => void;
  /** Stops the retrying (shutdown): the last failure is thrown at once. */
  signal?: AbortSignal | undefined;
}

/** Runs a homeserver call, retrying rate limits and outages on the service's retry policy. */
export function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return retry(call, {
    policy: {
      ...MATRIX_RETRY_POLICY,
      maxAttempts: options.attempts ?? MATRIX_RETRY_POLICY.maxAttempts,
      baseDelayMs: options.baseMs ?? MATRIX_RETRY_POLICY.baseDelayMs,
      maxDelayMs: options.maxMs ?? MATRIX_RETRY_POLICY.maxDelayMs,
    },
    classify: describeMatrixError,
    signal: options.signal,
    onRetry: (error, attempt, delayMs) => options.onRetry?.(describeMatrixError(error), attempt, delayMs),
  });
}
