// The dashboard overview: a period's headline numbers, with the previous period and the change.
import type { MemberId } from '../types.js';
import { bypassRateFrom } from './bypass.js';
import { bump, zeroCount, type MediationCount } from './interactions.js';
import { prepare, rangeOf, tiesIn, type Prepared } from './prepared-history.js';
import { median } from './problems.js';
import { ratio, type ConnectionHistory } from './records.js';
import type { TieCounts } from './ties.js';
import { inPeriod, previousPeriod, type Period } from './weeks.js';

export interface CommunitySnapshot {
  period: Period;
  interactions: MediationCount;
  newTies: TieCounts;
  /** Members with at least one interaction in the period. */
  activeMembers: number;
  /** Members known (input.members), null when not given. */
  members: number | null;
  solveRate: number | null;
  problemsOpened: number;
  problemsSolved: number;
  medianTimeToFirstResponseMs: number | null;
  activeHelpers: number;
  bypasses: number;
  bypassRate: number | null;
}

export interface SummaryChange {
  interactions: number;
  newTies: number;
  activeMembers: number;
  solveRate: number | null;
  medianTimeToFirstResponseMs: number | null;
  activeHelpers: number;
  bypasses: number;
  bypassRate: number | null;
}

export interface CommunitySummary extends CommunitySnapshot {
  /** The period of equal length just before; null when comparison was turned off. */
  previous: CommunitySnapshot | null;
  /** current - previous for each headline number; null where either side is null. */
  change: SummaryChange | null;
}

function snapshot(p: Prepared, period: Period): CommunitySnapshot {
  const counts = zeroCount();
  const active = new Set<MemberId>();
  const helpers = new Set<MemberId>();
  const [lo, hi] = rangeOf(p.times, period);
  for (let k = lo; k < hi; k++) {
    const i = p.interactions[k]!;
    bump(counts, i.mediated);
    active.add(i.fromMemberId);
    active.add(i.toMemberId);
    if (i.kind === 'answer') helpers.add(i.fromMemberId);
  }
  // Active helpers (as activeHelpers): responses to someone else's problem, or answers.
  for (const r of p.input.responses ?? []) {
    if (inPeriod(r.createdAt, period) && r.memberId !== p.originator.get(r.problemId)) helpers.add(r.memberId);
  }
  // Solve rate and time to first response (as solveRate and medianTimeToFirstResponse) over
  // the problems opened in the period.
  const [from, to] = rangeOf(p.createdTimes, period);
  let solved = 0;
  const responseMs: number[] = [];
  for (let k = from; k < to; k++) {
    const problem = p.problems[k]!;
    const t = p.solveTimes.get(problem.id);
    if (t === 'unknown' || (t !== undefined && t.getTime() < period.to.getTime())) solved += 1;
    const first = p.firstResponse.get(problem.id);
    if (first !== undefined) responseMs.push(Math.max(0, first - problem.createdAt.getTime()));
  }
  const opened = to - from;
  const bypass = bypassRateFrom(p, period);
  return {
    period,
    interactions: counts,
    newTies: tiesIn(p, period),
    activeMembers: active.size,
    members: p.input.members ? new Set(p.input.members.map((m) => m.id)).size : null,
    solveRate: ratio(solved, opened),
    problemsOpened: opened,
    problemsSolved: solved,
    medianTimeToFirstResponseMs: median(responseMs),
    activeHelpers: helpers.size,
    bypasses: bypass.bypasses,
    bypassRate: bypass.rate,
  };
}

const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);

/** An overview of the period, by default with the previous period of equal length and the change. */
export function communitySummary(input: ConnectionHistory, period: Period, options: { compare?: boolean } = {}): CommunitySummary {
  const p = prepare(input);
  const current = snapshot(p, period);
  if (options.compare === false) return { ...current, previous: null, change: null };
  const previous = snapshot(p, previousPeriod(period));
  return {
    ...current,
    previous,
    change: {
      interactions: current.interactions.total - previous.interactions.total,
      newTies: current.newTies.total - previous.newTies.total,
      activeMembers: current.activeMembers - previous.activeMembers,
      solveRate: diff(current.solveRate, previous.solveRate),
      medianTimeToFirstResponseMs: diff(current.medianTimeToFirstResponseMs, previous.medianTimeToFirstResponseMs),
      activeHelpers: current.activeHelpers - previous.activeHelpers,
      bypasses: current.bypasses - previous.bypasses,
      bypassRate: diff(current.bypassRate, previous.bypassRate),
    },
  };
}
