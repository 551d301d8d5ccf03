import { describe, expect, it } from 'vitest';
import { stem, tokenize } from './tokenize.js';

describe('tokenize', () => {
  it('lower-cases, drops stop words and stems', () => {
    expect(tokenize('How do I hire the first Engineers?')).toEqual(['hir', 'first', 'engineer']);
  });

  it('meets inflections of the same word', () => {
    expect(stem('companies')).toBe(stem('company'));
    expect(stem('planned')).toBe(stem('plan'));
    expect(stem('hiring')).toBe(stem('hire'));
  });

  it('keeps non-English words and numbers, and survives emoji and empty text', () => {
    expect(tokenize('Préstamo bancario 2024 😀')).toEqual(['préstamo', 'bancario', '2024']);
    expect(tokenize('')).toEqual([]);
    expect(tokenize('🎉🎉🎉')).toEqual([]);
  });
});
