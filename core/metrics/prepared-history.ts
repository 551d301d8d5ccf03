// A history prepared once for the dashboard bundles (bypass rate, weekly series, summary).
import type { MemberId, ProblemId } from '../types.js';
import { cleanInteractions } from './interactions.js';
import { pairId } from './pair-keys.js';
import { solveTimes, uniqueProblems } from './problems.js';
import type { ConnectionHistory, InteractionRecord, ProblemRecord } from './records.js';
import { cleanResolutions } from './resolutions.js';
import { tiesFormed, type Tie, type TieCounts } from './ties.js';
import { isValidDate, type Period } from './weeks.js';

// The dashboard asks for one period and for each of its weeks (up to a few hundred) over 100k
// interactions: everything a period counts is prepared once as sorted times with running
// counts, so each period is two binary searches instead of a pass over the history.
export interface Prepared {
  interactions: InteractionRecord[];
  /** occurredAt of `interactions` (time order), in ms. */
  times: Float64Array;
  /** Running counts over `interactions`: entry k counts those before index k. */
  cumDirect: Int32Array;
  cumConciergePair: Int32Array;
  cumBypass: Int32Array;
  /** Ties in time order, their times and running count of concierge-made ones. */
  ties: Tie[];
  tieTimes: Float64Array;
  cumConciergeTies: Int32Array;
  solveTimes: Map<ProblemId, Date | 'unknown'>;
  /** The dated solves, sorted. */
  solvedTimes: Float64Array;
  /** Cleaned, so in time order. */
  resolutionTimes: Float64Array;
  /** Unique problems with a valid creation date, by creation; and those times. */
  problems: ProblemRecord[];
  createdTimes: Float64Array;
  originator: Map<ProblemId, MemberId>;
  /** Each problem's earliest response by someone other than its originator, in ms. */
  firstResponse: Map<ProblemId, number>;
  input: ConnectionHistory;
}

/** The first index whose time is >= t (times sorted ascending). */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index range [lo, hi) of the times inside the period; empty for an empty, inverted or invalid one. */
export function rangeOf(times: Float64Array, period: Period): [number, number] {
  const from = period.from.getTime();
  const to = period.to.getTime();
  if (!(from < to)) return [0, 0];
  return [lowerBound(times, from), lowerBound(times, to)];
}

export const countIn = (times: Float64Array, period: Period): number => {
  const [lo, hi] = rangeOf(times, period);
  return hi - lo;
};

export const sumIn = (cum: Int32Array, [lo, hi]: [number, number]): number => cum[hi]! - cum[lo]!;

function running(n: number, at: (k: number) => boolean): Int32Array {
  const cum = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) cum[k + 1] = cum[k]! + (at(k) ? 1 : 0);
  return cum;
}

export function prepare(input: ConnectionHistory): Prepared {
  const interactions = cleanInteractions(input.interactions);
  const ties = tiesFormed(interactions);
  const conciergeTieAt = new Map<number | string, number>();
  for (const t of ties) if (t.kind === 'concierge') conciergeTieAt.set(pairId(t.a, t.b), t.formedAt.getTime());
  const n = interactions.length;
  const times = new Float64Array(n);
  const tieAt = new Float64Array(n).fill(Number.NaN);
  for (let k = 0; k < n; k++) {
    const i = interactions[k]!;
    times[k] = i.occurredAt.getTime();
    tieAt[k] = conciergeTieAt.get(pairId(i.fromMemberId, i.toMemberId)) ?? Number.NaN;
  }
  const solves = solveTimes(input.problems ?? [], input.feedback ?? []);
  const solvedTimes = Float64Array.from([...solves.values()].flatMap((t) => (t === 'unknown' ? [] : [t.getTime()]))).sort();
  const problems = uniqueProblems(input.problems ?? []);
  const originator = new Map(problems.map((p) => [p.id, p.originatorId]));
  const firstResponse = new Map<ProblemId, number>();
  for (const r of input.responses ?? []) {
    if (!isValidDate(r.createdAt) || r.memberId === originator.get(r.problemId)) continue;
    const t = r.createdAt.getTime();
    const current = firstResponse.get(r.problemId);
    if (current === undefined || t < current) firstResponse.set(r.problemId, t);
  }
  return {
    interactions,
    times,
    cumDirect: running(n, (k) => !interactions[k]!.mediated),
    cumConciergePair: running(n, (k) => !Number.isNaN(tieAt[k]!)),
    // A bypass contact: direct, on a concierge-made pair, strictly after the tie.
    cumBypass: running(n, (k) => !interactions[k]!.mediated && times[k]! > tieAt[k]!),
    ties,
    tieTimes: Float64Array.from(ties, (t) => t.formedAt.getTime()),
    cumConciergeTies: running(ties.length, (k) => ties[k]!.kind === 'concierge'),
    solveTimes: solves,
    solvedTimes,
    resolutionTimes: Float64Array.from(cleanResolutions(input.unassistedResolutions ?? []), (r) => r.at.getTime()),
    problems,
    createdTimes: Float64Array.from(problems, (p) => p.createdAt.getTime()),
    originator,
    firstResponse,
    input,
  };
}

export function tiesIn(p: Prepared, period: Period): TieCounts {
  const range = rangeOf(p.tieTimes, period);
  const concierge = sumIn(p.cumConciergeTies, range);
  const total = range[1] - range[0];
  return { total, concierge, direct: total - concierge };
}
