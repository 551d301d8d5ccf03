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

  protected override async processSync(raw: unknown): Promise<void> {
    await this.hooks.before(raw);
    const items: SyncItem[] = [];
    await super.processSync(raw, async (type: string, ...args: unknown[]) => {
      items.push({ type, args });
    });
    await this.hooks.deliver(items);
  }
}
