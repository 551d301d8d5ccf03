// matrix-bot-sdk's storage (sync token, filter, small values) kept in Co-Agent's database, so
// the sync position survives restarts together with the queue it feeds.
import type { IFilterInfo, IStorageProvider } from 'matrix-bot-sdk';
import type { Store } from '../../core/store/index.js';

export class StoreStorageProvider implements IStorageProvider {
  constructor(private readonly store: Store) {}

  async setSyncToken(token: string | null): Promise<void> {
    await this.store.cursors.set('matrix', 'sync-token', token ?? '');
  }

  async getSyncToken(): Promise<string | null> {
    return (await this.store.cursors.get('matrix', 'sync-token')) || null;
  }

  async setFilter(filter: IFilterInfo): Promise<void> {
    await this.store.cursors.set('matrix', 'filter', JSON.stringify(filter));
  }

  async getFilter(): Promise<IFilterInfo> {
    const raw = await this.store.cursors.get('matrix', 'filter');
    // The SDK treats a falsy filter as "none stored yet".
    return (raw ? JSON.parse(raw) : null) as IFilterInfo;
  }

  async storeValue(key: string, value: string): Promise<void> {
    await this.store.cursors.set('matrix', `kv:${key}`, value);
  }

  async readValue(key: string): Promise<string | null> {
    return this.store.cursors.get('matrix', `kv:${key}`);
  }
}
