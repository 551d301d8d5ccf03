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
