import { describe, expect, it } from 'vitest';
import { contentHash } from './hash.js';

describe('contentHash', () => {
  it('is the SHA-256 hex digest of the UTF-8 text', () => {
    expect(contentHash('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(contentHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('distinguishes texts that differ only in Unicode', () => {
    expect(contentHash('café')).not.toBe(contentHash('cafe\u0301'));
    expect(contentHash('😀')).toMatch(/^[0-9a-f]{64}$/);
  });
});
