// Chooses the similar-topics mix of meaning (embedding cosine) and wording (BM25), and the score
// from which a past topic is shown, from judged examples: queries whose candidates are known to
// be related or not. In a running community the judgements come from its own history (a later
// topic that links to an earlier one, or shares most of its tags, is related to it); the
// evaluation may pass human judgements from its tuning part instead.
import type { DocumentId } from '../types.js';
import { inScope, type IndexedDocument, type KnowledgeBase } from './knowledge-base.js';
import { scoreDocuments } from './similar-topics.js';
import { drain, type Steps } from './steps.js';

export interface SimilarCalibration {
  lexicalWeight: number;
  minScore: number;
  /** Judged queries it was chosen on, and their mean average precision with it. */
  queries: number;
  map: number;
}

/** A query with candidates judged related or not. */
export interface JudgedQuery {
  vector: Float32Array;
  text: string;
  candidates: { id: DocumentId; relevant: boolean }[];
}

export const LEXICAL_WEIGHTS = [0, 0.1, 0.2, 0.35, 0.5, 0.75, 1, 1.5, 2] as const;
/** Shown-from scores tried; outside this range a threshold shows nothing or everything useful. */
const MIN_SCORES = Array.from({ length: 29 }, (_, i) => 0.2 + i * 0.025);
/** Judged queries needed (each with a related and an unrelated candidate) before calibrating. */
export const MIN_JUDGED_QUERIES = 20;
/** Tags two topics share, over the tags either has, from which they count as related. */
const RELATED_TAG_OVERLAP = 0.5;
/** Newest topics of the history used as queries, and candidates retrieved per index for each. */
const HISTORY_QUERIES = 300;
const HISTORY_CANDIDATES = 10;

function averagePrecision(ranked: readonly boolean[]): number {
  let hits = 0;
  let sum = 0;
  ranked.forEach((r, i) => {
    if (r) sum += ++hits / (i + 1);
  });
  return hits ? sum / hits : 0;
}

const usable = (q: JudgedQuery): boolean => q.candidates.some((c) => c.relevant) && q.candidates.some((c) => !c.relevant);

/** The mix with the best mean average precision, then the threshold with the best F1 of "shown". */
export function calibrateSimilar(kb: KnowledgeBase, judged: readonly JudgedQuery[]): SimilarCalibration | undefined {
  const queries = judged.filter(usable);
  if (queries.length < MIN_JUDGED_QUERIES) return undefined;
  // Cosine and scaled BM25 per candidate do not depend on the weight: compute them once.
  const parts = queries.map((q) => {
    const scored = scoreDocuments(
      kb,
      q,
      q.candidates.map((c) => c.id),
      { lexicalWeight: 0 },
    );
    return q.candidates.flatMap((c) => {
      const s = scored.get(c.id);
      return s ? [{ cosine: s.cosine, lexical: s.lexical, relevant: c.relevant }] : [];
    });
  });
  let best = { lexicalWeight: LEXICAL_WEIGHTS[0] as number, map: -1 };
  for (const w of LEXICAL_WEIGHTS) {
    let total = 0;
    for (const p of parts) {
      const ranked = [...p].sort((a, b) => b.cosine + w * b.lexical - (a.cosine + w * a.lexical)).map((c) => c.relevant);
      total += averagePrecision(ranked);
    }
    const map = total / parts.length;
    if (map > best.map + 1e-9) best = { lexicalWeight: w, map };
  }
  const all = parts.flat().map((c) => ({ score: c.cosine + best.lexicalWeight * c.lexical, relevant: c.relevant }));
  const relevant = all.filter((c) => c.relevant).length;
  let threshold = { minScore: MIN_SCORES[0]!, f1: -1 };
  for (const t of MIN_SCORES) {
    const shown = all.filter((c) => c.score >= t);
    const hits = shown.filter((c) => c.relevant).length;
    const p = shown.length ? hits / shown.length : 0;
    const r = relevant ? hits / relevant : 0;
    const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0;
    if (f1 > threshold.f1 + 1e-9) threshold = { minScore: t, f1 };
  }
  return { lexicalWeight: best.lexicalWeight, minScore: Math.round(threshold.minScore * 1000) / 1000, queries: queries.length, map: best.map };
}

/** Share of the two tag sets that both have (Jaccard). */
function tagOverlap(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return 0;
  const set = new Set(a);
  const shared = b.filter((t) => set.has(t)).length;
  return shared / (set.size + b.length - shared);
}

const links = (from: IndexedDocument, to: IndexedDocument): boolean => to.url !== undefined && to.url !== '' && from.text.includes(to.url);

/**
 * Judgements from the history itself: each of the newest topics is a query, the earlier topics
 * either index retrieves for it are its candidates, and a candidate is related when the query
 * links to it or the two share most of their tags. Empty for a history with neither.
 */
export function judgedFromHistory(kb: KnowledgeBase): JudgedQuery[] {
  return drain(judgedFromHistorySteps(kb));
}

/** The same, yielding every few queries (background calibration). */
export function* judgedFromHistorySteps(kb: KnowledgeBase): Steps<JudgedQuery[]> {
  const roots = [...kb.docs.values()].filter((d) => d.isRoot).sort((a, b) => b.time - a.time || b.id - a.id);
  const out: JudgedQuery[] = [];
  for (const root of roots) {
    if (out.length >= HISTORY_QUERIES) break;
    yield;
    const vector = kb.vectorOf(root.id);
    if (!vector) continue;
    const text = root.title ? `${root.title}\n\n${root.text}` : root.text;
    const prepared = kb.prepare({ vector: vector.slice(), text }, HISTORY_CANDIDATES * 5);
    const scope = { before: root.time, excludeThreads: new Set([root.thread]) };
    const candidates = new Map<DocumentId, boolean>();
    for (const hits of [prepared.semantic, prepared.lexical]) {
      let taken = 0;
      for (const h of hits) {
        const doc = kb.get(h.id as DocumentId);
        if (taken >= HISTORY_CANDIDATES || !inScope(doc, scope) || !doc.isRoot) continue;
        taken++;
        candidates.set(doc.id, links(root, doc) || tagOverlap(root.tags, doc.tags) >= RELATED_TAG_OVERLAP);
      }
    }
    if ((root.tags.length > 0 || [...candidates.values()].some(Boolean)) && candidates.size > 1) {
      out.push({ vector: vector.slice(), text, candidates: [...candidates].map(([id, relevant]) => ({ id, relevant })) });
    }
  }
  return out;
}
