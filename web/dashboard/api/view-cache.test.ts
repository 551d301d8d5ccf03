import { describe, expect, it } from 'vitest';
import { ViewCache } from './view-cache.js';

describe('ViewCache', () => {
  it('computes once per key while the fingerprint stays, and again after it changes', () => {
    let fp = 'a';
    let computed = 0;
    const cache = new ViewCache({ fingerprint: () => fp, fingerprintTtlMs: 0 });
    const get = () => cache.get('k', () => ++computed);
    expect([get(), get()]).toEqual([1, 1]);
    fp = 'b';
    expect(get()).toBe(2);
  });

  it('reads the fingerprint at most every fingerprintTtlMs', () => {
    let now = 0;
    let reads = 0;
    let fp = 'a';
    const cache = new ViewCache({ fingerprint: () => { reads += 1; return fp; }, fingerprintTtlMs: 1000, now: () => now });
    let computed = 0;
    const get = () => cache.get('k', () => ++computed);
    get();
    fp = 'b';
    now = 999;
    expect(get()).toBe(1); // the change is not seen yet
    expect(reads).toBe(1);
    now = 1000;
    expect(get()).toBe(2);
    expect(reads).toBe(2);
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new ViewCache({ fingerprint: () => 'a', fingerprintTtlMs: 0, maxEntries: 2 });
    let computed = 0;
    cache.get('x', () => ++computed);
    cache.get('y', () => ++computed);
    cache.get('x', () => ++computed);
    cache.get('z', () => ++computed); // drops y
    expect(cache.size).toBe(2);
    expect(cache.get('x', () => -1)).toBe(1);
    expect(cache.get('y', () => -1)).toBe(-1);
  });
});
