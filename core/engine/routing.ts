// Member routing: who is likely to help with this problem? A member's score is
//   availability x affinity^p x reliability
// - availability: recency-weighted count of their contributions (short half-life): people who
//   are around now are the ones who answer;
// - affinity: the share of their (longer-term) contributions that went to threads similar to
//   this problem, kernel-weighted by similarity, with a small prior so newcomers are not zero;
//   answers count most, accepted and well-scored answers more, asking a similar question a little;
// - reliability: how their past help was received (helpful ratings up, ignored invitations down).
// Multiplying rather than adding keeps a very active member who never touches the topic, and a
// topical expert who left long ago, both below an active member who knows the topic.
import type { DocumentId, MemberId } from '../types.js';
import type { IndexedDocument, KnowledgeBase, PreparedQuery } from './knowledge-base.js';
import { candidateIds, scoreDocuments } from './similar-topics.js';

export interface RoutingSettings {
  maxInvitations: number;
  /** Half-life of a contribution's weight as evidence of expertise. */
  expertiseHalfLifeDays: number;
  /** Half-life of the activity prior (is the member still around?). */
  activityHalfLifeDays: number;
  /** How sharply closer threads outweigh farther ones. */
  sharpness: number;
  /** Exponent of topical affinity: below 1 softens it against availability. */
  affinityPower: number;
  /** Prior affinity, as this many pseudo-contributions at a typical kernel weight. */
  affinityPrior: number;
  affinityPriorMass: number;
}

export const DEFAULT_ROUTING: RoutingSettings = {
  maxInvitations: 3,
  expertiseHalfLifeDays: 365,
  activityHalfLifeDays: 10,
  sharpness: 8,
  affinityPower: 0.5,
  affinityPrior: 0.02,
  affinityPriorMass: 2,
};

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

export interface RoutingQuery {
  originatorId?: MemberId;
  /** Only history before this time counts (replays, evaluation); also "now" for decay. */
  now: Date;
  excludeThreads?: ReadonlySet<string>;
  standing?: (member: MemberId) => MemberStanding | undefined;
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

const DAY_MS = 86_400_000;
const decay = (ageMs: number, halfLifeDays: number): number => Math.pow(0.5, Math.max(0, ageMs) / (halfLifeDays * DAY_MS));

/** Quality of one contribution as evidence: answering beats asking; accepted and voted-up answers more. */
function contributionWeight(doc: IndexedDocument): number {
  if (doc.isRoot) return 0.3;
  return 1 + (doc.accepted ? 1 : 0) + 0.3 * Math.log1p(Math.max(0, doc.score));
}


export function rankMembers(kb: KnowledgeBase, prepared: PreparedQuery, query: RoutingQuery, settings: RoutingSettings = DEFAULT_ROUTING): RoutingResult {
  const now = query.now.getTime();
  const scored = scoreDocuments(kb, prepared, candidateIds(kb, prepared, { before: now, excludeThreads: query.excludeThreads }));

  // A thread is as relevant as its best-matching document.
  const threadScore = new Map<string, number>();
  for (const [id, s] of scored) {
    const key = kb.get(id)!.thread;
    threadScore.set(key, Math.max(threadScore.get(key) ?? -Infinity, s.score));
  }
  const top = Math.max(...threadScore.values(), 0);

  const topical = new Map<MemberId, { score: number; evidence: Evidence[] }>();
  for (const [key, s] of threadScore) {
    const w = Math.exp(settings.sharpness * (s - top));
    if (w < 1e-3) continue;
    const thread = kb.threads.get(key);
    if (!thread) continue;
    const root = kb.representative(thread);
    for (const id of thread.docIds) {
      const d = kb.get(id);
      if (!d || d.authorId === undefined || d.time >= now) continue;
      const add = w * contributionWeight(d) * decay(now - d.time, settings.expertiseHalfLifeDays);
      let t = topical.get(d.authorId);
      if (!t) topical.set(d.authorId, (t = { score: 0, evidence: [] }));
      t.score += add;
      if (root && !t.evidence.some((e) => e.documentId === root.id)) {
        t.evidence.push({ documentId: root.id, title: root.title ?? root.text.slice(0, 80), accepted: d.accepted, answered: !d.isRoot });
      }
    }
  }

  // Every member active lately is a candidate; topical evidence reorders them.
  const activity = kb.activity(now, settings.activityHalfLifeDays);
  const expertiseMass = kb.activity(now, settings.expertiseHalfLifeDays);

  const ranked: MemberRecommendation[] = [];
  for (const [m, act] of activity) {
    const t = topical.get(m);
    const standing = query.standing?.(m);
    // Helpful answers raise a member, ignored invitations lower them, and each invitation this
    // week lowers them a little, so the same few people are not always asked.
    const reliability = (1 + 0.1 * Math.min(standing?.helpful ?? 0, 10)) * Math.pow(0.8, standing?.ignored ?? 0) / (1 + 0.25 * (standing?.recent ?? 0));
    const mass = expertiseMass.get(m) ?? 0;
    const affinity = ((t?.score ?? 0) + settings.affinityPriorMass * settings.affinityPrior) / (mass + settings.affinityPriorMass);
    const score = act * Math.pow(affinity, settings.affinityPower) * reliability;
    if (score <= 0) continue;
    ranked.push({ memberId: m, score, reason: '', evidence: t?.evidence ?? [] });
  }
  ranked.sort((a, b) => b.score - a.score || a.memberId - b.memberId);

  const recommended: MemberRecommendation[] = [];
  const skipped: RoutingResult['skipped'] = [];
  for (const r of ranked) {
    if (recommended.length >= settings.maxInvitations) break;
    const why: Ineligibility | undefined = r.memberId === query.originatorId ? 'originator' : query.standing?.(r.memberId)?.ineligible;
    if (why) {
      if (why !== 'originator') skipped.push({ memberId: r.memberId, why });
      continue;
    }
    r.evidence.sort((a, b) => Number(b.answered) - Number(a.answered) || Number(b.accepted) - Number(a.accepted));
    r.reason = explain(r.evidence, activity.get(r.memberId) ?? 0);
    recommended.push(r);
  }
  return { recommended, skipped };
}

/** A sentence a person can read: which related past contributions make this member a good bet. */
export function explain(evidence: readonly Evidence[], activity: number): string {
  const answered = evidence.filter((e) => e.answered);
  if (answered.length > 0) {
    const first = answered[0]!;
    const more = answered.length - 1;
    return `answered "${first.title}"${first.accepted ? ' (accepted answer)' : ''}${more > 0 ? ` and ${more} other related topic${more > 1 ? 's' : ''}` : ''}`;
  }
  if (evidence.length > 0) return `asked about a related topic: "${evidence[0]!.title}"`;
  return activity > 0 ? 'one of the most active helpers lately' : 'a member of the community';
}
