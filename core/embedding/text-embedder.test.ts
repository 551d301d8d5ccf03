import { describe, expect, it } from 'vitest';
import { contentHash } from '../text/hash.js';
import { MemoryEmbeddingCache } from './cache.js';
import type { Embedder } from './embedder.js';
import { FIRST_CHUNK_WEIGHT, isZeroVector, TextEmbedder } from './text-embedder.js';

const DIMS = 16;

/** Deterministic bag-of-words vectors: texts sharing words point the same way. */
function fakeVector(text: string): Float32Array {
  const v = new Float32Array(DIMS);
  for (const w of text.toLowerCase().split(/\s+/)) {
    if (!w) continue;
    let h = 7;
    for (const c of w) h = (h * 31 + c.codePointAt(0)!) >>> 0;
    v[h % DIMS]! += 1;
  }
  if (v.every((x) => x === 0)) v[0] = 1;
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

class FakeEmbedder implements Embedder {
  readonly dims = DIMS;
  readonly backend = 'fake';
  calls: string[][] = [];
  inFlight = 0;
  maxInFlight = 0;
  failures = 0;

  constructor(readonly modelId = 'fake-model') {}

  async embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls.push([...texts]);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    await new Promise((r) => setTimeout(r, 1));
    this.inFlight--;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('worker crashed');
    }
    return texts.map(fakeVector);
  }

  get embedded(): string[] {
    return this.calls.flat();
  }

  async close(): Promise<void> {}
}

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

describe('TextEmbedder', () => {
  it('returns one unit vector per text, in order, from the cleaned text', async () => {
    const fake = new FakeEmbedder();
    const te = new TextEmbedder(fake);
    const texts = ['<p>Hello <b>world</b></p>', 'Goodbye **cruel** world', 'nginx returns 502'];
    const vs = await te.embedMany(texts);
    expect(vs).toHaveLength(3);
    expect([...vs[0]!]).toEqual([...fakeVector('Hello world')]);
    expect([...vs[1]!]).toEqual([...fakeVector('Goodbye cruel world')]);
    expect([...vs[2]!]).toEqual([...fakeVector('nginx returns 502')]);
    for (const v of vs) expect(dot(v, v)).toBeCloseTo(1, 5);
  });

  it('embeds each distinct cleaned text once per call', async () => {
    const fake = new FakeEmbedder();
    const vs = await new TextEmbedder(fake).embedMany(['same words', '<p>same words</p>', 'same   words', 'other']);
    expect(fake.embedded.sort()).toEqual(['other', 'same words']);
    expect(vs[0]).toBe(vs[1]);
    expect(vs[0]).toBe(vs[2]);
    expect(vs[3]).not.toBe(vs[0]);
  });

  it('uses the cache: a second run embeds nothing, keyed by model id and content hash', async () => {
    const cache = new MemoryEmbeddingCache();
    const first = new FakeEmbedder();
    const te1 = new TextEmbedder(first, { cache });
    const v1 = await te1.embedMany(['alpha beta', 'gamma delta']);
    expect(first.embedded).toHaveLength(2);
    expect((await cache.get(te1.modelId, [contentHash('alpha beta')])).size).toBe(1);

    const second = new FakeEmbedder();
    const v2 = await new TextEmbedder(second, { cache }).embedMany(['<i>alpha</i> beta', 'gamma delta', 'new text']);
    expect(second.embedded).toEqual(['new text']);
    expect([...v2[0]!]).toEqual([...v1[0]!]);
    expect([...v2[1]!]).toEqual([...v1[1]!]);
  });

  it('re-embeds when the model or the chunking changes', async () => {
    const cache = new MemoryEmbeddingCache();
    await new TextEmbedder(new FakeEmbedder('model-a'), { cache }).embedMany(['alpha beta']);
    const b = new FakeEmbedder('model-b');
    const teB = new TextEmbedder(b, { cache });
    await teB.embedMany(['alpha beta']);
    expect(b.embedded).toEqual(['alpha beta']);
    const c = new FakeEmbedder('model-b');
    const teC = new TextEmbedder(c, { cache, chunk: { maxWords: 10 } });
    expect(teC.modelId).not.toBe(teB.modelId);
    await teC.embedMany(['alpha beta']);
    expect(c.embedded).toEqual(['alpha beta']);
    expect(cache.size).toBe(3);
  });

  it('gives the zero vector for texts without content and never sends them', async () => {
    const fake = new FakeEmbedder();
    const vs = await new TextEmbedder(fake).embedMany(['', '   \n\t', '<p><br></p>', '> <@bob:x.org> only a fallback']);
    expect(fake.calls).toHaveLength(0);
    for (const v of vs) {
      expect(v).toHaveLength(DIMS);
      expect(isZeroVector(v)).toBe(true);
    }
    expect(isZeroVector(fakeVector('x'))).toBe(false);
  });

  it('embeds emoji-only, code-only, non-English and huge texts sensibly', async () => {
    const fake = new FakeEmbedder();
    const te = new TextEmbedder(fake);
    const huge = 'The server crashes on upload. '.repeat(40_000);
    const t = performance.now();
    const vs = await te.embedMany(['👍🎉', '```js\nconst fetchUser = () => api.get(userId);\n```', 'Привет, как дела?', huge]);
    expect(performance.now() - t).toBeLessThan(5000);
    for (const v of vs) expect(dot(v, v)).toBeCloseTo(1, 5);
    expect(fake.embedded).toContain('👍🎉');
    expect(fake.embedded).toContain('[code js: fetchUser api.get userId]');
    // The 1 MB text is capped at 16 chunks; identical chunks are embedded once.
    expect(fake.embedded.length).toBeLessThan(3 + 16 + 1);
  });

  it('pools chunks as a word-weighted mean with the first chunk counted double', async () => {
    const fake = new FakeEmbedder();
    const te = new TextEmbedder(fake, { chunk: { maxWords: 6 } });
    const text = 'Apache config problem here. Virtual host file ignored. Thanks.';
    const { chunks } = te.prepare(text);
    expect(chunks).toEqual(['Apache config problem here.', 'Virtual host file ignored. Thanks.']);
    const [v] = await te.embedMany([text]);
    const expected = new Float32Array(DIMS);
    chunks.forEach((c, k) => {
      const w = c.split(' ').length * (k === 0 ? FIRST_CHUNK_WEIGHT : 1);
      fakeVector(c).forEach((x, d) => (expected[d]! += w * x));
    });
    const n = Math.hypot(...expected);
    for (let d = 0; d < DIMS; d++) expect(v![d]).toBeCloseTo(expected[d]! / n, 5);
  });

  it('batches chunks (at most batchSize) and keeps `concurrency` batches in flight', async () => {
    const fake = new FakeEmbedder();
    const te = new TextEmbedder(fake, { batchSize: 8, concurrency: 3 });
    const texts = Array.from({ length: 50 }, (_, i) => `question number ${i} about topic ${i % 7}`);
    const vs = await te.embedMany(texts);
    expect(fake.embedded).toHaveLength(50);
    expect(Math.max(...fake.calls.map((c) => c.length))).toBe(8);
    expect(fake.maxInFlight).toBe(3);
    vs.forEach((v, i) => expect([...v]).toEqual([...fakeVector(texts[i]!)]));
  });

  it('reports progress up to the total, caching each window before the next', async () => {
    const cache = new MemoryEmbeddingCache();
    const fake = new FakeEmbedder();
    const te = new TextEmbedder(fake, { cache, windowTexts: 10 });
    const seen: [number, number][] = [];
    const texts = ['', ...Array.from({ length: 25 }, (_, i) => `text ${i}`), 'text 0'];
    await te.embedMany(texts, { onProgress: (done, total) => seen.push([done, total]) });
    expect(seen.map(([d]) => d)).toEqual([1, 12, 22, 27]);
    expect(seen.every(([, t]) => t === 27)).toBe(true);
    expect(cache.size).toBe(25);
  });

  it('retries a failed batch once, then gives up', async () => {
    const flaky = new FakeEmbedder();
    flaky.failures = 1;
    const [v] = await new TextEmbedder(flaky).embedMany(['retry me']);
    expect([...v!]).toEqual([...fakeVector('retry me')]);

    const broken = new FakeEmbedder();
    broken.failures = 2;
    await expect(new TextEmbedder(broken).embedMany(['fail me'])).rejects.toThrow('worker crashed');
  });

  it('embed() is embedMany of one', async () => {
    const v = await new TextEmbedder(new FakeEmbedder()).embed('<p>one text</p>');
    expect([...v]).toEqual([...fakeVector('one text')]);
  });

  it('embedManyHashed: a known, cached hash is used without reading the text; an unknown or uncached one is worked out', async () => {
    const cache = new MemoryEmbeddingCache();
    const te = new TextEmbedder(new FakeEmbedder(), { cache });
    const first = await te.embedManyHashed(['alpha beta', '<b>gamma</b> delta', '   '], []);
    expect(first.hashes).toEqual([contentHash('alpha beta'), contentHash('gamma delta'), undefined]);
    expect(isZeroVector(first.vectors[2]!)).toBe(true);

    const fake = new FakeEmbedder();
    const again = new TextEmbedder(fake, { cache });
    let progress = 0;
    const second = await again.embedManyHashed(
      // The first text is not what its known hash was computed from: the known hash wins, which
      // shows the text was neither cleaned nor hashed (callers pass hashes read with the text).
      ['not the text of that hash', 'gamma delta', 'epsilon', 'zeta eta'],
      [first.hashes[0], undefined, 'no-such-hash', undefined],
      { onProgress: (done) => (progress = done) },
    );
    expect([...second.vectors[0]!]).toEqual([...first.vectors[0]!]);
    expect(second.hashes[0]).toBe(first.hashes[0]);
    expect([...second.vectors[1]!]).toEqual([...first.vectors[1]!]);
    // A hash the cache does not hold is ignored: the text is hashed and embedded as usual.
    expect(second.hashes[2]).toBe(contentHash('epsilon'));
    expect(fake.embedded.sort()).toEqual(['epsilon', 'zeta eta']);
    expect(progress).toBe(4);
    // Without a cache there is nothing to find a known hash in.
    const plain = await new TextEmbedder(new FakeEmbedder()).embedManyHashed(['alpha beta'], ['whatever']);
    expect(plain.hashes).toEqual([contentHash('alpha beta')]);
  });
});
