// Calendar helpers for the metrics: half-open periods and ISO weeks (Monday 00:00 UTC).

/** A half-open time range: from <= t < to. An empty or inverted range contains nothing. */
export interface Period {
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;

/** True for a Date holding a real instant (not `new Date('nonsense')`). */
export function isValidDate(d: Date | null | undefined): d is Date {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

/** from <= t < to; always false for invalid dates or an empty/inverted period. */
export function inPeriod(t: Date | null | undefined, period: Period): boolean {
  if (!isValidDate(t)) return false;
  const ms = t.getTime();
  return ms >= period.from.getTime() && ms < period.to.getTime();
}

/** The Monday 00:00 UTC that starts the ISO week containing `d`. */
export function isoWeekStart(d: Date): Date {
  const day = d.getUTCDay(); // 0 = Sunday
  const sinceMonday = (day + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - sinceMonday));
}

/** `YYYY-MM-DD` of a UTC date. */
export function utcDateKey(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/**
 * One bucket per ISO week from the week containing `from` up to the week containing the last
 * instant before `to`; no weeks when the period is empty. Each bucket is clipped to the period,
 * so events before `from` or at/after `to` never land in a bucket.
 */
export function weeksOf(period: Period): { weekStart: Date; range: Period }[] {
  const out: { weekStart: Date; range: Period }[] = [];
  const { from, to } = period;
  if (!isValidDate(from) || !isValidDate(to) || from.getTime() >= to.getTime()) return out;
  for (let start = isoWeekStart(from).getTime(); start < to.getTime(); start += WEEK_MS) {
    out.push({
      weekStart: new Date(start),
      range: { from: new Date(Math.max(start, from.getTime())), to: new Date(Math.min(start + WEEK_MS, to.getTime())) },
    });
  }
  return out;
}

/** The period of equal length just before `period`. */
export function previousPeriod(period: Period): Period {
  const length = period.to.getTime() - period.from.getTime();
  return { from: new Date(period.from.getTime() - length), to: new Date(period.from.getTime()) };
}
