import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

const MIN = 60_000;

describe('Backoff', () => {
  it('locks a key at its free-th failure for baseMs, and doubles the lock with each further failure up to maxMs', () => {
    let now = 0;
    const b = new Backoff({ free: 3, baseMs: MIN, maxMs: 8 * MIN, now: () => now });
    expect(b.failed('k')).toBe(0);
    expect(b.failed('k')).toBe(0);
    expect(b.waitMs('k')).toBe(0);
    const locks: number[] = [b.failed('k')];
    for (let i = 0; i < 5; i++) {
      now += b.waitMs('k');
      expect(b.waitMs('k')).toBe(0);
      locks.push(b.failed('k'));
    }
    expect(locks).toEqual([MIN, 2 * MIN, 4 * MIN, 8 * MIN, 8 * MIN, 8 * MIN]);
    expect(b.waitMs('other')).toBe(0);
  });

  it('forgets one failure per maxMs without one, and the whole key once none remain', () => {
    let now = 0;
    const b = new Backoff({ free: 2, baseMs: MIN, maxMs: 10 * MIN, now: () => now });
    b.failed('k');
    b.failed('k');
    b.failed('k');
    expect(b.failures('k')).toBe(3);
    now += 10 * MIN;
    expect(b.failures('k')).toBe(2);
    now += 25 * MIN;
    expect(b.failures('k')).toBe(0);
    // A fresh start: the next failure is free again.
    expect(b.failed('k')).toBe(0);
  });

  it('forgets a key on request', () => {
    const b = new Backoff({ free: 1, baseMs: MIN, maxMs: MIN, now: () => 0 });
    expect(b.failed('k')).toBe(MIN);
    b.forget('k');
    expect(b.waitMs('k')).toBe(0);
    expect(b.failures('k')).toBe(0);
  });

  it('keeps at most maxKeys keys, forgetting the quietest first', () => {
    let now = 0;
    const b = new Backoff({ free: 5, baseMs: MIN, maxMs: 60 * MIN, now: () => now, maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) {
      b.failed(key);
      now += 1;
    }
    b.failed('a'); // a is now the most recent
    b.failed('d');
    expect(['a', 'b', 'c', 'd'].map((k) => b.failures(k))).toEqual([2, 0, 1, 1]);
  });
});
