// Performs the outbox: each due action goes to its platform's port; success is recorded with
// what the platform returned, failures are retried with backoff (or the wait the platform asked
// for) and parked after too many attempts. The action key is the transaction id, so a crash
// between sending and recording cannot post twice. The executor is the one owner of an action's
// retries (core/retry.ts): ports make one try per perform, and the retries live in the outbox
// (attempts, notBefore), so they survive restarts and pass to the other instance on failover.
import type { Logger } from '../logging.js';
import { inForeground } from '../foreground.js';
import { Pump } from '../queue/pump.js';
import { isLastAttempt, retryDelay, type RetryPolicy } from '../retry.js';
import type { Store } from '../store/index.js';
import type { Platform } from '../types.js';
import type { DeliveryError, KeyedAction, OutboundAction, PlatformOutbound } from './actions.js';
import { routeDirectMessages } from './direct-routing.js';

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
  /** First retry delay (with jitter, between half and all of it); doubles per attempt up to maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * 8 tries; waits 2 s doubling, each jittered into [step/2, step], up to 5 min, or exactly the
 * wait the platform named. Before an action is parked: 7 waits, 127 to 254 s in all (the
 * platform's named waits instead where it named them), plus the 8 tries themselves.
 */
export const EXECUTOR_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 2000, maxDelayMs: 300_000, maxTotalWaitMs: Infinity };

export class ActionExecutor {
  readonly #pump: Pump;
  readonly #ports: Map<Platform, PlatformOutbound>;

  readonly #policy: RetryPolicy;

  constructor(private readonly options: ExecutorOptions) {
    this.#policy = {
      ...EXECUTOR_RETRY_POLICY,
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    };
    this.#ports = new Map(options.ports.map((p) => [p.platform, p]));
    this.#pump = new Pump({
      drain: () => this.#drain(),
      idleMs: 500,
      onError: (error) => options.logger.error({ err: error }, 'executor round failed'),
    });
  }

  /** Records actions (new keys only) and wakes the executor. */
  async submit(decided: readonly KeyedAction[]): Promise<void> {
    if (decided.length === 0) return;
    const actions = await routeDirectMessages(decided, this.options.store, this.options.logger);
    await this.options.store.outbox.add(
      actions.map(({ key, action, notBefore }) => ({
        key,
        platform: action.platform,
        kind: action.kind,
        payload: JSON.stringify(action),
        ...(notBefore ? { notBefore } : {}),
      })),
    );
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
        const { message } = outcome.error;
        const giveUp = isLastAttempt(attempt, outcome.error, this.#policy);
        const delay = retryDelay(attempt, outcome.error, this.#policy);
        // The follow-up first, as for successes: if it fails, the action is tried (and given up) again.
        if (giveUp) await this.options.onFailed?.(action, row.key, outcome.error);
        await store.outbox.markRetry(row.id, message, giveUp ? null : new Date(Date.now() + delay));
        logger[giveUp ? 'error' : 'warn'](
          { key: row.key, kind: row.kind, attempt, error: message, retryInMs: giveUp ? undefined : delay },
          giveUp ? 'action failed for good' : 'action failed; will retry',
        );
      }
    }
    return didWork;
  }
}
