// Member routing: who is likely to help with this problem? Every member who has answered anyone
// (or declared interests) is scored by a linear ranker over routing features (routing-features.ts)
// that the engine learns from who actually answered earlier questions in this community
// (routing-learner.ts); until there is enough history a hand-set prior ranks. Two adjustments sit
// on top, because no history can teach them:
// - declared interests (`!coagent interests ...` or profile text) raise members whose interests
//   match the problem, which is what a brand-new community has to go on;
// - reliability from the workflow's feedback: helpful answers up, ignored invitations down, and
//   each invitation this week down a little, so the same few people are not always asked.
import type { DocumentId, MemberId } from '../types.js';
import type { KnowledgeBase, PreparedQuery } from './knowledge-base.js';
import { scoreRow, type LinearRanker } from './linear-ranker.js';
import type { MemberProfiles } from './member-profiles.js';
import { matchThreads, routingCandidates, routingFeatures, type ThreadMatch } from './routing-features.js';
import { dot } from './similar-topics.js';

export interface RoutingSettings {
  maxInvitations: number;
}

export const DEFAULT_ROUTING: RoutingSettings = { maxInvitations: 3 };

/** Why a member may not be invited now. */
export type Ineligibility = 'originator' | 'left' | 'opted-out' | 'paused' | 'over-budget' | 'quiet-hours';

/** Feedback and availability the workflow knows about a member. */
export interface MemberStanding {
  ineligible?: Ineligibility;
  /** Answers rated helpful (reactions, solved, thanks). */
  helpful?: number;
  /** Invitations that went unanswered recently. */
  ignored?: number;
  /** Invitations received in the last week: spreads asking over more people. */
  recent?: number;
}

/** What a member said they can help with, embedded once. */
export interface DeclaredInterests {
  text: string;
  vector: Float32Array;
}

export interface RoutingQuery {
  originatorId?: MemberId;
  /** Only history before this time counts (replays, evaluation); also "now" for decay. */
  now: Date;
  /** The problem's tags: its own, else the suggested ones. */
  tags?: readonly string[];
  excludeThreads?: ReadonlySet<string>;
  standing?: (member: MemberId) => MemberStanding | undefined;
}

export interface RoutingModel {
  ranker: LinearRanker;
  profiles: MemberProfiles;
  interests: ReadonlyMap<MemberId, DeclaredInterests>;
}

export interface Evidence {
  documentId: DocumentId;
  title: string;
  accepted: boolean;
  answered: boolean;
}

export interface MemberRecommendation {
  memberId: MemberId;
  score: number;
  reason: string;
  evidence: Evidence[];
}

export interface RoutingResult {
  recommended: MemberRecommendation[];
  /** Members who would have ranked but cannot be invited now, with why. */
  skipped: { memberId: MemberId; why: Ineligibility }[];
}

/**
 * Weight of a full interest match in ranker units (log-odds): e^2.5, about twelve times the
 * odds, to order members with similar records. Interests only count above a cosine of
 * INTEREST_FLOOR: below that, USE-lite finds most short texts about equally close.
 */
export const INTEREST_WEIGHT = 2.5;
export const INTEREST_FLOOR = 0.25;
/**
 * A member whose declared interests match at least this well gets the last invitation when the
 * ranking would not invite them otherwise: someone who said "ask me about this" but has no
 * record yet (a new member, a new community) would never be asked on activity alone.
 */
export const INTEREST_SLOT_MATCH = 0.2;

/** 0..1: how well declared interests match the problem. */
export function interestMatch(problem: Float32Array, interests: DeclaredInterests | undefined): number {
  if (!interests) return 0;
  return Math.max(0, (dot(problem, interests.vector) - INTEREST_FLOOR) / (1 - INTEREST_FLOOR));
}

/** Log of the feedback factor: helpful answers up, ignored and recent invitations down. */
export function reliability(standing: MemberStanding | undefined): number {
  return Math.log(1 + 0.1 * Math.min(standing?.helpful ?? 0, 10)) + (standing?.ignored ?? 0) * Math.log(0.8) - Math.log(1 + 0.25 * (standing?.recent ?? 0));
}

export function rankMembers(
  kb: KnowledgeBase,
  model: RoutingModel,
  prepared: PreparedQuery,
  query: RoutingQuery,
  settings: RoutingSettings = DEFAULT_ROUTING,
): RoutingResult {
  const now = query.now.getTime();
  const threads = matchThreads(kb, prepared, { before: now, excludeThreads: query.excludeThreads });
  const candidates = routingCandidates(model.profiles);
  for (const m of model.interests.keys()) if (!model.profiles.get(m)?.answers) candidates.push(m);
  const rows = routingFeatures(kb, model.profiles, prepared, threads, { now, tags: query.tags ?? [], askerId: query.originatorId }, candidates);

  const ranked = candidates.map((m, i) => {
    const match = interestMatch(prepared.vector, model.interests.get(m));
    return { memberId: m, match, score: scoreRow(model.ranker, rows[i]!) + INTEREST_WEIGHT * match + reliability(query.standing?.(m)) };
  });
  ranked.sort((a, b) => b.score - a.score || a.memberId - b.memberId);

  const eligible: typeof ranked = [];
  const skipped: RoutingResult['skipped'] = [];
  for (const r of ranked) {
    if (eligible.length >= settings.maxInvitations) break;
    const why: Ineligibility | undefined = r.memberId === query.originatorId ? 'originator' : query.standing?.(r.memberId)?.ineligible;
    if (why) {
      if (why !== 'originator') skipped.push({ memberId: r.memberId, why });
      continue;
    }
    eligible.push(r);
  }
  // The last place goes to the best-matching declared interest, when no one invited declared it.
  if (!eligible.some((r) => r.match >= INTEREST_SLOT_MATCH)) {
    const declared = ranked
      .filter((r) => r.match >= INTEREST_SLOT_MATCH && !eligible.includes(r) && r.memberId !== query.originatorId && !query.standing?.(r.memberId)?.ineligible)
      .sort((a, b) => b.match - a.match || b.score - a.score)[0];
    if (declared) eligible.splice(Math.max(0, Math.min(eligible.length, settings.maxInvitations - 1)), 1, declared);
  }
  const recommended = eligible.map((r): MemberRecommendation => {
    const evidence = evidenceFor(kb, threads, r.memberId);
    const interests = r.match > 0 ? model.interests.get(r.memberId)?.text : undefined;
    return { memberId: r.memberId, score: r.score, evidence, reason: explain(evidence, model.profiles.get(r.memberId)?.answers ?? 0, interests) };
  });
  return { recommended, skipped };
}

/** The member's contributions to the retrieved threads, closest first: answers, then questions. */
function evidenceFor(kb: KnowledgeBase, threads: readonly ThreadMatch[], member: MemberId): Evidence[] {
  const out: Evidence[] = [];
  for (const t of [...threads].sort((a, b) => b.cosine - a.cosine)) {
    const thread = kb.threads.get(t.key);
    const root = thread && kb.representative(thread);
    if (!thread || !root) continue;
    const answers = thread.docIds.map((id) => kb.get(id)).filter((d) => d && d.authorId === member && !d.isRoot);
    const asked = root.authorId === member;
    if (answers.length === 0 && !asked) continue;
    out.push({ documentId: root.id, title: root.title ?? root.text.slice(0, 80), accepted: answers.some((d) => d!.accepted), answered: answers.length > 0 });
    if (out.length >= 5) break;
  }
  return out.sort((a, b) => Number(b.answered) - Number(a.answered) || Number(b.accepted) - Number(a.accepted));
}

/** A sentence a person can read: which related past contributions make this member a good bet. */
export function explain(evidence: readonly Evidence[], answers: number, interests?: string): string {
  const answered = evidence.filter((e) => e.answered);
  if (answered.length > 0) {
    const first = answered[0]!;
    const more = answered.length - 1;
    return `answered "${first.title}"${first.accepted ? ' (accepted answer)' : ''}${more > 0 ? ` and ${more} other related topic${more > 1 ? 's' : ''}` : ''}`;
  }
  if (interests) return `said they can help with "${interests.length > 80 ? `${interests.slice(0, 79)}…` : interests}"`;
  if (evidence.length > 0) return `asked about a related topic: "${evidence[0]!.title}"`;
  return answers > 0 ? 'one of the most active helpers lately' : 'a member of the community';
}
