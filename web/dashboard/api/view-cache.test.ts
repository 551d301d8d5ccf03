import { describe, expect, it } from 'vitest';
import { ViewCache } from './view-cache.js';

describe('ViewCache', () => {
  it('computes once per key while the fingerprint stays, and again after it changes', () => {
    let fp = 'a';
    let computed = 0;
    const cache = new ViewCache({ fingerprint: () => fp, fingerprintTtlMs: 0 });
    const get = () => cache.get('k', () => ++computed);
    expect([get(), get()]).toEqual([1, 1]);
    fp = 'b';
    expect(get()).toBe(2);
  });

  it('reads the fingerprint at most every fingerprintTtlMs', () => {
    let now = 0;
    let reads = 0;
    let fp = 'a';
    const cache = new ViewCache({
      fingerprint: () => {
        reads += 1;
        return fp;
      },
      fingerprintTtlMs: 1000,
      now: () => now,
    });
    let computed = 0;
    const get = () => cache.get('k', () => ++computed);
    get();
    fp = 'b';
    now = 999;
    expect(get()).toBe(1); // the change is not seen yet
    expect(reads).toBe(1);
    now = 1000;
    expect(get()).toBe(2);
    expect(reads).toBe(2);
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new ViewCache({ fingerprint: () => 'a', fingerprintTtlMs: 0, maxEntries: 2 });
    let computed = 0;
    cache.get('x', () => ++computed);
    cache.get('y', () => ++computed);
    cache.get('x', () => ++computed);
    cache.get('z', () => ++computed); // drops y
    expect(cache.size).toBe(2);
    expect(cache.get('x', () => -1)).toBe(1);
    expect(cache.get('y', () => -1)).toBe(-1);
  });

  describe('revalidating', () => {
    const deferred = <T>() => {
      let resolve!: (v: T) => void;
      let reject!: (e: Error) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    };

    it('answers with the previous value after a change, computes the new one in the background once, and serves it next', async () => {
      let fp = 'a';
      let now = 0;
      const cache = new ViewCache({ fingerprint: () => fp, fingerprintTtlMs: 0, maxStaleMs: 60_000, now: () => now });
      let computed = 0;
      const pending: ReturnType<typeof deferred<string>>[] = [];
      const compute = () => {
        computed += 1;
        const d = deferred<string>();
        pending.push(d);
        return d.promise;
      };

      const first = cache.revalidating('k', compute);
      pending[0]!.resolve('v1');
      expect(await first).toBe('v1');
      fp = 'b';
      now = 1_000;
      expect(await cache.revalidating('k', compute)).toBe('v1'); // stale, at once
      expect(await cache.revalidating('k', compute)).toBe('v1'); // still stale: the refresh is not done
      expect(computed).toBe(2); // one refresh, not one per request
      pending[1]!.resolve('v2');
      await pending[1]!.promise;
      await Promise.resolve();
      expect(await cache.revalidating('k', compute)).toBe('v2');
      expect(computed).toBe(2);
    });

    it('waits for a fresh value when the previous one is older than maxStaleMs, or when maxStaleMs is 0', async () => {
      for (const maxStaleMs of [0, 5_000]) {
        let fp = 'a';
        let now = 0;
        const cache = new ViewCache({ fingerprint: () => fp, fingerprintTtlMs: 0, maxStaleMs, now: () => now });
        let computed = 0;
        const compute = async () => `v${++computed}`;
        expect(await cache.revalidating('k', compute)).toBe('v1');
        fp = 'b';
        now = 5_000;
        expect(await cache.revalidating('k', compute)).toBe('v2');
      }
    });

    it('forgets a failed computation, and keeps serving the stale value when a background one fails', async () => {
      let fp = 'a';
      const cache = new ViewCache({ fingerprint: () => fp, fingerprintTtlMs: 0, maxStaleMs: 60_000, now: () => 0 });
      await expect(cache.revalidating('k', () => Promise.reject(new Error('db gone')))).rejects.toThrow('db gone');
      expect(cache.size).toBe(0);
      expect(await cache.revalidating('k', async () => 'v1')).toBe('v1');
      fp = 'b';
      let failures = 0;
      const failing = () => {
        failures += 1;
        return Promise.reject(new Error('still gone'));
      };
      expect(await cache.revalidating('k', failing)).toBe('v1');
      await new Promise((r) => setTimeout(r, 0));
      expect(await cache.revalidating('k', failing)).toBe('v1');
      expect(failures).toBe(2); // the failed refresh is tried again at the next request
    });

    it('drops the values of get() at a change (they are never served stale)', () => {
      let fp = 'a';
      const cache = new ViewCache({ fingerprint: () => fp, fingerprintTtlMs: 0, maxStaleMs: 60_000 });
      cache.get('sync', () => 1);
      fp = 'b';
      expect(cache.get('sync', () => 2)).toBe(2);
    });
  });
});
