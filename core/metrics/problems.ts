/**
 * Problems: response times and solving.
 *
 * Definitions (the shared conventions are in records.ts):
 *
 * - Time to first response: for each problem opened in the period, from its creation to the
 *   earliest response (ProblemResponse) by someone other than its originator, at any later
 *   time; a response dated before the problem (the thread already had an answer when the request
 *   was opened) counts as 0 ms. Unanswered problems have null and are left out of the median.
 *   Median of an even count is the mean of the middle two. Durations are in milliseconds.
 * - Solve rate: problems opened in the period that were solved before the period ended / all
 *   problems opened in the period. Open, invited, answered and closed-unsolved problems count
 *   as not solved (they stay in the denominator). A problem is solved at `solvedAt`, else at
 *   the originator's earliest "solved" feedback, else (status "solved" without a date) at
 *   `updatedAt` if given, else it is solved at an unknown time that counts as within any
 *   period ending after its creation.
 */
import type { ProblemId } from '../types.js';
import { ratio, type FeedbackRecord, type ProblemRecord, type ResponseRecord } from './records.js';
import { inPeriod, isValidDate, type Period } from './weeks.js';

export interface FirstResponse {
  problemId: ProblemId;
  createdAt: Date;
  firstResponseAt: Date | null;
  /** Milliseconds from creation to the first response (0 if it came earlier); null if none. */
  ms: number | null;
}

export function uniqueProblems<T extends ProblemRecord>(problems: readonly T[]): T[] {
  const byId = new Map<ProblemId, T>();
  for (const p of problems) if (isValidDate(p.createdAt) && !byId.has(p.id)) byId.set(p.id, p);
  return [...byId.values()].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || x.id - y.id);
}

/** Time to first response (by someone other than the originator) of each problem opened in the period. */
export function timeToFirstResponse(problems: readonly ProblemRecord[], responses: readonly ResponseRecord[], period?: Period): FirstResponse[] {
  const ps = uniqueProblems(problems);
  const originator = new Map(ps.map((p) => [p.id, p.originatorId]));
  const first = new Map<ProblemId, number>();
  for (const r of responses) {
    if (!isValidDate(r.createdAt) || r.memberId === originator.get(r.problemId)) continue;
    const t = r.createdAt.getTime();
    const current = first.get(r.problemId);
    if (current === undefined || t < current) first.set(r.problemId, t);
  }
  return ps
    .filter((p) => !period || inPeriod(p.createdAt, period))
    .map((p) => {
      const t = first.get(p.id);
      return {
        problemId: p.id,
        createdAt: p.createdAt,
        firstResponseAt: t === undefined ? null : new Date(t),
        ms: t === undefined ? null : Math.max(0, t - p.createdAt.getTime()),
      };
    });
}

/** The median of the values; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median time to first response (ms) over the answered problems opened in the period. */
export function medianTimeToFirstResponse(problems: readonly ProblemRecord[], responses: readonly ResponseRecord[], period?: Period): number | null {
  return median(timeToFirstResponse(problems, responses, period).flatMap((f) => (f.ms === null ? [] : [f.ms])));
}

/** When each problem was solved: a Date, 'unknown' (solved, no date), or absent (not solved). */
export function solveTimes(problems: readonly ProblemRecord[], feedback: readonly FeedbackRecord[] = []): Map<ProblemId, Date | 'unknown'> {
  const ps = uniqueProblems(problems);
  const originator = new Map(ps.map((p) => [p.id, p.originatorId]));
  const marked = new Map<ProblemId, number>();
  for (const f of feedback) {
    if (f.kind !== 'solved' || f.problemId === null || !isValidDate(f.createdAt)) continue;
    if (f.fromMemberId !== originator.get(f.problemId)) continue;
    const current = marked.get(f.problemId);
    if (current === undefined || f.createdAt.getTime() < current) marked.set(f.problemId, f.createdAt.getTime());
  }
  const out = new Map<ProblemId, Date | 'unknown'>();
  for (const p of ps) {
    const mark = marked.get(p.id);
    if (isValidDate(p.solvedAt)) out.set(p.id, p.solvedAt);
    else if (mark !== undefined) out.set(p.id, new Date(mark));
    else if (p.status === 'solved') out.set(p.id, isValidDate(p.updatedAt) ? p.updatedAt : 'unknown');
  }
  return out;
}

export interface SolveRate {
  opened: number;
  solved: number;
  rate: number | null;
}

/** Problems opened in the period and solved before it ended / problems opened in it. */
export function solveRate(problems: readonly ProblemRecord[], period: Period, feedback: readonly FeedbackRecord[] = []): SolveRate {
  const times = solveTimes(problems, feedback);
  let opened = 0;
  let solved = 0;
  for (const p of uniqueProblems(problems)) {
    if (!inPeriod(p.createdAt, period)) continue;
    opened += 1;
    const t = times.get(p.id);
    if (t === 'unknown' || (t !== undefined && t.getTime() < period.to.getTime())) solved += 1;
  }
  return { opened, solved, rate: ratio(solved, opened) };
}
