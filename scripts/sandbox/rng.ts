// Drawing helpers for the sandbox over a seeded generator (core/random.ts): the generated
// community must be identical for a seed, on every machine and Node version, so Math.random is
// never used here.
import type { Rng } from '../../core/random.js';

/** Integer in [min, max], both inclusive. */
export function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick from an empty list');
  return items[Math.floor(rng() * items.length)] as T;
}

/** Index drawn in proportion to the (non-negative) weights; falls back to the last index. */
export function weightedIndex(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let r = rng() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i] ?? 0;
    if (r < 0) return i;
  }
  return weights.length - 1;
}

/** A shuffled copy (Fisher-Yates). */
export function shuffle<T>(rng: Rng, items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Up to `count` distinct items, each draw in proportion to the remaining weights. */
export function weightedSample<T>(rng: Rng, items: readonly T[], weights: readonly number[], count: number): T[] {
  const pool = items.map((item, i) => ({ item, w: weights[i] ?? 0 })).filter((x) => x.w > 0);
  const out: T[] = [];
  while (out.length < count && pool.length > 0) {
    const i = weightedIndex(
      rng,
      pool.map((x) => x.w),
    );
    out.push((pool[i] as { item: T }).item);
    pool.splice(i, 1);
  }
  return out;
}
