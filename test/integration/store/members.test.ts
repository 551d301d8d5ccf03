import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/index.js';
import { memberId } from '../../../core/types.js';
import { openTempStore } from './helpers.js';

describe('store: members and identities', () => {
  let store: Store;
  let done: () => Promise<void>;
  beforeEach(async () => ({ store, done } = await openTempStore()));
  afterEach(async () => done());

  it('creates a member on first sight of an identity and finds it again', async () => {
    const first = await store.members.upsertByIdentity({ platform: 'matrix', externalId: '@alice:example.org', displayName: 'Alice' });
    expect(first.created).toBe(true);
    expect(first.member.displayName).toBe('Alice');
    expect(first.member.identities).toEqual([{ platform: 'matrix', externalId: '@alice:example.org', displayName: 'Alice', verifiedAt: null }]);

    const again = await store.members.upsertByIdentity({ platform: 'matrix', externalId: '@alice:example.org' });
    expect(again.created).toBe(false);
    expect(again.member.id).toBe(first.member.id);

    const found = await store.members.findByIdentity({ platform: 'matrix', externalId: '@alice:example.org' });
    expect(found?.id).toBe(first.member.id);
    expect(await store.members.findByIdentity({ platform: 'discourse', externalId: '@alice:example.org' })).toBeNull();
  });

  it('refreshes the display name of a known identity', async () => {
    await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'bob', displayName: 'Bob' });
    const { member } = await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'bob', displayName: 'Bobby' });
    expect(member.identities[0]?.displayName).toBe('Bobby');
  });

  it('links a second identity to an existing member', async () => {
    const { member } = await store.members.upsertByIdentity({ platform: 'matrix', externalId: '@carol:example.org' });
    const verifiedAt = new Date('2026-01-02T03:04:05.678Z');
    const linked = await store.members.linkIdentity(member.id, { platform: 'discourse', externalId: 'carol' }, { verifiedAt });
    expect(linked.ok && linked.value.status).toBe('linked');

    const viaDiscourse = await store.members.findByIdentity({ platform: 'discourse', externalId: 'carol' });
    expect(viaDiscourse?.id).toBe(member.id);
    expect(viaDiscourse?.identities.map((i) => `${i.platform}:${i.externalId}`)).toEqual(['matrix:@carol:example.org', 'discourse:carol']);
    expect(viaDiscourse?.identities[1]?.verifiedAt?.toISOString()).toBe(verifiedAt.toISOString());

    const relinked = await store.members.linkIdentity(member.id, { platform: 'discourse', externalId: 'carol' });
    expect(relinked.ok && relinked.value.status).toBe('unchanged');
  });

  it('refuses to steal an identity from another member unless asked to merge', async () => {
    const dana = (await store.members.upsertByIdentity({ platform: 'matrix', externalId: '@dana:example.org' })).member;
    const danaOnDiscourse = (await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'dana' })).member;
    const helper = (await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'erin' })).member;
    await store.members.setOptOut(danaOnDiscourse.id, true);

    // History of the Discourse-only member that must survive the merge.
    const doc = await store.documents.upsert({
      platform: 'discourse',
      externalId: 'post-1',
      threadId: 't1',
      kind: 'topic',
      text: 'How do I X?',
      authorId: danaOnDiscourse.id,
      createdAt: new Date('2026-01-01T00:00:00Z'),
    });
    const problem = await store.problems.create({ originatorId: helper.id, platform: 'discourse', text: 'help' });
    await store.invitations.create({ problemId: problem.id, memberId: dana.id, reason: 'r', score: 1 });
    await store.invitations.create({ problemId: problem.id, memberId: danaOnDiscourse.id, reason: 'r', score: 1 });
    const occurredAt = new Date('2026-01-03T00:00:00Z');
    await store.interactions.record({
      fromMemberId: helper.id,
      toMemberId: danaOnDiscourse.id,
      kind: 'reply',
      platform: 'discourse',
      mediated: false,
      sourceEventId: 'e1',
      occurredAt,
    });
    await store.interactions.record({
      fromMemberId: dana.id,
      toMemberId: danaOnDiscourse.id,
      kind: 'mention',
      platform: 'discourse',
      mediated: false,
      sourceEventId: 'e2',
      occurredAt,
    });

    const refused = await store.members.linkIdentity(dana.id, { platform: 'discourse', externalId: 'dana' });
    expect(refused).toEqual({ ok: false, error: { kind: 'identity-belongs-to-other-member', otherMemberId: danaOnDiscourse.id } });

    const merged = await store.members.linkIdentity(dana.id, { platform: 'discourse', externalId: 'dana' }, { onConflict: 'merge' });
    expect(merged.ok).toBe(true);
    if (!merged.ok) return;
    expect(merged.value.status).toBe('merged');
    expect(merged.value.mergedMemberId).toBe(danaOnDiscourse.id);
    expect(merged.value.member.identities).toHaveLength(2);
    // Opting out on either account keeps the merged member opted out.
    expect(merged.value.member.optedOut).toBe(true);
    expect(await store.members.get(danaOnDiscourse.id)).toBeNull();
    expect((await store.documents.find('discourse', 'post-1'))?.authorId).toBe(dana.id);
    expect(doc.created).toBe(true);
    // The duplicate invitation collapsed into one; the self-interaction disappeared.
    expect((await store.invitations.listForProblem(problem.id)).map((i) => i.memberId)).toEqual([dana.id]);
    const interactions = await store.interactions.listBetween(new Date(0), new Date('2030-01-01'));
    expect(interactions.map((i) => [i.fromMemberId, i.toMemberId])).toEqual([[helper.id, dana.id]]);
  });

  it('sets opt-out, pause and budget', async () => {
    const { member } = await store.members.upsertByIdentity({ platform: 'matrix', externalId: '@frank:example.org' });
    expect((await store.members.setOptOut(member.id, true)).optedOut).toBe(true);
    const until = new Date('2027-05-01T12:00:00.000Z');
    expect((await store.members.setPausedUntil(member.id, until)).pausedUntil?.toISOString()).toBe(until.toISOString());
    expect((await store.members.setWeeklyBudget(member.id, 5)).weeklyBudget).toBe(5);

    const reread = await store.members.get(member.id);
    expect(reread).toMatchObject({ optedOut: true, weeklyBudget: 5 });
    expect(reread?.pausedUntil?.getTime()).toBe(until.getTime());

    expect((await store.members.setPausedUntil(member.id, null)).pausedUntil).toBeNull();
    expect((await store.members.setWeeklyBudget(member.id, null)).weeklyBudget).toBeNull();
    await expect(store.members.setWeeklyBudget(member.id, -1)).rejects.toThrow(/non-negative integer/);
  });

  it('fails clearly for an unknown member', async () => {
    await expect(store.members.setOptOut(memberId(999), true)).rejects.toThrow();
    expect(await store.members.get(memberId(999))).toBeNull();
  });
});
