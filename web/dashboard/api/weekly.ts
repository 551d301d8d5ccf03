// Problems opened and solved per ISO week: the trend lines of the overview and the tags page.
import { inPeriod, weeksOf, utcDateKey, type Period } from '../../../core/metrics/weeks.js';
import type { DashboardProblem } from '../../../core/store/index.js';
import type { ProblemId } from '../../../core/types.js';
import type { WeeklyProblems } from '../api-types.js';

/** Opened: created that week. Solved: solved that week, whenever opened (undated solves are left out). */
export function weeklyProblems(
  problems: readonly DashboardProblem[], solvedAt: ReadonlyMap<ProblemId, Date | 'unknown'>, period: Period,
): WeeklyProblems[] {
  return weeksOf(period).map(({ weekStart, range }) => {
    let opened = 0;
    let solved = 0;
    for (const p of problems) {
      if (inPeriod(p.createdAt, range)) opened += 1;
      const at = solvedAt.get(p.id);
      if (at instanceof Date && inPeriod(at, range)) solved += 1;
    }
    return { weekStart: utcDateKey(weekStart), opened, solved };
  });
}
