// backfillRoom: only events from before the bot's own join are history, however many came after
// it (a service stopped between joining a room and reading its history finds many there).
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { MatrixClient } from 'matrix-bot-sdk';
import { createLogger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { backfillRoom } from './backfill.js';
import { BOT, member, msg, type Json } from './room-events.fixture.js';

const ROOM = '!r:example.org';

/** A room's events, oldest first, served by /messages backwards from the newest ("t<index>" tokens). */
function roomOf(events: Json[]) {
  const queued: { eventId: string; historic: boolean }[] = [];
  const cursors = new Map<string, string>();
  let requests = 0;
  const client = {
    getUserId: async () => BOT,
    doRequest: async (_method: string, _path: string, qs: { from?: string; limit: number }) => {
      requests += 1;
      const end = qs.from ? Number(qs.from.slice(1)) : events.length;
      const start = Math.max(0, end - qs.limit);
      return { chunk: events.slice(start, end).reverse(), ...(start > 0 ? { end: `t${start}` } : {}) };
    },
  } as unknown as MatrixClient;
  const store = {
    cursors: { get: async (_p: string, key: string) => cursors.get(key) ?? null, set: async (_p: string, key: string, v: string) => void cursors.set(key, v) },
    inbox: {
      enqueue: async (_p: string, items: { payload: string }[]) => {
        for (const item of items) {
          const p = JSON.parse(item.payload) as { event: Json; historic?: boolean };
          queued.push({ eventId: String(p.event['event_id']), historic: p.historic === true });
        }
        return items.length;
      },
    },
  } as unknown as Store;
  const logs: Json[] = [];
  const logger = createLogger(
    { level: 'info' },
    new Writable({
      write(chunk, _enc, done) {
        logs.push(JSON.parse(String(chunk)) as Json);
        done();
      },
    }),
  );
  return { client, store, queued, logs, logger, requests: () => requests, cursors };
}

describe('backfillRoom', () => {
  it('queues up to `depth` events from before the join as history, oldest first, and none of the many after it', async () => {
    // 80 before the join, then 450 after it (a profile change among them): more than one page and more than depth.
    const events = [...Array.from({ length: 80 }, (_, i) => msg(i)), member('$join', 'invite'), ...Array.from({ length: 450 }, (_, i) => msg(1000 + i))];
    events.splice(300, 0, member('$rename', 'join'));
    const r = roomOf(events);
    const added = await backfillRoom(r.client, r.store, ROOM, { depth: 50, afterJoin: 2000 }, r.logger);
    expect(added).toBe(50);
    expect(r.queued.map((q) => q.eventId)).toEqual(Array.from({ length: 50 }, (_, i) => `$m${30 + i}`));
    expect(r.queued.every((q) => q.historic)).toBe(true);
    expect(r.cursors.has(`backfilled:${ROOM}`)).toBe(true);
    expect(r.logs.find((l) => l['msg'] === 'read room history')).toMatchObject({ read: 50, passedOver: 451 });
  });

  it('queues nothing, and says so, when the join is not within afterJoin events', async () => {
    const events = [...Array.from({ length: 20 }, (_, i) => msg(i)), member('$join', 'invite'), ...Array.from({ length: 300 }, (_, i) => msg(1000 + i))];
    const r = roomOf(events);
    expect(await backfillRoom(r.client, r.store, ROOM, { depth: 200, afterJoin: 250 }, r.logger)).toBe(0);
    expect(r.queued).toEqual([]);
    expect(r.logs.find((l) => String(l['msg']).includes("did not find the bot's join"))).toMatchObject({ limit: 250 });
    // Recorded as done: the room is not paged again at every start.
    expect(r.cursors.has(`backfilled:${ROOM}`)).toBe(true);
  });

  it('reads the whole history when it is shorter than depth, and nothing twice', async () => {
    const events = [...Array.from({ length: 30 }, (_, i) => msg(i)), member('$join', 'invite'), msg(99)];
    const r = roomOf(events);
    expect(await backfillRoom(r.client, r.store, ROOM, { depth: 200, afterJoin: 2000 }, r.logger)).toBe(30);
    expect(r.queued.map((q) => q.eventId)).toEqual(Array.from({ length: 30 }, (_, i) => `$m${i}`));
    const requests = r.requests();
    expect(await backfillRoom(r.client, r.store, ROOM, { depth: 200, afterJoin: 2000 }, r.logger)).toBe(0);
    expect(r.requests()).toBe(requests);
  });
});
