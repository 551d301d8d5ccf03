import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Member, Store } from '../../../core/store/index.js';
import { problemId } from '../../../core/types.js';
import { openTempStore } from './helpers.js';

const at = (iso: string) => new Date(iso);

describe('store: problems, invitations, responses, feedback, interactions', () => {
  let store: Store;
  let done: () => Promise<void>;
  let asker: Member;
  let helper: Member;
  beforeEach(async () => {
    ({ store, done } = await openTempStore());
    asker = (await store.members.upsertByIdentity({ platform: 'matrix', externalId: '@asker:example.org' })).member;
    helper = (await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'helper' })).member;
  });
  afterEach(async () => done());

  it('creates a problem with tags and a source document, then moves its status', async () => {
    const source = await store.documents.upsert({
      platform: 'matrix',
      externalId: '$ev1',
      threadId: '$ev1',
      kind: 'question',
      text: 'pandas merge is slow',
      createdAt: at('2026-05-01T08:00:00Z'),
    });
    await store.tags.upsert('pandas', 'The Python data library');
    const problem = await store.problems.create({
      originatorId: asker.id,
      platform: 'matrix',
      text: 'pandas merge is slow',
      sourceDocumentId: source.id,
      tags: [
        { name: 'performance', confidence: 0.6 },
        { name: 'pandas', confidence: 0.9 },
        { name: 'pandas', confidence: 0.5 },
      ],
      createdAt: at('2026-05-01T08:00:01Z'),
    });
    expect(problem).toMatchObject({
      originatorId: asker.id,
      sourceDocumentId: source.id,
      platform: 'matrix',
      status: 'opened',
      solvedAt: null,
      tags: [
        { name: 'pandas', confidence: 0.9 },
        { name: 'performance', confidence: 0.6 },
      ],
    });
    expect(problem.createdAt.toISOString()).toBe('2026-05-01T08:00:01.000Z');
    // The existing tag was connected, not duplicated.
    expect((await store.tags.list()).map((t) => t.name)).toEqual(['pandas', 'performance']);

    const invited = await store.problems.updateStatus(problem.id, 'invited');
    expect(invited?.status).toBe('invited');
    expect(invited?.solvedAt).toBeNull();
    const solvedAt = at('2026-05-02T09:00:00Z');
    const solved = await store.problems.updateStatus(problem.id, 'solved', solvedAt);
    expect(solved?.solvedAt?.getTime()).toBe(solvedAt.getTime());
    expect((await store.problems.get(problem.id))?.status).toBe('solved');
    expect(await store.problems.updateStatus(problemId(4242), 'closed')).toBeNull();

    const open = await store.problems.create({ originatorId: asker.id, platform: 'discourse', text: 'another' });
    expect((await store.problems.listByStatus(['opened', 'invited'])).map((p) => p.id)).toEqual([open.id]);
  });

  it('replaces similarity links and lists them by rank', async () => {
    const problem = await store.problems.create({ originatorId: asker.id, platform: 'matrix', text: 'q' });
    const [d1, d2, d3] = await store.documents.upsertMany(
      ['1', '2', '3'].map((id) => ({
        platform: 'discourse' as const,
        externalId: id,
        threadId: id,
        kind: 'topic' as const,
        text: id,
        createdAt: at('2026-01-01T00:00:00Z'),
      })),
    );
    if (!d1 || !d2 || !d3) throw new Error('documents missing');
    await store.similarity.replace(problem.id, [
      { documentId: d1.id, score: 0.5, rank: 2 },
      { documentId: d2.id, score: 0.8, rank: 1 },
    ]);
    await store.similarity.replace(problem.id, [
      { documentId: d3.id, score: 0.9, rank: 1 },
      { documentId: d1.id, score: 0.4, rank: 2 },
    ]);
    const links = await store.similarity.list(problem.id);
    expect(links.map((l) => [l.documentId, l.score, l.rank])).toEqual([
      [d3.id, 0.9, 1],
      [d1.id, 0.4, 2],
    ]);
  });

  it('creates one invitation per member and problem, tracks status, and counts them for the weekly budget', async () => {
    const p1 = await store.problems.create({ originatorId: asker.id, platform: 'matrix', text: 'p1' });
    const p2 = await store.problems.create({ originatorId: asker.id, platform: 'matrix', text: 'p2' });
    const p3 = await store.problems.create({ originatorId: asker.id, platform: 'matrix', text: 'p3' });
    const old = await store.invitations.create({
      problemId: p1.id,
      memberId: helper.id,
      reason: 'answered similar',
      score: 0.7,
      createdAt: at('2026-05-01T00:00:00Z'),
    });
    const recent = await store.invitations.create({
      problemId: p2.id,
      memberId: helper.id,
      reason: 'knows pandas',
      score: 0.9,
      createdAt: at('2026-05-08T00:00:00Z'),
    });
    await store.invitations.create({ problemId: p3.id, memberId: helper.id, reason: 'x', score: 0.1, createdAt: at('2026-05-09T12:00:00Z') });
    expect(old.created && recent.created).toBe(true);

    const repeat = await store.invitations.create({ problemId: p2.id, memberId: helper.id, reason: 'again', score: 0.1 });
    expect(repeat.created).toBe(false);
    expect(repeat.value.id).toBe(recent.value.id);
    expect(repeat.value.reason).toBe('knows pandas');

    const weekStart = at('2026-05-08T00:00:00Z');
    expect(await store.invitations.countSince(helper.id, weekStart)).toBe(2);
    expect(await store.invitations.countSince(helper.id, at('2026-04-01T00:00:00Z'))).toBe(3);
    expect(await store.invitations.countSince(asker.id, at('2026-04-01T00:00:00Z'))).toBe(0);

    const sentAt = at('2026-05-08T00:00:05Z');
    const sent = await store.invitations.updateStatus(recent.value.id, 'sent', sentAt);
    expect(sent).toMatchObject({ status: 'sent', respondedAt: null });
    expect(sent?.sentAt?.getTime()).toBe(sentAt.getTime());
    const accepted = await store.invitations.updateStatus(recent.value.id, 'accepted', at('2026-05-08T01:00:00Z'));
    expect(accepted?.respondedAt?.toISOString()).toBe('2026-05-08T01:00:00.000Z');
    expect(accepted?.sentAt?.getTime()).toBe(sentAt.getTime());
    expect(await store.invitations.countSince(helper.id, weekStart, { statuses: ['sent', 'accepted'] })).toBe(1);
    expect(await store.invitations.updateStatus(9999 as never, 'sent')).toBeNull();
    expect((await store.invitations.listForProblem(p2.id)).map((i) => i.status)).toEqual(['accepted']);
  });

  it('records responses and feedback for a problem', async () => {
    const problem = await store.problems.create({ originatorId: asker.id, platform: 'matrix', text: 'q' });
    const { value: r2 } = await store.responses.record({
      problemId: problem.id,
      memberId: helper.id,
      platform: 'discourse',
      text: 'second',
      createdAt: at('2026-05-02T00:00:00Z'),
    });
    const { value: r1 } = await store.responses.record({
      problemId: problem.id,
      memberId: helper.id,
      platform: 'matrix',
      text: 'first',
      createdAt: at('2026-05-01T00:00:00Z'),
    });
    expect((await store.responses.listForProblem(problem.id)).map((r) => r.id)).toEqual([r1.id, r2.id]);

    await store.feedback.record({ problemId: problem.id, responseId: r1.id, fromMemberId: asker.id, toMemberId: helper.id, kind: 'rating', value: 5 });
    await store.feedback.record({ problemId: problem.id, fromMemberId: asker.id, kind: 'solved' });
    const forProblem = await store.feedback.listForProblem(problem.id);
    expect(forProblem.map((f) => [f.kind, f.value, f.responseId])).toEqual([
      ['rating', 5, r1.id],
      ['solved', 1, null],
    ]);
    expect((await store.feedback.listReceivedBy(helper.id)).map((f) => f.kind)).toEqual(['rating']);
  });

  it('opens a problem, records a response and feedback once per platform event', async () => {
    const input = { originatorId: asker.id, platform: 'matrix' as const, text: 'q', sourceEventId: '$ask', containerId: '!room', threadId: '$ask' };
    const first = await store.problems.open(input);
    const again = await store.problems.open({ ...input, text: 'changed' });
    expect(first.created).toBe(true);
    expect(again).toEqual({ value: first.value, created: false });
    expect((await store.problems.findByThread('matrix', '$ask'))?.id).toBe(first.value.id);
    expect(await store.problems.findByThread('discourse', '$ask')).toBeNull();
    expect((await store.problems.listByOriginator(asker.id, ['opened'])).map((p) => p.id)).toContain(first.value.id);

    const doc = await store.documents.upsert({
      platform: 'matrix',
      externalId: '$answer',
      threadId: '$ask',
      kind: 'message',
      text: 'a',
      createdAt: at('2026-05-01T00:00:00Z'),
    });
    const response = {
      problemId: first.value.id,
      memberId: helper.id,
      documentId: doc.id,
      platform: 'matrix' as const,
      text: 'a',
      createdAt: at('2026-05-01T00:00:00Z'),
    };
    const r = await store.responses.record(response);
    expect([r.created, (await store.responses.record(response)).created]).toEqual([true, false]);

    const feedback = { problemId: first.value.id, fromMemberId: asker.id, toMemberId: helper.id, kind: 'reaction' as const, sourceEventId: '$react' };
    const f = await store.feedback.record(feedback);
    const replay = await store.feedback.record(feedback);
    expect([f.created, replay.created, replay.value.id]).toEqual([true, false, f.value.id]);
    expect((await store.feedback.record({ ...feedback, kind: 'thanks' })).created).toBe(true);
  });

  it('records an interaction once per idempotency key and lists a period', async () => {
    const base = { fromMemberId: helper.id, toMemberId: asker.id, kind: 'reply' as const, platform: 'discourse' as const, mediated: true };
    const first = await store.interactions.record({ ...base, sourceEventId: 'post-7', occurredAt: at('2026-05-03T10:00:00Z') });
    const replay = await store.interactions.record({ ...base, sourceEventId: 'post-7', occurredAt: at('2026-05-03T10:00:00Z') });
    expect(first.created).toBe(true);
    expect(replay).toEqual({ value: first.value, created: false });
    // The same event may also be a mention: a different kind is a different interaction.
    const mention = await store.interactions.record({ ...base, kind: 'mention', sourceEventId: 'post-7', occurredAt: at('2026-05-03T10:00:00Z') });
    expect(mention.created).toBe(true);
    // Without a source event nothing identifies a replay, so each call counts.
    await store.interactions.record({ ...base, mediated: false, occurredAt: at('2026-05-10T00:00:00Z') });
    await store.interactions.record({ ...base, mediated: false, occurredAt: at('2026-05-10T00:00:00Z') });

    const week = await store.interactions.listBetween(at('2026-05-03T10:00:00Z'), at('2026-05-10T00:00:00Z'));
    expect(week.map((i) => i.kind)).toEqual(['reply', 'mention']);
    expect(await store.interactions.listBetween(at('2026-05-01T00:00:00Z'), at('2026-06-01T00:00:00Z'))).toHaveLength(4);
    await expect(store.interactions.record({ ...base, toMemberId: helper.id, occurredAt: new Date() })).rejects.toThrow(/two different members/);
  });
});
