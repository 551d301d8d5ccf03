// Turns what matrix-bot-sdk throws into a DeliveryError the executor understands: rate limits
// carry the wait the homeserver asked for, server and network failures are worth retrying,
// other client errors (forbidden, unknown room) are not.
import { MatrixError } from 'matrix-bot-sdk';
import type { DeliveryError } from '../../core/concierge/actions.js';

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

export interface RetryOptions {
  attempts?: number;
  baseMs?: number;
  maxMs?: number;
  onRetry?: (error: DeliveryError, attempt: number, delayMs: number) => void;
  /** Stop waiting when this says so (shutdown). */
  cancelled?: () => boolean;
}

/** Runs a homeserver call, retrying rate limits and outages with backoff. */
export async function withRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const d = describeMatrixError(error);
      if (!d.retryable || attempt >= attempts || options.cancelled?.()) throw error;
      const delay = d.retryAfterMs ?? Math.min((options.baseMs ?? 500) * 2 ** (attempt - 1), options.maxMs ?? 30_000);
      options.onRetry?.(d, attempt, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
