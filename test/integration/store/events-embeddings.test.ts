import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/index.js';
import { openTempStore, type TempStore } from './helpers.js';

describe('store: processed events, sync cursors, embeddings', () => {
  let store: Store;
  let reopen: TempStore['reopen'];
  let done: () => Promise<void>;
  beforeEach(async () => ({ store, reopen, done } = await openTempStore()));
  afterEach(async () => done());

  it('claims an event exactly once, even when two claims race', async () => {
    expect(await store.events.isProcessed('matrix', '$a')).toBe(false);
    const claims = await Promise.all([
      store.events.markProcessed('matrix', '$a'),
      store.events.markProcessed('matrix', '$a'),
      store.events.markProcessed('discourse', '$a'),
    ]);
    expect(claims).toEqual([true, false, true]);
    expect(await store.events.markProcessed('matrix', '$a')).toBe(false);
    expect(await store.events.isProcessed('matrix', '$a')).toBe(true);
  });

  it('remembers processed events and cursors across a restart', async () => {
    await store.events.markProcessed('discourse', 'hook-1');
    expect(await store.cursors.get('matrix', 'next_batch')).toBeNull();
    await store.cursors.set('matrix', 'next_batch', 's1');
    await store.cursors.set('matrix', 'next_batch', 's2');
    await store.cursors.set('discourse', 'next_batch', 'other');
    await store.close();

    const reopened = await reopen();
    try {
      expect(await reopened.events.markProcessed('discourse', 'hook-1')).toBe(false);
      expect(await reopened.cursors.get('matrix', 'next_batch')).toBe('s2');
      expect(await reopened.cursors.get('discourse', 'next_batch')).toBe('other');
    } finally {
      await reopened.close();
    }
  });

  it('round-trips vectors bit for bit', async () => {
    const special = new Float32Array([0, -0, 1.5, -3.25e-38, 3.4028234663852886e38, Number.MIN_VALUE, NaN, Infinity, -Infinity, 1 / 3]);
    // A view into a larger buffer at an odd offset must store only its own values.
    const backing = new Float32Array(20).fill(7);
    const view = backing.subarray(3, 8);
    view.set([0.1, 0.2, 0.3, 0.4, 0.5]);
    const random = Float32Array.from({ length: 512 }, () => Math.random() * 2 - 1);

    expect(
      await store.embeddings.put('use-lite', [
        ['h-special', special],
        ['h-view', view],
        ['h-random', random],
      ]),
    ).toBe(3);
    const got = await store.embeddings.get('use-lite', ['h-special', 'h-view', 'h-random', 'h-missing']);
    expect([...got.keys()].sort()).toEqual(['h-random', 'h-special', 'h-view']);
    const bits = (v: Float32Array | undefined) => (v ? [...new Uint32Array(v.buffer, v.byteOffset, v.length)] : undefined);
    expect(bits(got.get('h-special'))).toEqual(bits(special));
    expect(bits(got.get('h-view'))).toEqual(bits(Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5])));
    expect(bits(got.get('h-random'))).toEqual(bits(random));
    expect(Object.is(got.get('h-special')?.[1], -0)).toBe(true);
    // Keyed by model: another model has no vectors for these texts.
    expect((await store.embeddings.get('other-model', ['h-special'])).size).toBe(0);

    await store.embeddings.put('use-lite', new Map([['h-view', Float32Array.from([9, 8])]]));
    expect([...((await store.embeddings.get('use-lite', ['h-view'])).get('h-view') ?? [])]).toEqual([9, 8]);
    expect(await store.embeddings.count('use-lite')).toBe(3);
  });

  it('stores 100k vectors in one call and reads every one of them back', async () => {
    const dims = 512;
    const total = 100_000;
    const entries: [string, Float32Array][] = [];
    for (let i = 0; i < total; i++) {
      const v = new Float32Array(dims);
      v[0] = i;
      v[dims - 1] = -i;
      entries.push([`hash-${i}`, v]);
    }
    await store.embeddings.put('bulk', entries);
    const got = await store.embeddings.get(
      'bulk',
      entries.map(([hash]) => hash),
    );
    expect(got.size).toBe(total);
    expect(got.get('hash-99999')?.[0]).toBe(99_999);
    expect(got.get('hash-12345')?.[dims - 1]).toBe(-12_345);
    // How fast is the benchmarks' business (bench:startup reads them at start), not this test's.
  });
});
