import { describe, expect, it } from 'vitest';
import { backoffDelay, pause, retry, retryDelay, type RetryPolicy, type Verdict } from './retry.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 10_000 };

class Failure extends Error {
  constructor(readonly verdict: Verdict) {
    super('failed');
  }
}
const classify = (error: unknown): Verdict => (error instanceof Failure ? error.verdict : { retryable: false });

/** A call failing with `failures` in turn, then returning 'done'. */
function scripted(failures: Verdict[]) {
  const tries: number[] = [];
  const run = async (attempt: number) => {
    tries.push(attempt);
    const next = failures[tries.length - 1];
    if (next !== undefined) throw new Failure(next);
    return 'done';
  };
  return { run, tries };
}

function recorder() {
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
  };
}

describe('backoffDelay', () => {
  it('doubles, keeps at least half the step, never passes the cap', () => {
    expect([1, 2, 3].map((a) => backoffDelay(a, policy, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((a) => backoffDelay(a, policy, () => 0.999999))).toEqual([100, 200, 400]);
    expect(backoffDelay(2000, policy, () => 0.999999)).toBe(1000);
  });

  it('a wait the server named is taken as is, beyond the cap', () => {
    expect(retryDelay(1, { retryable: true, retryAfterMs: 45_000 }, policy, () => 0.5)).toBe(45_000);
    expect(retryDelay(3, { retryable: true }, policy, () => 0.5)).toBe(300);
  });
});

describe('retry', () => {
  it('backs off with jitter between tries, then returns', async () => {
    const { run, tries } = scripted([{ retryable: true }, { retryable: true }]);
    const r = recorder();
    await expect(retry(run, { policy, classify, ...r })).resolves.toBe('done');
    expect(tries).toEqual([1, 2, 3]);
    expect(r.sleeps).toEqual([75, 150]);
  });

  it('waits exactly what the server asks', async () => {
    const { run } = scripted([{ retryable: true, retryAfterMs: 7000 }]);
    const r = recorder();
    await retry(run, { policy, classify, ...r });
    expect(r.sleeps).toEqual([7000]);
  });

  it('throws a permanent failure at once', async () => {
    const { run, tries } = scripted([{ retryable: false }]);
    const r = recorder();
    await expect(retry(run, { policy, classify, ...r })).rejects.toBeInstanceOf(Failure);
    expect(tries).toEqual([1]);
    expect(r.sleeps).toEqual([]);
  });

  it('stops after maxAttempts with the last failure', async () => {
    const { run, tries } = scripted(Array.from({ length: 10 }, () => ({ retryable: true })));
    await expect(retry(run, { policy: { ...policy, maxAttempts: 3 }, classify, ...recorder() })).rejects.toBeInstanceOf(Failure);
    expect(tries).toEqual([1, 2, 3]);
  });

  it('stops when the next wait would pass the total', async () => {
    const { run, tries } = scripted([
      { retryable: true, retryAfterMs: 4000 },
      { retryable: true, retryAfterMs: 4000 },
    ]);
    const r = recorder();
    await expect(retry(run, { policy: { ...policy, maxTotalWaitMs: 5000 }, classify, ...r })).rejects.toBeInstanceOf(Failure);
    expect(r.sleeps).toEqual([4000]);
    expect(tries).toEqual([1, 2]);
  });

  it('an abort ends the wait and throws the last failure', async () => {
    const { run, tries } = scripted(Array.from({ length: 10 }, () => ({ retryable: true, retryAfterMs: 60_000 })));
    const stop = new AbortController();
    const started = Date.now();
    setTimeout(() => stop.abort(), 20);
    await expect(retry(run, { policy: { ...policy, maxTotalWaitMs: Infinity }, classify, signal: stop.signal })).rejects.toBeInstanceOf(Failure);
    expect(tries).toEqual([1]);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('pause resolves at once on an aborted signal', async () => {
    const stop = new AbortController();
    stop.abort();
    const started = Date.now();
    await pause(60_000, stop.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
