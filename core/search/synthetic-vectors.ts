// Deterministic stand-ins for sentence embeddings, for tests and benchmarks of vector search.
//
// Plain random unit vectors are a poor test: they have no neighbours worth finding and no
// shared direction. These mimic what we measured on USE-lite embeddings of 6,765 community
// questions: a large common component (mean vector norm 0.58, so unrelated texts score ~0.34)
// whose size varies per text, per-dimension spreads that differ (10th percentile ~0.7x the
// median), and topic structure (the 10th nearest neighbour scores ~0.65, real 0.67). They are
// also as hard for bit codes: at 6.4k vectors, the exact top 10 found among the best 25 / 100
// by Hamming distance was 0.88 / 0.989 here against 0.89 / 0.995 on the real embeddings.
// It lives in core/search so the index's tests (which may not import scripts/) and the bench
// share it.
import { mulberry32 } from '../random.js';

export interface SyntheticVectorOptions {
  dims?: number;
  /** Seed for the generator; same seed and options, same vectors. */
  seed?: number;
  /**
   * Typical length of the shared component (the projection on the mean direction). It varies
   * per vector, skewed low: USE-lite measured median 0.61, 10th percentile 0.38, 90th 0.74.
   */
  commonNorm?: number;
  /** Spread of that length below and above the typical value (split normal). */
  commonSpreadLow?: number;
  commonSpreadHigh?: number;
  /** Latent themes (random directions) that texts combine. */
  themes?: number;
  /** Themes mixed into each vector, with random weights. */
  themesPerVector?: number;
  /** Share of the non-shared part that is per-vector noise. */
  noise?: number;
  /** Log-normal sigma of the per-dimension stretch (0.25 gives the measured spread). */
  stretch?: number;
}

const DEFAULTS: Required<SyntheticVectorOptions> = {
  dims: 512,
  seed: 1,
  commonNorm: 0.61,
  commonSpreadLow: 0.18,
  commonSpreadHigh: 0.1,
  themes: 128,
  themesPerVector: 6,
  noise: 0.25,
  stretch: 0.25,
};

/** Standard normal samples by the Box-Muller transform (uses both values of each pair). */
function gaussianSource(random: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - random()));
    const theta = 2 * Math.PI * random();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
}

function unitGaussian(dims: number, gauss: () => number): Float32Array {
  const v = new Float32Array(dims);
  for (let d = 0; d < dims; d++) v[d] = gauss();
  return scaleToUnit(v);
}

function scaleToUnit(v: Float32Array): Float32Array {
  let s = 0;
  for (let d = 0; d < v.length; d++) s += v[d]! * v[d]!;
  const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
  for (let d = 0; d < v.length; d++) v[d] = v[d]! * inv;
  return v;
}

/**
 * `n` unit vectors with embedding-like structure: normalize(common + residual), where the
 * residual is a random weighted mix of a few latent themes plus noise, stretched per dimension.
 * Mixing themes with continuous weights gives a smooth range of similarities (as real texts
 * have) rather than tight clusters separated by empty space, which would make search too easy.
 */
export function syntheticEmbeddings(n: number, options: SyntheticVectorOptions = {}): Float32Array[] {
  const out: Float32Array[] = [];
  for (const v of syntheticEmbeddingStream(n, options)) out.push(v);
  return out;
}

/** The same vectors as syntheticEmbeddings, one at a time: a million need not be held at once. */
export function* syntheticEmbeddingStream(n: number, options: SyntheticVectorOptions = {}): Generator<Float32Array> {
  const o = { ...DEFAULTS, ...options };
  const { dims } = o;
  const random = mulberry32(o.seed);
  const gauss = gaussianSource(random);
  const common = unitGaussian(dims, gauss);
  const stretch = new Float32Array(dims);
  for (let d = 0; d < dims; d++) stretch[d] = Math.exp(o.stretch * gauss());
  const themes = Array.from({ length: o.themes }, () => unitGaussian(dims, gauss));
  const signal = Math.sqrt(1 - o.noise);
  // Per-vector noise is uniform with unit variance, not normal: ~5x cheaper to draw, and over
  // hundreds of dimensions its projections are just as normal (central limit theorem).
  const noiseScale = Math.sqrt((3 * o.noise) / dims);

  const mix = new Float32Array(dims);
  for (let i = 0; i < n; i++) {
    mix.fill(0);
    for (let t = 0; t < o.themesPerVector; t++) {
      const theme = themes[Math.floor(random() * o.themes)]!;
      const weight = gauss();
      for (let d = 0; d < dims; d++) mix[d]! += weight * theme[d]!;
    }
    scaleToUnit(mix);
    const v = new Float32Array(dims);
    for (let d = 0; d < dims; d++) v[d] = (signal * mix[d]! + noiseScale * (2 * random() - 1)) * stretch[d]!;
    scaleToUnit(v);
    const g = gauss();
    const shared = Math.min(0.95, Math.max(0.02, o.commonNorm + g * (g < 0 ? o.commonSpreadLow : o.commonSpreadHigh)));
    const residual = Math.sqrt(1 - shared * shared);
    for (let d = 0; d < dims; d++) v[d] = shared * common[d]! + residual * v[d]!;
    yield scaleToUnit(v);
  }
}
