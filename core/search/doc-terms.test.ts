import { describe, expect, it } from 'vitest';
import { DocTerms } from './doc-terms.js';

const read = (t: DocTerms, slot: number): number[] => [...t.values.subarray(t.start(slot), t.start(slot) + t.count(slot))];

function put(t: DocTerms, slot: number, values: number[]): void {
  const data = t.allocate(slot, values.length);
  data.set(values, t.start(slot));
}

describe('DocTerms', () => {
  it('keeps every slot its own span as the shared array grows', () => {
    const t = new DocTerms(4);
    t.reserveSlots(3000);
    for (let slot = 0; slot < 3000; slot++) put(t, slot, [slot, slot + 1, slot + 2]);
    expect(read(t, 0)).toEqual([0, 1, 2]);
    expect(read(t, 2999)).toEqual([2999, 3000, 3001]);
  });

  it('squeezes out released spans when it regrows, keeping the others intact', () => {
    const t = new DocTerms(2000);
    for (let slot = 0; slot < 2000; slot++) put(t, slot, [slot]);
    for (let slot = 0; slot < 2000; slot += 2) t.release(slot);
    expect(t.count(10)).toBe(0);
    // Reused slots get new spans at the end; the next regrowth drops the holes.
    for (let slot = 0; slot < 2000; slot += 2) put(t, slot, [slot * 10, slot * 10 + 1]);
    for (let slot = 0; slot < 2000; slot++) expect(read(t, slot)).toEqual(slot % 2 ? [slot] : [slot * 10, slot * 10 + 1]);
    const before = t.byteLength;
    for (let slot = 0; slot < 2000; slot++) t.release(slot);
    put(
      t,
      0,
      Array.from({ length: 5000 }, (_, i) => i),
    );
    expect(read(t, 0)).toHaveLength(5000);
    expect(t.byteLength).toBeLessThan(before + 5000 * 4 * 1.5 + 1);
  });
});
