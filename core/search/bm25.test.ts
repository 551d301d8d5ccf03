import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25.js';

describe('Bm25Index', () => {
  const index = new Bm25Index();
  index.add(1, 'How should cofounders split equity in an early startup?');
  index.add(2, 'Hiring the first engineer: salary or equity?');
  index.add(3, 'Which CRM do you use for a small sales team?');
  index.add(4, 'Registering an LLC in New Hampshire');

  it('ranks documents that share rare query terms first', () => {
    const hits = index.search('equity split between cofounders', 10);
    expect(hits.map((h) => h.id)).toEqual([1, 2]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('matches inflected forms through stemming', () => {
    expect(index.search('hire engineers', 5)[0]?.id).toBe(2);
  });

  it('returns nothing for stop words only, empty text or k <= 0', () => {
    expect(index.search('the and of', 5)).toEqual([]);
    expect(index.search('', 5)).toEqual([]);
    expect(index.search('equity', 0)).toEqual([]);
  });

  it('applies a filter and scores chosen documents', () => {
    expect(index.search('equity', 5, (id) => id !== 1).map((h) => h.id)).toEqual([2]);
    const scores = index.scoreDocuments('CRM sales', [3, 4, 99]);
    expect(scores.get(3)).toBeGreaterThan(0);
    expect(scores.get(4)).toBe(0);
    expect(scores.get(99)).toBe(0);
  });

  it('forgets removed documents and replaces re-added ones', () => {
    const i = new Bm25Index();
    i.add(1, 'budget planning');
    i.add(2, 'budget review');
    i.remove(1);
    expect(i.size).toBe(1);
    expect(i.search('planning', 5)).toEqual([]);
    i.add(2, 'hiring plan');
    expect(i.search('budget', 5)).toEqual([]);
    expect(i.search('hiring', 5).map((h) => h.id)).toEqual([2]);
  });
});

/** The plain definition the compact index must reproduce exactly: term -> document -> tf. */
class ReferenceBm25 {
  readonly docs = new Map<number, { length: number; tf: Map<string, number> }>();
  constructor(
    private readonly k1 = 1.2,
    private readonly b = 0.75,
  ) {}
  add(id: number, tokens: string[]): void {
    const tf = new Map<string, number>();
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    this.docs.set(id, { length: tokens.length, tf });
  }
  remove(id: number): void {
    this.docs.delete(id);
  }
  df(term: string): number {
    let n = 0;
    for (const d of this.docs.values()) if (d.tf.has(term)) n++;
    return n;
  }
  score(id: number, query: { term: string; count: number; idf: number }[]): number {
    const d = this.docs.get(id)!;
    let total = 0;
    const avg = [...this.docs.values()].reduce((s, x) => s + x.length, 0) / this.docs.size;
    for (const { term, count, idf } of query) {
      const tf = d.tf.get(term);
      if (!tf) continue;
      const norm = this.k1 * (1 - this.b + (this.b * d.length) / (avg || 1));
      total += count * ((idf * tf * (this.k1 + 1)) / (tf + norm));
    }
    return total;
  }
}

describe('Bm25Index against the plain definition', () => {
  it('gives the same hits, scores and idf through random adds, replacements and removals', () => {
    let seed = 42;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    const words = Array.from({ length: 60 }, (_, i) => `w${i}`);
    const pick = (): string => words[Math.floor(random() ** 2 * words.length)]!;
    const index = new Bm25Index();
    const reference = new ReferenceBm25();
    for (let step = 0; step < 1_500; step++) {
      const id = 1 + Math.floor(random() * 300);
      if (random() < 0.2) {
        index.remove(id);
        reference.remove(id);
      } else {
        const tokens = Array.from({ length: 1 + Math.floor(random() * 30) }, pick);
        index.addTokens(id, tokens);
        reference.add(id, tokens);
      }
      if (step % 50 !== 0) continue;
      const query = Array.from({ length: 1 + Math.floor(random() * 6) }, pick);
      expect(index.size).toBe(reference.docs.size);
      for (const w of new Set(query)) expect(index.idf(w)).toBe(Math.log(1 + (reference.docs.size - reference.df(w) + 0.5) / (reference.df(w) + 0.5)));
      const terms = index.queryTerms(query);
      const expected = [...reference.docs.keys()]
        .filter((d) => terms.some((t) => reference.docs.get(d)!.tf.has(t.term)))
        .map((d) => ({ id: d, score: reference.score(d, terms) }))
        .sort((a, b) => b.score - a.score || a.id - b.id);
      const hits = index.search(query, 1_000);
      expect(hits.map((h) => h.id)).toEqual(expected.map((h) => h.id));
      // The best k alone are the first k of the full ranking, ties included (smaller id first).
      expect(index.search(query, 3)).toEqual(hits.slice(0, 3));
      expect(index.search(query, Infinity)).toEqual(hits);
      hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i]!.score, 10));
      const odd = (d: number): boolean => d % 2 === 1;
      expect(index.search(query, 5, odd).map((h) => h.id)).toEqual(
        expected
          .filter((h) => odd(h.id))
          .slice(0, 5)
          .map((h) => h.id),
      );
      const chosen = [...reference.docs.keys()].slice(0, 20).concat([9_999]);
      const scored = index.scoreDocuments(query, chosen);
      for (const d of chosen) expect(scored.get(d)).toBeCloseTo(reference.docs.has(d) ? reference.score(d, terms) : 0, 10);
    }
  });

  it('counts a word repeated past 255 times as 255, in search and in chosen-document scores alike', () => {
    const i = new Bm25Index();
    i.addTokens(1, Array(300).fill('budget'));
    i.addTokens(2, Array(255).fill('budget').concat(Array(45).fill('filler')));
    i.addTokens(3, ['plan']);
    const [a, b] = i.search(['budget'], 2);
    expect(a!.score).toBe(b!.score);
    const chosen = i.scoreDocuments(['budget'], [1, 2]);
    expect(chosen.get(1)).toBe(a!.score);
    expect(chosen.get(2)).toBe(a!.score);
  });

  it('forgets a word once no document has it', () => {
    const i = new Bm25Index();
    i.add(1, 'zebra budget');
    i.add(2, 'budget');
    i.remove(1);
    expect(i.queryTerms('zebra budget').map((t) => t.term)).toEqual(['budget']);
    expect(i.postingCount).toBe(1);
    i.add(3, 'zebra');
    expect(i.search('zebra', 5).map((h) => h.id)).toEqual([3]);
  });
});
