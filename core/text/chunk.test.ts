import { describe, expect, it } from 'vitest';
import { chunkText, chunkTextDetailed, DEFAULT_MAX_CHUNKS, DEFAULT_MAX_WORDS } from './chunk.js';

const words = (s: string): number => s.split(' ').length;

describe('chunkText', () => {
  it('returns [] for empty and whitespace-only text', () => {
    expect(chunkText('')).toEqual([]);
    expect(chunkText(' \n\n\t ')).toEqual([]);
  });

  it('keeps a short text as one chunk', () => {
    expect(chunkText('How do I reset my password?')).toEqual(['How do I reset my password?']);
  });

  it('packs whole sentences up to maxWords', () => {
    const text = 'One two three four. Five six seven. Eight nine ten eleven twelve. Thirteen.';
    expect(chunkText(text, { maxWords: 8 })).toEqual(['One two three four. Five six seven.', 'Eight nine ten eleven twelve. Thirteen.']);
  });

  it('splits an over-long sentence into balanced parts', () => {
    const text = Array.from({ length: 25 }, (_, i) => `w${i}`).join(' ');
    const chunks = chunkText(text, { maxWords: 10 });
    expect(chunks.map(words)).toEqual([9, 9, 7]);
    expect(chunks.join(' ')).toBe(text);
  });

  it('ends a chunk at a paragraph break once it is half full', () => {
    const text = 'Alpha beta gamma delta epsilon.\n\nZeta eta theta.\n\nIota.';
    expect(chunkText(text, { maxWords: 10 })).toEqual(['Alpha beta gamma delta epsilon.', 'Zeta eta theta. Iota.']);
  });

  it('treats line breaks as sentence ends', () => {
    const text = 'first line without stop\nsecond line without stop';
    expect(chunkText(text, { maxWords: 6 })).toEqual(['first line without stop', 'second line without stop']);
  });

  it('repeats the previous sentence when overlap allows it', () => {
    const text = 'Aa bb cc dd. Ee ff. Gg hh ii jj.';
    expect(chunkText(text, { maxWords: 6 })).toEqual(['Aa bb cc dd. Ee ff.', 'Gg hh ii jj.']);
    expect(chunkText(text, { maxWords: 6, overlap: 2 })).toEqual(['Aa bb cc dd. Ee ff.', 'Ee ff. Gg hh ii jj.']);
  });

  it('caps the number of chunks and says so', () => {
    const text = 'This is a sentence of eight words here. '.repeat(200);
    const { chunks, truncated } = chunkTextDetailed(text, { maxWords: 16, maxChunks: 5 });
    expect(chunks).toHaveLength(5);
    expect(truncated).toBe(true);
    expect(chunkTextDetailed('Short text.', { maxChunks: 1 }).truncated).toBe(false);
  });

  it('uses the documented defaults', () => {
    const text = Array.from({ length: 5000 }, (_, i) => `word${i}${i % 12 === 11 ? '.' : ''}`).join(' ');
    const chunks = chunkText(text);
    expect(chunks).toHaveLength(DEFAULT_MAX_CHUNKS);
    for (const c of chunks) expect(words(c)).toBeLessThanOrEqual(DEFAULT_MAX_WORDS);
  });

  it('cuts junk tokens (hashes, base64) but splits unspaced scripts into pieces', () => {
    const blob = 'A'.repeat(5000);
    expect(chunkText(`see ${blob} here`)).toEqual([`see ${'A'.repeat(40)} here`]);
    const chinese = '我们的服务器在上传大文件时崩溃了'.repeat(20);
    const chunks = chunkText(chinese);
    expect(chunks.join('').replace(/ /g, '')).toBe(chinese);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(DEFAULT_MAX_WORDS * 8);
  });

  it('never splits a surrogate pair', () => {
    const text = '😀'.repeat(100);
    for (const c of chunkText(text)) {
      for (const piece of c.split(' ')) expect(piece).not.toMatch(/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/);
    }
  });

  it('bounds chunk length in characters as well as words', () => {
    const text = Array.from({ length: 100 }, () => 'x'.repeat(39)).join(' ');
    for (const c of chunkText(text, { maxWords: 40 })) expect(c.length).toBeLessThanOrEqual(40 * 8);
  });

  it('handles 1 MB texts without a super-linear blow-up, scanning only what it keeps', () => {
    for (const text of ['word '.repeat(200_000), 'abc'.repeat(350_000), 'Sentence here. '.repeat(70_000), '中'.repeat(1 << 20)]) {
      const t = performance.now();
      const { chunks, truncated } = chunkTextDetailed(text);
      expect(performance.now() - t).toBeLessThan(10_000);
      expect(chunks.length).toBeGreaterThan(0);
      expect(chunks.length).toBeLessThanOrEqual(DEFAULT_MAX_CHUNKS);
      expect(truncated).toBe(chunks.length === DEFAULT_MAX_CHUNKS);
    }
  });
});
