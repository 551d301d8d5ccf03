// Every failure of a Discourse API call becomes one typed DiscourseApiError, so callers (the retry
// loop, the executor) decide on fields (status, retryable, ambiguous) instead of parsing messages.
// The error never holds the axios error or request config: those carry the Api-Key header, and
// an error object tends to end up in a log line.
import type { DeliveryError } from '../../../core/concierge/actions.js';
import { err, ok, type Result } from '../../../core/types.js';

export type DiscourseErrorKind =
  /** Discourse (or a proxy in front of it) answered with a non-2xx status. */
  | 'http'
  /** No answer within the request timeout. */
  | 'timeout'
  /** The connection failed (refused, reset, DNS). */
  | 'network'
  /** A 2xx answer whose body is not the JSON we asked for. */
  | 'malformed';

export interface DiscourseApiErrorInit {
  kind: DiscourseErrorKind;
  method: string;
  /** The request path without the query string (no secrets in it). */
  path: string;
  status?: number | undefined;
  /** Discourse's `errors[]` (human-readable reasons, e.g. "Title is too short"). */
  errors?: readonly string[] | undefined;
  /** Discourse's `error_type` (e.g. `rate_limit`, `invalid_access`, `not_found`). */
  errorType?: string | undefined;
  /** The node / axios error code for transport failures (ECONNRESET, ECONNABORTED...). */
  code?: string | undefined;
  retryable: boolean;
  /** The request may have taken effect although we saw no success (timeout, 5xx, lost answer). */
  ambiguous: boolean;
  retryAfterMs?: number | undefined;
  detail?: string | undefined;
}

export class DiscourseApiError extends Error {
  override readonly name = 'DiscourseApiError';
  readonly kind: DiscourseErrorKind;
  readonly method: string;
  readonly path: string;
  readonly status: number | undefined;
  readonly errors: readonly string[];
  readonly errorType: string | undefined;
  readonly code: string | undefined;
  readonly retryable: boolean;
  readonly ambiguous: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(init: DiscourseApiErrorInit) {
    super(describe(init));
    this.kind = init.kind;
    this.method = init.method;
    this.path = init.path;
    this.status = init.status;
    this.errors = init.errors ?? [];
    this.errorType = init.errorType;
    this.code = init.code;
    this.retryable = init.retryable;
    this.ambiguous = init.ambiguous;
    this.retryAfterMs = init.retryAfterMs;
  }

  /** A copy whose message and reasons have every occurrence of `secrets` blanked out. */
  redacted(secrets: readonly string[]): DiscourseApiError {
    const scrub = (text: string): string => redact(text, secrets);
    const copy = new DiscourseApiError({
      ...this.init(),
      errors: this.errors.map(scrub),
      errorType: this.errorType === undefined ? undefined : scrub(this.errorType),
      path: scrub(this.path),
    });
    // The detail only survives inside the message, so scrub that too.
    copy.message = scrub(this.message);
    return copy;
  }

  private init(): DiscourseApiErrorInit {
    return {
      kind: this.kind,
      method: this.method,
      path: this.path,
      status: this.status,
      errors: this.errors,
      errorType: this.errorType,
      code: this.code,
      retryable: this.retryable,
      ambiguous: this.ambiguous,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

function describe(init: DiscourseApiErrorInit): string {
  const what = `Discourse ${init.method} ${init.path}`;
  const reasons = init.errors !== undefined && init.errors.length > 0 ? `: ${init.errors.join('; ')}` : '';
  const type = init.errorType !== undefined ? ` (${init.errorType})` : '';
  const detail = init.detail !== undefined ? ` — ${init.detail}` : '';
  switch (init.kind) {
    case 'http':
      return `${what} failed with HTTP ${init.status ?? '?'}${type}${reasons}${detail}`;
    case 'timeout':
      return `${what} timed out${detail}`;
    case 'network':
      return `${what} could not reach the forum (${init.code ?? 'network error'})${detail}`;
    case 'malformed':
      return `${what} answered HTTP ${init.status ?? '?'} with a body that is not JSON${detail}`;
  }
}

/** Replaces each secret (of a useful length) in `text`; short strings would blank ordinary words. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]');
  }
  return out;
}

// --- classification -------------------------------------------------------------------------

/** The code of a request refused because the service is stopping: retried by the executor later, not now. */
export const STOPPING = 'ESTOPPING';

/** Connection never opened: the request cannot have reached Discourse, so it is not ambiguous. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** Connection broke or stalled mid-request: Discourse may have acted on it. */
const BROKEN_CODES = new Set(['ECONNRESET', 'EPIPE', 'ESOCKETTIMEDOUT', 'ERR_NETWORK']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

/** Discourse's error body: `{ errors: [...], error_type, extras: { wait_seconds } }`. Not in the spec. */
interface DiscourseErrorBody {
  errors?: unknown;
  error_type?: unknown;
  extras?: { wait_seconds?: unknown } | null;
}

function parseErrorBody(text: string): DiscourseErrorBody {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' ? (value as DiscourseErrorBody) : {};
  } catch {
    return {}; // An HTML error page from a proxy: the status alone has to do.
  }
}

/** Retry-After is seconds (what Discourse sends) or an HTTP date (what some proxies send). */
export function parseRetryAfter(header: string | undefined, now: number = Date.now()): number | undefined {
  if (header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface HttpFailure {
  method: string;
  path: string;
  status: number;
  headers: Record<string, string | undefined>;
  body: string;
}

/** Classifies a non-2xx answer. */
export function errorFromResponse(failure: HttpFailure): DiscourseApiError {
  const body = parseErrorBody(failure.body);
  const errors = Array.isArray(body.errors) ? body.errors.filter((e): e is string => typeof e === 'string') : [];
  const errorType = typeof body.error_type === 'string' ? body.error_type : undefined;
  const { status } = failure;
  const base = { kind: 'http' as const, method: failure.method, path: failure.path, status, errors, errorType };
  if (status === 429) {
    const waitSeconds = body.extras?.wait_seconds;
    const retryAfterMs =
      parseRetryAfter(failure.headers['retry-after']) ?? (typeof waitSeconds === 'number' && waitSeconds >= 0 ? Math.round(waitSeconds * 1000) : undefined);
    // Rate-limited requests are refused before they run: retrying cannot duplicate anything.
    return new DiscourseApiError({ ...base, retryable: true, ambiguous: false, retryAfterMs });
  }
  if (status >= 500 || status === 408) {
    // The server may have committed the write before failing to answer (or a proxy gave up).
    const retryAfterMs = parseRetryAfter(failure.headers['retry-after']);
    return new DiscourseApiError({ ...base, retryable: true, ambiguous: true, retryAfterMs });
  }
  if (status >= 300 && status < 400) {
    // Redirects are not followed: a cross-host redirect would carry the Api-Key header along.
    const location = failure.headers.location;
    const detail = location !== undefined ? `redirected to ${location}; point baseUrl there` : 'unexpected redirect';
    return new DiscourseApiError({ ...base, retryable: false, ambiguous: false, detail });
  }
  // Other 4xx (bad key, forbidden, not found, invalid parameters): a retry gets the same answer.
  return new DiscourseApiError({ ...base, retryable: false, ambiguous: false });
}

/** A 2xx answer we could not parse: retryable, and ambiguous since Discourse did answer "done". */
export function malformedResponse(method: string, path: string, status: number, reason: string): DiscourseApiError {
  return new DiscourseApiError({ kind: 'malformed', method, path, status, retryable: true, ambiguous: true, detail: reason });
}

/** Classifies an exception from the HTTP layer that came without a response. */
export function errorFromTransport(method: string, path: string, error: unknown): DiscourseApiError {
  if (error instanceof DiscourseApiError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const codeText = typeof code === 'string' ? code : undefined;
  if (codeText !== undefined && TIMEOUT_CODES.has(codeText)) {
    return new DiscourseApiError({ kind: 'timeout', method, path, code: codeText, retryable: true, ambiguous: true });
  }
  if (codeText !== undefined && NOT_SENT_CODES.has(codeText)) {
    return new DiscourseApiError({ kind: 'network', method, path, code: codeText, retryable: true, ambiguous: false });
  }
  if (codeText !== undefined && BROKEN_CODES.has(codeText)) {
    return new DiscourseApiError({ kind: 'network', method, path, code: codeText, retryable: true, ambiguous: true });
  }
  // Anything else (invalid URL, a bug) will fail the same way again. Only the message is kept:
  // the original error object may reference the request headers.
  const detail = error instanceof Error ? error.message : String(error);
  return new DiscourseApiError({ kind: 'network', method, path, code: codeText, retryable: false, ambiguous: false, detail });
}

// --- adapters for the engine ----------------------------------------------------------------

/** The executor's view of a failure (same contract as describeMatrixError). */
export function describeDiscourseError(error: unknown): DeliveryError {
  if (error instanceof DiscourseApiError) {
    return {
      message: error.message,
      retryable: error.retryable,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    };
  }
  // Not from the client (a bug or an unexpected throw): let the executor's bounded retries decide.
  return { message: error instanceof Error ? error.message : String(error), retryable: true };
}

/** Runs a client call and returns its outcome as a Result, for ports that must not throw. */
export async function settle<T>(call: Promise<T>): Promise<Result<T, DeliveryError>> {
  try {
    return ok(await call);
  } catch (error) {
    return err(describeDiscourseError(error));
  }
}
