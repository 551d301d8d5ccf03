// The time-driven workflow: digests, stale requests, ignored invitations, follow-ups, and the
// commands that go with them (digest on request, the follow-up's answer).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bodyOf, type DirectAction } from '../../../core/concierge/actions.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import { tick } from '../../../core/concierge/schedule.js';
import { ALICE, BOB, CAROL, DAY_MS, EQUITY_REQUEST, NOW, createWorld, inThread, mention, message, redaction, type World } from './fixture.js';

const later = (days: number) => new Date(NOW.getTime() + days * DAY_MS);

describe('Concierge: scheduled steps', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld({ timing: { digestAfterResponses: 2 } });
  });
  afterEach(() => w.done());

  const ask = async () => {
    const e = mention(ALICE, EQUITY_REQUEST);
    await w.receive(e);
    return { e, problem: (await w.store.problems.findBySourceEvent('matrix', e.eventId))! };
  };
  const tickAt = async (at: Date) => {
    const before = w.actions.length;
    await tick(w.ctx, at);
    return w.actions.slice(before);
  };

  it('sends the digest once enough answers came in, best first, and records the step', async () => {
    const { e, problem } = await ask();
    await w.receive(inThread(BOB, e.eventId, 'Use four-year vesting with a one-year cliff; we wrote it into the founders agreement and it saved us twice.'));
    expect(await tickAt(later(0.01))).toEqual([]); // one answer, and not a day yet
    await w.receive(inThread(CAROL, e.eventId, '+1'));
    const actions = await tickAt(later(0.02));
    expect(actions.map((a) => a.key)).toEqual([`matrix:digest:${problem.id}`]);
    const text = plainText(bodyOf(actions[0]!.action));
    expect(text).toMatch(/^What people said about your request \(2 answers\)/);
    expect(text.indexOf('Bob')).toBeLessThan(text.indexOf('Carol')); // the specific answer ranks above "+1"
    expect((await w.store.problems.get(problem.id))?.status).toBe('digested');
    expect(await tickAt(later(0.03))).toEqual([]); // once
  });

  it('marks a request nobody answered stale after a week and says so in its thread', async () => {
    const { problem } = await ask();
    expect(await tickAt(later(6))).toEqual([]);
    const actions = await tickAt(later(7.1));
    expect(actions.map((a) => a.key)).toEqual([`matrix:stale:${problem.id}`]);
    expect(plainText(bodyOf(actions[0]!.action))).toMatch(/Nobody has answered this yet/);
    const steps = await w.store.problems.listTransitions(problem.id);
    expect(steps.at(-1)).toMatchObject({ to: 'stale', cause: 'no answer in 7 days' });
  });

  it('counts unanswered invitations as ignored and pauses a member after three in a row, telling them how to resume', async () => {
    const invited = new Map<number, number>();
    for (const text of [EQUITY_REQUEST, 'How do we handle vesting when a cofounder leaves?', 'What equity split is fair for a late cofounder?']) {
      await w.receive(mention(ALICE, text));
      const p = (await w.store.problems.listByOriginator(w.members.alice.id))[0]!;
      for (const inv of await w.store.invitations.listForProblem(p.id)) invited.set(inv.memberId, (invited.get(inv.memberId) ?? 0) + 1);
    }
    const [memberId] = [...invited].find(([, n]) => n === 3)!;
    const actions = await tickAt(later(3));
    const member = (await w.store.members.get(memberId as never))!;
    expect(member.pausedUntil?.getTime()).toBe(later(3).getTime() + 14 * DAY_MS);
    const notice = actions.find((a) => a.key.startsWith(`matrix:auto-pause:${memberId}:`));
    expect((notice?.action as DirectAction).to.externalId).toBe(member.identities[0]!.externalId);
    expect(plainText(bodyOf(notice!.action))).toMatch(/pause off/);
    expect((await w.store.invitations.listForMember(memberId as never, 3)).map((i) => i.status)).toEqual(['ignored', 'ignored', 'ignored']);
  });

  it('asks the originator a week after solving, once, and records the answer', async () => {
    const { e, problem } = await ask();
    await w.receive(inThread(BOB, e.eventId, 'Vesting with a cliff.'));
    await w.receive(inThread(ALICE, e.eventId, '!coagent solved'));
    expect((await tickAt(later(3))).filter((a) => a.key.includes('follow-up'))).toEqual([]);
    const followUp = (await tickAt(later(8))).filter((a) => a.key === `matrix:follow-up:${problem.id}`);
    expect(followUp).toHaveLength(1);
    expect((followUp[0]!.action as DirectAction).to.externalId).toBe(ALICE.externalId);
    expect((await tickAt(later(8.1))).filter((a) => a.key.includes('follow-up'))).toEqual([]);

    const answer = await w.receive(message(ALICE, 'partly', { conversation: 'direct', containerId: '!dm-alice' }));
    expect(plainText(bodyOf(answer[0]!.action))).toMatch(/^Thanks!/);
    const outcome = (await w.store.feedback.listForProblem(problem.id)).find((f) => f.kind === 'outcome');
    expect(outcome?.value).toBe(1);
  });

  it('gives the digest on request to the originator only', async () => {
    const { e } = await ask();
    const none = await w.receive(inThread(ALICE, e.eventId, '!coagent digest'));
    expect(plainText(bodyOf(none[0]!.action))).toMatch(/No answers yet/);
    await w.receive(inThread(BOB, e.eventId, 'Vesting with a cliff, written down.'));
    const notYours = await w.receive(inThread(CAROL, e.eventId, '!coagent digest'));
    expect(plainText(bodyOf(notYours[0]!.action))).toMatch(/not yours/);
    const digest = await w.receive(inThread(ALICE, e.eventId, '!coagent digest'));
    expect(plainText(bodyOf(digest[0]!.action))).toMatch(/^What people said about your request \(1 answer\)/);
  });

  it('leaves deleted answers out of the digest', async () => {
    const { e } = await ask();
    const kept = inThread(BOB, e.eventId, 'Vesting with a cliff, written down.');
    const deleted = inThread(CAROL, e.eventId, 'Split it evenly, my phone number is 555-0100.');
    await w.receive(kept);
    await w.receive(deleted);
    await w.receive(redaction(CAROL, deleted.eventId));
    const digest = plainText(bodyOf((await w.receive(inThread(ALICE, e.eventId, '!coagent digest')))[0]!.action));
    expect(digest).toMatch(/^What people said about your request \(1 answer\)/);
    expect(digest).toContain('Vesting with a cliff');
    expect(digest).not.toContain('555-0100');
  });
});

describe('Concierge: declining and referring invitations', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(() => w.done());

  const invitedRequest = async () => {
    const e = mention(ALICE, EQUITY_REQUEST);
    await w.receive(e);
    const problem = (await w.store.problems.findBySourceEvent('matrix', e.eventId))!;
    const invitation = (await w.store.invitations.listForProblem(problem.id))[0]!;
    const invitee = (await w.store.members.get(invitation.memberId))!;
    const ref = { platform: 'matrix' as const, externalId: invitee.identities[0]!.externalId, displayName: invitee.displayName };
    return { e, problem, invitation, ref };
  };

  it('records a decline, in the thread or in a direct chat', async () => {
    const { e, invitation, ref } = await invitedRequest();
    const reply = await w.receive(inThread(ref, e.eventId, '!coagent decline'));
    expect(plainText(bodyOf(reply[0]!.action))).toMatch(/^No problem/);
    expect((await w.store.invitations.listForProblem(invitation.problemId)).find((i) => i.id === invitation.id)?.status).toBe('declined');
    const again = await w.receive(message(ref, 'decline', { conversation: 'direct', containerId: '!dm' }));
    expect(plainText(bodyOf(again[0]!.action))).toMatch(/don't see an invitation/);
  });

  it('passes an invitation on to the member mentioned, and refuses the originator or someone who cannot be asked', async () => {
    const { e, problem, ref } = await invitedRequest();
    const toAlice = await w.receive(inThread(ref, e.eventId, '!coagent refer @alice', { mentions: [ALICE] }));
    expect(plainText(bodyOf(toAlice[0]!.action))).toMatch(/person who asked/);

    const { e: e2, ref: ref2 } = await invitedRequest();
    const frank = { platform: 'matrix' as const, externalId: '@frank:example.org', displayName: 'Frank' };
    const actions = await w.receive(inThread(ref2, e2.eventId, '!coagent refer @frank', { mentions: [frank] }));
    const referral = actions.find((a) => a.key.endsWith(':referral'))!;
    expect(referral.action.kind).toBe('post');
    expect(plainText(bodyOf(referral.action))).toMatch(/^Frank, .* thinks you can help/);
    const p2 = (await w.store.problems.findBySourceEvent('matrix', e2.eventId))!;
    const frankMember = (await w.store.members.findByIdentity(frank))!;
    expect((await w.store.invitations.find(p2.id, frankMember.id))?.status).toBe('sent');
    expect(problem.id).not.toBe(p2.id);

    await w.store.members.setOptOut(frankMember.id, true);
    const { e: e3, ref: ref3 } = await invitedRequest();
    const refused = await w.receive(inThread(ref3, e3.eventId, '!coagent refer @frank', { mentions: [frank] }));
    expect(plainText(bodyOf(refused[0]!.action))).toMatch(/can't be asked right now \(opted out\)/);
  });
});

describe('Concierge: introductions', () => {
  let w: World;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(() => w.done());

  it('offers to introduce the asker and the helper when solved, and opens a private room when one accepts', async () => {
    const e = mention(ALICE, EQUITY_REQUEST);
    await w.receive(e);
    await w.receive(inThread(BOB, e.eventId, 'Vesting with a one-year cliff, written down.'));
    const solved = await w.receive(inThread(ALICE, e.eventId, '!coagent solved'));
    expect(plainText(bodyOf(solved[0]!.action))).toMatch(/You both deal with .*!coagent introduce/);
    const [offer] = await w.store.introductions.list();
    expect(offer).toMatchObject({ acceptedAt: null, platform: 'matrix' });

    const accepted = await w.receive(message(BOB, 'introduce', { conversation: 'direct', containerId: '!dm-bob' }));
    const room = accepted.find((a) => a.action.kind === 'open-room')!;
    expect(room.key).toBe(`matrix:intro-room:${offer!.id}`);
    expect(room.action.kind === 'open-room' && room.action.with.map((x) => x.externalId).sort()).toEqual([ALICE.externalId, BOB.externalId].sort());
    expect(plainText(bodyOf(accepted.at(-1)!.action))).toMatch(/^Done: I've opened a private chat for you and Alice/);
    const tie = (await w.interactions()).find((i) => i.kind === 'introduction');
    expect(tie).toMatchObject({ fromMemberId: w.members.bob.id, toMemberId: w.members.alice.id, mediated: true });

    // Once introduced, the pair is not offered again; and there is nothing left to accept.
    expect(await w.store.introductions.introduced(w.members.alice.id, w.members.bob.id)).toBe(true);
    const nothing = await w.receive(message(ALICE, 'introduce', { conversation: 'direct', containerId: '!dm-alice' }));
    expect(plainText(bodyOf(nothing[0]!.action))).toMatch(/don't have an introduction waiting/);
  });
});
