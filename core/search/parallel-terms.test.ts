import { describe, expect, it } from 'vitest';
import { tokenize } from '../text/tokenize.js';
import { Bm25Index } from './bm25.js';
import { ParallelTerms } from './parallel-terms.js';

const WORDS = ['hiring', 'pricing', 'vesting', 'roadmap', 'budget', 'churn', 'équipe', 'naïve', "don't", 'the', 'a', 'plans', 'planned', 'x1'];
const text = (i: number): string => Array.from({ length: 3 + (i % 7) }, (_, k) => WORDS[(i * 7 + k * 3) % WORDS.length]).join(' ') + ` unique${i}`;

const QUERIES = ['hiring budget', 'pricing plans churn', 'équipe naïve', 'unique7 roadmap', 'vesting', 'unique3'];
const ranked = (index: Bm25Index) => QUERIES.map((q) => index.search(q, 10));

describe('ParallelTerms', () => {
  it('gives the index the same documents as tokenizing on the main thread, window after window', async () => {
    const here = new Bm25Index();
    const there = new Bm25Index();
    const terms = await ParallelTerms.start(there);
    try {
      for (let from = 0; from < 300; from += 100) {
        const ids = Array.from({ length: 100 }, (_, k) => from + k);
        const window = await terms.request(ids.map(text));
        expect(window.size).toBe(100);
        for (const [i, id] of ids.entries()) {
          here.addTokens(id, tokenize(text(id)));
          there.addTermIds(id, window.of(i));
        }
      }
    } finally {
      await terms.close();
    }
    expect(there.size).toBe(300);
    expect(there.postingCount).toBe(here.postingCount);
    expect(ranked(there)).toEqual(ranked(here));
  });

  it('looks term ids up again once a removal has freed some (they may be reused for other terms)', async () => {
    const here = new Bm25Index();
    const there = new Bm25Index();
    const terms = await ParallelTerms.start(there);
    try {
      const first = await terms.request(['alpha beta', 'gamma delta']);
      // Later windows also name "alpha": its id must be looked up again, not taken from before.
      const second = await terms.request(['gamma epsilon', 'alpha zeta']);
      here.addTokens(1, tokenize('alpha beta'));
      there.addTermIds(1, first.of(0));
      // Its only document gone, "alpha" and "beta" are forgotten and their ids free for new terms.
      for (const index of [here, there]) index.remove(1);
      for (const [k, t] of ['gamma delta', 'gamma epsilon', 'alpha zeta'].entries()) here.addTokens(10 + k, tokenize(t));
      there.addTermIds(10, first.of(1));
      there.addTermIds(11, second.of(0));
      there.addTermIds(12, second.of(1));
      expect(there.termsForgotten).toBeGreaterThan(0);
      expect(ranked(there)).toEqual(ranked(here));
      for (const q of ['alpha', 'zeta', 'delta', 'epsilon', 'beta']) expect(there.search(q, 5)).toEqual(here.search(q, 5));
    } finally {
      await terms.close();
    }
  });

  it('rejects requests once closed', async () => {
    const terms = await ParallelTerms.start(new Bm25Index());
    await terms.close();
    await expect(terms.request(['anything'])).rejects.toThrow(/closed/);
  });
});
