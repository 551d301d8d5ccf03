// matrix-bot-sdk's client with one change to its sync loop: instead of emitting each event to
// listeners (fire and forget), a whole sync response is handed to `deliver`, which stores it in
// the durable queue; only then does the SDK save the next sync token. A crash at any point
// therefore replays the response rather than losing it.
import { MatrixClient, type IStorageProvider } from 'matrix-bot-sdk';

/** One thing the SDK found in a sync response: (`room.event`, roomId, event), (`room.invite`, roomId, event), ... */
export interface SyncItem {
  type: string;
  args: unknown[];
}

export interface SyncHooks {
  /** Runs before a response is processed (e.g. to learn about rooms joined in it). */
  before(raw: unknown): Promise<void>;
  /** Stores what the response contained; throwing makes the SDK retry the same response. */
  deliver(items: SyncItem[]): Promise<void>;
}

export class DurableSyncClient extends MatrixClient {
  constructor(homeserverUrl: string, accessToken: string, storage: IStorageProvider, private readonly hooks: SyncHooks) {
    super(homeserverUrl, accessToken, storage);
    this.persistTokenAfterSync = true;
  }

  /**
   * The SDK takes `next_batch` from whatever the homeserver returned before processing it; a
   * garbage body would make it forget its position and start over with an initial sync. A
   * response without a token is refused here, so the SDK backs off and retries from where it was.
   */
  protected override async doSync(token: string): Promise<unknown> {
    const response = (await super.doSync(token)) as { next_batch?: unknown } | null;
    if (typeof response !== 'object' || response === null || typeof response.next_batch !== 'string') {
      throw new Error('malformed /sync response from the homeserver (no next_batch); retrying');
    }
    return response;
  }

  protected override async processSync(raw: unknown): Promise<void> {
    dropMalformedEvents(raw);
    await this.hooks.before(raw);
    const items: SyncItem[] = [];
    await super.processSync(raw, async (type: string, ...args: unknown[]) => {
      items.push({ type, args });
    });
    await this.hooks.deliver(items);
  }
}

const isEvent = (e: unknown): boolean => typeof e === 'object' && e !== null && typeof (e as { type?: unknown }).type === 'string';

/**
 * Removes timeline and invite entries that are not event objects, so one malformed event can
 * neither crash the SDK's processing nor make it retry the same response forever. The queue
 * handler reports anything else wrong with an event when it translates it.
 */
function dropMalformedEvents(raw: unknown): void {
  const rooms = (raw as { rooms?: Record<string, unknown> }).rooms;
  if (typeof rooms !== 'object' || rooms === null) return;
  for (const section of ['join', 'leave', 'invite'] as const) {
    const byRoom = rooms[section];
    if (typeof byRoom !== 'object' || byRoom === null) {
      delete rooms[section];
      continue;
    }
    for (const [roomId, room] of Object.entries(byRoom as Record<string, unknown>)) {
      if (typeof room !== 'object' || room === null) {
        delete (byRoom as Record<string, unknown>)[roomId];
        continue;
      }
      for (const key of ['timeline', 'invite_state'] as const) {
        const list = (room as Record<string, { events?: unknown } | undefined>)[key];
        if (list && Array.isArray(list.events)) list.events = list.events.filter(isEvent);
        else if (list) list.events = [];
      }
    }
  }
}
