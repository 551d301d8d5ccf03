// Handles one platform's queued events in order, one at a time. An event is marked done only
// after its handler finished (and wrote its outbox actions), so a crash replays it; handlers
// are idempotent, so the replay repeats nothing.
import type { Logger } from '../logging.js';
import type { InboxItem, Store } from '../store/index.js';
import type { Platform } from '../types.js';
import { Pump } from './pump.js';

/**
 * Thrown by a handler that cannot take any event now (the service failed to start, or is
 * stopping): not the event's fault, so no attempt is counted and it stays pending for the next
 * start. Counting it would set a member's request aside after a few failed starts.
 */
export class HandlerUnavailable extends Error {
  override readonly name = 'HandlerUnavailable';
}

export interface InboxWorkerOptions {
  store: Store;
  platform: Platform;
  handle: (item: InboxItem) => Promise<void>;
  logger: Logger;
  /** Attempts before an event that keeps failing is parked as failed (default 5). */
  maxAttempts?: number;
  batch?: number;
}

export class InboxWorker {
  #stopping = false;
  readonly #pump: Pump;

  constructor(private readonly options: InboxWorkerOptions) {
    this.#pump = new Pump({
      drain: () => this.#drain(),
      idleMs: 1000,
      onError: (error) => options.logger.error({ err: error }, 'inbox worker round failed'),
    });
  }

  start(): void {
    this.#pump.start();
  }

  kick(): void {
    this.#pump.kick();
  }

  stop(): Promise<void> {
    this.#stopping = true;
    return this.#pump.stop();
  }

  idle(): Promise<void> {
    return this.#pump.idle();
  }

  async #drain(): Promise<boolean> {
    const { store, platform, handle, logger } = this.options;
    const batch = this.options.batch ?? 20;
    const items = await store.inbox.next(platform, batch);
    for (const item of items) {
      // Stopping: the rest of the batch stays pending in the inbox for the next start, so a stop
      // waits for one event at most, not a batch of history (the 10 s a shutdown may take).
      if (this.#stopping) return false;
      try {
        await handle(item);
        await store.inbox.complete(item.id);
      } catch (error) {
        if (error instanceof HandlerUnavailable || this.#stopping) {
          logger.warn({ eventId: item.eventId, reason: error instanceof Error ? error.message : String(error) }, 'event left pending for the next start');
          return false;
        }
        const status = await store.inbox.recordFailure(item.id, error instanceof Error ? error.message : String(error), this.options.maxAttempts ?? 5);
        logger.error(
          { err: error, eventId: item.eventId, attempts: item.attempts + 1, status },
          status === 'failed' ? 'event failed too often and was set aside (see InboxEvent.lastError)' : 'event handling failed; it will be retried',
        );
        // Retry later rather than spin on the same event.
        return false;
      }
    }
    return items.length === batch;
  }
}
