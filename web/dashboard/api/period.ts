// The period every endpoint reports on: a preset (4w, 12w, 26w, 52w: that many ISO weeks up to
// and including the current one; all: from the first activity) or from/to as whole UTC days.
// Presets end at the end of today, not "now", so a period (and the cache key built from it)
// stays the same all day.
import { isoWeekStart, utcDateKey, WEEK_MS, type Period } from '../../../core/metrics/weeks.js';
import { PERIOD_PRESETS, type PeriodRange } from '../api-types.js';
import { BadRequest, oneOfParam } from './params.js';

const DAY_MS = 86_400_000;
const MAX_DAYS = 3660;

export interface ResolvedPeriod {
  period: Period;
  /** As the API reports it: both ends inclusive. */
  range: PeriodRange;
  /** Stable text for cache keys. */
  key: string;
}

function parseDay(value: string, name: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const date = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null;
  // Date.UTC rolls 2025-02-30 over into March: a real day reads back the same.
  if (!date || utcDateKey(date) !== value) throw new BadRequest(`${name} must be a date written YYYY-MM-DD, got "${value}"`);
  return date;
}

const startOfDay = (d: Date): Date => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

function resolved(from: Date, to: Date): ResolvedPeriod {
  const range = { from: utcDateKey(from), to: utcDateKey(new Date(to.getTime() - DAY_MS)) };
  return { period: { from, to }, range, key: `${range.from}..${range.to}` };
}

/**
 * Reads `period` or `from`/`to` from the query. `firstActivity` (the earliest record) is asked
 * for only when the period is "all".
 */
export function resolvePeriod(
  query: { period?: string | undefined; from?: string | undefined; to?: string | undefined },
  now: Date,
  firstActivity: () => Date | null,
): ResolvedPeriod {
  const tomorrow = new Date(startOfDay(now).getTime() + DAY_MS);
  if (query.from !== undefined || query.to !== undefined) {
    if (query.period !== undefined) throw new BadRequest('give either period or from and to, not both');
    if (query.from === undefined || query.to === undefined) throw new BadRequest('from and to go together (YYYY-MM-DD, both inclusive)');
    const from = parseDay(query.from, 'from');
    const to = parseDay(query.to, 'to');
    if (from.getTime() > to.getTime()) throw new BadRequest('from must not be after to');
    if ((to.getTime() - from.getTime()) / DAY_MS >= MAX_DAYS) throw new BadRequest(`a period spans at most ${MAX_DAYS} days`);
    return resolved(from, new Date(to.getTime() + DAY_MS));
  }
  const preset = oneOfParam(query.period, 'period', PERIOD_PRESETS) ?? '12w';
  const thisWeek = isoWeekStart(now).getTime();
  if (preset === 'all') {
    const first = firstActivity();
    const start = first && first.getTime() < thisWeek ? isoWeekStart(first).getTime() : thisWeek;
    return resolved(new Date(start), tomorrow);
  }
  const weeks = Number(preset.slice(0, -1));
  return resolved(new Date(thisWeek - (weeks - 1) * WEEK_MS), tomorrow);
}
