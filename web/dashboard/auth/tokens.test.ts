import { describe, expect, it } from 'vitest';
import { randomToken, sameToken, TOKEN } from './tokens.js';

describe('tokens', () => {
  it('makes random 43-character URL-safe tokens', () => {
    const tokens = new Set(Array.from({ length: 100 }, randomToken));
    expect(tokens.size).toBe(100);
    for (const t of tokens) expect(t).toMatch(TOKEN);
  });

  it('compares two equal, present tokens as the same, nothing else', () => {
    expect(sameToken('abc', 'abc')).toBe(true);
    expect(sameToken('abc', 'abd')).toBe(false);
    expect(sameToken('abc', 'abcd')).toBe(false);
    expect(sameToken(undefined, undefined)).toBe(false);
    expect(sameToken('', '')).toBe(false);
  });
});
