// A stop in the middle of a batch waits for the event in hand only: the rest of the batch stays
// pending in the inbox for the next start (so a shutdown during a history read stays short).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logging.js';
import { InboxWorker } from '../../../core/queue/inbox-worker.js';
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
    await store.inbox.enqueue('matrix', Array.from({ length: 10 }, (_, i) => ({ eventId: `e${i}`, payload: '{}' })));
    const handled: string[] = [];
    let release!: () => void;
    const inHand = new Promise<void>((resolve) => (release = resolve));
    let started!: () => void;
    const first = new Promise<void>((resolve) => (started = resolve));
    const worker = new InboxWorker({
      store, platform: 'matrix', logger: createLogger({ level: 'silent' }),
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
});
