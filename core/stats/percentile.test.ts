import { describe, expect, it } from 'vitest';
import { nearestIndexQuantile, nearestRankPercentile } from './percentile.js';

describe('percentiles', () => {
  it('nearest rank: p in [0, 100], any order, 0 for none', () => {
    expect(nearestRankPercentile([4, 1, 3, 2], 50)).toBe(2);
    expect(nearestRankPercentile([4, 1, 3, 2], 95)).toBe(4);
    expect(nearestRankPercentile([4, 1, 3, 2], 0)).toBe(1);
    expect(nearestRankPercentile([], 50)).toBe(0);
  });

  it('nearest index: q in [0, 1], sorted input, NaN for none', () => {
    expect(nearestIndexQuantile([1, 2, 3, 4], 0.5)).toBe(3);
    expect(nearestIndexQuantile([1, 2, 3, 4], 0.025)).toBe(1);
    expect(nearestIndexQuantile([1, 2, 3, 4], 0.975)).toBe(4);
    expect(nearestIndexQuantile([], 0.5)).toBeNaN();
  });
});
