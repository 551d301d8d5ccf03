// Who may be invited right now: members who left the community, opted-out and paused members never, members who used up their
// weekly budget not until it refills, members in their quiet hours not until those end.
import type { MemberStanding } from '../engine/routing.js';
import type { Member } from '../store/index.js';
import type { MemberId } from '../types.js';

const WEEK_MS = 7 * 86_400_000;

/** Start of the budget window: invitations in the last seven days count. */
export const budgetWindowStart = (now: Date): Date => new Date(now.getTime() - WEEK_MS);

/** Minutes since local midnight in a time zone (UTC when the zone is unknown). */
export function localMinutes(now: Date, timeZone: string | null): number {
  try {
    const parts = new Intl.DateTimeFormat('en-GB', { timeZone: timeZone ?? 'UTC', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
    const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
    return get('hour') * 60 + get('minute');
  } catch {
    return now.getUTCHours() * 60 + now.getUTCMinutes();
  }
}

/** True when `now` falls in "HH:MM-HH:MM" (which may wrap midnight) in the member's zone. */
export function inQuietHours(quietHours: string | null, timeZone: string | null, now: Date): boolean {
  const m = quietHours ? /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(quietHours.trim()) : null;
  if (!m) return false;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  const t = localMinutes(now, timeZone);
  return start <= end ? t >= start && t < end : t >= start || t < end;
}

export function memberStanding(member: Member, invitationsThisWeek: number, defaultBudget: number, now: Date): MemberStanding {
  if (member.leftAt) return { ineligible: 'left' };
  if (member.optedOut) return { ineligible: 'opted-out' };
  if (member.pausedUntil && member.pausedUntil > now) return { ineligible: 'paused' };
  if (invitationsThisWeek >= (member.weeklyBudget ?? defaultBudget)) return { ineligible: 'over-budget' };
  if (inQuietHours(member.quietHours, member.timeZone, now)) return { ineligible: 'quiet-hours' };
  return {};
}

/** What feedback says about members, for routing's reliability (optional). */
export interface Track {
  /** Helpful answers (solved, thanks, reactions) each member received. */
  helpful?: ReadonlyMap<MemberId, number>;
  /** Invitations each member ignored lately. */
  ignored?: ReadonlyMap<MemberId, number>;
}

export function standings(
  members: readonly Member[],
  counts: ReadonlyMap<MemberId, number>,
  defaultBudget: number,
  now: Date,
  track: Track = {},
): Map<MemberId, MemberStanding> {
  return new Map(
    members.map((m) => [
      m.id,
      {
        ...memberStanding(m, counts.get(m.id) ?? 0, defaultBudget, now),
        helpful: track.helpful?.get(m.id) ?? 0,
        ignored: track.ignored?.get(m.id) ?? 0,
        recent: counts.get(m.id) ?? 0,
      },
    ]),
  );
}
