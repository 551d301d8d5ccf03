/**
 * The headline chart: connections per ISO week.
 *
 * Definitions (the shared conventions are in records.ts):
 *
 * - Weekly series: ISO weeks (Monday 00:00 UTC) from the week containing `from` to the week
 *   containing the last instant before `to`, every week present (zero-filled); the first and
 *   last weeks are clipped to the period, so the series sums to the period's totals.
 */
import { bypassRateFrom } from './bypass.js';
import { prepare, rangeOf, sumIn, tiesIn } from './prepared-history.js';
import type { ConnectionHistory } from './records.js';
import { utcDateKey, weeksOf, type Period } from './weeks.js';

export interface WeeklyConnectionPoint {
  /** Monday 00:00 UTC. */
  weekStart: Date;
  /** `YYYY-MM-DD`. */
  week: string;
  newTiesConcierge: number;
  newTiesDirect: number;
  directContacts: number;
  bypassContacts: number;
  unassistedResolutions: number;
  bypasses: number;
  /** See bypass.ts; null in a week with no opportunities. */
  bypassRate: number | null;
}

/** The headline chart: per ISO week (zero-filled), new ties by kind, direct contacts, bypasses and the bypass rate. */
export function weeklyConnectionSeries(input: ConnectionHistory, period: Period): WeeklyConnectionPoint[] {
  const p = prepare(input);
  return weeksOf(period).map(({ weekStart, range }) => {
    const ties = tiesIn(p, range);
    const bypass = bypassRateFrom(p, range);
    return {
      weekStart,
      week: utcDateKey(weekStart),
      newTiesConcierge: ties.concierge,
      newTiesDirect: ties.direct,
      directContacts: sumIn(p.cumDirect, rangeOf(p.times, range)),
      bypassContacts: bypass.bypassContacts,
      unassistedResolutions: bypass.unassistedResolutions,
      bypasses: bypass.bypasses,
      bypassRate: bypass.rate,
    };
  });
}
