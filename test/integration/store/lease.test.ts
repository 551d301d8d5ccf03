// The failover lease row (core/store/lease.ts) between two connections, as two instances would
// hold it: one holder at a time, a new epoch at each change of holder, renewal refused to an
// instance that lost it, and release letting the other in at once. Runs on SQLite, and on
// PostgreSQL with CO_AGENT_TEST_STORE=postgresql.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/index.js';
import { openTempStore, type TempStore } from './helpers.js';

describe('service lease', () => {
  let temp: TempStore;
  let a: Store;
  let b: Store;
  beforeEach(async () => {
    temp = await openTempStore();
    a = temp.store;
    b = await temp.reopen();
  });
  afterEach(async () => {
    await b.close();
    await temp.done();
  });

  const expired = async (store: Store): Promise<void> => {
    // Polled: the lease's expiry is by the database's clock.
    for (;;) {
      const state = await store.lease.current();
      if (state && state.remainingMs < 0) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  it('lets one holder in at a time, and the other only once it expired', async () => {
    expect(await a.lease.current()).toBeNull();
    expect(await a.lease.tryAcquire('A', 60_000)).toBe(1);
    expect(await b.lease.tryAcquire('B', 60_000)).toBeNull();
    // Taking it again while holding it keeps it (a restart of the same instance name), at a new epoch.
    expect(await a.lease.tryAcquire('A', 60_000)).toBe(2);
    expect(await a.lease.renew('A', 2, 60_000)).toBe(true);
    const held = await b.lease.current();
    expect(held).toMatchObject({ holder: 'A', epoch: 2 });
    expect(held!.remainingMs).toBeGreaterThan(50_000);

    // A stops renewing (dies, or is paused): once its lease expired, B takes it.
    expect(await a.lease.renew('A', 2, 300)).toBe(true);
    await expired(b);
    expect(await b.lease.tryAcquire('B', 60_000)).toBe(3);
    // A comes back: it may neither renew its old epoch nor take the lease back.
    expect(await a.lease.renew('A', 2, 60_000)).toBe(false);
    expect(await a.lease.tryAcquire('A', 60_000)).toBeNull();
    expect(await a.lease.current()).toMatchObject({ holder: 'B', epoch: 3 });
  });

  it('gives the lease back at once on release, and only to a release by its holder and epoch', async () => {
    expect(await a.lease.tryAcquire('A', 60_000)).toBe(1);
    await b.lease.release('B', 1); // not B's to give
    await a.lease.release('A', 7); // an old epoch of A's
    expect(await b.lease.tryAcquire('B', 60_000)).toBeNull();
    await a.lease.release('A', 1);
    expect(await b.lease.tryAcquire('B', 60_000)).toBe(2);
    expect(await a.lease.renew('A', 1, 60_000)).toBe(false);
  });

  it('lets exactly one of many simultaneous takers in', async () => {
    const stores = [a, b];
    const outcomes = await Promise.all(Array.from({ length: 8 }, (_, i) => stores[i % 2]!.lease.tryAcquire(`I${i}`, 60_000)));
    expect(outcomes.filter((e) => e !== null)).toEqual([1]);
  });
});
