import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../inbound.js';
import { MAX_CLOCK_SKEW_MS, notBefore, withBelievableTime } from './event-time.js';

const now = new Date('2026-11-02T10:00:00Z');
const message = (createdAt: Date) => ({ kind: 'message', createdAt }) as unknown as InboundMessage;

describe('event times from platform clocks', () => {
  it('keeps past times and small skews, and pulls times from the future back to now', () => {
    const past = new Date('2026-10-01T00:00:00Z');
    expect(withBelievableTime(message(past), now).createdAt).toBe(past);
    const slightlyAhead = new Date(now.getTime() + MAX_CLOCK_SKEW_MS - 1);
    expect(withBelievableTime(message(slightlyAhead), now).createdAt).toBe(slightlyAhead);
    expect(withBelievableTime(message(new Date(now.getTime() + 3_600_000)), now).createdAt).toEqual(now);
    expect(withBelievableTime(message(new Date(Number.NaN)), now).createdAt).toEqual(now);
  });

  it('never lets an answer precede its request', () => {
    const request = new Date('2026-11-02T09:00:00Z');
    expect(notBefore(new Date('2026-11-02T08:59:00Z'), request)).toEqual(request);
    expect(notBefore(now, request)).toEqual(now);
  });
});
