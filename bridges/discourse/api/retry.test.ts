import { describe, expect, it } from 'vitest';
import { errorFromResponse, errorFromTransport, type DiscourseApiError } from './errors.js';
import { backoffDelay, withRetry, type RetryPolicy } from './retry.js';

const policy: RetryPolicy = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, maxTotalWaitMs: 10_000 };
const http = (status: number, body: unknown = {}, headers: Record<string, string> = {}): DiscourseApiError =>
  errorFromResponse({ method: 'POST', path: '/posts.json', status, headers, body: JSON.stringify(body) });

/** A fake call failing with `errors` in turn, then returning 'sent'. */
function scripted(errors: unknown[]) {
  const calls = { n: 0 };
  const send = async () => {
    const next = errors[calls.n++];
    if (next !== undefined) throw next;
    return 'sent';
  };
  return { send, calls };
}

function deps() {
  const sleeps: number[] = [];
  return {
    sleeps,
    deps: {
      sleep: async (ms: number) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
    },
  };
}

describe('backoffDelay', () => {
  it('doubles, keeps at least half the step, never exceeds the cap', () => {
    expect([1, 2, 3].map((a) => backoffDelay(a, policy, () => 0))).toEqual([50, 100, 200]);
    expect([1, 2, 3].map((a) => backoffDelay(a, policy, () => 0.999999))).toEqual([100, 200, 400]);
    expect(backoffDelay(20, policy, () => 0.999999)).toBe(1000);
  });
});

describe('withRetry', () => {
  it('retries 5xx with backoff, then returns', async () => {
    const { send, calls } = scripted([http(503), http(500)]);
    const { sleeps, deps: d } = deps();
    await expect(withRetry(send, policy, d)).resolves.toBe('sent');
    expect(calls.n).toBe(3);
    expect(sleeps).toEqual([75, 150]);
  });

  it('waits exactly what a 429 asks', async () => {
    const { send } = scripted([http(429, {}, { 'retry-after': '7' })]);
    const { sleeps, deps: d } = deps();
    await withRetry(send, { ...policy, maxTotalWaitMs: 60_000 }, d);
    expect(sleeps).toEqual([7000]);
  });

  it('does not retry other 4xx', async () => {
    const { send, calls } = scripted([http(422, { errors: ['nope'] })]);
    const { sleeps, deps: d } = deps();
    await expect(withRetry(send, policy, d)).rejects.toMatchObject({ status: 422 });
    expect(calls.n).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const { send, calls } = scripted(Array.from({ length: 10 }, () => http(502)));
    const { deps: d } = deps();
    await expect(withRetry(send, { ...policy, maxAttempts: 3 }, d)).rejects.toMatchObject({ status: 502, retryable: true });
    expect(calls.n).toBe(3);
  });

  it('gives up when the next wait would exceed the total budget', async () => {
    const { send, calls } = scripted([http(429, {}, { 'retry-after': '4' }), http(429, {}, { 'retry-after': '4' })]);
    const { sleeps, deps: d } = deps();
    await expect(withRetry(send, { ...policy, maxTotalWaitMs: 5000 }, d)).rejects.toMatchObject({ status: 429, retryAfterMs: 4000 });
    expect(sleeps).toEqual([4000]);
    expect(calls.n).toBe(2);
  });

  it('looks for an earlier effect before re-sending after an ambiguous failure, not after a refused one', async () => {
    const lookups: number[] = [];
    const { send, calls } = scripted([
      errorFromTransport('POST', '/p', { code: 'ECONNREFUSED' }),
      http(429, {}, { 'retry-after': '0' }),
      errorFromTransport('POST', '/p', { code: 'ECONNABORTED' }),
    ]);
    const { deps: d } = deps();
    const result = await withRetry(send, policy, d, {
      findExisting: async () => {
        lookups.push(calls.n);
        return calls.n >= 3 ? 'found' : undefined;
      },
    });
    expect(result).toBe('found');
    expect(lookups).toEqual([3]); // only after the timeout, the third call
    expect(calls.n).toBe(3);
  });

  it('a failed lookup fails the attempt, and the next attempt looks again before sending', async () => {
    const { send, calls } = scripted([http(504)]);
    const { deps: d } = deps();
    let lookups = 0;
    const result = await withRetry(send, policy, d, {
      findExisting: async () => {
        lookups++;
        if (lookups === 1) throw http(503);
        return undefined;
      },
    });
    expect(result).toBe('sent');
    expect(lookups).toBe(2);
    expect(calls.n).toBe(2);
  });

  it('checkFirst looks before the first attempt', async () => {
    const { send, calls } = scripted([]);
    const { deps: d } = deps();
    await expect(withRetry(send, policy, d, { checkFirst: true, findExisting: async () => 'existing' })).resolves.toBe('existing');
    expect(calls.n).toBe(0);
  });

  it('with checkFirst (an earlier try may have sent it), a refusal after a missed lookup triggers one more lookup', async () => {
    const { send, calls } = scripted([http(422, { errors: ['Body is too similar to what you recently posted'] })]);
    const { sleeps, deps: d } = deps();
    let lookups = 0;
    const result = await withRetry(send, { ...policy, maxAttempts: 1 }, d, {
      checkFirst: true,
      findExisting: async () => (++lookups === 2 ? 'late' : undefined),
    });
    expect(result).toBe('late');
    expect(lookups).toBe(2);
    expect(calls.n).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('a single-try policy sends once, whatever the failure', async () => {
    for (const failure of [http(429, {}, { 'retry-after': '0' }), http(503), errorFromTransport('POST', '/p', { code: 'ECONNREFUSED' })]) {
      const { send, calls } = scripted([failure]);
      const { sleeps, deps: d } = deps();
      await expect(withRetry(send, { ...policy, maxAttempts: 1 }, d)).rejects.toBe(failure);
      expect(calls.n).toBe(1);
      expect(sleeps).toEqual([]);
    }
  });

  it('after an ambiguous failure, a refusal (duplicate guard) triggers one more lookup', async () => {
    const { send } = scripted([http(502), http(422, { errors: ['Body is too similar to what you recently posted'] })]);
    const { deps: d } = deps();
    let lookups = 0;
    const result = await withRetry(send, policy, d, { findExisting: async () => (++lookups === 2 ? 'late' : undefined) });
    expect(result).toBe('late');
    expect(lookups).toBe(2);
  });
});
