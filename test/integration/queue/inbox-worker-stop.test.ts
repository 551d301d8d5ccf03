// A stop in the middle of a batch waits for the event in hand only: the rest of the batch stays
// pending in the inbox for the next start (so a shutdown during a history read stays short).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logging.js';
import { HandlerUnavailable, InboxWorker } from '../../../core/queue/inbox-worker.js';
import { openStore, type Store } from '../../../core/store/index.js';

describe('InboxWorker.stop', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-inbox-stop-'));
    store = await openStore({ path: path.join(dir, 'db.sqlite'), logger: createLogger({ level: 'silent' }) });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes the event in hand and leaves the rest of the batch pending', async () => {
    await store.inbox.enqueue(
      'matrix',
      Array.from({ length: 10 }, (_, i) => ({ eventId: `e${i}`, payload: '{}' })),
    );
    const handled: string[] = [];
    let release!: () => void;
    const inHand = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const first = new Promise<void>((resolve) => (started = resolve));
    const worker = new InboxWorker({
      store,
      platform: 'matrix',
      logger: createLogger({ level: 'silent' }),
      handle: async (item) => {
        handled.push(item.eventId);
        started();
        await inHand;
      },
    });
    worker.start();
    await first;
    const stopped = worker.stop();
    release();
    await stopped;
    expect(handled).toEqual(['e0']);
    expect(await store.inbox.counts('matrix')).toEqual({ pending: 9, done: 1, failed: 0 });
  });

  it('counts no attempt for an event whose handler is unavailable (a failed start), however often', async () => {
    await store.inbox.enqueue('matrix', [{ eventId: 'mention', payload: '{}' }]);
    for (let start = 0; start < 7; start++) {
      let tried!: () => void;
      const attempt = new Promise<void>((resolve) => (tried = resolve));
      const worker = new InboxWorker({
        store,
        platform: 'matrix',
        logger: createLogger({ level: 'silent' }),
        maxAttempts: 5,
        handle: async () => {
          tried();
          throw new HandlerUnavailable('the service did not start');
        },
      });
      worker.start();
      await attempt;
      // The failed round is over before the stop, so only the error's kind keeps the count at 0.
      await worker.idle();
      await worker.stop();
    }
    expect(await store.inbox.counts('matrix')).toEqual({ pending: 1, done: 0, failed: 0 });
    const [item] = await store.inbox.next('matrix', 1);
    expect(item?.attempts).toBe(0);
  });
});
