// The bridge's own sync loop against faults that once lost whole /sync responses, and the
// events a real homeserver sends that are not requests: every valid mention is answered
// exactly once, including after a restart; what cannot be read is parked or skipped, logged.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';
import { mentionOfBot, threadOf } from '../../scripts/support/matrix-community.js';
import { eventually } from '../../scripts/support/service-io.js';
import { PostgresSyncConnection } from '../../core/store/postgres/sync-connection.js';

describe('Matrix sync: nothing lost, nothing answered twice, nothing old answered', () => {
  let w: MatrixWorld;
  const asks: string[] = [];
  const replies = (ask: string) => w.hs.eventsBy(w.c.bot.userId).filter((e) => e.type === 'm.room.message' && threadOf(e) === ask);
  const settle = async () => {
    await w.h.app!.idle();
    await eventually('the outbox to drain', async () => ((await w.store.outbox.counts('matrix')).pending === 0 ? true : undefined), 60_000);
  };
  const answered = async (ask: string) => {
    await w.hs.waitForEvent((e) => e.sender === w.c.bot.userId && threadOf(e) === ask, 90_000);
  };
  const ask = (user: string, room: string, text: string) => {
    const id = w.hs.send(user, room, 'm.room.message', mentionOfBot(w.c.bot.userId, text));
    asks.push(id);
    return id;
  };

  beforeAll(async () => {
    w = await startMatrixWorld();
  }, 120_000);
  afterAll(async () => w?.close());

  it('learns a mention posted before its room joined the Space, and never answers it', async () => {
    const { hs, c } = w;
    const room = hs.createRoom(c.users.alice, { name: 'Newcomers', public: true });
    hs.join(c.users.bob, room);
    const old = hs.send(c.users.bob, room, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we run a good offsite for a new team?'));
    hs.addSpaceChild(c.space, room, c.users.alice);
    await eventually('the old mention to be learned', async () => ((await w.store.documents.find('matrix', old)) ? true : undefined), 60_000);
    const live = ask(c.users.bob, room, 'how do we plan the agenda of our first offsite?');
    await answered(live);
    await settle();
    expect(replies(old)).toEqual([]);
    expect(await w.store.problems.findBySourceEvent('matrix', old)).toBeNull();
  });

  it("learns a room's history when reading it failed for longer than one call's retries", async () => {
    const { hs, c } = w;
    const room = hs.createRoom(c.users.carol, { name: 'Old hands', public: true });
    hs.join(c.users.dave, room);
    const old = hs.send(c.users.dave, room, 'm.room.message', { msgtype: 'm.text', body: 'We moved our retros to every other week and they got better.' });
    // Rate-limited 7 times: the call's own 6 tries fail, the bridge tries the whole read again later.
    hs.failNext(
      { method: 'GET', path: /\/rooms\/[^/]+\/messages/ },
      { status: 429, body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 10 } },
      7,
    );
    hs.addSpaceChild(c.space, room, c.users.carol);
    const read = await eventually('the history to be read', () => w.h.logs.find((l) => l.msg === 'read room history' && l.roomId === room), 60_000);
    const failed = w.h.logs.filter((l) => l.msg === 'reading room history failed: trying again' && l.roomId === room);
    expect(failed.length).toBeGreaterThan(0);
    expect(w.h.logs.indexOf(failed[0]!)).toBeLessThan(w.h.logs.indexOf(read));
    expect(read.read).toBeGreaterThan(0);
    expect(await w.store.documents.find('matrix', old)).not.toBeNull();
  });

  it('never answers an m.notice, even one that mentions the bot', async () => {
    const { hs, c } = w;
    const notice = hs.send(c.users.dave, c.general, 'm.room.message', { ...mentionOfBot(c.bot.userId, 'build 42 failed, please help'), msgtype: 'm.notice' });
    const after = ask(c.users.dave, c.general, 'how do we make on-call less painful?');
    await answered(after);
    await settle();
    expect(replies(notice)).toEqual([]);
  });

  it('rides out a write lock held by another process longer than the busy timeout (SQLite) or lock timeout (PostgreSQL)', async () => {
    const { c } = w;
    const url = w.h.config.database.url;
    // Another process holding the write lock: SQLite's one lock, or PostgreSQL's on the inbox tables.
    const other = url ? new PostgresSyncConnection(url) : new Database(w.h.dbPath);
    other.exec(url ? 'BEGIN; LOCK TABLE "InboxEvent", "SyncCursor" IN EXCLUSIVE MODE' : 'BEGIN IMMEDIATE');
    const held = [1, 2, 3].map((n) => ask(c.users.carol, c.leadership, `how do we plan quarterly goals, part ${n}?`));
    try {
      await eventually(
        'a sync to fail on the lock',
        () => (w.h.logs.some((l) => l.msg === 'sync failed; requesting the same position again') ? true : undefined),
        90_000,
      );
    } finally {
      other.exec('COMMIT');
      other.close();
    }
    for (const id of held) await answered(id);
    await settle();
    for (const id of held) expect(replies(id)).toHaveLength(1);
  });

  it('parks an event nested 5,000 levels deep on its own and answers the mentions around it', async () => {
    const { hs, c } = w;
    let deep: Record<string, unknown> = { end: true };
    for (let i = 0; i < 5000; i++) deep = { d: deep };
    const before = ask(c.users.alice, c.general, 'how do we set team norms for code review?');
    const bad = hs.send(c.users.alice, c.general, 'm.room.message', { ...mentionOfBot(c.bot.userId, 'deep'), 'org.example.deep': deep });
    const after = ask(c.users.bob, c.general, 'how do we onboard a manager from another company?');
    await answered(before);
    await answered(after);
    await settle();
    expect(replies(before)).toHaveLength(1);
    expect(replies(after)).toHaveLength(1);
    expect(replies(bad)).toEqual([]);
    expect((await w.store.inbox.counts('matrix')).failed).toBe(1);
  });

  it('skips an unknown room listed in rooms.join and keeps the rest of the response', async () => {
    const { hs, c } = w;
    const ghost = `!ghost:${hs.serverName}`;
    hs.rewriteNext(
      { method: 'GET', path: /\/sync$/ },
      (body) => {
        const rooms = body['rooms'] as { join: Record<string, unknown> };
        if (Object.keys(rooms.join).length === 0) return undefined;
        rooms.join[ghost] = {
          timeline: {
            events: [
              { type: 'm.room.message', event_id: '$ghost1', sender: c.users.dave, origin_server_ts: Date.now(), content: { msgtype: 'm.text', body: 'boo' } },
            ],
            limited: false,
          },
        };
        return body;
      },
      3,
    );
    const three = [1, 2, 3].map((n) => ask(c.users.dave, c.general, `how do we split an overloaded team, idea ${n}?`));
    for (const id of three) await answered(id);
    await settle();
    for (const id of three) expect(replies(id)).toHaveLength(1);
    expect(w.h.logs.some((l) => l.msg === 'a room in the sync cannot be read; its events are skipped' && l['roomId'] === ghost)).toBe(true);
  });

  it('answers a member whose name and message carry lone surrogates', async () => {
    const { hs, c } = w;
    const eve = hs.registerUser('eve', { displayName: 'Eve \ud800' }).userId;
    for (const room of [c.space, c.general]) hs.join(eve, room);
    const id = ask(eve, c.general, 'how do we \ud83d keep retrospectives useful?');
    await answered(id);
    await settle();
    expect(replies(id)).toHaveLength(1);
  });

  it('after a restart, answers what came while it was down, and nothing twice', async () => {
    const { hs, c } = w;
    await w.h.stop();
    const whileDown = ask(c.users.bob, c.leadership, 'how do we prepare for a reorg announcement?');
    await w.h.start();
    await answered(whileDown);
    await settle();
    for (const id of asks) expect(replies(id), id).toHaveLength(1);
    expect(hs.violations).toEqual([]);
  });
});
