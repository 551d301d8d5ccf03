// The weekly step through the real service and the stand-in homeserver: a member opts in to the
// recognition digest in a direct chat and gets last week's note there; two members who keep
// answering requests about the same thing are offered an introduction by direct message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store/index.js';
import type { FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { inThread, mentionOfBot, type Community, body, threadOf } from '../../scripts/support/matrix-community.js';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';
import { eventually } from '../../scripts/support/service-io.js';
import type { Harness } from './service-harness.js';

const DAY = 86_400_000;

describe('Matrix: the weekly recognition digest and introductions', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let h: Harness;
  let store: Store;
  const member = (userId: string) => store.members.findByIdentity({ platform: 'matrix', externalId: userId }).then((m) => m!);
  const botSays = (match: (e: Parameters<Parameters<FakeHomeserver['waitForEvent']>[0]>[0]) => boolean) =>
    hs.waitForEvent((e) => e.sender === c.bot.userId && e.type === 'm.room.message' && match(e), 30_000);
  /** Runs the scheduler as if the week had just turned (the service ran the week's step at start). */
  const newWeek = async () => {
    await store.cursors.set('matrix', 'concierge:weekly', '');
    await h.app!.tick();
    await h.app!.idle();
  };

  let world: MatrixWorld;
  beforeAll(async () => {
    world = await startMatrixWorld({});
    ({ hs, c, h, store } = world);
  });

  afterAll(async () => world?.close());

  it("sends last week's recognition digest to a member who opted in, in a direct chat", async () => {
    const dm = hs.createRoom(c.users.dave, { name: 'Dave and Co-Agent', invite: [c.bot.userId], isDirect: true });
    await eventually('the bot to join the direct chat', async () => (hs.joinedMembers(dm).includes(c.bot.userId) ? true : undefined));
    hs.sendText(c.users.dave, dm, 'recognition on');
    await botSays((e) => e.room_id === dm && body(e).startsWith("Done: each Monday I'll send you a short note"));
    const dave = await member(c.users.dave);
    expect(dave.recognitionDigest).toBe(true);

    // The stand-in stamps messages with the current time, so last week's answer is recorded directly.
    const alice = await member(c.users.alice);
    const lastWeek = new Date(Date.now() - 7 * DAY);
    const problem = await store.problems.create({
      originatorId: alice.id,
      platform: 'matrix',
      text: 'How do we plan a budget with uncertain headcount?',
      containerId: c.general,
      threadId: '$budget',
      createdAt: lastWeek,
    });
    await store.responses.record({
      problemId: problem.id,
      memberId: dave.id,
      platform: 'matrix',
      text: 'Three scenarios, reviewed quarterly.',
      createdAt: lastWeek,
    });
    await newWeek();
    const note = await botSays((e) => body(e).startsWith('Your week in the community'));
    expect(body(note)).toContain('Dave Diaz: you helped 1 person.');
    expect(body(note)).toContain('• Alice Archer: "How do we plan a budget with uncertain headcount?" (not solved yet)');
    // A direct message: the bot's own room with Dave invited (as for direct invitations).
    expect(hs.timeline(note.room_id).some((m) => m.type === 'm.room.member' && (m as { state_key?: string }).state_key === c.users.dave)).toBe(true);
    expect(hs.violations).toEqual([]);
  });

  it('offers an introduction to two members who both answered two requests about the same thing', async () => {
    for (const question of [
      'how do we onboard new engineering managers in their first 90 days?',
      'what should the onboarding plan of a new manager contain?',
    ]) {
      const ask = hs.send(c.users.alice, c.general, 'm.room.message', mentionOfBot(c.bot.userId, question));
      await botSays((e) => threadOf(e) === ask);
      hs.sendText(c.users.bob, c.general, 'A peer buddy and a 30-60-90 day plan with weekly check-ins.', inThread(ask));
      hs.sendText(c.users.carol, c.general, 'Let them own one small team decision in the first month.', inThread(ask));
      const problem = await eventually('the problem', () => store.problems.findBySourceEvent('matrix', ask).then((p) => p ?? undefined));
      await eventually('both answers', async () => ((await store.responses.listForProblem(problem.id)).length === 2 ? true : undefined));
      expect(problem.tags.map((t) => t.name)).toContain('onboarding');
    }
    await newWeek();
    const [bob, carol] = await Promise.all([member(c.users.bob), member(c.users.carol)]);
    const offers = await Promise.all(
      [c.users.bob, c.users.carol].map((userId) =>
        botSays(
          (e) =>
            body(e).includes('both keep helping with onboarding') &&
            hs.timeline(e.room_id).some((m) => m.type === 'm.room.member' && (m as { state_key?: string }).state_key === userId && m.sender === c.bot.userId),
        ),
      ),
    );
    expect(body(offers[0]!)).toBe(
      'Hi Bob Baker: you and Carol Chen both keep helping with onboarding. Say "!coagent introduce" if you\'d like a private chat to reach each other directly.',
    );
    const intros = await store.introductions.list();
    expect(intros.filter((i) => i.problemId === null)).toMatchObject([
      { memberAId: Math.min(bob.id, carol.id), memberBId: Math.max(bob.id, carol.id), reason: 'onboarding' },
    ]);

    // Another turn of the week offers nothing again.
    const before = hs.eventsBy(c.bot.userId).length;
    await newWeek();
    expect(hs.eventsBy(c.bot.userId).length).toBe(before);
    expect(hs.violations).toEqual([]);
  });
});
