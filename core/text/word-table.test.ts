import { describe, expect, it } from 'vitest';
import { hashOf, WordTable } from './word-table.js';

describe('WordTable', () => {
  it('finds a word by its range in a larger text, through growth and clearing', () => {
    const table = new WordTable<number>(4);
    const words = Array.from({ length: 500 }, (_, i) => `w${i}`);
    words.forEach((w, i) => table.set(w, hashOf(w), i));
    expect(table.size).toBe(500);
    const text = 'say w123 and w499 not w500';
    expect(table.get(text, 4, 8, hashOf('w123'), -1)).toBe(123);
    expect(table.get(text, 13, 17, hashOf('w499'), -1)).toBe(499);
    expect(table.get(text, 22, 26, hashOf('w500'), -1)).toBe(-1);
    // Same hash, different text: compared by content, not by hash alone.
    expect(table.get('w12', 0, 3, hashOf('w123'), -1)).toBe(-1);
    table.clear();
    expect(table.size).toBe(0);
    expect(table.get(text, 4, 8, hashOf('w123'), -1)).toBe(-1);
  });
});
