// Pins the generators' sequences: sandbox runs, evaluations and benchmarks are replayed from
// seeds, so a change here would silently change all of them.
import { describe, expect, it } from 'vitest';
import { mulberry32, xorshift32 } from './random.js';

const draws = (rng: () => number, n: number): number[] => Array.from({ length: n }, () => rng() * 2 ** 32);

describe('seeded generators', () => {
  it('mulberry32 gives the same sequence as ever', () => {
    expect(draws(mulberry32(42), 3)).toEqual([2581720956, 1925393290, 3661312704]);
    // The seed is taken as uint32: -1 and 2^32 - 1 are the same generator.
    expect(draws(mulberry32(-1), 5)).toEqual(draws(mulberry32(0xffffffff), 5));
  });

  it('xorshift32 gives the same sequence as ever', () => {
    expect(draws(xorshift32(2654435761), 3)).toEqual([1361921809, 3224134966, 3722112275]);
  });

  it('draws in [0, 1)', () => {
    for (const rng of [mulberry32(7), xorshift32(7)]) {
      for (const x of draws(rng, 1000)) expect(x >= 0 && x < 2 ** 32).toBe(true);
    }
  });
});
