// GET /api/tags: volume and solve rate per tag over the period, with weekly lines.
import { solveRate } from '../../../core/metrics/problems.js';
import { inPeriod } from '../../../core/metrics/weeks.js';
import type { DashboardProblem } from '../../../core/store/index.js';
import type { TagsResponse } from '../api-types.js';
import type { ResolvedPeriod } from './period.js';
import type { Snapshot } from './snapshot.js';
import { weeklyProblems } from './weekly.js';

export function tags(s: Snapshot, p: ResolvedPeriod): TagsResponse {
  const byTag = new Map<string, DashboardProblem[]>();
  for (const problem of s.problems) {
    for (const tag of s.tagsByProblem.get(problem.id) ?? []) {
      const list = byTag.get(tag);
      if (list) list.push(problem);
      else byTag.set(tag, [problem]);
    }
  }
  const rows = [...byTag.entries()].flatMap(([tag, problems]) => {
    // Weekly lines count solves in the period too, so a tag can show up by its solves alone.
    const relevant = problems.filter((x) => {
      const at = s.solvedAt.get(x.id);
      return inPeriod(x.createdAt, p.period) || (at instanceof Date && inPeriod(at, p.period));
    });
    if (relevant.length === 0) return [];
    const rate = solveRate(relevant, p.period, s.solvedFeedback);
    return [{ tag, total: rate.opened, solved: rate.solved, solveRate: rate.rate, weeks: weeklyProblems(relevant, s.solvedAt, p.period) }];
  });
  rows.sort((a, b) => b.total - a.total || a.tag.localeCompare(b.tag));
  return { period: p.range, tags: rows };
}
