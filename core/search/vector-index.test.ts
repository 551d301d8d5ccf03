import { describe, expect, it } from 'vitest';
import { codeWords, encodeSigns, hammingDistances, hammingDistancesOf, popcount32 } from './bit-codes.js';
import type { Hit } from './hit.js';
import { mulberry32 } from '../random.js';
import { syntheticEmbeddings } from './synthetic-vectors.js';
import { VectorIndex } from './vector-index.js';

function randomUnitVectors(n: number, dims: number, seed: number): Float32Array[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const v = new Float32Array(dims);
    let s = 0;
    for (let d = 0; d < dims; d++) {
      v[d] = random() * 2 - 1;
      s += v[d]! * v[d]!;
    }
    for (let d = 0; d < dims; d++) v[d] = v[d]! / Math.sqrt(s);
    return v;
  });
}

/**
 * Unit vectors in groups of `groupSize` that share their first `sharedDims` components and
 * differ in the rest: their codes tie on the first stage, so only correct second-stage codes
 * can tell a vector apart from the other members of its group.
 */
function groupedVectors(n: number, dims: number, sharedDims: number, groupSize: number, seed: number): Float32Array[] {
  const random = mulberry32(seed);
  const out: Float32Array[] = [];
  let shared = new Float32Array(sharedDims);
  for (let i = 0; i < n; i++) {
    if (i % groupSize === 0) shared = Float32Array.from(shared, () => random() * 2 - 1);
    const v = new Float32Array(dims);
    v.set(shared);
    for (let d = sharedDims; d < dims; d++) v[d] = random() * 2 - 1;
    let s = 0;
    for (let d = 0; d < dims; d++) s += v[d]! * v[d]!;
    for (let d = 0; d < dims; d++) v[d] = v[d]! / Math.sqrt(s);
    out.push(v);
  }
  return out;
}

/** The reference: score everything with a plain loop, sort, cut. */
function naiveTopK(entries: ReadonlyMap<number, Float32Array>, query: Float32Array, k: number): Hit[] {
  const hits: Hit[] = [];
  for (const [id, v] of entries) {
    let s = 0;
    for (let d = 0; d < v.length; d++) s += v[d]! * query[d]!;
    hits.push({ id, score: s });
  }
  hits.sort((a, b) => b.score - a.score || a.id - b.id);
  return hits.slice(0, Math.max(0, k));
}

function naivePopcount(x: number): number {
  let c = 0;
  for (let b = 0; b < 32; b++) c += (x >>> b) & 1;
  return c;
}

function recallAt(truth: readonly Hit[], got: readonly Hit[]): number {
  const ids = new Set(got.map((h) => h.id));
  return truth.filter((h) => ids.has(h.id)).length;
}

describe('bit codes', () => {
  it('counts bits like a bit-by-bit loop', () => {
    const random = mulberry32(7);
    const samples = [0, 1, 0x80000000, 0xffffffff, 0x55555555, 0xaaaaaaaa];
    for (let i = 0; i < 1000; i++) samples.push((random() * 2 ** 32) >>> 0);
    for (const x of samples) expect(popcount32(x)).toBe(naivePopcount(x));
  });

  it('packs sign bits low bit first and leaves unused bits clear', () => {
    const dims = 40;
    const v = new Float32Array(dims);
    const centre = new Float32Array(dims).fill(0.5);
    for (const d of [0, 5, 31, 32, 39]) v[d] = 1; // above the centre
    v[6] = 0.5; // equal to the centre counts as set
    const out = new Uint32Array(codeWords(dims));
    encodeSigns(v, 0, dims, centre, out, 0);
    expect(out[0]).toBe(((1 << 0) | (1 << 5) | (1 << 6) | (1 << 31)) >>> 0);
    expect(out[1]).toBe((1 << 0) | (1 << 7));
  });

  it.each([1, 3, 8, 9, 16, 17, 40])('measures Hamming distances over %i words like a naive count', (words) => {
    const random = mulberry32(words);
    const count = 200;
    const codes = new Uint32Array(count * words);
    for (let i = 0; i < codes.length; i++) codes[i] = (random() * 2 ** 32) >>> 0;
    // Include the extremes: identical and complementary codes.
    const query = codes.slice(0, words);
    for (let w = 0; w < words; w++) codes[words + w] = ~query[w]! >>> 0;
    const out = new Uint16Array(count);
    const histogram = new Uint32Array(words * 32 + 1);
    hammingDistances(codes, words, count, query, out, histogram);
    const expected: number[] = [];
    for (let i = 0; i < count; i++) {
      let d = 0;
      for (let w = 0; w < words; w++) d += naivePopcount((codes[i * words + w]! ^ query[w]!) >>> 0);
      expected.push(d);
    }
    expect(Array.from(out)).toEqual(expected);
    expect(out[0]).toBe(0);
    expect(out[1]).toBe(words * 32);
    const counts = new Uint32Array(words * 32 + 1);
    for (const d of expected) counts[d]!++;
    expect(Array.from(histogram)).toEqual(Array.from(counts));

    const slots = Int32Array.from([5, 1, 0, 199]);
    const some = new Uint16Array(slots.length);
    hammingDistancesOf(codes, words, slots, slots.length, query, some);
    expect(Array.from(some)).toEqual(Array.from(slots, (s) => expected[s]!));
  });
});

describe('VectorIndex exact search', () => {
  const dims = 48;
  const vectors = randomUnitVectors(1500, dims, 1);
  const queries = randomUnitVectors(25, dims, 2);

  it('matches a naive scan: same ids, same order, same scores', () => {
    const index = new VectorIndex(dims);
    const entries = new Map<number, Float32Array>();
    vectors.forEach((v, i) => {
      index.add(i * 3 + 1, v); // ids unrelated to slots
      entries.set(i * 3 + 1, v);
    });
    for (const q of queries) {
      for (const k of [1, 10, 57]) {
        const got = index.search(q, k, { exact: true });
        const want = naiveTopK(entries, q, k);
        expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
        got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 5));
      }
    }
    expect(index.lastSearch.path).toBe('exact');
  });

  it('is the path small indexes take by default', () => {
    const index = new VectorIndex(dims);
    vectors.forEach((v, i) => index.add(i, v));
    const fast = index.search(queries[0]!, 10);
    expect(index.lastSearch).toEqual({ path: 'exact', shortlisted: vectors.length, scored: vectors.length });
    expect(fast).toEqual(index.search(queries[0]!, 10, { exact: true }));
  });

  it('breaks score ties by smaller id, whatever the insertion order', () => {
    const index = new VectorIndex(4);
    const v = Float32Array.from([1, 0, 0, 0]);
    for (const id of [42, 7, 19, 3, 100]) index.add(id, v);
    index.add(5, Float32Array.from([0, 1, 0, 0]));
    const hits = index.search(v, 4);
    expect(hits.map((h) => h.id)).toEqual([3, 7, 19, 42]);
    expect(hits.every((h) => h.score === 1)).toBe(true);
  });
});

describe('VectorIndex fast path', () => {
  // The fast path's purpose: embedding-like data (shared offset, themes, noise), 20k vectors.
  const n = 20_000;
  const data = syntheticEmbeddings(n + 50, { seed: 11 });
  const queries = data.slice(n);
  const index = new VectorIndex(512);
  for (let i = 0; i < n; i++) index.add(i, data[i]!);

  it('keeps recall@10 >= 0.98 against exact search, with exact scores', () => {
    let found = 0;
    let scored = 0;
    for (const q of queries) {
      const got = index.search(q, 10);
      expect(index.lastSearch.path).toBe('coded');
      scored += index.lastSearch.scored;
      const truth = index.search(q, 10, { exact: true });
      found += recallAt(truth, got);
      // What both found carries the same, exact score.
      const exactScore = new Map(truth.map((h) => [h.id, h.score]));
      for (const h of got) if (exactScore.has(h.id)) expect(h.score).toBe(exactScore.get(h.id));
      expect(got).toHaveLength(10);
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.98);
    // It reranked a few hundred candidates, not the whole index.
    expect(scored / queries.length).toBeLessThan(n / 10);
  });

  it('ranks before cutting: a filter admitting 10 ids returns exactly those 10, best first', () => {
    const allowed = new Set([3, 999, 4_000, 7_777, 12_345, 15_000, 16_001, 18_000, 19_998, 19_999]);
    const q = queries[0]!;
    const got = index.search(q, 10, { filter: (id) => allowed.has(id) });
    expect(index.lastSearch.path).toBe('coded');
    expect(new Set(got.map((h) => h.id))).toEqual(allowed);
    expect(got).toEqual(index.search(q, 10, { filter: (id) => allowed.has(id), exact: true }));
  });

  it('applies a broad filter and minScore', () => {
    const q = queries[1]!;
    const even = (id: number) => id % 2 === 0;
    const got = index.search(q, 10, { filter: even });
    expect(got.every((h) => even(h.id))).toBe(true);
    expect(recallAt(index.search(q, 10, { filter: even, exact: true }), got)).toBeGreaterThanOrEqual(9);

    const truth = index.search(q, 10, { exact: true });
    const threshold = truth[4]!.score;
    const above = index.search(q, 10, { minScore: threshold });
    expect(above.every((h) => h.score >= threshold)).toBe(true);
    expect(above.length).toBeLessThanOrEqual(5);
    expect(above.length).toBeGreaterThan(0);
    expect(index.search(q, 10, { filter: () => false })).toEqual([]);
  });

  it('returns the same hits for the same sequence of calls', () => {
    const again = new VectorIndex(512);
    for (let i = 0; i < n; i++) again.add(i, data[i]!);
    for (const q of queries.slice(0, 10)) expect(again.search(q, 10)).toEqual(index.search(q, 10));
  });
});

describe('VectorIndex centring', () => {
  it('re-centres when the content turns over, keeping recall', () => {
    // The index first sees one collection, then all of it is replaced by another whose shared
    // component points elsewhere and is larger (0.9). Codes centred on the first collection
    // measured recall 0.74 here; re-centred, 0.92.
    const dims = 128;
    const first = syntheticEmbeddings(6_000, { dims, seed: 1 });
    const second = syntheticEmbeddings(12_040, { dims, seed: 2, commonNorm: 0.9, commonSpreadLow: 0.05, commonSpreadHigh: 0.03 });
    const index = new VectorIndex(dims);
    first.forEach((v, i) => index.add(i, v));
    index.search(first[0]!, 10); // codes centred on the first collection
    for (let i = 0; i < first.length; i++) index.remove(i);
    for (let i = 0; i < 12_000; i++) index.add(10_000 + i, second[i]!);
    let found = 0;
    for (const q of second.slice(12_000)) {
      const got = index.search(q, 10);
      expect(index.lastSearch.path).toBe('coded');
      found += recallAt(index.search(q, 10, { exact: true }), got);
    }
    expect(found / 400).toBeGreaterThanOrEqual(0.85);
  });
});

describe('VectorIndex add, replace, remove', () => {
  it('stores copies, replaces by id and removes', () => {
    const index = new VectorIndex(3);
    const a = Float32Array.from([1, 0, 0]);
    index.add(1, a);
    a[0] = 0; // the caller's array is not the stored one
    expect(index.get(1)).toEqual(Float32Array.from([1, 0, 0]));
    index.get(1)![1] = 5; // nor is the returned one
    expect(index.get(1)).toEqual(Float32Array.from([1, 0, 0]));

    index.add(2, Float32Array.from([0, 1, 0]));
    index.add(1, Float32Array.from([0, 0, 1])); // replace
    expect(index.size).toBe(2);
    expect(index.search(Float32Array.from([0, 0, 1]), 1)).toEqual([{ id: 1, score: 1 }]);

    expect(index.remove(1)).toBe(true);
    expect(index.remove(1)).toBe(false);
    expect(index.has(1)).toBe(false);
    expect(index.get(1)).toBeUndefined();
    expect(index.size).toBe(1);
    expect(index.search(Float32Array.from([0, 0, 1]), 5).map((h) => h.id)).toEqual([2]);
    expect(index.remove(2)).toBe(true);
    expect(index.search(Float32Array.from([0, 0, 1]), 5)).toEqual([]);
  });

  it('keeps every vector, code and id in step through growth, swaps, replaces and shrinking', () => {
    // 520 dims: two-stage codes, 8 words then an odd 9. Tiny candidate counts make a stale or
    // misplaced code visible: a stored vector must still find itself first among the 40 that
    // share its first 256 components, and the first stage must still shortlist few vectors.
    // Each phase changes fewer vectors than were indexed at the last centring, so codes are
    // maintained incrementally (no full recomputation hides a mistake) until the test says so.
    const dims = 520;
    const vectors = groupedVectors(4500, dims, 256, 40, 5);
    const index = new VectorIndex(dims, { exactBelow: 0, overfetch: 1, minCandidates: 3, initialCapacity: 16 });
    const live = new Map<number, Float32Array>();
    const random = mulberry32(9);
    let next = 0; // each vector is stored once, so stored vectors are all distinct
    const add = (id: number) => {
      const v = vectors[next++]!;
      index.add(id, v);
      live.set(id, v);
    };
    const problems: string[] = []; // collected, then asserted once: expect() per item is slow
    const selfCheck = (phase: string) => {
      if (index.size !== live.size) problems.push(`${phase}: size ${index.size}, expected ${live.size}`);
      for (const [id, v] of live) {
        const stored = index.get(id);
        if (!stored || stored.some((x, d) => x !== v[d])) problems.push(`${phase}: get(${id}) returned another vector`);
        const [best] = index.search(v, 1);
        if (index.lastSearch.path !== 'coded') problems.push(`${phase}: search did not use the codes`);
        const { shortlisted, scored } = index.lastSearch;
        if (shortlisted > 200 || scored > 20) problems.push(`${phase}: ${id} shortlisted ${shortlisted}, scored ${scored}`);
        if (best?.id !== id || Math.abs(best.score - 1) > 1e-5) problems.push(`${phase}: ${id} did not find itself first`);
      }
    };

    for (let id = 0; id < 2400; id++) add(id); // grows from 16 slots
    index.search(vectors[0]!, 1); // centres and encodes 2,400 vectors
    for (let step = 0; step < 1500; step++) {
      const id = Math.floor(random() * 3000);
      if (random() < 0.5)
        add(id); // new id or replacement
      else if (index.remove(id) !== live.delete(id)) problems.push(`remove(${id}) disagreed`);
    }
    selfCheck('after churn');

    const lateIds: number[] = [];
    while (next < 4300) {
      lateIds.push(3000 + next);
      add(3000 + next); // enough changes to re-centre at the next search
    }
    index.search(vectors[0]!, 1);
    selfCheck('after re-centring');

    // Keep 800 vectors that came in whole groups, so ties would still show in the counts.
    const keep = new Set(lateIds.slice(0, 800));
    const before = index.byteLength;
    for (const id of [...live.keys()]) {
      if (keep.has(id)) continue;
      index.remove(id);
      live.delete(id);
    }
    expect(index.byteLength).toBeLessThan(before); // a quarter full gives memory back
    selfCheck('after shrinking');
    expect(problems).toEqual([]);
  });
});

describe('VectorIndex marked subset', () => {
  it('searches only marked vectors, on both paths, through growth, swaps and replacements', () => {
    const data = syntheticEmbeddings(7_000, { dims: 32, seed: 4 });
    const index = new VectorIndex(32, { initialCapacity: 16 });
    const marked = new Set<number>();
    data.forEach((v, i) => {
      index.add(i, v, i % 4 === 0);
      if (i % 4 === 0) marked.add(i);
    });
    for (let i = 0; i < 7_000; i += 9) {
      index.remove(i);
      marked.delete(i);
    }
    for (let i = 1; i < 7_000; i += 50) {
      index.add(i, data[i]!, true); // replaced, now marked
      marked.add(i);
    }
    const isMarked = (id: number): boolean => marked.has(id);
    for (const q of data.slice(0, 20)) {
      expect(index.search(q, 10, { marked: true, exact: true })).toEqual(index.search(q, 10, { filter: isMarked, exact: true }));
      const coded = index.search(q, 10, { marked: true });
      expect(index.lastSearch.path).toBe('coded');
      expect(coded.every((h) => marked.has(h.id))).toBe(true);
      expect(coded).toHaveLength(10);
    }
  });
});

describe('VectorIndex.reserve', () => {
  it('makes room once for a known number of vectors, and search is unchanged', () => {
    const data = randomUnitVectors(3_000, 16, 9);
    const grown = new VectorIndex(16);
    const reserved = new VectorIndex(16);
    reserved.reserve(3_000);
    const before = reserved.byteLength;
    data.forEach((v, i) => {
      grown.add(i, v);
      reserved.add(i, v);
    });
    expect(reserved.byteLength).toBe(before);
    expect(reserved.byteLength).toBeLessThan(grown.byteLength);
    expect(reserved.search(data[7]!, 10)).toEqual(grown.search(data[7]!, 10));
    reserved.reserve(10);
    expect(reserved.byteLength).toBe(before);
  });

  it('grows by half when asked for one more at a time, as the engine does for each new document', () => {
    const data = randomUnitVectors(3_200, 16, 10);
    const index = new VectorIndex(16);
    index.reserve(3_000);
    data.slice(0, 3_000).forEach((v, i) => index.add(i, v));
    const full = index.byteLength;
    const sizes = new Set<number>();
    for (let i = 3_000; i < 3_200; i++) {
      index.reserve(i + 1);
      index.add(i, data[i]!);
      sizes.add(index.byteLength);
    }
    // One reallocation for 200 single additions (exact sizing made one per addition).
    expect(sizes.size).toBe(1);
    expect([...sizes][0]).toBeGreaterThan(full * 1.4);
    expect(index.search(data[3_100]!, 1)[0]?.id).toBe(3_100);
  });
});

describe('VectorIndex input checks', () => {
  const index = new VectorIndex(4);
  index.add(1, Float32Array.from([1, 0, 0, 0]));
  index.add(2, Float32Array.from([0, 1, 0, 0]));
  const q = Float32Array.from([1, 0, 0, 0]);

  it('rejects wrong dimensions, NaN, infinities and bad ids clearly', () => {
    expect(() => index.add(3, new Float32Array(5))).toThrow('vector has 5 dimensions, the index holds 4');
    expect(() => index.search(new Float32Array(3), 1)).toThrow('query has 3 dimensions, the index holds 4');
    expect(() => index.add(3, Float32Array.from([0, NaN, 0, 0]))).toThrow('non-finite value (NaN) at dimension 1');
    expect(() => index.search(Float32Array.from([0, 0, Infinity, 0]), 1)).toThrow('non-finite value (Infinity)');
    expect(() => index.add(1.5, q)).toThrow('id must be a safe integer');
    expect(() => index.search(q, NaN)).toThrow('k must be a number');
    expect(() => new VectorIndex(0)).toThrow('dims must be an integer');
    expect(() => new VectorIndex(8, { overfetch: -1 })).toThrow('option overfetch');
    expect(index.size).toBe(2); // failed adds changed nothing
  });

  it('answers k <= 0 and an empty index with no hits, and caps k at the size', () => {
    expect(index.search(q, 0)).toEqual([]);
    expect(index.search(q, -3)).toEqual([]);
    expect(index.search(q, 0.5)).toEqual([]);
    expect(new VectorIndex(4).search(q, 10)).toEqual([]);
    expect(index.search(q, 2.9).map((h) => h.id)).toEqual([1, 2]);
    expect(index.search(q, Infinity).map((h) => h.id)).toEqual([1, 2]);
  });
});

describe('VectorIndex int8 storage', () => {
  // The same 20k embedding-like vectors as the fast-path tests, stored as int8, measured against
  // exact search over the original float vectors (not against the index's own exact path).
  const n = 20_000;
  const data = syntheticEmbeddings(n + 50, { seed: 11 });
  const queries = data.slice(n);
  const floats = new Map(data.slice(0, n).map((v, i) => [i, v] as [number, Float32Array]));
  const index = new VectorIndex(512, { precision: 'int8' });
  for (let i = 0; i < n; i++) index.add(i, data[i]!);
  const floatDot = (id: number, q: Float32Array): number => {
    const v = floats.get(id)!;
    let s = 0;
    for (let d = 0; d < v.length; d++) s += v[d]! * q[d]!;
    return s;
  };
  /** The bound quantise() documents for these vectors. */
  const MAX_SCORE_ERROR = 0.002;

  it('keeps recall@10 >= 0.98 against exact float search, with scores within 0.002 of the float ones', () => {
    let found = 0;
    let worst = 0;
    let total = 0;
    let count = 0;
    for (const q of queries) {
      const got = index.search(q, 10);
      expect(index.lastSearch.path).toBe('coded');
      expect(got).toHaveLength(10);
      found += recallAt(naiveTopK(floats, q, 10), got);
      for (const h of got) {
        const error = Math.abs(h.score - floatDot(h.id, q));
        worst = Math.max(worst, error);
        total += error;
        count++;
      }
    }
    expect(found / (queries.length * 10)).toBeGreaterThanOrEqual(0.98);
    expect(worst).toBeLessThan(MAX_SCORE_ERROR);
    // Typically far smaller than the bound: rounding errors of 512 components mostly cancel.
    expect(total / count).toBeLessThan(MAX_SCORE_ERROR / 4);
  });

  it('scores every vector within the bound on the exact path, and ranks like float search', () => {
    const q = queries[0]!;
    const got = index.search(q, 50, { exact: true });
    for (const h of got) expect(Math.abs(h.score - floatDot(h.id, q))).toBeLessThan(MAX_SCORE_ERROR);
    expect(recallAt(naiveTopK(floats, q, 50), got)).toBeGreaterThanOrEqual(48);
  });

  it('takes a quarter of the float store and returns dequantised copies from get and view', () => {
    const float = new VectorIndex(512, { initialCapacity: 1_000 });
    const int8 = new VectorIndex(512, { initialCapacity: 1_000, precision: 'int8', int8CentreSample: 10 });
    expect(int8.precision).toBe('int8');
    for (let i = 0; i < 20; i++) {
      float.add(i, data[i]!);
      int8.add(i, data[i]!);
    }
    // Past the centre sample: 512 bytes + a 4-byte scale a vector, against 2,048 bytes (the
    // centre itself is 512 floats more, and an incoming vector is quantised into 512 bytes of
    // scratch before it is looked up among the stored ones).
    expect(float.byteLength - int8.byteLength).toBe(1_000 * (2_048 - 516) - 2_048 - 512);
    const v = data[7]!;
    const largest = Math.max(...Array.from(v, Math.abs));
    for (const copy of [index.get(7)!, index.view(7)!]) {
      expect(copy).not.toBe(v);
      for (let d = 0; d < 512; d++) expect(Math.abs(copy[d]! - v[d]!)).toBeLessThanOrEqual(largest / 254 + 1e-7);
    }
    // Views are copies: two held at once stay distinct.
    expect(index.view(7)).not.toEqual(index.view(8));
  });

  it('addInto sums exactly what adding view() would, on int8 and float stores, without a copy', () => {
    const float = new VectorIndex(512);
    for (let i = 0; i < 5; i++) float.add(i, data[i]!);
    for (const store of [index, float]) {
      const viaView = new Float32Array(512);
      const viaAddInto = new Float32Array(512);
      for (const id of [3, 1, 3, 4]) {
        const v = store.view(id)!;
        for (let d = 0; d < 512; d++) viaView[d]! += v[d]!;
        expect(store.addInto(id, viaAddInto)).toBe(true);
      }
      expect(viaAddInto).toEqual(viaView);
      expect(store.addInto(99_999, viaAddInto)).toBe(false);
      expect(viaAddInto).toEqual(viaView);
    }
  });

  it('keeps vectors and their scales in step through removal, replacement and growth', () => {
    const small = new VectorIndex(64, { precision: 'int8', int8CentreSample: 8, initialCapacity: 4, exactBelow: 0, minCandidates: 5 });
    const vectors = randomUnitVectors(40, 64, 9);
    // Scaled copies: a vector of a different magnitude gets a different scale, so a scale left
    // behind by a swap would show in the scores.
    vectors.forEach((v, i) =>
      small.add(
        i,
        v.map((x) => x * (1 + (i % 3))),
      ),
    );
    for (let i = 0; i < 40; i += 3) small.remove(i);
    small.add(1, vectors[1]!);
    for (let id = 0; id < 40; id++) {
      if (id % 3 === 0) {
        expect(small.has(id)).toBe(false);
        continue;
      }
      const expected = id === 1 ? vectors[1]! : vectors[id]!.map((x) => x * (1 + (id % 3)));
      const stored = small.get(id)!;
      for (let d = 0; d < 64; d++) expect(stored[d]!).toBeCloseTo(expected[d]!, 2);
    }
    const q = vectors[5]!;
    const got = small.search(q, 5, { exact: true });
    expect(got[0]!.id).toBe(5);
    expect(got[0]!.score).toBeCloseTo(3, 2); // vector 5 was added at 1 + 5 % 3 = 3 times its unit length
  });

  it('rejects an unknown precision', () => {
    expect(() => new VectorIndex(8, { precision: 'int4' as 'int8' })).toThrow("precision must be 'float32' or 'int8'");
  });
});

describe('VectorIndex folding of identical vectors', () => {
  const dims = 24;
  const distinct = randomUnitVectors(60, dims, 21);
  const queries = randomUnitVectors(15, dims, 22);

  /** The brute-force reference over ids (the behaviour of one slot per id), with marks and a filter. */
  function reference(
    entries: ReadonlyMap<number, { v: Float32Array; marked: boolean }>,
    query: Float32Array,
    k: number,
    options: { filter?: (id: number) => boolean; marked?: boolean } = {},
  ): Hit[] {
    const kept = new Map<number, Float32Array>();
    for (const [id, e] of entries) if ((!options.marked || e.marked) && (!options.filter || options.filter(id))) kept.set(id, e.v);
    return naiveTopK(kept, query, k);
  }

  function expectSameHits(got: Hit[], want: Hit[]): void {
    expect(got.map((h) => h.id)).toEqual(want.map((h) => h.id));
    got.forEach((h, i) => expect(h.score).toBeCloseTo(want[i]!.score, 5));
  }

  it('stores a repeated vector once and returns every id that was added with it, ties by smaller id', () => {
    const index = new VectorIndex(dims);
    const unfoldedBytes = new VectorIndex(dims);
    for (const id of [40, 3, 17, 8]) index.add(id, distinct[0]!.slice()); // separate arrays, same values
    index.add(5, distinct[1]!);
    for (let i = 0; i < 5; i++) unfoldedBytes.add(i, distinct[i]!);
    expect(index.size).toBe(5);
    expect(index.distinctSize).toBe(2);
    expect(index.byteLength).toBe(unfoldedBytes.byteLength + 4 * 9); // the same arrays, and room for four other ids (an id and a mark each)
    const hits = index.search(distinct[0]!, 3);
    expect(hits.map((h) => h.id)).toEqual([3, 8, 17]);
    expect(new Set(hits.map((h) => h.score)).size).toBe(1);
    expect(index.lastSearch.scored).toBe(2); // one dot product per distinct vector
    expect(index.get(40)).toEqual(distinct[0]);
    expect(index.has(17)).toBe(true);
  });

  it('tells vectors apart by every bit: a sign of zero or one last bit makes another vector', () => {
    const index = new VectorIndex(4);
    index.add(1, Float32Array.from([0, 1, 0, 0]));
    index.add(2, Float32Array.from([-0, 1, 0, 0]));
    const nudged = Float32Array.from([0, 1, 0, 0]);
    nudged[3] = 1e-45; // the smallest subnormal
    index.add(3, nudged);
    index.add(4, Float32Array.from([0, 1, 0, 0]));
    expect(index.distinctSize).toBe(3);
    expect(Object.is(index.get(2)![0], -0)).toBe(true);
    expect(index.get(3)![3]).toBeGreaterThan(0);
  });

  it('filters per id: a folded vector is ranked when any of its ids passes, and only passing ids come back', () => {
    for (const exactBelow of [1e9, 0]) {
      const index = new VectorIndex(dims, { exactBelow, minCandidates: 4, overfetch: 1 });
      const entries = new Map<number, { v: Float32Array; marked: boolean }>();
      for (let copy = 0; copy < 5; copy++) {
        distinct.forEach((v, j) => {
          const id = copy * 1000 + j;
          index.add(id, v);
          entries.set(id, { v, marked: false });
        });
      }
      expect(index.distinctSize).toBe(distinct.length);
      // Only the third copy passes, so each vector's first id (copy 0) never does.
      const third = (id: number): boolean => Math.floor(id / 1000) === 2;
      for (const q of queries) {
        expectSameHits(index.search(q, 7, { filter: third, exact: true }), reference(entries, q, 7, { filter: third }));
        const fast = index.search(q, 7, { filter: third });
        expect(index.lastSearch.path).toBe(exactBelow === 0 ? 'coded' : 'exact');
        expect(fast).toHaveLength(7);
        expect(fast.every((h) => third(h.id))).toBe(true);
      }
    }
  });

  it('keeps marks per id: a vector qualifies when any of its ids is marked, and only marked ids come back', () => {
    for (const exactBelow of [1e9, 0]) {
      const index = new VectorIndex(dims, { exactBelow, minCandidates: 200 });
      const entries = new Map<number, { v: Float32Array; marked: boolean }>();
      const add = (id: number, v: Float32Array, marked: boolean) => {
        index.add(id, v, marked);
        entries.set(id, { v, marked });
      };
      distinct.forEach((v, j) => {
        add(j, v, false); // the first id of each vector is unmarked
        add(100 + j, v, j % 3 === 0); // a later id is marked for a third of them
        add(200 + j, v, false);
      });
      for (const q of queries) {
        const got = index.search(q, 12, { marked: true });
        expectSameHits(got, reference(entries, q, 12, { marked: true }));
        expect(got.every((h) => h.id >= 100 && h.id < 200)).toBe(true);
      }
      // Unmark by replacing with the same vector: those vectors no longer qualify.
      for (let j = 0; j < distinct.length; j += 6) add(100 + j, distinct[j]!, false);
      // Mark a first id and remove the other marked one of its vector: the mark follows the id.
      add(3, distinct[3]!, true);
      index.remove(103);
      entries.delete(103);
      for (const q of queries) expectSameHits(index.search(q, 12, { marked: true }), reference(entries, q, 12, { marked: true }));
      expect(index.search(distinct[3]!, 1, { marked: true })).toEqual([{ id: 3, score: expect.closeTo(1, 5) as number }]);
    }
  });

  it('removes and replaces folded ids one at a time, freeing the vector with its last id', () => {
    const index = new VectorIndex(dims, { initialCapacity: 4 });
    const [a, b, c] = distinct as [Float32Array, Float32Array, Float32Array];
    for (const id of [1, 2, 3]) index.add(id, a);
    index.add(4, b);
    index.add(5, c);
    expect(index.remove(1)).toBe(true); // the first id: another takes its place
    expect(index.search(a, 5).map((h) => h.id)).toEqual([2, 3, expect.any(Number), expect.any(Number)].slice(0, 4));
    expect(index.has(1)).toBe(false);
    expect(index.size).toBe(4);
    index.add(3, b); // replaced: now shares b's vector
    expect(index.distinctSize).toBe(3);
    expect(index.search(b, 2).map((h) => h.id)).toEqual([3, 4]);
    expect(index.remove(2)).toBe(true); // a's last id: its slot is freed, c moves into it
    expect(index.distinctSize).toBe(2);
    expect(index.get(5)).toEqual(c);
    expect(index.get(3)).toEqual(b);
    index.add(6, c); // still found by its new slot
    expect(index.distinctSize).toBe(2);
    expect(index.search(c, 2).map((h) => h.id)).toEqual([5, 6]);
    for (const id of [3, 4, 5, 6]) expect(index.remove(id)).toBe(true);
    expect(index.size).toBe(0);
    expect(index.distinctSize).toBe(0);
    index.add(7, a);
    expect(index.search(a, 3)).toEqual([{ id: 7, score: expect.closeTo(1, 5) as number }]);
  });

  it('folds int8 vectors by what is stored: the quantised bytes and scale', () => {
    const data = syntheticEmbeddings(40, { dims: 64, seed: 23 });
    const index = new VectorIndex(64, { precision: 'int8', int8CentreSample: 16 });
    data.forEach((v, i) => index.add(i, v)); // 16 staged as floats, then quantised
    expect(index.distinctSize).toBe(40);
    data.forEach((v, i) => index.add(100 + i, v)); // every copy finds its original, staged or not
    expect(index.distinctSize).toBe(40);
    expect(index.size).toBe(80);
    // A vector differing from data[30] far below the quantisation step stores the same bytes.
    const v = data[30]!;
    const largest = v.reduce((m, x, d) => (Math.abs(x) > Math.abs(v[m]!) ? d : m), 0);
    const near = v.slice();
    const other = largest === 0 ? 1 : 0;
    near[other] = near[other]! + 1e-7;
    index.add(200, near);
    expect(index.distinctSize).toBe(40);
    expect(index.get(200)).toEqual(index.get(30));
    const hits = index.search(v, 3);
    expect(hits.map((h) => h.id)).toEqual([30, 130, 200]);
    expect(new Set(hits.map((h) => h.score)).size).toBe(1);
    index.remove(30);
    index.remove(130);
    expect(index.search(v, 1).map((h) => h.id)).toEqual([200]);
    expect(index.distinctSize).toBe(40);
  });

  it('keeps the duplicate table consistent through thousands of adds, replaces and removes', () => {
    // A few distinct vectors and many ids: slots are filled, folded, freed and moved over and
    // over; get, has, size, distinctSize and exact search are checked against a plain model.
    for (const precision of ['float32', 'int8'] as const) {
      const pool = syntheticEmbeddings(90, { dims: 16, seed: 24 });
      const index = new VectorIndex(16, { precision, initialCapacity: 2, int8CentreSample: 20 });
      const live = new Map<number, { v: Float32Array; marked: boolean }>();
      const random = mulberry32(25);
      const problems: string[] = [];
      for (let step = 0; step < 6_000; step++) {
        const id = Math.floor(random() * 400);
        if (random() < 0.55) {
          const v = pool[Math.floor(random() * (step < 3_000 ? pool.length : 12))]!; // later: fewer distinct
          const marked = random() < 0.3;
          index.add(id, v, marked);
          live.set(id, { v, marked });
        } else if (index.remove(id) !== live.delete(id)) problems.push(`remove(${id}) disagreed`);
        if (step % 500 === 499 || step === 5_999) {
          const distinctLive = new Set([...live.values()].map((e) => e.v));
          if (index.size !== live.size) problems.push(`${step}: size ${index.size}, expected ${live.size}`);
          // (int8 too: the pool's vectors quantise to distinct bytes, so one slot per vector.)
          if (index.distinctSize !== distinctLive.size) problems.push(`${step}: ${index.distinctSize} distinct, expected ${distinctLive.size}`);
          for (const [id, e] of live) {
            const stored = index.get(id);
            if (!stored || stored.some((x, d) => Math.abs(x - e.v[d]!) > 0.02)) problems.push(`${step}: get(${id}) returned another vector`);
          }
          const q = pool[step % pool.length]!;
          const got = index.search(q, 25, { exact: true, marked: true });
          const want = reference(live, q, 25, { marked: true });
          if (precision === 'float32' && got.map((h) => h.id).join() !== want.map((h) => h.id).join()) problems.push(`${step}: search differs`);
          if (got.length !== want.length) problems.push(`${step}: ${got.length} hits, expected ${want.length}`);
        }
      }
      expect(problems).toEqual([]);
    }
  });

  it('matches a brute-force reference on heavily repeated data, and the coded path finds what the shortlist of copies missed', () => {
    // 400 distinct vectors, each added under 15 ids: 6,000 ids. With 40 slots reranked per
    // search, an unfolded index's shortlist held the copies of about three vectors (recall@10
    // measured 0.68 with copies told apart by a last bit, unfiltered; 1.00 folded).
    const dims = 128;
    const data = syntheticEmbeddings(400 + 20, { dims, seed: 26 });
    const held = data.slice(400);
    const index = new VectorIndex(dims, { exactBelow: 0, minCandidates: 40, overfetch: 1 });
    const entries = new Map<number, { v: Float32Array; marked: boolean }>();
    const random = mulberry32(27);
    const order = Array.from({ length: 6_000 }, (_, i) => i).sort(() => random() - 0.5);
    for (const i of order) {
      const v = data[i % 400]!;
      const id = i * 7 + 3;
      const marked = random() < 0.2;
      index.add(id, v, marked);
      entries.set(id, { v, marked });
    }
    expect(index.size).toBe(6_000);
    expect(index.distinctSize).toBe(400);
    // Copy c of vector j has id (j + 400c) * 7 + 3: a third of each vector's ids fail this.
    const most = (id: number): boolean => id % 3 !== 0;
    let found = 0;
    let wanted = 0;
    for (const q of held) {
      for (const options of [{}, { filter: most }, { marked: true }, { marked: true, filter: most }]) {
        const want = reference(entries, q, 10, options);
        expectSameHits(index.search(q, 10, { ...options, exact: true }), want);
        const got = index.search(q, 10, options);
        expect(index.lastSearch.path).toBe('coded');
        expect(index.lastSearch.scored).toBeLessThan(200); // slots, not ids
        const kth = want[want.length - 1]!.score;
        for (const h of got) {
          const e = entries.get(h.id)!;
          expect(options.filter?.(h.id) ?? true).toBe(true);
          if ('marked' in options) expect(e.marked).toBe(true);
          let exact = 0;
          for (let d = 0; d < dims; d++) exact += e.v[d]! * q[d]!;
          expect(h.score).toBeCloseTo(exact, 5);
          if (exact >= kth - 1e-6) found++;
        }
        wanted += want.length;
      }
    }
    expect(found / wanted).toBeGreaterThanOrEqual(0.9); // measured 0.949 over the four variants
  });
});
