// Merging two members into one person and splitting them again, on a real database: what moves,
// what only existed between the two accounts and goes, the journal that lets a split put every
// row back, rows recorded after the merge, and the refusals.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdentityRef, Member, Store } from '../../../core/store/index.js';
import type { MemberId, ProblemId } from '../../../core/types.js';
import { openTempStore } from './helpers.js';

const T0 = new Date('2026-03-02T10:00:00.000Z');
const at = (hours: number) => new Date(T0.getTime() + hours * 3_600_000);

const ANA_M: IdentityRef = { platform: 'matrix', externalId: '@ana.kowalska:example.org' };
const ANA_F: IdentityRef = { platform: 'discourse', externalId: 'ana_k' };
const BEN: IdentityRef = { platform: 'matrix', externalId: '@ben:example.org' };
const CY: IdentityRef = { platform: 'discourse', externalId: 'cy' };

// Every table a member's history lives in, and its order for a stable dump.
const TABLES = ['Member', 'Identity', 'Document', 'Problem', 'Invitation', 'Response', 'Feedback', 'Interaction', 'Introduction', 'LinkCode', 'PendingRelay'];

describe('store: merging members and splitting them', () => {
  let store: Store;
  let readRows: (sql: string) => Record<string, unknown>[];
  let done: () => Promise<void>;
  beforeEach(async () => ({ store, readRows, done } = await openTempStore()));
  afterEach(async () => done());

  const member = async (ref: IdentityRef, name: string): Promise<Member> => (await store.members.upsertByIdentity({ ...ref, displayName: name })).member;

  /** Every row of every member table, the kept member's updatedAt left out (a merge touches it). */
  function dump(): Record<string, unknown[]> {
    return Object.fromEntries(
      TABLES.map((t) => [t, readRows(`SELECT * FROM "${t}" ORDER BY 1`).map((r) => (t === 'Member' ? { ...r, updatedAt: undefined } : r))]),
    );
  }

  /** Ana has a Matrix and a forum account, known as two members; Ben and Cy are other people. */
  async function community() {
    const anaM = await member(ANA_M, 'Ana Kowalska');
    const anaF = await member(ANA_F, 'Ana Kowalska');
    const ben = await member(BEN, 'Ben');
    const cy = await member(CY, 'Cy');
    await store.members.setWeeklyBudget(anaM.id, 5);
    await store.members.setPausedUntil(anaF.id, at(500));
    await store.members.setOptOut(anaF.id, true);
    const doc = (ref: IdentityRef, id: string, author: MemberId, hours: number) =>
      store.documents.upsert({
        platform: ref.platform,
        externalId: id,
        threadId: id,
        kind: 'message',
        text: `message ${id}`,
        authorId: author,
        createdAt: at(hours),
      });
    await doc(ANA_M, '$m1', anaM.id, 1);
    await doc(ANA_F, '10/1', anaF.id, 2);
    const open = async (who: Member, platform: 'matrix' | 'discourse', id: string, hours: number) =>
      (
        await store.problems.open({
          originatorId: who.id,
          platform,
          sourceEventId: id,
          threadId: id,
          containerId: 'c',
          text: `problem ${id}`,
          createdAt: at(hours),
        })
      ).value.id;
    const p1 = await open(anaM, 'matrix', '$p1', 3);
    const p2 = await open(cy, 'discourse', '20/1', 4);
    const p3 = await open(ben, 'matrix', '$p3', 5);
    const invite = async (problem: ProblemId, who: Member, status: 'sent' | 'answered' | 'accepted', hours: number) => {
      const { value } = await store.invitations.create({ problemId: problem, memberId: who.id, reason: 'knows it', score: 1, createdAt: at(hours) });
      await store.invitations.updateStatus(value.id, 'sent', at(hours));
      if (status !== 'sent') await store.invitations.updateStatus(value.id, status, at(hours + 1));
    };
    await invite(p1, ben, 'answered', 3);
    await invite(p2, anaF, 'accepted', 4);
    await invite(p3, anaM, 'sent', 5);
    await invite(p3, anaF, 'answered', 5);
    await invite(p1, anaF, 'sent', 3); // her other account asked to help with her own problem
    await store.responses.record({ problemId: p1, memberId: ben.id, platform: 'matrix', text: 'try this', createdAt: at(6) });
    await store.responses.record({ problemId: p2, memberId: anaF.id, platform: 'discourse', text: 'we did that', createdAt: at(6) });
    await store.responses.record({ problemId: p1, memberId: anaF.id, platform: 'discourse', text: 'me again', createdAt: at(6) });
    await store.feedback.record({ problemId: p1, fromMemberId: anaM.id, toMemberId: ben.id, kind: 'solved', sourceEventId: '$s1', createdAt: at(7) });
    await store.feedback.record({ problemId: p2, fromMemberId: cy.id, toMemberId: anaF.id, kind: 'reaction', sourceEventId: '21/1', createdAt: at(7) });
    await store.feedback.record({ problemId: null, fromMemberId: anaM.id, toMemberId: anaF.id, kind: 'thanks', sourceEventId: '$t1', createdAt: at(7) });
    const interaction = (
      from: Member,
      to: Member,
      platform: 'matrix' | 'discourse',
      event: string,
      kind: 'answer' | 'mention' | 'reply',
      hours: number,
      problemId: ProblemId | null = null,
    ) =>
      store.interactions.record({
        fromMemberId: from.id,
        toMemberId: to.id,
        kind,
        platform,
        mediated: false,
        problemId,
        sourceEventId: event,
        occurredAt: at(hours),
      });
    await interaction(ben, anaM, 'matrix', '$a1', 'answer', 6, p1);
    await interaction(anaF, cy, 'discourse', '22/1', 'answer', 6, p2);
    await interaction(anaM, anaF, 'matrix', '$x1', 'mention', 8);
    await interaction(cy, anaF, 'discourse', '23/1', 'mention', 9);
    await interaction(cy, anaM, 'discourse', '23/1', 'mention', 9); // one event reaching both accounts
    await store.introductions.offer({ a: anaM.id, b: ben.id, problemId: p1, reason: 'r', platform: 'matrix', at: at(10) });
    await store.introductions.offer({ a: anaF.id, b: ben.id, problemId: p1, reason: 'r', platform: 'discourse', at: at(10) });
    await store.introductions.offer({ a: anaF.id, b: cy.id, problemId: p2, reason: 'r', platform: 'discourse', at: at(10) });
    await store.introductions.offer({ a: anaM.id, b: anaF.id, problemId: null, reason: 'r', platform: 'matrix', at: at(10) });
    await store.linkCodes.create({ code: 'K7QX2M9A', memberId: anaF.id, platform: 'matrix', externalId: ANA_M.externalId, expiresAt: at(30) });
    await store.responses.proposePrivate({
      platform: 'discourse',
      sourceEventId: '30/1',
      memberId: anaF.id,
      problemId: p2,
      text: 'privately',
      createdAt: at(11),
    });
    return { anaM, anaF, ben, cy, p1, p2, p3 };
  }

  it('folds one member into the other: accounts, history and settings; what was between the two accounts goes', async () => {
    const c = await community();
    const merged = await store.merges.merge(c.anaM.id, c.anaF.id, { by: 'admin alice', reason: 'same person', at: at(20) });
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.value.merge).toMatchObject({
      keptMemberId: c.anaM.id,
      mergedMemberId: c.anaF.id,
      mergedName: 'Ana Kowalska',
      by: 'admin alice',
      reason: 'same person',
      at: at(20),
      splitAt: null,
    });
    expect(merged.value.merge.identities).toEqual([ANA_F]);
    expect(await store.members.get(c.anaF.id)).toBeNull();

    const ana = (await store.members.findByIdentity(ANA_F))!;
    expect(ana.id).toBe(c.anaM.id);
    expect(ana.identities.map((i) => i.externalId)).toEqual([ANA_M.externalId, ANA_F.externalId]);
    // Privacy and pauses of either account win; the kept member's own choices stay.
    expect(ana).toMatchObject({ optedOut: true, weeklyBudget: 5, pausedUntil: at(500) });

    const d = dump();
    const of = (table: string, column: string, id: number) => d[table]!.filter((r) => (r as Record<string, unknown>)[column] === id);
    expect(of('Document', 'authorId', ana.id)).toHaveLength(2);
    // Invitations: the one to her own problem went; of the two to Ben's problem the answered one stands.
    const invitations = of('Invitation', 'memberId', ana.id) as { problemId: number; status: string }[];
    expect(invitations.map((i) => [i.problemId, i.status]).sort()).toEqual(
      [
        [c.p2, 'accepted'],
        [c.p3, 'answered'],
      ].sort(),
    );
    // Her answer in her own problem's thread is no answer; her answer to Cy is.
    expect((of('Response', 'memberId', ana.id) as { problemId: number }[]).map((r) => r.problemId)).toEqual([c.p2]);
    // Thanks between her two accounts go; feedback from and to others stays.
    expect((of('Feedback', 'toMemberId', ana.id) as { kind: string }[]).map((f) => f.kind)).toEqual(['reaction']);
    expect(of('Feedback', 'fromMemberId', ana.id)).toHaveLength(1);
    // No interaction with herself, and Cy's one mention of her counts once.
    const interactions = d['Interaction'] as { fromMemberId: number; toMemberId: number; sourceEventId: string }[];
    expect(interactions.some((i) => i.fromMemberId === i.toMemberId)).toBe(false);
    expect(interactions.filter((i) => i.sourceEventId === '23/1')).toHaveLength(1);
    expect(interactions).toHaveLength(3);
    // Introductions: to Ben once, to Cy re-ordered, none with herself.
    const intros = d['Introduction'] as { memberAId: number; memberBId: number }[];
    expect(intros.map((i) => [i.memberAId, i.memberBId])).toEqual([[c.anaM.id, c.ben.id], [c.anaM.id, c.cy.id].sort((x, y) => x - y)]);
    expect(of('LinkCode', 'memberId', ana.id)).toHaveLength(1);
    expect(of('PendingRelay', 'memberId', ana.id)).toHaveLength(1);
    // The pair counts as linked, so it is never offered again.
    expect((await store.accountPairs.get(ANA_M, ANA_F))?.status).toBe('linked');
    expect(merged.value.removed).toBe(8);
  });

  it('a split puts every row back as it was before the merge', async () => {
    const c = await community();
    const before = dump();
    const merged = await store.merges.merge(c.anaM.id, c.anaF.id, { by: 'admin', reason: 'same name', at: at(20) });
    expect(merged.ok).toBe(true);
    expect(dump()).not.toEqual(before);

    const split = await store.merges.split(merged.ok ? merged.value.merge.id : 0, { by: 'admin bob', at: at(21) });
    expect(split.ok).toBe(true);
    if (!split.ok) return;
    expect(split.value.merge).toMatchObject({ splitAt: at(21), splitBy: 'admin bob' });
    expect(split.value).toMatchObject({ laterReturned: 0, laterKept: 0 });
    expect(dump()).toEqual(before);
    // An admin said they are two people: the pair is never offered as one again.
    expect((await store.accountPairs.get(ANA_F, ANA_M))?.status).toBe('separated');
    const again = await store.merges.split(split.value.merge.id, { by: 'admin' });
    expect(!again.ok && again.error.kind).toBe('already-split');
  });

  it('rows recorded after the merge go back by the platform they came from', async () => {
    const c = await community();
    const merged = await store.merges.merge(c.anaM.id, c.anaF.id, { by: 'admin', reason: 'r', at: at(20) });
    const ana = c.anaM.id;
    await store.documents.upsert({
      platform: 'discourse',
      externalId: '40/1',
      threadId: '40',
      kind: 'post',
      text: 'later on the forum',
      authorId: ana,
      createdAt: at(22),
    });
    await store.documents.upsert({
      platform: 'matrix',
      externalId: '$later',
      threadId: '$later',
      kind: 'message',
      text: 'later on matrix',
      authorId: ana,
      createdAt: at(22),
    });
    await store.interactions.record({
      fromMemberId: ana,
      toMemberId: c.cy.id,
      kind: 'reply',
      platform: 'discourse',
      mediated: false,
      sourceEventId: '40/2',
      occurredAt: at(23),
    });
    await store.interactions.record({
      fromMemberId: c.ben.id,
      toMemberId: ana,
      kind: 'reply',
      platform: 'matrix',
      mediated: false,
      sourceEventId: '$later2',
      occurredAt: at(23),
    });

    const split = await store.merges.split(merged.ok ? merged.value.merge.id : 0, { by: 'admin', at: at(24) });
    expect(split.ok && split.value).toMatchObject({ laterReturned: 2, laterKept: 2 });
    const forum = await store.documents.find('discourse', '40/1');
    expect(forum?.authorId).toBe(c.anaF.id);
    expect((await store.documents.find('matrix', '$later'))?.authorId).toBe(ana);
    const later = (await store.interactions.listBetween(at(22), at(24))).map((i) => [i.sourceEventId, i.fromMemberId, i.toMemberId]);
    expect(later).toEqual(
      expect.arrayContaining([
        ['40/2', c.anaF.id, c.cy.id],
        ['$later2', c.ben.id, ana],
      ]),
    );
  });

  it('refuses to merge a member with itself or with an unknown member, and changes nothing', async () => {
    const c = await community();
    const before = dump();
    const self = await store.merges.merge(c.anaM.id, c.anaM.id, { by: 'admin', reason: 'oops' });
    expect(!self.ok && self.error).toEqual({ kind: 'same-member', memberId: c.anaM.id });
    const unknown = await store.merges.merge(c.anaM.id, 999 as MemberId, { by: 'admin', reason: 'oops' });
    expect(!unknown.ok && unknown.error).toEqual({ kind: 'unknown-member', memberId: 999 });
    expect(dump()).toEqual(before);
    expect(await store.merges.list()).toEqual([]);
  });

  it('splits undo merges last first', async () => {
    const c = await community();
    const first = await store.merges.merge(c.anaM.id, c.anaF.id, { by: 'admin', reason: 'r' });
    const second = await store.merges.merge(c.anaM.id, c.cy.id, { by: 'admin', reason: 'wrong' });
    const firstId = first.ok ? first.value.merge.id : 0;
    const secondId = second.ok ? second.value.merge.id : 0;
    const early = await store.merges.split(firstId, { by: 'admin' });
    expect(!early.ok && early.error.kind).toBe('later-merge');
    expect(!early.ok && early.error.kind === 'later-merge' && early.error.later.id).toBe(secondId);
    expect((await store.merges.split(secondId, { by: 'admin' })).ok).toBe(true);
    expect((await store.merges.split(firstId, { by: 'admin' })).ok).toBe(true);
    expect((await store.members.findByIdentity(CY))?.id).toBe(c.cy.id);
    expect((await store.members.findByIdentity(ANA_F))?.id).toBe(c.anaF.id);

    // The kept member folded into another since: that merge is split first.
    const again = await store.merges.merge(c.anaM.id, c.anaF.id, { by: 'admin', reason: 'r' });
    await store.merges.merge(c.ben.id, c.anaM.id, { by: 'admin', reason: 'wrong' });
    const blocked = await store.merges.split(again.ok ? again.value.merge.id : 0, { by: 'admin' });
    expect(!blocked.ok && blocked.error.kind).toBe('kept-member-merged');
  });
});
