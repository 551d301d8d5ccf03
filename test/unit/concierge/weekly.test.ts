// The weekly step: recognition digests for members who opted in, and introductions of members
// who keep helping with the same tag. Once per week, keyed, and never repeated.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bodyOf, type KeyedAction } from '../../../core/concierge/actions.js';
import { plainText } from '../../../core/concierge/rich-text.js';
import { tick } from '../../../core/concierge/schedule.js';
import { isoWeekOf } from '../../../core/concierge/iso-week.js';
import type { Member } from '../../../core/store/index.js';
import { ALICE, BOB, CAROL, DAY_MS, NOW, ROOM, actor, createWorld, daysAgo, message, type World } from './fixture.js';

const later = (days: number) => new Date(NOW.getTime() + days * DAY_MS);
const textOf = (a: KeyedAction): string => plainText(bodyOf(a.action));

describe('isoWeekOf', () => {
  it('gives the ISO week label and its Monday-to-Monday bounds in UTC', () => {
    expect(isoWeekOf(new Date('2025-06-01T23:59:00Z'))).toEqual({
      label: '2025-W22',
      start: new Date('2025-05-26T00:00:00Z'),
      end: new Date('2025-06-02T00:00:00Z'),
    });
    expect(isoWeekOf(new Date('2025-06-02T00:00:00Z')).label).toBe('2025-W23');
    // The first days of January can belong to the previous ISO year, the last of December to the next.
    expect(isoWeekOf(new Date('2021-01-03T12:00:00Z')).label).toBe('2020-W53');
    expect(isoWeekOf(new Date('2024-12-30T12:00:00Z')).label).toBe('2025-W01');
  });
});

describe('Concierge: the weekly step', () => {
  let w: World;
  let n = 0;
  beforeEach(async () => {
    w = await createWorld();
  });
  afterEach(() => w.done());

  const tickAt = async (at: Date) => {
    const before = w.actions.length;
    await tick(w.ctx, at);
    return w.actions.slice(before);
  };
  /** A problem of `originator` tagged `tag`, answered by `helpers` at `at`. */
  async function answered(originator: Member, tag: string, helpers: readonly Member[], at: Date, text = `Problem ${++n} about ${tag}`) {
    const p = await w.store.problems.create({
      originatorId: originator.id,
      platform: 'matrix',
      text,
      containerId: ROOM,
      threadId: `$problem-${++n}`,
      tags: [{ name: tag, confidence: 1 }],
      createdAt: at,
    });
    for (const h of helpers) {
      await w.store.responses.record({
        problemId: p.id,
        memberId: h.id,
        documentId: null,
        platform: 'matrix',
        text: `an answer from ${h.displayName}`,
        createdAt: at,
      });
    }
    return p;
  }
  const say = async (who: typeof ALICE, text: string) => textOf((await w.receive(message(who, text, { conversation: 'direct' })))[0]!);

  it('sends opted-in helpers a recognition digest of last week, once, and nobody else anything', async () => {
    const { alice, bob, carol, dave, erin } = w.members;
    expect(await say(BOB, 'recognition on')).toMatch(/^Done: each Monday I'll send you a short note/);
    await say(ALICE, 'weekly digest on');
    expect(await say(ALICE, '!coagent recognition off')).toMatch(/^Done: no more weekly notes/);
    expect((await w.store.members.get(bob.id))?.recognitionDigest).toBe(true);
    expect((await w.store.members.get(alice.id))?.recognitionDigest).toBe(false);

    const solved = await answered(dave, 'equity', [bob, carol, alice], daysAgo(3), 'How should we split equity between cofounders?');
    await w.store.problems.updateStatus(solved.id, 'solved', daysAgo(2));
    await w.store.feedback.record({ problemId: solved.id, fromMemberId: dave.id, toMemberId: bob.id, kind: 'thanks', createdAt: daysAgo(2) });
    await answered(erin, 'hiring', [bob], daysAgo(2), 'How do we hire a first engineer?');
    await answered(dave, 'hiring', [bob], daysAgo(10), 'An older request from two weeks ago');

    const actions = (await tickAt(NOW)).filter((a) => a.key.includes(':recognition:'));
    expect(actions.map((a) => a.key)).toEqual([`matrix:recognition:${bob.id}:2025-W22`]);
    expect(actions[0]!.action).toMatchObject({ kind: 'direct', to: { externalId: BOB.externalId } });
    expect(textOf(actions[0]!).split('\n')).toEqual([
      'Your week in the community (2025-W22), Bob: you helped 2 people.',
      '• Dave: "How should we split equity between cofounders?" (solved, Dave thanked you)',
      '• Erin: "How do we hire a first engineer?" (not solved yet)',
      'Thank you! Say "!coagent recognition off" to stop these weekly notes.',
    ]);

    expect(await tickAt(later(0.5))).toEqual([]); // the week is done
    await w.store.cursors.set('matrix', 'concierge:weekly', 'forgotten'); // as if the cursor was lost in a crash
    const again = await tickAt(later(0.6));
    expect(again.map((a) => a.key)).toEqual([`matrix:recognition:${bob.id}:2025-W22`]);
    expect(w.added.at(-1)).toBe(0); // the outbox already had it: nothing is sent twice
  });

  it('offers an introduction to two members who keep answering problems with the same tag, once', async () => {
    const { alice, bob, carol, dave, erin } = w.members;
    await answered(dave, 'equity', [alice, carol], daysAgo(20));
    await answered(erin, 'equity', [alice, carol, bob], daysAgo(12));
    await answered(dave, 'equity', [bob], daysAgo(70)); // older than eight weeks: Bob has one that counts
    await answered(dave, 'hiring', [erin], daysAgo(5));

    const actions = await tickAt(NOW);
    const [intro] = await w.store.introductions.list();
    expect(intro).toMatchObject({ memberAId: alice.id, memberBId: carol.id, problemId: null, reason: 'equity', platform: 'matrix' });
    expect(actions.map((a) => a.key)).toEqual([`matrix:kindred:${intro!.id}:${alice.id}`, `matrix:kindred:${intro!.id}:${carol.id}`]);
    expect(textOf(actions[0]!)).toBe(
      'Hi Alice: you and Carol both keep helping with equity. Say "!coagent introduce" if you\'d like a private chat to reach each other directly.',
    );
    expect(actions[1]!.action).toMatchObject({ kind: 'direct', to: { externalId: CAROL.externalId } });

    // Next week the same pair is not offered again, whether or not they took it.
    expect(await tickAt(later(7))).toEqual([]);
    expect(await w.store.introductions.list()).toHaveLength(1);
    const accepted = await w.receive(message(CAROL, 'introduce', { conversation: 'direct' }));
    expect(accepted.map((a) => a.action.kind)).toEqual(['open-room', 'post']);
  });

  it('offers at most three pairs a week and leaves out members who opted out or left', async () => {
    const { alice, bob, carol, dave, erin } = w.members;
    const gina = await w.member(actor('gina', 'Gina'));
    const hugo = await w.member(actor('hugo', 'Hugo'));
    const helpers = [alice, bob, carol, erin, gina, hugo];
    await answered(dave, 'equity', helpers, daysAgo(9));
    await answered(dave, 'equity', helpers, daysAgo(8));
    await w.store.members.setOptOut(erin.id, true);
    await w.store.members.setLeftAt(hugo.id, daysAgo(1));

    await tickAt(NOW);
    const offered = await w.store.introductions.list();
    expect(offered).toHaveLength(3);
    const involved = new Set(offered.flatMap((i) => [i.memberAId, i.memberBId]));
    expect(involved.has(erin.id) || involved.has(hugo.id)).toBe(false);
    // The next week offers the pairs still waiting, never one already offered.
    await tickAt(later(7));
    const all = await w.store.introductions.list();
    expect(all).toHaveLength(6); // the six pairs of alice, bob, carol, gina
    expect(new Set(all.map((i) => `${i.memberAId}:${i.memberBId}`)).size).toBe(6);
  });
});
