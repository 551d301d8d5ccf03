import { describe, expect, it } from 'vitest';
import { BadRequest } from './params.js';
import { resolvePeriod } from './period.js';

// A Wednesday: the current ISO week started on Monday 2025-03-10.
const NOW = new Date('2025-03-12T12:00:00Z');
const none = () => null;

describe('resolvePeriod', () => {
  it('covers N ISO weeks up to the end of today for a preset (12w by default)', () => {
    const p = resolvePeriod({}, NOW, none);
    expect(p.range).toEqual({ from: '2024-12-23', to: '2025-03-12' });
    expect(p.period.from.toISOString()).toBe('2024-12-23T00:00:00.000Z');
    expect(p.period.to.toISOString()).toBe('2025-03-13T00:00:00.000Z');
    expect(resolvePeriod({ period: '4w' }, NOW, none).range).toEqual({ from: '2025-02-17', to: '2025-03-12' });
    expect(resolvePeriod({ period: '52w' }, NOW, none).range.from).toBe('2024-03-18');
  });

  it('keeps the same period (and cache key) all day', () => {
    const morning = resolvePeriod({ period: '4w' }, new Date('2025-03-12T00:00:01Z'), none);
    const evening = resolvePeriod({ period: '4w' }, new Date('2025-03-12T23:59:59Z'), none);
    expect(morning.key).toBe(evening.key);
  });

  it('starts "all" with the week of the first activity, or this week without any', () => {
    expect(resolvePeriod({ period: 'all' }, NOW, () => new Date('2024-06-05T10:00:00Z')).range).toEqual({ from: '2024-06-03', to: '2025-03-12' });
    expect(resolvePeriod({ period: 'all' }, NOW, none).range.from).toBe('2025-03-10');
    // Only asked when needed.
    let asked = false;
    resolvePeriod({ period: '4w' }, NOW, () => {
      asked = true;
      return null;
    });
    expect(asked).toBe(false);
  });

  it('takes from/to as whole UTC days, both inclusive', () => {
    const p = resolvePeriod({ from: '2025-01-01', to: '2025-01-01' }, NOW, none);
    expect(p.period).toEqual({ from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-01-02T00:00:00Z') });
    expect(p.range).toEqual({ from: '2025-01-01', to: '2025-01-01' });
    // A leap day is a day.
    expect(resolvePeriod({ from: '2024-02-29', to: '2024-03-01' }, NOW, none).range.from).toBe('2024-02-29');
  });

  it('refuses what is not a period, saying why', () => {
    const bad = (q: Record<string, string>) => {
      try {
        resolvePeriod(q, NOW, none);
      } catch (error) {
        expect(error).toBeInstanceOf(BadRequest);
        return (error as Error).message;
      }
      throw new Error(`accepted ${JSON.stringify(q)}`);
    };
    expect(bad({ period: '5w' })).toBe('period must be one of 4w, 12w, 26w, 52w, all');
    expect(bad({ from: '2025-02-29', to: '2025-03-01' })).toBe('from must be a date written YYYY-MM-DD, got "2025-02-29"');
    expect(bad({ from: '2025-1-1', to: '2025-03-01' })).toMatch(/^from must be a date/);
    expect(bad({ from: '2025-03-01', to: 'tomorrow' })).toMatch(/^to must be a date/);
    expect(bad({ to: '2025-03-01' })).toBe('from and to go together (YYYY-MM-DD, both inclusive)');
    expect(bad({ from: '2025-03-02', to: '2025-03-01' })).toBe('from must not be after to');
    expect(bad({ period: '4w', from: '2025-03-01', to: '2025-03-02' })).toBe('give either period or from and to, not both');
    expect(bad({ from: '1990-01-01', to: '2025-01-01' })).toBe('a period spans at most 3660 days');
  });
});
