// The period a page shows, read from the query (?period=12w); anything unknown falls back to
// the API's default, so a hand-edited URL still shows a page instead of an error.
import { PERIOD_PRESETS, type PeriodPreset } from '../api-types.js';

export const DEFAULT_PERIOD: PeriodPreset = '12w';

export const PERIOD_LABELS: Record<PeriodPreset, string> = {
  '4w': '4 weeks',
  '12w': '12 weeks',
  '26w': '26 weeks',
  '52w': '52 weeks',
  all: 'All time',
};

export function parsePeriod(value: unknown): PeriodPreset {
  return (PERIOD_PRESETS as readonly unknown[]).includes(value) ? (value as PeriodPreset) : DEFAULT_PERIOD;
}

/** The same query with another period: filters such as ?status= survive a period change. */
export function withPeriod(query: Record<string, unknown>, period: PeriodPreset): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (key !== 'period' && key !== 'offset' && typeof value === 'string' && value !== '') params.set(key, value);
  }
  params.set('period', period);
  return `?${params.toString()}`;
}
