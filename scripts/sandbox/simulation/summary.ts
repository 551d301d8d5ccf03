// The figures a sandbox run ends with, computed by the same metric functions as the dashboard
// from what the service recorded: requests, solve rate, time to first response, ties made, the
// bypass rate in the first and the last simulated week, and people, not accounts (members,
// accounts, linked pairs, link offers, pairs probably one person).
import { PROBLEM_STATUSES } from '../../../core/store/types.js';
import type { Store } from '../../../core/store/index.js';
import { bypassRate } from '../../../core/metrics/bypass.js';
import { medianTimeToFirstResponse, solveRate } from '../../../core/metrics/problems.js';
import type { ResponseRecord } from '../../../core/metrics/records.js';
import { newTies } from '../../../core/metrics/ties.js';
import type { Period } from '../../../core/metrics/weeks.js';
import { probablySamePerson } from '../../../core/identity/people.js';

const WEEK = 7 * 24 * 3_600_000;

/** People, not accounts: who the bot knows as one person at the end of the run. */
export interface PeopleFigures {
  /** People in the synthetic community (the truth the simulation plays). */
  community: number;
  /** Members the bot knows: one per person once their accounts are linked. */
  people: number;
  accounts: number;
  /** Members known by accounts on both platforms. */
  linkedPairs: number;
  /** The bot's link offers and what became of them. */
  offers: { sent: number; linked: number; accepted: number; ignored: number; refused: number };
  /** Unlinked members that are probably one person. */
  probablySamePerson: number;
}

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
  people: PeopleFigures;
}

async function peopleFigures(store: Store, community: number): Promise<PeopleFigures> {
  const accounts = await store.identities.accounts();
  const pairs = await store.accountPairs.list();
  const platforms = new Map<number, Set<string>>();
  for (const a of accounts) platforms.set(a.memberId, (platforms.get(a.memberId) ?? new Set()).add(a.platform));
  const offered = pairs.filter((p) => p.offeredAt !== null);
  const count = (status: string) => offered.filter((p) => p.status === status).length;
  return {
    community,
    people: platforms.size,
    accounts: accounts.length,
    linkedPairs: [...platforms.values()].filter((p) => p.size > 1).length,
    offers: {
      sent: offered.length,
      linked: count('linked'),
      accepted: count('accepted'),
      ignored: count('ignored') + count('offered'),
      refused: count('refused'),
    },
    probablySamePerson: probablySamePerson(accounts, pairs, { email: true }).length,
  };
}

export async function summarize(store: Store, period: Period, community: number): Promise<SandboxSummary> {
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
    people: await peopleFigures(store, community),
  };
}

const percent = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(0)}%`);

function duration(ms: number | null): string {
  if (ms === null) return 'n/a';
  const hours = ms / 3_600_000;
  return hours < 1 ? `${Math.round(ms / 60_000)} min` : `${hours.toFixed(1)} h`;
}

export function formatSummary(s: SandboxSummary): string {
  const p = s.people;
  const o = p.offers;
  return [
    `${s.weeks} weeks of community life:`,
    `  requests to the bot        ${s.problems}`,
    `  solved                     ${s.solved} (solve rate ${percent(s.solveRate)})`,
    `  median first response      ${duration(s.medianFirstResponseMs)}`,
    `  new ties                   ${s.ties.concierge} made by the concierge, ${s.ties.direct} direct`,
    `  interactions               ${s.interactions}`,
    `  bypass rate                week 1: ${percent(s.bypassRate.firstWeek)}, week ${s.weeks}: ${percent(s.bypassRate.lastWeek)}`,
    // The dashboard shows the same measure over other spans; say which span this is.
    '                             (each over one full simulated week; the overview shows it over its whole period)',
    `  people                     ${p.people} known to the bot (the community has ${p.community}), with ${p.accounts} accounts`,
    `  linked pairs               ${p.linkedPairs} people known by accounts on both platforms as one member`,
    `  link offers                ${o.sent} sent: ${o.linked} linked, ${o.accepted} accepted (code not posted yet), ${o.ignored} not answered, ${o.refused} "not me"`,
    `  probably the same person   ${p.probablySamePerson} pair${p.probablySamePerson === 1 ? '' : 's'} not linked (see the helpers page)`,
  ].join('\n');
}
