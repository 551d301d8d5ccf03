// GET /api/overview: the headline numbers of the period against the period before, and the
// weekly trend of problems opened and solved.
import { communitySummary } from '../../../core/metrics/community-summary.js';
import { previousPeriod } from '../../../core/metrics/weeks.js';
import type { MetricValue, OverviewResponse, PeopleSummary } from '../api-types.js';
import type { ResolvedPeriod } from './period.js';
import { historyFor, type Snapshot } from './snapshot.js';
import { weeklyProblems } from './weekly.js';

export const NOT_OBSERVABLE =
  'Only what Co-Agent can see is counted: rooms and forum categories it is in, and the ' +
  'private messages it is part of (forum private messages between members only as metadata, when enabled). Direct ' +
  'messages, calls and meetings between members outside those places cannot be observed, so direct contacts and ' +
  'bypasses are lower bounds. Members who opted out are counted but never named.';

const metric = (value: number | null, previous: number | null): MetricValue => ({
  value,
  previous,
  change: value === null || previous === null ? null : value - previous,
});

export function overview(s: Snapshot, people: PeopleSummary, p: ResolvedPeriod): OverviewResponse {
  const now = communitySummary(historyFor(s, { from: previousPeriod(p.period).from, to: p.period.to }), p.period);
  const before = now.previous!;
  return {
    period: p.range,
    metrics: {
      problemsOpened: metric(now.problemsOpened, before.problemsOpened),
      problemsSolved: metric(now.problemsSolved, before.problemsSolved),
      solveRate: metric(now.solveRate, before.solveRate),
      medianTimeToFirstResponseMs: metric(now.medianTimeToFirstResponseMs, before.medianTimeToFirstResponseMs),
      activeHelpers: metric(now.activeHelpers, before.activeHelpers),
      newTiesConcierge: metric(now.newTies.concierge, before.newTies.concierge),
      newTiesDirect: metric(now.newTies.direct, before.newTies.direct),
      bypassRate: metric(now.bypassRate, before.bypassRate),
    },
    people,
    trend: weeklyProblems(s.problems, s.solvedAt, p.period),
    notObservable: NOT_OBSERVABLE,
  };
}
