// The dashboard's read layer on a real SQLite file: the change fingerprint, incremental reads,
// unassisted-resolution candidates, search, and exports that span several pages.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import type { MemberId } from '../types.js';
import { openStore, type Store } from './index.js';

describe('dashboard queries', () => {
  let dir: string;
  let store: Store;
  let ada: MemberId;
  let ben: MemberId;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-dashq-'));
    store = await openStore({ path: path.join(dir, 'db.sqlite'), logger: createLogger({ level: 'silent' }) });
    [ada, ben] = (await store.bulk.addMembers([
      { displayName: 'Ada', createdAt: new Date('2025-01-01T00:00:00Z') },
      { displayName: 'Ben', createdAt: new Date('2025-01-01T00:00:00Z') },
    ])) as [MemberId, MemberId];
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('changes the fingerprint with every kind of write the dashboard shows, and only then', async () => {
    const q = store.dashboard;
    let last = q.fingerprint();
    const changed = () => {
      const now = q.fingerprint();
      const moved = now !== last;
      last = now;
      return moved;
    };
    expect(changed()).toBe(false);
    const problem = await store.problems.create({ originatorId: ada, platform: 'matrix', text: 'help?', tags: [{ name: 'x', confidence: 1 }] });
    expect(changed()).toBe(true);
    await store.problems.transition(problem.id, { from: 'opened', to: 'invited', cause: 'test', at: new Date() });
    expect(changed()).toBe(true);
    const inv = (await store.invitations.create({ problemId: problem.id, memberId: ben, reason: 'r', score: 1 })).value;
    expect(changed()).toBe(true);
    await store.invitations.updateStatus(inv.id, 'sent', new Date(Date.now() + 1000));
    expect(changed()).toBe(true);
    await store.invitations.updateStatus(inv.id, 'declined', new Date(Date.now() + 2000));
    expect(changed()).toBe(true);
    await store.responses.record({ problemId: problem.id, memberId: ben, platform: 'matrix', text: 'a', createdAt: new Date() });
    expect(changed()).toBe(true);
    await store.feedback.record({ problemId: problem.id, fromMemberId: ada, toMemberId: ben, kind: 'thanks' });
    expect(changed()).toBe(true);
    await store.interactions.record({ fromMemberId: ben, toMemberId: ada, kind: 'answer', platform: 'matrix', mediated: true, occurredAt: new Date() });
    expect(changed()).toBe(true);
    await new Promise((r) => setTimeout(r, 5)); // updatedAt has millisecond resolution
    await store.members.setOptOut(ben, true);
    expect(changed()).toBe(true);
    await store.documents.upsert({ platform: 'matrix', externalId: '$d1', threadId: '$d1', kind: 'question', text: 'q?', createdAt: new Date() });
    expect(changed()).toBe(true);
    // Bookkeeping the dashboard does not show leaves it alone.
    await store.events.markProcessed('matrix', '$e1');
    await store.cursors.set('matrix', 'since', 'abc');
    expect(changed()).toBe(false);
  });

  it('reads only the interactions recorded since a given id, and says how many there are', async () => {
    const at = (iso: string) => new Date(iso);
    await store.bulk.addInteractions([
      { fromMemberId: ada, toMemberId: ben, kind: 'reply', platform: 'matrix', mediated: false, occurredAt: at('2025-01-03T00:00:00Z') },
      { fromMemberId: ben, toMemberId: ada, kind: 'reply', platform: 'matrix', mediated: true, occurredAt: at('2025-01-02T00:00:00Z') },
    ]);
    const all = store.dashboard.interactions();
    expect(all.map((i) => i.occurredAt.toISOString())).toEqual(['2025-01-02T00:00:00.000Z', '2025-01-03T00:00:00.000Z']);
    expect(all[0]).toMatchObject({ fromMemberId: ben, toMemberId: ada, kind: 'reply', platform: 'matrix', mediated: true, problemId: null });
    const { count, maxId } = store.dashboard.interactionStats();
    expect(count).toBe(2);
    await store.bulk.addInteractions([
      { fromMemberId: ada, toMemberId: ben, kind: 'mention', platform: 'discourse', mediated: false, occurredAt: at('2025-01-01T00:00:00Z') },
    ]);
    const added = store.dashboard.interactionsAfter(maxId);
    expect(added.map((i) => i.kind)).toEqual(['mention']);
    expect(store.dashboard.interactionStats()).toEqual({ count: 3, maxId: maxId + 1 });
  });

  it('offers as unassisted-resolution candidates only threads without a problem that have an accepted or liked answer', async () => {
    const doc = (
      externalId: string,
      threadId: string,
      authorId: MemberId,
      extra: { kind?: 'question' | 'answer'; accepted?: boolean; score?: number; text?: string },
    ) => ({
      platform: 'discourse' as const,
      externalId,
      threadId,
      authorId,
      kind: extra.kind ?? 'answer',
      text: extra.text ?? 'text',
      accepted: extra.accepted ?? false,
      score: extra.score ?? 0,
      createdAt: new Date('2025-01-05T00:00:00Z'),
    });
    await store.documents.upsertMany([
      doc('1/1', '1', ada, { kind: 'question', text: 'How?' }),
      doc('1/2', '1', ben, { accepted: true }), // candidate
      doc('2/1', '2', ada, { kind: 'question' }),
      doc('2/2', '2', ben, {}), // nobody marked an answer
      doc('3/1', '3', ada, { kind: 'question' }),
      doc('3/2', '3', ben, { score: 2 }), // has a problem
    ]);
    await store.problems.create({ originatorId: ada, platform: 'discourse', threadId: '3', text: 'q' });
    const rows = store.dashboard.resolutionCandidates();
    expect(rows.map((r) => r.threadId).sort()).toEqual(['1', '1']);
    expect(rows.find((r) => r.kind === 'question')).toMatchObject({ text: '?', authorId: ada, accepted: false });
    expect(rows.find((r) => r.kind === 'answer')).toMatchObject({ text: '', authorId: ben, accepted: true });
  });

  it('exports every problem of a period across pages, oldest first, with tags and responders in order', async () => {
    const start = Date.parse('2025-02-01T00:00:00Z');
    const ids = await store.bulk.addProblems(
      Array.from({ length: 4100 }, (_, k) => ({
        originatorId: ada,
        platform: 'matrix' as const,
        text: `problem ${k}`,
        status: 'opened' as const,
        // Several problems share a timestamp: paging must not skip or repeat them.
        createdAt: new Date(start + Math.floor(k / 3) * 60_000),
        tags: k % 2 ? ['odd', 'any'] : ['any'],
      })),
    );
    await store.bulk.addResponses([
      { problemId: ids[5]!, memberId: ben, platform: 'matrix', text: 'b', createdAt: new Date(start + 10 * 60_000) },
      { problemId: ids[5]!, memberId: ada, platform: 'matrix', text: 'a', createdAt: new Date(start + 5 * 60_000) },
    ]);
    const rows = [...store.dashboard.exportProblems(new Date(start), new Date(start + 86_400_000))];
    expect(rows).toHaveLength(4100);
    expect(new Set(rows.map((r) => r.id)).size).toBe(4100);
    expect(rows.map((r) => r.id)).toEqual([...ids].sort((a, b) => a - b));
    const five = rows.find((r) => r.id === ids[5])!;
    expect(five.tags.sort()).toEqual(['any', 'odd']);
    expect(five.responders).toEqual([ada, ben]);
    // The first response by someone else than the originator (Ada).
    expect(five.firstResponseAt?.toISOString()).toBe(new Date(start + 10 * 60_000).toISOString());
  });

  it('searches problems by every word of the text, and counts all matches', async () => {
    await store.bulk.addProblems([
      { originatorId: ada, platform: 'matrix', text: 'Budget planning for Q3', status: 'opened', createdAt: new Date('2025-03-01T00:00:00Z') },
      { originatorId: ada, platform: 'matrix', text: 'Planning a 50% budget cut_now', status: 'solved', createdAt: new Date('2025-03-02T00:00:00Z') },
      { originatorId: ada, platform: 'discourse', text: 'Hiring plan', status: 'opened', createdAt: new Date('2025-03-03T00:00:00Z') },
    ]);
    const search = (words: string[], extra = {}) =>
      store.dashboard.searchProblems({
        from: new Date('2025-01-01T00:00:00Z'),
        to: new Date('2025-04-01T00:00:00Z'),
        words,
        searchText: true,
        limit: 10,
        offset: 0,
        ...extra,
      });
    expect(search(['budget', 'PLANNING']).rows.map((r) => r.head)).toEqual(['Planning a 50% budget cut_now', 'Budget planning for Q3']);
    expect(search(['50%']).total).toBe(1);
    expect(search(['t_n']).total).toBe(1);
    expect(search(['%']).total).toBe(1);
    expect(search([], { platform: 'discourse' }).rows.map((r) => r.head)).toEqual(['Hiring plan']);
    expect(search(['plan'], { limit: 1 })).toMatchObject({ total: 3, rows: [{ head: 'Hiring plan' }] });
  });
});
