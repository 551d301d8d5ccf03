// The features routing ranks members by, for one problem: how active they are at several time
// scales, how close their past answers are to this problem (by embedding and by BM25, per thread
// and as a topic centre), tag overlap, past exchanges with the asker, how their answers were
// received, and how quickly they answer. Values are logs or shares so that a linear ranker over
// them behaves like a product of factors. Same code for serving, training and evaluation.
import type { DocumentId, MemberId } from '../types.js';
import { inScope, type KnowledgeBase, type PreparedQuery } from './knowledge-base.js';
import type { MemberProfiles } from './member-profiles.js';
import { dot } from './similar-topics.js';

const DAY_MS = 86_400_000;

/** Half-lives (days) of the activity features: the ranker learns which time scales matter. */
export const ACTIVITY_HALF_LIVES = [3, 7, 14, 30, 90, 365] as const;

export const ROUTING_FEATURES = [
  ...ACTIVITY_HALF_LIVES.map((h) => `activity${h}d`),
  'answers',
  'asked',
  'daysSinceAnswer',
  'semanticAffinity',
  'semanticShare',
  'semanticBest',
  'lexicalAffinity',
  'topicCentre',
  'tagThreads',
  'tagShareOfMember',
  'tagShareOfTag',
  'answeredAsker',
  'answeredByAsker',
  'accepted',
  'acceptedRate',
  'votes',
  'quickShare',
  'recentSemantic',
  'recentTags',
] as const;
export type RoutingFeature = (typeof ROUTING_FEATURES)[number];

const INDEX = new Map(ROUTING_FEATURES.map((f, i) => [f, i]));
export const featureIndex = (f: RoutingFeature): number => INDEX.get(f)!;

/** How sharply the closest threads outweigh farther ones in the semantic affinity. */
const SEMANTIC_SHARPNESS = 8;
/** Half-life (days) of the recent topical features: what a member answered lately. */
const RECENT_DAYS = 30;
/** Retrieved threads that count towards affinity, per index. */
const AFFINITY_THREADS = 50;

export interface RoutingContext {
  now: number;
  /** The problem's tags (its own, else the suggested ones). */
  tags: readonly string[];
  askerId?: MemberId | undefined;
  excludeThreads?: ReadonlySet<string> | undefined;
}

/** Per retrieved thread: closeness to the problem by each index, and who answered there. */
export interface ThreadMatch {
  key: string;
  cosine: number;
  /** BM25 scaled by the best lexical hit, 0..1. */
  lexical: number;
  answerers: MemberId[];
  /** When each answerer last answered there (epoch ms), in answerers' order. */
  answeredAt: number[];
}

/** Threads the query retrieved (either index), best score per thread, with their answerers. */
export function matchThreads(
  kb: KnowledgeBase,
  prepared: PreparedQuery,
  scope: { before: number; excludeThreads?: ReadonlySet<string> | undefined },
): ThreadMatch[] {
  const byThread = new Map<string, ThreadMatch>();
  const at = (id: number): ThreadMatch | undefined => {
    const doc = kb.get(id as DocumentId);
    if (!inScope(doc, scope)) return undefined;
    let m = byThread.get(doc.thread);
    if (!m) byThread.set(doc.thread, (m = { key: doc.thread, cosine: Number.NEGATIVE_INFINITY, lexical: 0, answerers: [], answeredAt: [] }));
    return m;
  };
  for (const h of prepared.semantic.slice(0, AFFINITY_THREADS * 2)) {
    const m = at(h.id);
    if (m) m.cosine = Math.max(m.cosine, h.score);
  }
  const topLex = prepared.lexical[0]?.score ?? 0;
  for (const h of prepared.lexical.slice(0, AFFINITY_THREADS * 2)) {
    const m = at(h.id);
    if (m && topLex > 0) m.lexical = Math.max(m.lexical, h.score / topLex);
  }
  for (const m of byThread.values()) {
    const thread = kb.threads.get(m.key)!;
    const root = kb.representative(thread);
    if (!Number.isFinite(m.cosine)) m.cosine = root ? dot(prepared.vector, kb.vectorOf(root.id)!) : 0;
    for (const id of thread.docIds) {
      const d = kb.get(id);
      if (!d || d.isRoot || d.authorId === undefined || d.authorId === root?.authorId || d.time >= scope.before) continue;
      const k = m.answerers.indexOf(d.authorId);
      if (k < 0) {
        m.answerers.push(d.authorId);
        m.answeredAt.push(d.time);
      } else m.answeredAt[k] = Math.max(m.answeredAt[k]!, d.time);
    }
  }
  return [...byThread.values()];
}

/**
 * Feature rows for the given members (one Float32Array each, in ROUTING_FEATURES order).
 * `activity` maps half-life to the knowledge base's recency-weighted contributions at `now`.
 */
export function routingFeatures(
  kb: KnowledgeBase,
  profiles: MemberProfiles,
  prepared: PreparedQuery,
  threads: readonly ThreadMatch[],
  context: RoutingContext,
  members: readonly MemberId[],
): Float32Array[] {
  const activity = ACTIVITY_HALF_LIVES.map((h) => kb.activity(context.now, h));
  const topCos = Math.max(...threads.map((t) => t.cosine), 0);
  const floorCos = Math.min(...threads.map((t) => t.cosine), topCos);
  const semantic = new Map<MemberId, number>();
  const best = new Map<MemberId, number>();
  const lexical = new Map<MemberId, number>();
  const recentSemantic = new Map<MemberId, number>();
  for (const t of threads) {
    const w = Math.exp(SEMANTIC_SHARPNESS * (t.cosine - topCos));
    t.answerers.forEach((m, i) => {
      recentSemantic.set(m, (recentSemantic.get(m) ?? 0) + w * Math.pow(0.5, (context.now - t.answeredAt[i]!) / (RECENT_DAYS * DAY_MS)));
    });
    for (const m of t.answerers) {
      semantic.set(m, (semantic.get(m) ?? 0) + w);
      best.set(m, Math.max(best.get(m) ?? Number.NEGATIVE_INFINITY, t.cosine));
      lexical.set(m, (lexical.get(m) ?? 0) + t.lexical * t.lexical);
    }
  }
  const asker = context.askerId === undefined ? undefined : profiles.get(context.askerId);
  const qNorm = Math.sqrt(dot(prepared.vector, prepared.vector)) || 1;

  return members.map((m) => {
    const p = profiles.get(m);
    const row = new Float32Array(ROUTING_FEATURES.length);
    let k = 0;
    for (const a of activity) row[k++] = Math.log((a.get(m) ?? 0) + 0.01);
    const answers = p?.answers ?? 0;
    row[k++] = Math.log1p(answers);
    row[k++] = Math.log1p(p?.asked ?? 0);
    row[k++] = p && Number.isFinite(p.lastAnswer) ? Math.log1p(Math.max(0, context.now - p.lastAnswer) / DAY_MS) : Math.log1p(3650);
    const sem = semantic.get(m) ?? 0;
    row[k++] = Math.log1p(sem);
    row[k++] = Math.log((sem + 0.04) / ((p?.threads.size ?? 0) + 2));
    row[k++] = best.get(m) ?? floorCos;
    row[k++] = Math.log1p(lexical.get(m) ?? 0);
    row[k++] = p?.centre ? dot(prepared.vector, p.centre) / (qNorm * (Math.sqrt(dot(p.centre, p.centre)) || 1)) : 0;
    let tagThreads = 0;
    let shareOfTag = 0;
    for (const t of new Set(context.tags)) {
      const n = p?.tags.get(t) ?? 0;
      tagThreads += n;
      shareOfTag = Math.max(shareOfTag, n / ((profiles.tagAnswers.get(t) ?? 0) + 1));
    }
    row[k++] = Math.log1p(tagThreads);
    row[k++] = Math.log((tagThreads + 0.1) / ((p?.threads.size ?? 0) + 1));
    row[k++] = Math.log(shareOfTag + 0.01);
    row[k++] = context.askerId === undefined ? 0 : Math.log1p(p?.askers.get(context.askerId) ?? 0);
    row[k++] = Math.log1p(asker?.askers.get(m) ?? 0);
    row[k++] = Math.log1p(p?.accepted ?? 0);
    row[k++] = ((p?.accepted ?? 0) + 0.3) / ((p?.judged ?? 0) + 1);
    row[k++] = Math.log1p(p?.votes ?? 0);
    row[k++] = ((p?.quick ?? 0) + 0.5) / (answers + 1);
    row[k++] = Math.log1p(recentSemantic.get(m) ?? 0);
    let recentTags = 0;
    for (const [time, tags] of p?.answered ?? []) {
      if (tags.some((t) => context.tags.includes(t))) recentTags += Math.pow(0.5, (context.now - time) / (RECENT_DAYS * DAY_MS));
    }
    row[k++] = Math.log1p(recentTags);
    return row;
  });
}

/** Members worth ranking at all: everyone who ever answered someone, the asker excepted. */
export function routingCandidates(profiles: MemberProfiles, exclude?: MemberId): MemberId[] {
  const out: MemberId[] = [];
  for (const [m, p] of profiles.members()) if (p.answers > 0 && m !== exclude) out.push(m);
  return out;
}
