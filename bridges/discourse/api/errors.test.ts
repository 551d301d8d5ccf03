import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DiscourseApiError, describeDiscourseError, errorFromResponse, errorFromTransport, malformedResponse, parseRetryAfter, settle } from './errors.js';

const failure = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  errorFromResponse({ method: 'POST', path: '/posts.json', status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('parseRetryAfter', () => {
  it('reads seconds (fractions too) and HTTP dates, ignores garbage', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.05')).toBe(50);
    expect(parseRetryAfter('0')).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2099 00:00:10 GMT', Date.parse('Thu, 01 Jan 2099 00:00:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});

describe('errorFromResponse', () => {
  it('429: retryable, not ambiguous, waits the Retry-After header', () => {
    const e = failure(429, { errors: ['Slow down'], error_type: 'rate_limit', extras: { wait_seconds: 9 } }, { 'retry-after': '2' });
    expect(e).toMatchObject({ status: 429, retryable: true, ambiguous: false, retryAfterMs: 2000, errorType: 'rate_limit', errors: ['Slow down'] });
  });

  it('429 without the header: waits extras.wait_seconds', () => {
    expect(failure(429, { errors: ['x'], error_type: 'rate_limit', extras: { wait_seconds: 0.25 } }).retryAfterMs).toBe(250);
    expect(failure(429, 'Too Many Requests').retryAfterMs).toBeUndefined();
  });

  it('5xx (even with an HTML body): retryable and ambiguous', () => {
    const e = failure(502, '<html>Bad Gateway</html>');
    expect(e).toMatchObject({ kind: 'http', status: 502, retryable: true, ambiguous: true, errors: [] });
    expect(e.message).toContain('HTTP 502');
  });

  it('other 4xx: not retryable, carries errors[] and error_type into the message', () => {
    const e = failure(422, { errors: ['Title is too short', 'Body is too similar'], error_type: 'invalid_parameters' });
    expect(e).toMatchObject({ retryable: false, ambiguous: false, errorType: 'invalid_parameters' });
    expect(e.errors).toEqual(['Title is too short', 'Body is too similar']);
    expect(e.message).toBe('Discourse POST /posts.json failed with HTTP 422 (invalid_parameters): Title is too short; Body is too similar');
    expect(failure(403, { errors: ['invalid api key'], error_type: 'invalid_access' }).retryable).toBe(false);
  });

  it('redirects are refused with where they pointed', () => {
    const e = failure(301, '', { location: 'https://forum.example.org/posts.json' });
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('https://forum.example.org/posts.json');
  });
});

describe('errorFromTransport', () => {
  it('classifies timeouts and network failures', () => {
    expect(errorFromTransport('GET', '/x', { code: 'ECONNABORTED' })).toMatchObject({ kind: 'timeout', retryable: true, ambiguous: true });
    expect(errorFromTransport('GET', '/x', { code: 'ETIMEDOUT' })).toMatchObject({ kind: 'timeout', retryable: true });
    expect(errorFromTransport('GET', '/x', { code: 'ECONNRESET' })).toMatchObject({ kind: 'network', retryable: true, ambiguous: true });
    // Refused: the request never left, so nothing can have been created.
    expect(errorFromTransport('GET', '/x', { code: 'ECONNREFUSED' })).toMatchObject({ kind: 'network', retryable: true, ambiguous: false });
    expect(errorFromTransport('GET', '/x', new TypeError('Invalid URL'))).toMatchObject({ retryable: false });
  });

  it('keeps no reference to the original error (its config would hold the key)', () => {
    const original = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', config: { headers: { 'Api-Key': 'secret-key-123' } } });
    const e = errorFromTransport('POST', '/posts.json', original);
    expect(e.cause).toBeUndefined();
    expect(inspect(e, { depth: 10 })).not.toContain('secret-key-123');
  });
});

describe('DiscourseApiError.redacted', () => {
  it('blanks secrets out of the message and reasons', () => {
    const e = failure(403, { errors: ['key secret-key-123 is revoked'], error_type: 'invalid_access' }).redacted(['secret-key-123']);
    expect(e.message).not.toContain('secret-key-123');
    expect(e.errors.join()).not.toContain('secret-key-123');
    expect(e.message).toContain('[redacted]');
    expect(e).toBeInstanceOf(DiscourseApiError);
  });
});

describe('describeDiscourseError', () => {
  it('maps to a DeliveryError, with retryAfterMs only when Discourse asked', () => {
    expect(describeDiscourseError(failure(429, { errors: ['x'], extras: { wait_seconds: 3 } }))).toEqual({
      message: expect.stringContaining('HTTP 429') as unknown as string,
      retryable: true,
      retryAfterMs: 3000,
    });
    const gone = describeDiscourseError(failure(404, { errors: ['not found'], error_type: 'not_found' }));
    expect(gone).toEqual({ message: expect.stringContaining('not found') as unknown as string, retryable: false });
    expect('retryAfterMs' in gone).toBe(false);
    expect(describeDiscourseError(malformedResponse('GET', '/site.json', 200, 'html'))).toMatchObject({ retryable: true });
    expect(describeDiscourseError(new Error('boom'))).toEqual({ message: 'boom', retryable: true });
  });

  it('settle turns a rejection into err(DeliveryError) and a value into ok', async () => {
    expect(await settle(Promise.resolve(1))).toEqual({ ok: true, value: 1 });
    const r = await settle(Promise.reject(failure(422, { errors: ['bad'] })));
    expect(r).toMatchObject({ ok: false, error: { retryable: false } });
  });
});
