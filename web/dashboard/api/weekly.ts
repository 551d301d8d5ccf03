// Problems opened and solved per ISO week: the trend lines of the overview and the tags page.
import { isValidDate, weeksOf, utcDateKey, WEEK_MS, type Period } from '../../../core/metrics/weeks.js';
import type { DashboardProblem } from '../../../core/store/index.js';
import type { ProblemId } from '../../../core/types.js';
import type { WeeklyProblems } from '../api-types.js';

/** Opened: created that week. Solved: solved that week, whenever opened (undated solves are left out). */
export function weeklyProblems(problems: readonly DashboardProblem[], solvedAt: ReadonlyMap<ProblemId, Date | 'unknown'>, period: Period): WeeklyProblems[] {
  const weeks = weeksOf(period);
  const opened = new Array<number>(weeks.length).fill(0);
  const solved = new Array<number>(weeks.length).fill(0);
  // The weeks are consecutive and clipped to the period: a time inside the period falls in the
  // week counted from the first week's Monday, so one pass over the problems fills every week
  // (a pass per week took most of a second over 10k problems and two years).
  const first = weeks[0]?.weekStart.getTime() ?? 0;
  const from = period.from.getTime();
  const to = period.to.getTime();
  const weekOf = (d: Date): number => {
    const t = d.getTime();
    return t >= from && t < to ? Math.floor((t - first) / WEEK_MS) : -1;
  };
  for (const p of problems) {
    const o = isValidDate(p.createdAt) ? weekOf(p.createdAt) : -1;
    if (o >= 0) opened[o]! += 1;
    const at = solvedAt.get(p.id);
    const s = at instanceof Date && isValidDate(at) ? weekOf(at) : -1;
    if (s >= 0) solved[s]! += 1;
  }
  return weeks.map(({ weekStart }, k) => ({ weekStart: utcDateKey(weekStart), opened: opened[k]!, solved: solved[k]! }));
}
