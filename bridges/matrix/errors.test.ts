import { MatrixError } from 'matrix-bot-sdk';
import { describe, expect, it } from 'vitest';
import { describeMatrixError, withRetry } from './errors.js';

const limited = (ms: number) => new MatrixError({ errcode: 'M_LIMIT_EXCEEDED', error: 'Too Many Requests', retry_after_ms: ms }, 429);

/** A call failing with `errors` in turn, then returning 'done'. */
function scripted(errors: unknown[]) {
  const calls = { n: 0 };
  const call = async () => {
    const next = errors[calls.n++];
    if (next !== undefined) throw next;
    return 'done';
  };
  return { call, calls };
}

describe('describeMatrixError', () => {
  it("a rate limit is retryable after the homeserver's retry_after_ms (1 s when it names none)", () => {
    expect(describeMatrixError(limited(2500))).toMatchObject({ retryable: true, retryAfterMs: 2500 });
    expect(describeMatrixError(new MatrixError({ errcode: 'M_LIMIT_EXCEEDED', error: 'slow down' }, 429))).toMatchObject({
      retryable: true,
      retryAfterMs: 1000,
    });
  });

  it('server and network failures are retryable, other client errors are not', () => {
    expect(describeMatrixError(new MatrixError({ errcode: 'M_UNKNOWN', error: 'oops' }, 502)).retryable).toBe(true);
    expect(describeMatrixError(Object.assign(new Error('reset'), { code: 'ECONNRESET' })).retryable).toBe(true);
    expect(describeMatrixError(new MatrixError({ errcode: 'M_FORBIDDEN', error: 'no' }, 403)).retryable).toBe(false);
  });
});

describe('withRetry', () => {
  it('waits what the homeserver named, then succeeds', async () => {
    const { call, calls } = scripted([limited(30)]);
    const waits: number[] = [];
    await expect(withRetry(call, { onRetry: (_e, _n, ms) => waits.push(ms) })).resolves.toBe('done');
    expect(calls.n).toBe(2);
    expect(waits).toEqual([30]);
  });

  it('backs off with jitter within [step/2, step] and gives up after its tries with the last error', async () => {
    const down = new MatrixError({ errcode: 'M_UNKNOWN', error: 'down' }, 503);
    const { call, calls } = scripted(Array.from({ length: 10 }, () => down));
    const waits: number[] = [];
    await expect(withRetry(call, { attempts: 3, baseMs: 4, onRetry: (_e, _n, ms) => waits.push(ms) })).rejects.toBe(down);
    expect(calls.n).toBe(3);
    expect(waits[0]).toBeGreaterThanOrEqual(2);
    expect(waits[0]).toBeLessThanOrEqual(4);
    expect(waits[1]).toBeGreaterThanOrEqual(4);
    expect(waits[1]).toBeLessThanOrEqual(8);
  });

  it('does not retry a permanent error', async () => {
    const forbidden = new MatrixError({ errcode: 'M_FORBIDDEN', error: 'no' }, 403);
    const { call, calls } = scripted([forbidden]);
    await expect(withRetry(call)).rejects.toBe(forbidden);
    expect(calls.n).toBe(1);
  });

  it('stops waiting when its signal aborts (shutdown)', async () => {
    const { call, calls } = scripted(Array.from({ length: 10 }, () => limited(60_000)));
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 20);
    const started = Date.now();
    await expect(withRetry(call, { attempts: Infinity, signal: stop.signal })).rejects.toBeInstanceOf(MatrixError);
    expect(calls.n).toBe(1);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
