// Reaching a PostgreSQL server at start-up: wait (with backoff, saying so) while it is not
// there yet, and fail with a message an operator can act on when it refuses us.
import pg from 'pg';
import type { Logger } from '../../logging.js';

/** True for the URLs that select the PostgreSQL store. */
export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && /^postgres(ql)?:\/\//i.test(url);
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgresql://(unparsable url)';
  }
}

export class DatabaseConnectionError extends Error {
  override readonly name = 'DatabaseConnectionError';
}

/** Errors worth waiting out: the server is not up (yet), or is starting or shutting down. */
function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', '57P03', '53300'].includes(String(code)) ||
    /Connection terminated|timeout expired/i.test(error instanceof Error ? error.message : '')
  );
}

/** A message an operator can act on, for the errors that waiting will not fix. */
function explain(error: unknown, url: string): string {
  const code = String((error as { code?: unknown }).code ?? '');
  const where = redactUrl(url);
  const parsed = (() => {
    try {
      return new URL(url);
    } catch {
      return undefined;
    }
  })();
  const user = parsed ? decodeURIComponent(parsed.username) || '(default user)' : '?';
  const database = parsed ? decodeURIComponent(parsed.pathname.slice(1)) || '(default database)' : '?';
  const reason = error instanceof Error ? error.message : String(error);
  switch (code) {
    case '28P01':
      return `PostgreSQL refused the password for user "${user}" at ${where}: check database.url / DATABASE_URL`;
    case '28000':
      return `PostgreSQL refused user "${user}" at ${where} (${reason}): check the user and pg_hba.conf`;
    case '3D000':
      return `database "${database}" does not exist on ${where}: create it first (createdb ${database}), Co-Agent creates only its tables`;
    case 'ENOTFOUND':
      return `PostgreSQL host not found for ${where}: check the host name in database.url / DATABASE_URL`;
    default:
      return `cannot use PostgreSQL at ${where}: ${reason}`;
  }
}

export interface ConnectOptions {
  logger?: Logger;
  /** Give up after waiting this long for an unreachable server (ms). Default 5 minutes. */
  maxWaitMs?: number;
  /** Give up after this many attempts, whatever the time (tests). */
  maxAttempts?: number;
  /** First wait between attempts (ms), doubled each time up to 30 s. */
  firstDelayMs?: number;
}

/**
 * Opens one client, waiting with exponential backoff while the server is unreachable (it may
 * still be starting next to us), and failing at once with a clear message when it answers but
 * refuses: a wrong password, an unknown user, a missing database.
 */
export async function connectPostgres(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  const maxWaitMs = options.maxWaitMs ?? 5 * 60_000;
  const started = Date.now();
  let delay = options.firstDelayMs ?? 500;
  for (let attempt = 1; ; attempt += 1) {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      if (!isTransient(error)) throw new DatabaseConnectionError(explain(error, url), { cause: error });
      const waited = Date.now() - started;
      if (waited + delay > maxWaitMs || attempt >= (options.maxAttempts ?? Infinity)) {
        throw new DatabaseConnectionError(
          `PostgreSQL at ${redactUrl(url)} is unreachable after ${Math.round(waited / 1000)} s and ${attempt} attempts: ` +
            `${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      options.logger?.warn(
        { url: redactUrl(url), attempt, retryInMs: delay, error: error instanceof Error ? error.message : String(error) },
        'PostgreSQL is unreachable; waiting for it',
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  }
}
