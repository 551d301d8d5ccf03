// Seeded pseudo-random generators: the same seed gives the same sequence on every machine and
// Node version, so synthetic data, simulations, evaluations and fuzz tests can be replayed.
// Not for anything secret. Every seeded generator in the project lives here; changing one
// changes every sandbox run, evaluation and benchmark that depends on it.

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: 32-bit state, fast, good enough for synthetic data. The seed is taken as uint32. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * xorshift32 (shifts 13, 17, 5): a different, even smaller generator, kept apart from
 * mulberry32 because the engine's training order depends on its exact sequence. The state must
 * be a non-zero uint32 (zero stays zero forever).
 */
export function xorshift32(state: number): Rng {
  let s = state >>> 0;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
