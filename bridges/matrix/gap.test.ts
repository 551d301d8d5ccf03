// fillGap for a room without a last seen event (joined, then stopped before a sync showed it):
// it pages back to the bot's own join, and takes nothing when the join is beyond the cap.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { MatrixClient } from 'matrix-bot-sdk';
import { createLogger } from '../../core/logging.js';
import { fillGap } from './gap.js';
import { BOT, member, msg, type Json } from './room-events.fixture.js';

/** A room's events, oldest first, served by /messages the way a homeserver pages backwards ("t<index>"). */
function roomOf(events: Json[]) {
  const requests: Json[] = [];
  const client = {
    doRequest: async (_method: string, _path: string, qs: { from: string; limit: number }) => {
      requests.push(qs);
      const end = Number(qs.from.slice(1));
      const start = Math.max(0, end - qs.limit);
      return { chunk: events.slice(start, end).reverse(), start: qs.from, ...(start > 0 ? { end: `t${start}` } : {}) };
    },
  } as unknown as MatrixClient;
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
  return { client, requests, logs, logger };
}

describe('fillGap without a last seen event', () => {
  it("pages back to the bot's join and returns its page whole, oldest first", async () => {
    // 50 before the join, a profile change after it (also "join"), 150 more: prev_batch after all.
    const events = [...Array.from({ length: 50 }, (_, i) => msg(i)), member('$join', 'invite'), ...Array.from({ length: 150 }, (_, i) => msg(50 + i))];
    events.splice(120, 0, member('$rename', 'join'));
    const r = roomOf(events);
    const gap = await fillGap(r.client, '!r:example.org', `t${events.length}`, null, 2000, r.logger, BOT);
    expect(r.requests).toHaveLength(2);
    // The second page (events 2-101 of 202) holds the join and, before it, 48 of the 50 older ones.
    expect(gap.map((e) => e['event_id'])).toEqual(events.slice(2).map((e) => e['event_id']));
    expect(r.logs.find((l) => l['msg'] === 'limited sync: gap filled from /messages')).toMatchObject({ gap: 200, since: 'join' });
  });

  it('takes nothing and says so when the join is beyond the cap', async () => {
    const events = [member('$join', 'invite'), ...Array.from({ length: 300 }, (_, i) => msg(i))];
    const r = roomOf(events);
    const gap = await fillGap(r.client, '!r:example.org', `t${events.length}`, null, 250, r.logger, BOT);
    expect(gap).toEqual([]);
    expect(r.logs.find((l) => String(l['msg']).includes('join not found within the catch-up limit'))).toMatchObject({ fetched: 250, cap: 250 });
  });

  it("takes nothing when the room's start comes without the bot's join", async () => {
    const events = [member('$rename', 'join'), ...Array.from({ length: 30 }, (_, i) => msg(i))];
    const r = roomOf(events);
    expect(await fillGap(r.client, '!r:example.org', `t${events.length}`, null, 2000, r.logger, BOT)).toEqual([]);
  });
});
