import { describe, expect, it } from 'vitest';
import { budgetWindowStart, inQuietHours, localMinutes, memberStanding, standings } from './eligibility.js';
import type { Member } from '../store/index.js';
import { memberId } from '../types.js';

const at = (iso: string): Date => new Date(iso);

function member(id: number, extra: Partial<Member> = {}): Member {
  return {
    id: memberId(id),
    displayName: `m${id}`,
    optedOut: false,
    pausedUntil: null,
    weeklyBudget: null,
    quietHours: null,
    timeZone: null,
    createdAt: at('2025-01-01T00:00:00Z'),
    updatedAt: at('2025-01-01T00:00:00Z'),
    identities: [],
    recognitionDigest: false,
    leftAt: null,
    interests: null,
    ...extra,
  };
}

describe('inQuietHours', () => {
  it('checks a plain range, start inclusive and end exclusive', () => {
    expect(inQuietHours('09:00-17:00', 'UTC', at('2025-03-03T09:00:00Z'))).toBe(true);
    expect(inQuietHours('09:00-17:00', 'UTC', at('2025-03-03T16:59:00Z'))).toBe(true);
    expect(inQuietHours('09:00-17:00', 'UTC', at('2025-03-03T17:00:00Z'))).toBe(false);
    expect(inQuietHours('09:00-17:00', 'UTC', at('2025-03-03T08:59:00Z'))).toBe(false);
    expect(inQuietHours(' 9:30 - 10:00 ', null, at('2025-03-03T09:45:00Z'))).toBe(true);
  });

  it('checks a range that wraps midnight', () => {
    expect(inQuietHours('22:00-07:00', 'UTC', at('2025-03-03T23:30:00Z'))).toBe(true);
    expect(inQuietHours('22:00-07:00', 'UTC', at('2025-03-03T00:00:00Z'))).toBe(true);
    expect(inQuietHours('22:00-07:00', 'UTC', at('2025-03-03T06:59:00Z'))).toBe(true);
    expect(inQuietHours('22:00-07:00', 'UTC', at('2025-03-03T07:00:00Z'))).toBe(false);
    expect(inQuietHours('22:00-07:00', 'UTC', at('2025-03-03T12:00:00Z'))).toBe(false);
    expect(inQuietHours('22:00-07:00', 'UTC', at('2025-03-03T21:59:00Z'))).toBe(false);
  });

  it("reads the range in the member's time zone, daylight saving included", () => {
    // 21:30 UTC is 22:30 in Berlin in winter (UTC+1).
    expect(inQuietHours('22:00-07:00', 'Europe/Berlin', at('2025-01-15T21:30:00Z'))).toBe(true);
    expect(inQuietHours('22:00-07:00', 'UTC', at('2025-01-15T21:30:00Z'))).toBe(false);
    // 20:30 UTC is 22:30 in Berlin in summer (UTC+2), and still 21:30 in winter.
    expect(inQuietHours('22:00-07:00', 'Europe/Berlin', at('2025-07-15T20:30:00Z'))).toBe(true);
    expect(inQuietHours('22:00-07:00', 'Europe/Berlin', at('2025-01-15T20:30:00Z'))).toBe(false);
    // 05:30 UTC is 06:30 in Berlin (quiet), 01:30 in New York in summer (quiet), 11:00 in Kolkata (not).
    expect(inQuietHours('22:00-07:00', 'America/New_York', at('2025-07-15T05:30:00Z'))).toBe(true);
    expect(inQuietHours('22:00-07:00', 'Asia/Kolkata', at('2025-07-15T05:30:00Z'))).toBe(false);
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(localMinutes(at('2025-03-03T13:45:00Z'), 'Mars/Olympus_Mons')).toBe(13 * 60 + 45);
    expect(localMinutes(at('2025-03-03T13:45:00Z'), 'Asia/Kolkata')).toBe(19 * 60 + 15);
    expect(inQuietHours('13:00-14:00', 'Mars/Olympus_Mons', at('2025-03-03T13:45:00Z'))).toBe(true);
  });

  it('treats missing or malformed ranges as no quiet hours', () => {
    const midnight = at('2025-03-03T00:30:00Z');
    for (const bad of [null, '', 'nights', '22-07', '22:00', '22:00 to 07:00', '22h00-07h00', '22:0-07:00']) {
      expect(inQuietHours(bad, 'UTC', midnight), String(bad)).toBe(false);
    }
  });
});

describe('memberStanding', () => {
  const now = at('2025-03-03T12:00:00Z');

  it('puts a member who left first, then opted-out, paused, over-budget and quiet hours', () => {
    const everything = { optedOut: true, pausedUntil: at('2025-03-10T00:00:00Z'), quietHours: '00:00-23:59' };
    expect(memberStanding(member(1, { ...everything, leftAt: at('2025-03-01T00:00:00Z') }), 9, 3, now)).toEqual({ ineligible: 'left' });
    expect(memberStanding(member(1, everything), 9, 3, now)).toEqual({ ineligible: 'opted-out' });
    expect(memberStanding(member(1, { ...everything, optedOut: false }), 9, 3, now)).toEqual({ ineligible: 'paused' });
    expect(memberStanding(member(1, { ...everything, optedOut: false, pausedUntil: null }), 9, 3, now)).toEqual({ ineligible: 'over-budget' });
    expect(memberStanding(member(1, { quietHours: '00:00-23:59' }), 0, 3, now)).toEqual({ ineligible: 'quiet-hours' });
    expect(memberStanding(member(1), 0, 3, now)).toEqual({});
  });

  it('lets a pause that has ended lapse', () => {
    expect(memberStanding(member(1, { pausedUntil: at('2025-03-03T11:59:00Z') }), 0, 3, now)).toEqual({});
    expect(memberStanding(member(1, { pausedUntil: at('2025-03-03T12:01:00Z') }), 0, 3, now)).toEqual({ ineligible: 'paused' });
  });

  it("uses the member's own weekly budget before the default", () => {
    expect(memberStanding(member(1), 2, 3, now)).toEqual({});
    expect(memberStanding(member(1), 3, 3, now)).toEqual({ ineligible: 'over-budget' });
    expect(memberStanding(member(1, { weeklyBudget: 5 }), 3, 3, now)).toEqual({});
    expect(memberStanding(member(1, { weeklyBudget: 5 }), 5, 3, now)).toEqual({ ineligible: 'over-budget' });
    expect(memberStanding(member(1, { weeklyBudget: 0 }), 0, 3, now)).toEqual({ ineligible: 'over-budget' });
  });

  it('respects quiet hours in the member zone only', () => {
    const berlinNights = { quietHours: '22:00-07:00', timeZone: 'Europe/Berlin' };
    expect(memberStanding(member(1, berlinNights), 0, 3, at('2025-01-15T21:30:00Z'))).toEqual({ ineligible: 'quiet-hours' });
    expect(memberStanding(member(1, berlinNights), 0, 3, at('2025-01-15T20:30:00Z'))).toEqual({});
  });
});

describe('standings', () => {
  it('gives every member a standing, counting missing members as zero invitations', () => {
    const now = at('2025-03-03T12:00:00Z');
    const members = [member(1), member(2, { optedOut: true }), member(3), member(4, { weeklyBudget: 1 })];
    const counts = new Map([
      [memberId(3), 3],
      [memberId(1), 1],
    ]);
    const result = standings(members, counts, 3, now, { helpful: new Map([[memberId(4), 2]]), ignored: new Map([[memberId(1), 1]]) });
    expect([...result.entries()]).toEqual([
      [memberId(1), { helpful: 0, ignored: 1, recent: 1 }],
      [memberId(2), { ineligible: 'opted-out', helpful: 0, ignored: 0, recent: 0 }],
      [memberId(3), { ineligible: 'over-budget', helpful: 0, ignored: 0, recent: 3 }],
      [memberId(4), { helpful: 2, ignored: 0, recent: 0 }],
    ]);
  });

  it('counts invitations of the last seven days', () => {
    expect(budgetWindowStart(at('2025-03-10T12:00:00Z')).toISOString()).toBe('2025-03-03T12:00:00.000Z');
  });
});
