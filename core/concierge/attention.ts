// What needs a person's attention, for the community team's console: requests nobody answered
// in time (with whom the bot would ask next, and why), requests the bot found nobody for,
// invitations that were ignored, members near their weekly budget or paused, newcomers who
// have not asked or answered yet, and tags where demand outgrows the helpers. Read-only: it
// decides nothing and sends nothing.
import type { Member, Problem, ProblemStatus } from '../store/index.js';
import type { MemberId, ProblemId } from '../types.js';
import type { ConciergeContext } from './context.js';
import { budgetWindowStart, standings } from './eligibility.js';
import { isOpen } from './lifecycle.js';
import { DEFAULT_REVIEW_MINUTES, inReview, withStaffChoices } from './review.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface AttentionSettings {
  /** A request without an answer for this long is stuck. */
  stuckAfterHours: number;
  /** Members seen for the first time this recently are new. */
  newMemberDays: number;
  /** Expertise gaps are counted over this many days. */
  periodDays: number;
  /** Requests the bot ranks helpers for, at most (each costs one embedding). */
  maxSuggested: number;
}

export const DEFAULT_ATTENTION: AttentionSettings = { stuckAfterHours: 24, newMemberDays: 30, periodDays: 28, maxSuggested: 20 };

export interface Suggestion {
  memberId: MemberId;
  name: string;
  /** Why the bot would ask them, in its own words. */
  reason: string;
  score: number;
}

export interface AttentionRequest {
  problemId: number;
  platform: string;
  status: ProblemStatus;
  text: string;
  asker: string;
  askerId: MemberId;
  createdAt: string;
  ageHours: number;
  tags: string[];
  invited: { memberId: MemberId; name: string; status: string }[];
  /** Whom the bot would ask next (not asked yet, eligible now), best first. */
  suggestions: Suggestion[];
}

export interface AttentionInvitation {
  problemId: number;
  memberId: MemberId;
  name: string;
  sentAt: string | null;
  problemText: string;
}

/** An invitation the bot proposed in review mode, waiting for the team. */
export interface AttentionProposal {
  problemId: number;
  problemText: string;
  asker: string;
  memberId: MemberId;
  name: string;
  reason: string;
  score: number;
  proposedAt: string;
  /** When it goes out as proposed if nobody reviews it. */
  dueAt: string;
}

export interface AttentionMember {
  memberId: MemberId;
  name: string;
  /** Invitations in the last seven days, and the member's weekly budget. */
  invitationsThisWeek: number;
  budget: number;
  pausedUntil: string | null;
}

export interface ExpertiseGap {
  tag: string;
  /** Requests carrying the tag in the period. */
  requests: number;
  /** Distinct members who answered such requests in the period. */
  helpers: number;
}

export interface Attention {
  generatedAt: string;
  settings: AttentionSettings;
  /** Review mode is on: proposals wait for the team. */
  review: boolean;
  proposals: AttentionProposal[];
  stuck: AttentionRequest[];
  noHelper: AttentionRequest[];
  ignored: AttentionInvitation[];
  nearBudget: AttentionMember[];
  paused: AttentionMember[];
  newcomers: { memberId: MemberId; name: string; firstSeen: string }[];
  gaps: ExpertiseGap[];
  /** Everyone staff may choose for an action (present, not opted out), by name. */
  members: { memberId: MemberId; name: string }[];
}

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export async function attention(ctx: ConciergeContext, now: Date, options: Partial<AttentionSettings> = {}): Promise<Attention> {
  const settings = { ...DEFAULT_ATTENTION, ...options };
  const { store } = ctx;
  const [members, problems, weekCounts, helpful, ignoredCounts] = await Promise.all([
    store.members.list(),
    store.problems.listByStatus(['opened', 'acknowledged', 'invited', 'answered', 'digested', 'solved', 'stale', 'closed']),
    store.invitations.countsSince(budgetWindowStart(now)),
    store.feedback.countsReceived(['solved', 'thanks', 'reaction']),
    store.invitations.countsSince(new Date(now.getTime() - 30 * DAY), { statuses: ['ignored'] }),
  ]);
  const byId = new Map(members.map((m) => [m.id, m]));
  const name = (id: MemberId): string => byId.get(id)?.displayName ?? `member ${id}`;
  const standing = standings(members, weekCounts, ctx.settings.weeklyBudget, now, await withStaffChoices(ctx, now, { helpful, ignored: ignoredCounts }));
  const reviewMs = (ctx.settings.reviewMinutes ?? DEFAULT_REVIEW_MINUTES) * 60_000;
  const proposals: AttentionProposal[] = [];
  const since = new Date(now.getTime() - settings.periodDays * DAY);
  const responses = await store.responses.listBetween(new Date(0), new Date(now.getTime() + 1));
  const answered = new Set(responses.map((r) => r.problemId));

  const stuck: AttentionRequest[] = [];
  const noHelper: AttentionRequest[] = [];
  const ignored: AttentionInvitation[] = [];
  let ranked = 0;
  // Oldest first: the longest wait is the most urgent.
  for (const p of problems.filter((x) => isOpen(x.status)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())) {
    const invitations = await store.invitations.listForProblem(p.id);
    for (const i of invitations.filter((x) => x.status === 'pending')) {
      proposals.push({
        problemId: p.id,
        problemText: p.text,
        asker: name(p.originatorId),
        memberId: i.memberId,
        name: name(i.memberId),
        reason: i.reason,
        score: Math.round(i.score * 1000) / 1000,
        proposedAt: i.createdAt.toISOString(),
        dueAt: new Date(i.createdAt.getTime() + reviewMs).toISOString(),
      });
    }
    for (const i of invitations.filter((x) => x.status === 'ignored')) {
      ignored.push({ problemId: p.id, memberId: i.memberId, name: name(i.memberId), sentAt: iso(i.sentAt), problemText: p.text });
    }
    if (answered.has(p.id)) continue;
    const late = now.getTime() - p.createdAt.getTime() >= settings.stuckAfterHours * HOUR;
    const nobody = invitations.length === 0;
    if (!late && !nobody) continue;
    const asked = new Set(invitations.map((i) => i.memberId));
    let suggestions: Suggestion[] = [];
    if (ranked < settings.maxSuggested) {
      ranked++;
      // Members asked already are out of the running the way the asker is: never suggested again.
      suggestions = await nextHelpers(ctx, p, now, (m) => (asked.has(m) ? { ineligible: 'originator' } : standing.get(m)), byId);
    }
    const entry: AttentionRequest = {
      problemId: p.id,
      platform: p.platform,
      status: p.status,
      text: p.text,
      asker: name(p.originatorId),
      askerId: p.originatorId,
      createdAt: p.createdAt.toISOString(),
      ageHours: Math.floor((now.getTime() - p.createdAt.getTime()) / HOUR),
      tags: p.tags.map((t) => t.name),
      invited: invitations.map((i) => ({ memberId: i.memberId, name: name(i.memberId), status: i.status })),
      suggestions,
    };
    (nobody ? noHelper : stuck).push(entry);
  }

  const nearBudget: AttentionMember[] = [];
  const paused: AttentionMember[] = [];
  for (const m of members) {
    if (m.leftAt || m.optedOut) continue;
    const budget = m.weeklyBudget ?? ctx.settings.weeklyBudget;
    const row = { memberId: m.id, name: m.displayName, invitationsThisWeek: weekCounts.get(m.id) ?? 0, budget, pausedUntil: iso(m.pausedUntil) };
    if (m.pausedUntil && m.pausedUntil > now) paused.push(row);
    // "Near" is one invitation or less away from the budget: the next request may skip them.
    else if (budget > 0 && row.invitationsThisWeek >= budget - 1) nearBudget.push(row);
  }

  const asked = new Set(problems.map((p) => p.originatorId));
  const helped = new Set(responses.map((r) => r.memberId));
  // Anyone who wrote something the bot learned from (a question, an answer, a message) took part.
  const wrote = ctx.engine.kb.activity(now.getTime(), 365);
  const newSince = now.getTime() - settings.newMemberDays * DAY;
  const newcomers = members
    .filter((m) => !m.leftAt && m.createdAt.getTime() >= newSince && !asked.has(m.id) && !helped.has(m.id) && !wrote.has(m.id))
    .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
    .map((m) => ({ memberId: m.id, name: m.displayName, firstSeen: m.createdAt.toISOString() }));

  return {
    generatedAt: now.toISOString(),
    settings,
    review: inReview(ctx),
    proposals,
    stuck,
    noHelper,
    ignored,
    nearBudget,
    paused,
    newcomers,
    gaps: expertiseGaps(problems, responses, since, now),
    members: members
      .filter((m) => !m.leftAt && !m.optedOut)
      .map((m) => ({ memberId: m.id, name: m.displayName }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** Whom the bot would ask next for a request, with its reasons (members asked already excluded). */
async function nextHelpers(
  ctx: ConciergeContext,
  p: Problem,
  now: Date,
  standing: (m: MemberId) => ReturnType<ReturnType<typeof standings>['get']>,
  byId: ReadonlyMap<MemberId, Member>,
): Promise<Suggestion[]> {
  const analysis = await ctx.engine.analyze({
    text: p.text,
    mentionsBot: true,
    originatorId: p.originatorId,
    tags: p.tags.map((t) => t.name),
    excludeThreads: new Set(p.threadId ? [p.threadId] : []),
    now,
    standing,
  });
  return analysis.members.recommended
    .filter((r) => byId.has(r.memberId))
    .map((r) => ({ memberId: r.memberId, name: byId.get(r.memberId)!.displayName, reason: r.reason, score: Math.round(r.score * 1000) / 1000 }));
}

/** Per tag over the period: requests carrying it against distinct members who answered them. */
export function expertiseGaps(
  problems: readonly Problem[],
  responses: readonly { problemId: ProblemId; memberId: MemberId; createdAt: Date }[],
  since: Date,
  until: Date,
): ExpertiseGap[] {
  const inPeriod = problems.filter((p) => p.createdAt >= since && p.createdAt < until);
  const tagsOf = new Map(inPeriod.map((p) => [p.id, p.tags.map((t) => t.name)]));
  const askerOf = new Map(inPeriod.map((p) => [p.id, p.originatorId]));
  const requests = new Map<string, number>();
  const helpers = new Map<string, Set<MemberId>>();
  for (const p of inPeriod) {
    for (const t of tagsOf.get(p.id)!) requests.set(t, (requests.get(t) ?? 0) + 1);
  }
  for (const r of responses) {
    const tags = tagsOf.get(r.problemId);
    if (!tags || r.createdAt < since || r.createdAt >= until) continue;
    if (r.memberId === askerOf.get(r.problemId)) continue;
    for (const t of tags) (helpers.get(t) ?? helpers.set(t, new Set()).get(t)!).add(r.memberId);
  }
  return (
    [...requests]
      .map(([tag, n]) => ({ tag, requests: n, helpers: helpers.get(tag)?.size ?? 0 }))
      // The widest gap first: most requests per helper.
      .sort((a, b) => b.requests - b.helpers - (a.requests - a.helpers) || b.requests - a.requests || a.tag.localeCompare(b.tag))
  );
}
