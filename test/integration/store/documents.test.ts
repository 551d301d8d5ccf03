import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DocumentInput, Store } from '../../../core/store/index.js';
import { openTempStore } from './helpers.js';

const at = (iso: string) => new Date(iso);

function topic(externalId: string, extra: Partial<DocumentInput> = {}): DocumentInput {
  return {
    platform: 'discourse',
    externalId,
    threadId: `t-${externalId}`,
    kind: 'topic',
    title: `Title ${externalId}`,
    text: `Text ${externalId}`,
    createdAt: at('2026-03-01T10:00:00.000Z'),
    ...extra,
  };
}

describe('store: documents and tags', () => {
  let store: Store;
  let done: () => Promise<void>;
  beforeEach(async () => ({ store, done } = await openTempStore()));
  afterEach(async () => done());

  it('upserts by platform and external id, keeping the id', async () => {
    const first = await store.documents.upsert(topic('1', { tags: ['python', 'pandas'] }));
    expect(first.created).toBe(true);
    const second = await store.documents.upsert(topic('1', { text: 'edited', score: 4, accepted: true, tags: ['python'] }));
    expect(second).toEqual({ id: first.id, externalId: '1', created: false });

    const stored = await store.documents.find('discourse', '1');
    expect(stored).toMatchObject({ id: first.id, text: 'edited', score: 4, accepted: true, tags: ['python'] });
    expect(stored?.createdAt.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    // Same external id on the other platform is a different document.
    const matrix = await store.documents.upsert({ ...topic('1'), platform: 'matrix', kind: 'message' });
    expect(matrix.created).toBe(true);
    expect(matrix.id).not.toBe(first.id);
  });

  it('leaves tags alone when an update carries none', async () => {
    await store.documents.upsert(topic('2', { tags: ['rust'] }));
    await store.documents.upsert(topic('2', { text: 'edited again' }));
    expect((await store.documents.find('discourse', '2'))?.tags).toEqual(['rust']);
  });

  it('lists live documents as KnowledgeDocument with people-given tags only', async () => {
    const author = (await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'alice' })).member;
    const a = await store.documents.upsert(topic('a', { tags: ['b-tag', 'a-tag'], authorId: author.id, url: 'https://forum.example/t/a', score: 2 }));
    const b = await store.documents.upsert(topic('b', { title: null }));
    await store.documents.upsert(topic('c'));
    await store.documents.setSuggestedTags(b.id, [{ name: 'suggested', confidence: 0.7 }]);
    expect(await store.documents.markDeleted('discourse', 'c', at('2026-04-01T00:00:00Z'))).toBe(true);
    expect(await store.documents.markDeleted('discourse', 'nope')).toBe(false);

    const live = await store.documents.listLive();
    expect(live).toEqual([
      {
        id: a.id,
        platform: 'discourse',
        threadId: 't-a',
        kind: 'topic',
        title: 'Title a',
        text: 'Text a',
        url: 'https://forum.example/t/a',
        authorId: author.id,
        createdAt: at('2026-03-01T10:00:00.000Z'),
        tags: ['a-tag', 'b-tag'],
        accepted: false,
        score: 2,
      },
      {
        id: b.id,
        platform: 'discourse',
        threadId: 't-b',
        kind: 'topic',
        title: undefined,
        text: 'Text b',
        url: undefined,
        authorId: undefined,
        createdAt: at('2026-03-01T10:00:00.000Z'),
        tags: [],
        accepted: false,
        score: 0,
      },
    ]);
    expect((await store.documents.find('discourse', 'b'))?.suggestedTags).toEqual([{ name: 'suggested', confidence: 0.7 }]);
    expect((await store.documents.find('discourse', 'c'))?.deletedAt?.toISOString()).toBe('2026-04-01T00:00:00.000Z');

    // A late edit of a deleted post does not bring it back; restore does.
    await store.documents.upsert(topic('c', { text: 'late edit' }));
    expect((await store.documents.listLive()).map((d) => d.threadId)).toEqual(['t-a', 't-b']);
    expect(await store.documents.restore('discourse', 'c')).toBe(true);
    expect((await store.documents.listLive()).map((d) => d.threadId)).toEqual(['t-a', 't-b', 't-c']);
  });

  it('lets a person-given tag win over the same engine suggestion', async () => {
    const doc = await store.documents.upsert(topic('d'));
    await store.documents.setSuggestedTags(doc.id, [
      { name: 'gpu', confidence: 0.4 },
      { name: 'cuda', confidence: 0.3 },
    ]);
    await store.documents.upsert(topic('d', { tags: ['gpu'] }));
    const stored = await store.documents.find('discourse', 'd');
    expect(stored?.tags).toEqual(['gpu']);
    expect(stored?.suggestedTags).toEqual([{ name: 'cuda', confidence: 0.3 }]);
    // New suggestions replace old ones but never a person's tag.
    await store.documents.setSuggestedTags(doc.id, [{ name: 'gpu', confidence: 0.9 }]);
    const after = await store.documents.find('discourse', 'd');
    expect(after?.tags).toEqual(['gpu']);
    expect(after?.suggestedTags).toEqual([]);
  });

  it('rejects an author that does not exist (foreign keys are on)', async () => {
    await expect(store.documents.upsert(topic('e', { authorId: 12345 as never }))).rejects.toThrow(/FOREIGN KEY|foreign key constraint/);
    // The failed batch rolled back completely.
    expect(await store.documents.find('discourse', 'e')).toBeNull();
  });

  it('upserts and upserts again thousands of documents in one call, quickly', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => topic(`bulk-${i}`, { tags: [`tag-${i % 7}`] }));
    const started = performance.now();
    const created = await store.documents.upsertMany(many);
    const updated = await store.documents.upsertMany(many.map((d) => ({ ...d, score: 1 })));
    const elapsed = performance.now() - started;
    expect(created.every((d) => d.created)).toBe(true);
    expect(updated.every((d) => !d.created)).toBe(true);
    expect(updated.map((d) => d.id)).toEqual(created.map((d) => d.id));
    const live = await store.documents.listLive();
    expect(live).toHaveLength(5000);
    expect(live.every((d) => d.score === 1 && d.tags.length === 1)).toBe(true);
    // Generous bound: a Prisma row-at-a-time path took ~6 s for this; prepared statements ~0.2 s.
    expect(elapsed).toBeLessThan(3000);
  });

  it('keeps tag names with descriptions and counts', async () => {
    await store.documents.upsert(topic('f', { tags: ['matrix'] }));
    await store.tags.upsert('matrix', 'The chat protocol');
    await store.tags.upsert('  discourse  ');
    await store.tags.upsert('matrix');
    expect(await store.tags.list()).toEqual([
      { id: expect.any(Number), name: 'discourse', description: null, status: 'active', origin: 'forum', documentCount: 0, problemCount: 0 },
      { id: expect.any(Number), name: 'matrix', description: 'The chat protocol', status: 'active', origin: 'forum', documentCount: 1, problemCount: 0 },
    ]);
    await expect(store.tags.upsert('   ')).rejects.toThrow(/name/);
  });

  it('keeps proposed tags apart, never proposes a name twice, renames and merges', async () => {
    await store.documents.upsert(topic('t1', { tags: ['pricing'] }));
    await store.documents.upsert(topic('t2', { tags: ['pricing', 'costs'] }));
    expect((await store.tags.propose('costs', 'spend')).created).toBe(false);
    const proposed = await store.tags.propose('price-plans', 'Recurring theme: price, plans');
    expect(proposed).toMatchObject({ created: true, tag: { status: 'proposed', origin: 'suggested' } });
    expect((await store.tags.propose('price-plans', 'again')).created).toBe(false);
    expect((await store.tags.list('proposed')).map((t) => t.name)).toEqual(['price-plans']);
    await store.tags.setStatus('price-plans', 'rejected');
    expect((await store.tags.propose('price-plans', 'once more')).created).toBe(false);
    expect((await store.tags.get('price-plans'))?.status).toBe('rejected');
    // A configured tag of that name is the admin's word: active again.
    expect(await store.tags.upsert('price-plans', 'from the config', 'config')).toMatchObject({ status: 'active', origin: 'config' });

    await expect(store.tags.rename('costs', 'pricing')).rejects.toThrow(/exists/);
    expect((await store.tags.rename('costs', 'spending')).name).toBe('spending');
    // A document written after the rename with the old name gets a new tag, not the renamed one.
    await store.documents.upsert(topic('t3', { tags: ['costs'] }));
    expect((await store.tags.get('costs'))?.documentCount).toBe(1);

    const merged = await store.tags.merge('pricing', 'spending');
    expect(merged).toMatchObject({ name: 'spending', documentCount: 2 });
    expect(await store.tags.get('pricing')).toBeNull();
    await expect(store.tags.merge('pricing', 'spending')).rejects.toThrow(/no tag/);
    for (const id of ['t1', 't2']) expect((await store.documents.find('discourse', id))?.tags).toEqual(['spending']);
    // New documents with the merged-away name after the merge do not hit a stale id.
    await store.documents.upsert(topic('t4', { tags: ['pricing'] }));
    expect((await store.tags.get('pricing'))?.documentCount).toBe(1);
  });

  it('keeps content hashes only for the text they were computed from; an edit forgets the hash', async () => {
    const a = await store.documents.upsert(topic('h-a'));
    const b = await store.documents.upsert(topic('h-b'));
    const c = await store.documents.upsert(topic('h-c'));
    const first = await store.documents.listLiveWithHashes();
    expect(first.docs.map((d) => d.id)).toEqual([a.id, b.id, c.id]);
    expect(first.contentHashes).toEqual([null, null, null]);

    // c is edited after its text was read: its hash belongs to the old text and is not kept.
    await store.documents.upsert(topic('h-c', { text: 'edited meanwhile' }));
    const kept = await store.documents.keepContentHashes([
      { id: a.id, contentHash: 'hash-a', title: 'Title h-a', text: 'Text h-a' },
      { id: b.id, contentHash: 'hash-b', title: undefined, text: 'Text h-b' },
      { id: c.id, contentHash: 'hash-c', title: 'Title h-c', text: 'Text h-c' },
    ]);
    expect(kept).toBe(1);
    expect((await store.documents.listLiveWithHashes()).contentHashes).toEqual(['hash-a', null, null]);
    expect((await store.documents.find('discourse', 'h-a'))?.contentHash).toBe('hash-a');

    // Editing a document forgets its hash, and so does a deletion (it is no longer listed).
    await store.documents.upsert(topic('h-a', { title: 'New title' }));
    expect((await store.documents.find('discourse', 'h-a'))?.contentHash).toBeNull();
    await store.documents.keepContentHashes([{ id: b.id, contentHash: 'hash-b', title: 'Title h-b', text: 'Text h-b' }]);
    await store.documents.markDeleted('discourse', 'h-b');
    expect(await store.documents.keepContentHashes([{ id: b.id, contentHash: 'hash-b2', title: 'Title h-b', text: 'Text h-b' }])).toBe(0);
    const live = await store.documents.listLiveWithHashes();
    expect(live.docs.map((d) => d.id)).toEqual([a.id, c.id]);
    expect(live.contentHashes).toEqual([null, null]);
    expect(await store.documents.listLive()).toEqual(live.docs);

    // A document without a title is matched as such.
    const n = await store.documents.upsert(topic('h-n', { title: null }));
    expect(await store.documents.keepContentHashes([{ id: n.id, contentHash: 'hash-n', title: undefined, text: 'Text h-n' }])).toBe(1);
    expect((await store.documents.find('discourse', 'h-n'))?.contentHash).toBe('hash-n');

    // A member's erased words take their hash with them.
    const author = (await store.members.upsertByIdentity({ platform: 'discourse', externalId: 'writer' })).member;
    const w = await store.documents.upsert(topic('h-w', { authorId: author.id }));
    expect(await store.documents.keepContentHashes([{ id: w.id, contentHash: 'hash-w', title: 'Title h-w', text: 'Text h-w' }])).toBe(1);
    expect(await store.documents.eraseByAuthor(author.id)).toEqual([w.id]);
    expect(await store.documents.find('discourse', 'h-w')).toMatchObject({ text: '', contentHash: null });
  });
});
