// The durable inbox: rows keyed by room and event id (Matrix), sync positions saved in the same
// transaction as the events they lead past, and a bad event parked alone with its error.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/index.js';
import { queuedEvent } from '../../../bridges/matrix/queue-payload.js';
import { openTempStore } from './helpers.js';

describe('inbox', () => {
  let store: Store;
  let done: () => Promise<void>;
  beforeEach(async () => ({ store, done } = await openTempStore()));
  afterEach(async () => done());

  const event = (id: string, body: string) => ({
    event_id: id,
    type: 'm.room.message',
    sender: '@a:x',
    origin_server_ts: 1,
    content: { msgtype: 'm.text', body },
  });

  it('keeps the same event id in two rooms as two events', async () => {
    const added = await store.inbox.enqueue('matrix', [queuedEvent('!a:x', event('$same', 'in a'), false), queuedEvent('!b:x', event('$same', 'in b'), false)]);
    expect(added).toBe(2);
    const rows = await store.inbox.next('matrix', 10);
    expect(rows.map((r) => JSON.parse(r.payload).roomId)).toEqual(['!a:x', '!b:x']);
    // A redelivery in the same room is the same event.
    expect(await store.inbox.enqueue('matrix', [queuedEvent('!a:x', event('$same', 'in a'), false)])).toBe(0);
  });

  it('saves cursors together with the events, and parks a bad event without holding up the rest', async () => {
    await store.inbox.enqueue(
      'matrix',
      [
        queuedEvent('!a:x', event('$1', 'fine'), false),
        { eventId: '!a:x $2', payload: '{}', failed: 'event nested deeper than 64 levels' },
        queuedEvent('!a:x', event('$3', 'also fine'), false),
      ],
      { 'sync-token': 's42', 'room-last:!a:x': '$3' },
    );
    expect(await store.cursors.get('matrix', 'sync-token')).toBe('s42');
    expect(await store.cursors.get('matrix', 'room-last:!a:x')).toBe('$3');
    expect(await store.inbox.counts('matrix')).toEqual({ pending: 2, done: 0, failed: 1 });
    expect((await store.inbox.next('matrix', 10)).map((r) => r.eventId)).toEqual(['!a:x $1', '!a:x $3']);
  });
});
