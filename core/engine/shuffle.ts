import { xorshift32 } from '../random.js';

/** A copy of `items` in a pseudo-random order that depends only on `seed` (Fisher-Yates). */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  // xorshift32: tiny and good enough to decorrelate training order. The multiplier spreads
  // small seeds over the state; a zero state would stay zero, hence 1.
  const next = xorshift32((seed * 2654435761) >>> 0 || 1);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
