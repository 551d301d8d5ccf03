// The figures a sandbox run ends with, computed by the same metric functions as the dashboard
// from what the service recorded: requests, solve rate, time to first response, ties made and
// the bypass rate in the first and the last simulated week.
import { PROBLEM_STATUSES } from '../../../core/store/types.js';
import type { Store } from '../../../core/store/index.js';
import {
  bypassRate, medianTimeToFirstResponse, newTies, solveRate, type Period, type ResponseRecord,
} from '../../../core/metrics/index.js';

const WEEK = 7 * 24 * 3_600_000;

export interface SandboxSummary {
  weeks: number;
  /** Requests the bot handled in the period. */
  problems: number;
  solved: number;
  solveRate: number | null;
  medianFirstResponseMs: number | null;
  ties: { concierge: number; direct: number };
  bypassRate: { firstWeek: number | null; lastWeek: number | null };
  interactions: number;
}

export async function summarize(store: Store, period: Period): Promise<SandboxSummary> {
  const weeks = Math.max(1, Math.round((period.to.getTime() - period.from.getTime()) / WEEK));
  const all = await store.problems.listByStatus(PROBLEM_STATUSES);
  const problems = all.filter((p) => p.createdAt >= period.from && p.createdAt < period.to);
  const responses: ResponseRecord[] = (await Promise.all(problems.map((p) => store.responses.listForProblem(p.id)))).flat();
  // Ties are new when a pair's first interaction ever falls in the period: read the history too.
  const interactions = await store.interactions.listBetween(new Date(0), period.to);
  const history = { interactions, problems: all };
  const solve = solveRate(problems, period);
  const ties = newTies(interactions, period);
  const week = (n: number): Period => ({ from: new Date(period.from.getTime() + n * WEEK), to: new Date(period.from.getTime() + (n + 1) * WEEK) });
  return {
    weeks,
    problems: problems.length,
    solved: solve.solved,
    solveRate: solve.rate,
    medianFirstResponseMs: medianTimeToFirstResponse(problems, responses, period),
    ties: { concierge: ties.concierge, direct: ties.direct },
    bypassRate: { firstWeek: bypassRate(history, week(0)).rate, lastWeek: bypassRate(history, week(weeks - 1)).rate },
    interactions: interactions.filter((i) => i.occurredAt >= period.from && i.occurredAt < period.to).length,
  };
}

const percent = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(0)}%`);

function duration(ms: number | null): string {
  if (ms === null) return 'n/a';
  const hours = ms / 3_600_000;
  return hours < 1 ? `${Math.round(ms / 60_000)} min` : `${hours.toFixed(1)} h`;
}

export function formatSummary(s: SandboxSummary): string {
  return [
    `${s.weeks} weeks of community life:`,
    `  requests to the bot        ${s.problems}`,
    `  solved                     ${s.solved} (solve rate ${percent(s.solveRate)})`,
    `  median first response      ${duration(s.medianFirstResponseMs)}`,
    `  new ties                   ${s.ties.concierge} made by the concierge, ${s.ties.direct} direct`,
    `  interactions               ${s.interactions}`,
    `  bypass rate                week 1: ${percent(s.bypassRate.firstWeek)}, week ${s.weeks}: ${percent(s.bypassRate.lastWeek)}`,
  ].join('\n');
}
