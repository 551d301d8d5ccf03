// Performs the outbox: each due action goes to its platform's port; success is recorded with
// what the platform returned, failures are retried with backoff (or the wait the platform asked
// for) and parked after too many attempts. The action key is the transaction id, so a crash
// between sending and recording cannot post twice.
import type { Logger } from '../logging.js';
import { inForeground } from '../foreground.js';
import { Pump } from '../queue/pump.js';
import type { Store } from '../store/index.js';
import type { Platform } from '../types.js';
import type { DeliveryError, KeyedAction, OutboundAction, PlatformOutbound } from './actions.js';

export interface ExecutorOptions {
  store: Store;
  ports: readonly PlatformOutbound[];
  logger: Logger;
  maxAttempts?: number;
  /** Runs after an action succeeded, with what the platform returned (e.g. to link a new topic). */
  onDone?: (action: OutboundAction, result: unknown, key: string) => Promise<void>;
  /** Runs once when an action failed for good (e.g. to tell the member it could not be posted). */
  onFailed?: (action: OutboundAction, key: string, error: DeliveryError) => Promise<void>;
  /**
   * Asked right before each send: false stops the round, leaving the rest pending (an instance
   * that lost the failover lease must send nothing; the active one sends it).
   */
  mayPerform?: () => boolean;
  /** First retry delay; doubles per attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export class ActionExecutor {
  readonly #pump: Pump;
  readonly #ports: Map<Platform, PlatformOutbound>;

  constructor(private readonly options: ExecutorOptions) {
    this.#ports = new Map(options.ports.map((p) => [p.platform, p]));
    this.#pump = new Pump({
      drain: () => this.#drain(),
      idleMs: 500,
      onError: (error) => options.logger.error({ err: error }, 'executor round failed'),
    });
  }

  /** Records actions (new keys only) and wakes the executor. */
  async submit(actions: readonly KeyedAction[]): Promise<void> {
    if (actions.length === 0) return;
    await this.options.store.outbox.add(actions.map(({ key, action, notBefore }) => ({
      key, platform: action.platform, kind: action.kind, payload: JSON.stringify(action), ...(notBefore ? { notBefore } : {}),
    })));
    this.#pump.kick();
  }

  start(): void {
    this.#pump.start();
  }

  stop(): Promise<void> {
    return this.#pump.stop();
  }

  idle(): Promise<void> {
    return this.#pump.idle();
  }

  async #drain(): Promise<boolean> {
    const { store, logger } = this.options;
    let didWork = false;
    for (const [platform, port] of this.#ports) {
      const due = await store.outbox.due(platform, new Date(), 20);
      for (const row of due) {
        if (this.options.mayPerform && !this.options.mayPerform()) return false;
        didWork = true;
        let action: OutboundAction;
        try {
          action = JSON.parse(row.payload) as OutboundAction;
        } catch {
          await store.outbox.markRetry(row.id, 'stored payload is not JSON', null);
          continue;
        }
        // Sending is request work: background computations wait meanwhile (core/foreground.ts).
        const outcome = await inForeground(() => port.perform(action, row.key)).catch((error: unknown): { ok: false; error: DeliveryError } => ({
          ok: false,
          error: { message: error instanceof Error ? error.message : String(error), retryable: true },
        }));
        if (outcome.ok) {
          // The follow-up first: if it fails, the action stays pending and is retried (the
          // platform de-duplicates the send), so the follow-up is never lost.
          await this.options.onDone?.(action, outcome.value, row.key);
          await store.outbox.markDone(row.id, outcome.value);
          continue;
        }
        const attempt = row.attempts + 1;
        const { message, retryable, retryAfterMs } = outcome.error;
        const giveUp = !retryable || attempt >= (this.options.maxAttempts ?? 8);
        const delay = retryAfterMs ?? Math.min((this.options.baseDelayMs ?? 1000) * 2 ** (attempt - 1), this.options.maxDelayMs ?? 300_000);
        // The follow-up first, as for successes: if it fails, the action is tried (and given up) again.
        if (giveUp) await this.options.onFailed?.(action, row.key, outcome.error);
        await store.outbox.markRetry(row.id, message, giveUp ? null : new Date(Date.now() + delay));
        logger[giveUp ? 'error' : 'warn']({ key: row.key, kind: row.kind, attempt, error: message, retryInMs: giveUp ? undefined : delay },
          giveUp ? 'action failed for good' : 'action failed; will retry');
      }
    }
    return didWork;
  }
}
