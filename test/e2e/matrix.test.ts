// End to end on Matrix: the real service (real matrix-bot-sdk, real SQLite, the real model)
// against the fake homeserver. A member mentions the bot; the bot answers in the thread with
// tags, related topics and invitations; an invited member answers; the originator reacts ✅.
// Everything is checked from the homeserver's side and in the store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store/index.js';
import { type FakeHomeserver, type RoomEvent } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { inThread, mentionOfBot, type Community, threadOf } from '../../scripts/support/matrix-community.js';
import { startMatrixWorld, type MatrixWorld } from './matrix-world.js';
import { eventually } from '../../scripts/support/service-io.js';
import type { Harness } from './service-harness.js';

const content = (e: RoomEvent) =>
  e.content as Record<string, unknown> & { body?: string; 'm.relates_to'?: Record<string, unknown>; 'm.mentions'?: { user_ids?: string[] } };

describe('Matrix end to end', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let h: Harness;
  let store: Store;

  let world: MatrixWorld;
  beforeAll(async () => {
    world = await startMatrixWorld({ syncTimeoutCapMs: 500 });
    ({ hs, c, h, store } = world);
  });

  afterAll(async () => world?.close());

  it('joins the Space and its rooms, declines rooms outside it, and reads nothing from them', async () => {
    for (const room of [c.space, c.general, c.leadership, c.encrypted]) expect(hs.joinedMembers(room)).toContain(c.bot.userId);
    await eventually('the outside invitation to be declined', () =>
      hs.requests.some((r) => r.method === 'POST' && r.path.endsWith(`/rooms/${c.outside}/leave`)) ? true : undefined,
    );
    expect(hs.joinedMembers(c.outside)).not.toContain(c.bot.userId);
    const docs = await store.documents.listLive();
    expect(docs.some((d) => d.text.includes('must never be read'))).toBe(false);
  });

  it('has encryption on by default: its device publishes keys, is cross-signed, and nothing goes in clear into the encrypted room', async () => {
    await eventually('the bot to publish its device keys', () => (hs.devicesWithKeys(c.bot.userId).length === 1 ? true : undefined), 30_000);
    // An access token and no password: the first cross-signing keys need no password (Synapse >= 1.109).
    expect(h.logs.find((l) => l['msg'] === "cross-signing set up: the bot's device is signed by its account's new cross-signing keys")?.['deviceId']).toBe(
      hs.devicesWithKeys(c.bot.userId)[0],
    );
    expect(hs.signingKeyUploads(c.bot.userId)).toBe(1);
    await h.app!.idle();
    expect(hs.timeline(c.encrypted).filter((e) => e.sender === c.bot.userId && e.type === 'm.room.message')).toHaveLength(0);
  });

  it('answers a mention in a thread with tags, related topics and invitations, then follows the answer and ✅ to solved', async () => {
    const ask = hs.send(c.users.alice, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we onboard a new manager who joins a remote team?'));
    const reply = await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask, 30_000);
    const body = content(reply).body ?? '';
    expect(content(reply)['m.relates_to']).toMatchObject({ rel_type: 'm.thread', event_id: ask });
    expect(body).toMatch(/^On it/);
    expect(body).toMatch(/Tags: .*(onboarding|remote-work)/);
    // Related past topics link to the Matrix messages.
    expect(body).toContain(`https://matrix.to/#/${encodeURIComponent(c.general)}/${encodeURIComponent(c.history.onboarding!)}`);
    const invited = content(reply)['m.mentions']?.user_ids ?? [];
    expect(invited.length).toBeGreaterThan(0);
    expect(invited).not.toContain(c.users.alice);
    expect(invited).toContain(c.users.bob); // bob answered both onboarding threads
    expect(String(content(reply).formatted_body)).toContain(`https://matrix.to/#/${encodeURIComponent(c.users.bob)}`);

    const problem = await eventually('the problem', () => store.problems.findBySourceEvent('matrix', ask).then((p) => p ?? undefined));
    expect(problem.status).toBe('invited');
    expect(problem.tags.map((t) => t.name).some((t) => ['onboarding', 'remote-work'].includes(t))).toBe(true);
    expect((await store.invitations.listForProblem(problem.id)).length).toBe(invited.length);

    // The invited member answers in the thread; the originator reacts ✅ to the answer.
    const answer = hs.sendText(c.users.bob, c.general, 'Give them a buddy in their time zone and a written 30-60-90 plan.', inThread(ask));
    await h.app!.idle();
    hs.send(c.users.alice, c.general, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: answer, key: '✅' } });
    const thanks = await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === ask && /^Marked solved/.test(content(e).body ?? ''), 30_000);
    expect(content(thanks)['m.mentions']?.user_ids).toEqual([c.users.bob]);
    await h.app!.idle();

    const solved = await store.problems.get(problem.id);
    expect(solved?.status).toBe('solved');
    const bob = (await store.members.findByIdentity({ platform: 'matrix', externalId: c.users.bob }))!;
    const alice = (await store.members.findByIdentity({ platform: 'matrix', externalId: c.users.alice }))!;
    expect((await store.responses.listForProblem(problem.id)).map((r) => r.memberId)).toEqual([bob.id]);
    const feedback = await store.feedback.listForProblem(problem.id);
    expect(feedback.map((f) => [f.kind, f.toMemberId]).sort()).toEqual(
      [
        ['reaction', bob.id],
        ['solved', bob.id],
      ].sort(),
    );
    const interactions = (await store.interactions.listBetween(new Date(0), new Date(Date.now() + 1000))).filter((i) => i.problemId === problem.id);
    expect(interactions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fromMemberId: bob.id, toMemberId: alice.id, kind: 'answer', mediated: true }),
        expect.objectContaining({ fromMemberId: alice.id, toMemberId: bob.id, kind: 'reaction' }),
      ]),
    );
    // Exactly one reply to the mention and one thank-you: nothing said twice.
    expect(hs.timeline(c.general).filter((e) => e.sender === c.bot.userId && threadOf(e) === ask)).toHaveLength(2);
  });

  it('records direct replies between members as direct interactions', async () => {
    const question = hs.sendText(c.users.carol, c.leadership, 'Does anyone track meeting load for their managers?');
    hs.sendText(c.users.dave, c.leadership, 'We cap recurring meetings at 40% of the week.', { 'm.relates_to': { 'm.in_reply_to': { event_id: question } } });
    await eventually('the reply', async () => {
      await h.app!.idle();
      return (await store.documents.find('matrix', question)) ? true : undefined;
    });
    const carol = (await store.members.findByIdentity({ platform: 'matrix', externalId: c.users.carol }))!;
    const dave = (await store.members.findByIdentity({ platform: 'matrix', externalId: c.users.dave }))!;
    const replies = (await store.interactions.listBetween(new Date(0), new Date(Date.now() + 1000))).filter(
      (i) => i.fromMemberId === dave.id && i.toMemberId === carol.id && i.kind === 'reply',
    );
    expect(replies).toHaveLength(1);
    expect(replies[0]!.mediated).toBe(false);
  });

  it('takes commands in a direct chat with the bot, and answers unknown commands with usage', async () => {
    const dm = hs.createRoom(c.users.dave, { isDirect: true, invite: [c.bot.userId] });
    await eventually('the bot to accept the DM', () => (hs.joinedMembers(dm).includes(c.bot.userId) ? true : undefined));
    hs.sendText(c.users.dave, dm, 'pause 3d');
    const paused = await hs.waitForEvent((e) => e.room_id === dm && e.sender === c.bot.userId && e.type === 'm.room.message', 15_000);
    expect(content(paused).body).toMatch(/Paused: no invitations until/);
    const dave = (await store.members.findByIdentity({ platform: 'matrix', externalId: c.users.dave }))!;
    expect(dave.pausedUntil!.getTime()).toBeGreaterThan(Date.now() + 2 * 86_400_000);

    const unknown = hs.sendText(c.users.carol, c.leadership, '!coagent frobnicate');
    const usage = await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === unknown, 15_000);
    expect(content(usage).body).toMatch(/don't know the command "frobnicate"/);
  });

  it('never answers itself, and followed the spec throughout', async () => {
    await h.app!.idle();
    const botEvents = hs.eventsBy(c.bot.userId).filter((e) => e.type === 'm.room.message');
    // Every bot message answers a member; none answers a bot message.
    for (const e of botEvents) {
      const target = threadOf(e);
      if (target) expect(hs.timeline(e.room_id).find((x) => x.event_id === target)?.sender).not.toBe(c.bot.userId);
    }
    expect((await store.inbox.counts('matrix')).failed).toBe(0);
    expect(await store.outbox.counts('matrix')).toMatchObject({ pending: 0, failed: 0 });
    expect(hs.violations).toEqual([]);
  });
});
