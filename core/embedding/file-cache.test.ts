import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentHash } from '../text/hash.js';
import { MemoryEmbeddingCache } from './cache.js';
import { FileEmbeddingCache } from './file-cache.js';

const MODEL = 'use-lite-512/test@1';

function vec(seed: number, dims = 8): Float32Array {
  return Float32Array.from({ length: dims }, (_, i) => Math.sin(seed * 31 + i));
}

function entries(n: number, dims = 8, from = 0): { hash: string; vector: Float32Array }[] {
  return Array.from({ length: n }, (_, i) => ({ hash: contentHash(`text ${from + i}`), vector: vec(from + i, dims) }));
}

describe('FileEmbeddingCache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'coagent-vec-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores vectors that a new instance reads back exactly', async () => {
    const cache = new FileEmbeddingCache(path.join(dir, 'nested'));
    await cache.put(MODEL, entries(5));
    const again = new FileEmbeddingCache(path.join(dir, 'nested'));
    const found = await again.get(MODEL, [...entries(5).map((e) => e.hash), contentHash('absent')]);
    expect(found.size).toBe(5);
    for (const e of entries(5)) expect([...found.get(e.hash)!]).toEqual([...e.vector]);
  });

  it('keeps models apart and appends only new hashes', async () => {
    const cache = new FileEmbeddingCache(dir);
    await cache.put(MODEL, entries(3));
    await cache.put('other-model', entries(2));
    const file = cache.fileFor(MODEL);
    expect(file).not.toBe(cache.fileFor('other-model'));
    const size = statSync(file).size;
    await cache.put(MODEL, entries(3));
    expect(statSync(file).size).toBe(size);
    await cache.put(MODEL, entries(4));
    // One record: 32-byte hash + 8 float32 + 4-byte CRC.
    expect(statSync(file).size).toBe(size + 32 + 8 * 4 + 4);
    expect(
      (
        await new FileEmbeddingCache(dir).get(
          'other-model',
          entries(3).map((e) => e.hash),
        )
      ).size,
    ).toBe(2);
  });

  it('survives a torn last write: drops it on load and cuts it before the next append', async () => {
    const cache = new FileEmbeddingCache(dir);
    await cache.put(MODEL, entries(3));
    const file = cache.fileFor(MODEL);
    appendFileSync(file, Buffer.alloc(17, 0xab));
    const after = new FileEmbeddingCache(dir);
    expect(after.stats(MODEL).vectors).toBe(3);
    await after.put(MODEL, entries(2, 8, 3));
    const reloaded = new FileEmbeddingCache(dir);
    expect(reloaded.stats(MODEL)).toMatchObject({ vectors: 5, corrupt: 0 });
    const found = await reloaded.get(
      MODEL,
      entries(5).map((e) => e.hash),
    );
    expect([...found.get(contentHash('text 4'))!]).toEqual([...vec(4)]);
  });

  it('skips a record whose checksum fails', async () => {
    const cache = new FileEmbeddingCache(dir);
    await cache.put(MODEL, entries(3));
    const file = cache.fileFor(MODEL);
    const bytes = readFileSync(file);
    bytes[bytes.length - 40]! ^= 0xff; // inside the last record's vector
    writeFileSync(file, bytes);
    const reloaded = new FileEmbeddingCache(dir);
    expect(reloaded.stats(MODEL)).toMatchObject({ vectors: 2, corrupt: 1 });
    expect((await reloaded.get(MODEL, [contentHash('text 2')])).size).toBe(0);
  });

  it('treats a file cut inside its header as empty', async () => {
    const cache = new FileEmbeddingCache(dir);
    writeFileSync(cache.fileFor(MODEL), Buffer.from('COAVEC'));
    await cache.put(MODEL, entries(1));
    expect(new FileEmbeddingCache(dir).stats(MODEL).vectors).toBe(1);
  });

  it('rejects keys that are not SHA-256 hex, vectors of the wrong size, and foreign files', async () => {
    const cache = new FileEmbeddingCache(dir);
    await expect(cache.put(MODEL, [{ hash: 'not-a-hash', vector: vec(1) }])).rejects.toThrow('SHA-256');
    await cache.put(MODEL, entries(1));
    await expect(cache.put(MODEL, [{ hash: contentHash('x'), vector: vec(1, 4) }])).rejects.toThrow('4 dims');
    writeFileSync(cache.fileFor('junk'), Buffer.from('this is not a cache file at all'));
    await expect(new FileEmbeddingCache(dir).get('junk', [])).rejects.toThrow('not an embedding cache file');
  });

  it('loads 20,000 vectors of 512 dims with one read (bounded time, not a speed target)', async () => {
    const cache = new FileEmbeddingCache(dir);
    const all = Array.from({ length: 20_000 }, (_, i) => ({ hash: contentHash(`doc ${i}`), vector: new Float32Array(512).fill(i / 20_000) }));
    for (let i = 0; i < all.length; i += 5000) await cache.put(MODEL, all.slice(i, i + 5000));
    const t = performance.now();
    const found = await new FileEmbeddingCache(dir).get(
      MODEL,
      all.map((e) => e.hash),
    );
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(found.size).toBe(20_000);
    expect(found.get(all[19_999]!.hash)![511]).toBeCloseTo(19_999 / 20_000, 6);
  });
});

describe('MemoryEmbeddingCache', () => {
  it('returns only stored hashes of the asked model', async () => {
    const cache = new MemoryEmbeddingCache();
    await cache.put('m', entries(2));
    expect((await cache.get('m', [contentHash('text 0'), contentHash('nope')])).size).toBe(1);
    expect((await cache.get('other', [contentHash('text 0')])).size).toBe(0);
  });

  it('evicts the oldest entries beyond its bound', async () => {
    const cache = new MemoryEmbeddingCache(3);
    await cache.put('m', entries(5));
    expect(cache.size).toBe(3);
    const found = await cache.get(
      'm',
      entries(5).map((e) => e.hash),
    );
    expect([...found.keys()]).toEqual(
      entries(5)
        .slice(2)
        .map((e) => e.hash),
    );
  });
});
