// The bridge's own /sync loop. matrix-bot-sdk saves `next_batch` before it processes a
// response, so a response whose storing failed was lost for good. Here the position moves only
// when `process` has stored everything the response led past, together with the new token, in
// one transaction; any failure requests the same position again, with backoff. Every string the
// homeserver sends is made well-formed here, at the edge (lone surrogates break SQLite and JSON).
import { MatrixClient } from 'matrix-bot-sdk';
import type { Logger } from '../../core/logging.js';
import { wellFormedDeep } from '../../core/text/well-formed.js';
import { retryDelay } from '../../core/retry.js';
import { describeMatrixError } from './errors.js';

/** matrix-bot-sdk's client with every JSON answer cleaned of lone surrogates. */
export class CleanMatrixClient extends MatrixClient {
  override async doRequest(
    method: unknown,
    endpoint: unknown,
    qs?: unknown,
    body?: unknown,
    timeout?: number,
    raw?: boolean,
    contentType?: string,
    noEncoding?: boolean,
  ): Promise<unknown> {
    const answer: unknown = await super.doRequest(method, endpoint, qs, body, timeout, raw, contentType, noEncoding);
    return raw ? answer : wellFormedDeep(answer);
  }
}

export interface SyncResponse {
  next_batch: string;
  [key: string]: unknown;
}

export interface SyncLoopOptions {
  client: MatrixClient;
  filter: object;
  /** Long-poll wait the homeserver is asked for. */
  timeoutMs?: number;
  logger: Logger;
  readToken(): Promise<string | null>;
  /** Stores what the response brought and its next_batch, atomically; throwing repeats the request. */
  process(response: SyncResponse, since: string | null): Promise<void>;
  backoff?: { baseMs: number; maxMs: number };
}

const STOPPED = Symbol('stopped');

export class SyncLoop {
  #stopping = false;
  #running: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  /** Settles when stop() is called: a long-poll in flight is not waited for (up to 30 s). */
  #stopRequested: () => void = () => undefined;
  readonly #stopped = new Promise<typeof STOPPED>((resolve) => {
    this.#stopRequested = () => resolve(STOPPED);
  });

  constructor(private readonly options: SyncLoopOptions) {}

  start(): void {
    this.#running ??= this.#run();
  }

  /**
   * Stops without waiting for a long-poll in flight (its answer is not processed: the next start
   * repeats it), but after a response being stored.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#stopRequested();
    this.#wake?.();
    await this.#running;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  async #run(): Promise<void> {
    const { client, logger, filter } = this.options;
    const { baseMs, maxMs } = this.options.backoff ?? { baseMs: 500, maxMs: 60_000 };
    let failures = 0;
    while (!this.#stopping) {
      let since: string | null = null;
      try {
        since = await this.options.readToken();
        const request = client.doRequest('GET', '/_matrix/client/v3/sync', {
          filter: JSON.stringify(filter),
          timeout: since === null ? 0 : (this.options.timeoutMs ?? 30_000),
          ...(since === null ? {} : { since }),
        }) as Promise<unknown>;
        // Left behind on stop: its failure (the homeserver going away) is nobody's concern then.
        request.catch(() => undefined);
        const raw = await Promise.race([request, this.#stopped]);
        if (this.#stopping || raw === STOPPED) break;
        if (typeof raw !== 'object' || raw === null || typeof (raw as { next_batch?: unknown }).next_batch !== 'string') {
          throw new Error('malformed /sync response from the homeserver (no next_batch)');
        }
        await this.options.process(raw as SyncResponse, since);
        if (failures > 0) logger.info({ failures }, 'sync works again');
        failures = 0;
      } catch (error) {
        if (this.#stopping) break;
        failures++;
        const d = describeMatrixError(error);
        // This loop owns its endless retry (core/retry.ts): the service's schedule, with jitter.
        const delay = retryDelay(failures, d, { baseDelayMs: baseMs, maxDelayMs: maxMs });
        logger.warn({ error: d.message, since, attempt: failures, retryInMs: delay }, 'sync failed; requesting the same position again');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
      }
    }
  }
}
