// GET /api/connections: the headline chart, new ties per week (concierge-made vs direct) and
// the bypass rate over time.
import { weeklyConnectionSeries } from '../../../core/metrics/weekly-series.js';
import type { ConnectionsResponse } from '../api-types.js';
import type { ResolvedPeriod } from './period.js';
import { between, historyFor, type Snapshot } from './snapshot.js';

export function connections(s: Snapshot, p: ResolvedPeriod): ConnectionsResponse {
  const series = weeklyConnectionSeries(historyFor(s, p.period), p.period);
  // Interactions are in time order: one pass counts each week's.
  const counts = new Map<string, number>();
  let w = 0;
  for (const i of between(s.interactions, p.period.from.getTime(), p.period.to.getTime())) {
    const t = i.occurredAt.getTime();
    while (w + 1 < series.length && t >= series[w + 1]!.weekStart.getTime()) w += 1;
    const week = series[w]!.week;
    counts.set(week, (counts.get(week) ?? 0) + 1);
  }
  return {
    period: p.range,
    weeks: series.map((x) => ({
      weekStart: x.week,
      conciergeTies: x.newTiesConcierge,
      directTies: x.newTiesDirect,
      bypassRate: x.bypassRate,
      interactions: counts.get(x.week) ?? 0,
    })),
  };
}
