import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../core/engine/knowledge-base.js';
import { syntheticEmbeddings } from '../../../core/search/synthetic-vectors.js';
import { VectorIndex } from '../../../core/search/vector-index.js';
import { documentId, memberId } from '../../../core/types.js';
import { fakeVector, FAKE_DIMS } from './fake-vectors.js';

const DAY = 86_400_000;

function answer(kb: KnowledgeBase, id: number, author: number, time: number): void {
  kb.add(
    {
      id: documentId(id),
      platform: 'matrix',
      threadId: `t${id}`,
      kind: 'answer',
      text: 'an answer',
      authorId: memberId(author),
      createdAt: new Date(time),
      tags: [],
      accepted: false,
      score: 0,
    },
    fakeVector('an answer'),
  );
}

describe('KnowledgeBase.activity', () => {
  it('halves a contribution per half-life and follows adds and removes', () => {
    const kb = new KnowledgeBase(FAKE_DIMS);
    const t0 = Date.UTC(2015, 0, 1);
    answer(kb, 1, 1, t0);
    expect(kb.activity(t0 + 14 * DAY, 14).get(memberId(1))).toBeCloseTo(0.5, 6);
    answer(kb, 2, 1, t0 + 14 * DAY);
    expect(kb.activity(t0 + 14 * DAY, 14).get(memberId(1))).toBeCloseTo(1.5, 6);
    kb.remove(documentId(1));
    expect(kb.activity(t0 + 28 * DAY, 14).get(memberId(1))).toBeCloseTo(0.5, 6);
  });

  it('keeps recent members ranked after decades of history with a short half-life', () => {
    const kb = new KnowledgeBase(FAKE_DIMS);
    const t0 = Date.UTC(1990, 0, 1);
    answer(kb, 1, 1, t0);
    kb.activity(t0, 7); // start the running sums early, then add decades later
    const late = t0 + 30 * 365 * DAY;
    answer(kb, 2, 2, late);
    answer(kb, 3, 3, late - 7 * DAY);
    const a = kb.activity(late + DAY, 7);
    expect(a.get(memberId(2))!).toBeGreaterThan(a.get(memberId(3))!);
    expect(a.get(memberId(3))!).toBeGreaterThan(0);
    expect(a.get(memberId(1)) ?? 0).toBeLessThan(1e-100);
  });
});

describe('KnowledgeBase.nearestTagged', () => {
  it('finds exactly what a separate index of the tagged documents found, among thousands of untagged ones', () => {
    const vectors = syntheticEmbeddings(7_000, { dims: 32, seed: 3 });
    const kb = new KnowledgeBase(32);
    const taggedOnly = new VectorIndex(32);
    vectors.forEach((v, i) => {
      const tagged = i % 20 === 0;
      kb.add(
        {
          id: documentId(i + 1),
          platform: 'matrix',
          threadId: `t${i}`,
          kind: 'question',
          text: `text ${i}`,
          createdAt: new Date(i * DAY),
          tags: tagged ? ['budget'] : [],
          accepted: false,
          score: 0,
        },
        v,
      );
      if (tagged) taggedOnly.add(i + 1, v);
    });
    kb.remove(documentId(21));
    taggedOnly.remove(21);
    expect(kb.taggedCount).toBe(349);
    const even = (id: number): boolean => id % 2 === 0;
    for (const q of vectors.slice(0, 40)) {
      expect(kb.nearestTagged(q, 25)).toEqual(taggedOnly.search(q, 25));
      expect(kb.nearestTagged(q, 25, even)).toEqual(taggedOnly.search(q, 25, { filter: even }));
    }
    expect(kb.vectors.lastSearch.path).toBe('exact');
  });
});

describe('KnowledgeBase vector precision', () => {
  it('holds vectors as int8 when asked (engine.vectorPrecision), and reads them back within the quantisation error', () => {
    const vectors = syntheticEmbeddings(2_000, { dims: 32, seed: 4 });
    const kb = new KnowledgeBase(32, { precision: 'int8' });
    expect(kb.vectors.precision).toBe('int8');
    expect(new KnowledgeBase(32).vectors.precision).toBe('float32');
    vectors.forEach((v, i) =>
      kb.add(
        {
          id: documentId(i + 1),
          platform: 'matrix',
          threadId: `t${i}`,
          kind: 'question',
          text: 'q',
          createdAt: new Date(0),
          tags: [],
          accepted: false,
          score: 0,
        },
        v,
      ),
    );
    for (const i of [0, 500, 1_999]) {
      const stored = kb.vectorOf(documentId(i + 1))!;
      for (let d = 0; d < 32; d++) expect(Math.abs(stored[d]! - vectors[i]![d]!)).toBeLessThan(0.01);
    }
  });
});
