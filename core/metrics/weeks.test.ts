import { describe, expect, it } from 'vitest';
import { inPeriod, isoWeekStart, previousPeriod, utcDateKey, weeksOf } from './weeks.js';

const d = (iso: string): Date => new Date(iso);

describe('ISO weeks', () => {
  it('starts a week on Monday 00:00 UTC', () => {
    // 2025-03-03 is a Monday; the Sunday after it is still in its week.
    expect(utcDateKey(isoWeekStart(d('2025-03-03T00:00:00Z')))).toBe('2025-03-03');
    expect(utcDateKey(isoWeekStart(d('2025-03-09T23:59:59Z')))).toBe('2025-03-03');
    expect(utcDateKey(isoWeekStart(d('2025-03-10T00:00:00Z')))).toBe('2025-03-10');
    // Wednesday 2025-01-01 belongs to the week that starts on Monday 2024-12-30.
    expect(utcDateKey(isoWeekStart(d('2025-01-01T12:00:00Z')))).toBe('2024-12-30');
    expect(isoWeekStart(d('2025-03-05T17:45:00Z')).toISOString()).toBe('2025-03-03T00:00:00.000Z');
  });

  it('lists every week of a period, clipped to it', () => {
    // Wednesday 03-05 to Wednesday 03-12: the week of 03-03 (from 03-05) and the week of 03-10 (to 03-12).
    const weeks = weeksOf({ from: d('2025-03-05T00:00:00Z'), to: d('2025-03-12T00:00:00Z') });
    expect(weeks.map((w) => utcDateKey(w.weekStart))).toEqual(['2025-03-03', '2025-03-10']);
    expect(weeks[0]?.range.from.toISOString()).toBe('2025-03-05T00:00:00.000Z');
    expect(weeks[0]?.range.to.toISOString()).toBe('2025-03-10T00:00:00.000Z');
    expect(weeks[1]?.range.to.toISOString()).toBe('2025-03-12T00:00:00.000Z');
    // A period ending exactly on a Monday does not include that Monday's week.
    expect(weeksOf({ from: d('2025-03-03T00:00:00Z'), to: d('2025-03-17T00:00:00Z') })).toHaveLength(2);
  });

  it('has no weeks in an empty or inverted period', () => {
    expect(weeksOf({ from: d('2025-03-03T00:00:00Z'), to: d('2025-03-03T00:00:00Z') })).toEqual([]);
    expect(weeksOf({ from: d('2025-03-10T00:00:00Z'), to: d('2025-03-03T00:00:00Z') })).toEqual([]);
  });

  it('treats periods as half-open and finds the previous one', () => {
    const p = { from: d('2025-03-10T00:00:00Z'), to: d('2025-03-17T00:00:00Z') };
    expect(inPeriod(p.from, p)).toBe(true);
    expect(inPeriod(p.to, p)).toBe(false);
    expect(inPeriod(new Date('nonsense'), p)).toBe(false);
    const prev = previousPeriod(p);
    expect([prev.from.toISOString(), prev.to.toISOString()]).toEqual(['2025-03-03T00:00:00.000Z', '2025-03-10T00:00:00.000Z']);
  });
});
