// A long downtime: hundreds of messages in several rooms while the service is stopped, so each
// room comes back from /sync `limited`. The gap is paged back from prev_batch: every mention is
// answered exactly once and every message learned. Prints the figures (not asserted on time) and
// keeps them in test-artifacts/matrix-downtime-figures.txt.
import { MatrixClient } from 'matrix-bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillGap } from '../../bridges/matrix/gap.js';
import { createLogger } from '../../core/logging.js';
import { keepReport } from './artifacts.js';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';
import { mentionOfBot, threadOf } from '../../scripts/support/matrix-community.js';
import { eventually, logSink } from '../../scripts/support/service-io.js';

const PLAN: { room: 'general' | 'leadership' | 'third'; messages: number; mentionsAt: number[] }[] = [
  { room: 'general', messages: 260, mentionsAt: [4, 61, 130, 259] },
  { room: 'leadership', messages: 180, mentionsAt: [2, 95, 170] },
  { room: 'third', messages: 130, mentionsAt: [0, 129] },
];
const PEOPLE = ['alice', 'bob', 'carol', 'dave'] as const;
const TOPICS = ['hiring plans', 'budget reviews', 'onboarding buddies', 'remote rituals', 'feedback habits', 'career ladders'];

describe('Matrix after a long downtime', () => {
  let w: MatrixWorld;
  beforeAll(async () => {
    w = await startMatrixWorld();
  }, 120_000);
  afterAll(async () => w?.close());

  it('answers every mention of the gap exactly once and learns every message', async () => {
    const { hs, c } = w;
    const third = hs.createRoom(c.users.alice, { name: 'Practices', public: true });
    for (const u of PEOPLE.slice(1)) hs.join(c.users[u], third);
    hs.addSpaceChild(c.space, third, c.users.alice);
    await eventually('the bot to join the third room', () => (hs.joinedMembers(third).includes(c.bot.userId) ? true : undefined), 60_000);
    const rooms = { general: c.general, leadership: c.leadership, third };
    // The downtime starts once the bot has synced its join (the third room's last seen event):
    // a stop right after the join API call can come before that sync (with encryption on, each
    // sync also feeds the crypto machine, so the window is wider).
    await eventually('the bot to sync past its join', () => (hs.caughtUp(c.bot.userId) ? true : undefined), 30_000);
    await w.h.app!.idle();
    await w.h.stop();
    const mentions: string[] = [];
    const all: string[] = [];
    for (const { room, messages, mentionsAt } of PLAN) {
      for (let i = 0; i < messages; i++) {
        const who = c.users[PEOPLE[i % PEOPLE.length]!];
        const topic = TOPICS[i % TOPICS.length]!;
        if (mentionsAt.includes(i)) {
          const id = hs.send(who, rooms[room], 'm.room.message', mentionOfBot(c.bot.userId, `how do other teams handle ${topic}, question ${room} ${i}?`));
          mentions.push(id);
          all.push(id);
        } else {
          all.push(hs.sendText(who, rooms[room], `Note ${i} in ${room}: our experience with ${topic} this quarter, item ${i}.`));
        }
      }
    }

    const started = Date.now();
    await w.h.start();
    for (const id of mentions) await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === id, 300_000);
    await eventually(
      'every message to be learned',
      async () => {
        await w.h.app!.idle();
        for (const id of all) if (!(await w.store.documents.find('matrix', id))) return undefined;
        return true;
      },
      300_000,
    );
    const caughtUpMs = Date.now() - started;
    await eventually('the outbox to drain', async () => ((await w.store.outbox.counts('matrix')).pending === 0 ? true : undefined), 60_000);

    const replies = (id: string) => hs.eventsBy(c.bot.userId).filter((e) => e.type === 'm.room.message' && threadOf(e) === id);
    for (const id of mentions) expect(replies(id), id).toHaveLength(1);
    const fills = w.h.logs.filter((l) => l.msg === 'limited sync: gap filled from /messages');
    expect(fills.map((l) => l['roomId']).sort()).toEqual(Object.values(rooms).sort());
    expect(w.h.logs.some((l) => l.msg === 'limited sync: catch-up limit reached; older missed events skipped')).toBe(false);
    const learned = (await Promise.all(all.map((id) => w.store.documents.find('matrix', id)))).filter(Boolean).length;
    const answered = mentions.filter((id) => replies(id).length === 1).length;
    keepReport(
      'matrix-downtime-figures.txt',
      `downtime figures: messages in gap ${all.length} (rooms ${PLAN.length}), filled from /messages ${fills.map((l) => l['gap']).join('+')}, mentions ${mentions.length}, answered ${answered}, learned ${learned}, catch-up ${(caughtUpMs / 1000).toFixed(1)} s`,
    );
    expect(learned).toBe(all.length);
    expect(hs.violations).toEqual([]);
  }, 600_000);

  it('answers the mentions posted after a join the bot never synced, and none from before it', async () => {
    const { hs, c } = w;
    await eventually('the bot to sync everything so far', () => (hs.caughtUp(c.bot.userId) ? true : undefined), 30_000);
    await w.h.app!.idle();
    await w.h.stop();
    // The bot's join lands while the service is down: a crash right after the join call, before
    // any sync showed the room. Its sync token predates the join; the room has no last seen event.
    const room = hs.createRoom(c.users.alice, { name: 'Rituals', public: true });
    hs.join(c.users.bob, room);
    const before = hs.send(c.users.bob, room, 'm.room.message', mentionOfBot(c.bot.userId, 'an old question about retrospectives, from before the bot came?'));
    hs.addSpaceChild(c.space, room, c.users.alice);
    hs.join(c.bot.userId, room);
    // More than the sync's timeline (100): the first mentions are only reachable through /messages.
    const after = Array.from({ length: 130 }, (_, i) =>
      i === 3 || i === 129
        ? hs.send(c.users.alice, room, 'm.room.message', mentionOfBot(c.bot.userId, `how do other teams run retrospectives, question ${i}?`))
        : hs.sendText(i % 2 ? c.users.alice : c.users.bob, room, `Note ${i}: our retrospective this sprint, item ${i}.`),
    );
    const mentions = [after[3]!, after[129]!];

    await w.h.start();
    await eventually(
      'the messages after the join to be learned',
      async () => {
        await w.h.app!.idle();
        for (const id of [before, ...after]) if (!(await w.store.documents.find('matrix', id))) return undefined;
        return true;
      },
      120_000,
    );
    await eventually('the outbox to drain', async () => ((await w.store.outbox.counts('matrix')).pending === 0 ? true : undefined), 60_000);
    const replies = (id: string) => hs.eventsBy(c.bot.userId).filter((e) => e.type === 'm.room.message' && threadOf(e) === id);
    for (const id of mentions) expect(replies(id), id).toHaveLength(1);
    expect(replies(before)).toHaveLength(0);
    expect(w.h.logs.some((l) => l.msg === 'limited sync: gap filled from /messages' && l['roomId'] === room && l['since'] === 'join')).toBe(true);
  }, 300_000);

  it('fetches at most catchUpLimit missed events of a room and logs what it skipped', async () => {
    const { hs, c } = w;
    const logs: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'info' }, logSink(logs));
    const first = hs.sendText(c.users.bob, c.leadership, 'The last message the bot saw.');
    const ids = Array.from({ length: 120 }, (_, i) => hs.sendText(c.users.carol, c.leadership, `Missed message ${i}.`));
    const prevBatch = `s${hs.streamPosition()}`;
    const gap = await fillGap(new MatrixClient(hs.url, c.bot.accessToken), c.leadership, prevBatch, first, 50, logger, c.bot.userId);
    expect(gap.map((e) => e['event_id'])).toEqual(ids.slice(-50));
    const skipped = logs.find((l) => l.msg === 'limited sync: catch-up limit reached; older missed events skipped');
    expect(skipped).toMatchObject({ roomId: c.leadership, fetched: 50, cap: 50, skippedAfter: first, skippedBefore: ids[70] });
  });
});
