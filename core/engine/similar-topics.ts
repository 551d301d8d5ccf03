// Similar past topics: hybrid of sentence-embedding cosine and BM25, one entry per thread,
// weak matches dropped.
import type { DocumentId } from '../types.js';
import type { IndexedDocument, KnowledgeBase } from './knowledge-base.js';
import { threadKey } from './knowledge-base.js';
import { tokenize } from '../text/tokenize.js';

export interface SimilarSettings {
  /** How many topics to return at most. */
  maxResults: number;
  /** Hybrid score below which a match is not shown. */
  minScore: number;
  /** Weight of the lexical (BM25) part against the embedding cosine. */
  lexicalWeight: number;
  /** Candidates fetched from each index before fusing. */
  candidates: number;
}

export const DEFAULT_SIMILAR: SimilarSettings = { maxResults: 5, minScore: 0.45, lexicalWeight: 0.35, candidates: 100 };

export interface SimilarQuery {
  vector: Float32Array;
  text: string;
  /** Leave out the problem's own thread. */
  excludeThreads?: ReadonlySet<string>;
  /** Only documents created before this time (replays, evaluation). */
  before?: Date;
}

export interface SimilarTopic {
  documentId: DocumentId;
  threadKey: string;
  title: string;
  url?: string;
  platform: IndexedDocument['platform'];
  score: number;
  cosine: number;
  lexical: number;
}

/**
 * The query's largest possible BM25 score (every term matched with saturated frequency). Dividing
 * by it puts BM25 on a 0..1 scale that does not depend on which candidates were retrieved.
 */
function lexicalScale(kb: KnowledgeBase, tokens: readonly string[]): number {
  let s = 0;
  for (const t of new Set(tokens)) s += kb.lexical.idf(t) * 2.2;
  return s;
}

/** Hybrid scores of the query against specific documents (no retrieval step). */
export function scoreDocuments(
  kb: KnowledgeBase,
  query: Pick<SimilarQuery, 'vector' | 'text'>,
  ids: readonly DocumentId[],
  settings: Pick<SimilarSettings, 'lexicalWeight'> = DEFAULT_SIMILAR,
): Map<DocumentId, { score: number; cosine: number; lexical: number }> {
  const tokens = tokenize(query.text);
  const scale = lexicalScale(kb, tokens);
  const bm25 = kb.lexical.scoreDocuments(tokens, ids);
  const out = new Map<DocumentId, { score: number; cosine: number; lexical: number }>();
  for (const id of ids) {
    const doc = kb.get(id);
    if (!doc) continue;
    const cosine = dot(query.vector, doc.vector);
    const lexical = scale > 0 ? Math.min(1, (bm25.get(id) ?? 0) / scale) : 0;
    out.set(id, { score: cosine + settings.lexicalWeight * lexical, cosine, lexical });
  }
  return out;
}

/** Top similar past threads across platforms, best first, one entry per thread. */
export function findSimilarTopics(kb: KnowledgeBase, query: SimilarQuery, settings: SimilarSettings = DEFAULT_SIMILAR): SimilarTopic[] {
  const allowed = (id: number): boolean => {
    const d = kb.get(id as DocumentId);
    if (!d) return false;
    if (query.before && d.createdAt >= query.before) return false;
    return !query.excludeThreads?.has(threadKey(d));
  };
  const ids = new Set<DocumentId>();
  for (const h of kb.vectorSearch(query.vector, settings.candidates, allowed)) ids.add(h.id as DocumentId);
  for (const h of kb.lexical.search(query.text, settings.candidates, allowed)) ids.add(h.id as DocumentId);
  const scored = scoreDocuments(kb, query, [...ids], settings);

  const best = new Map<string, SimilarTopic>();
  for (const [id, s] of scored) {
    if (s.score < settings.minScore) continue;
    const doc = kb.get(id)!;
    const key = threadKey(doc);
    const prev = best.get(key);
    if (prev && prev.score >= s.score) continue;
    const thread = kb.threads.get(key);
    const rep = (thread && kb.representative(thread)) ?? doc;
    best.set(key, {
      documentId: rep.id,
      threadKey: key,
      title: rep.title ?? snippet(rep.text),
      ...(rep.url ?? doc.url ? { url: rep.url ?? doc.url } : {}),
      platform: doc.platform,
      ...s,
    });
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.documentId - b.documentId).slice(0, settings.maxResults);
}

export function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** First words of a text, for a topic that has no title (a chat message). */
export function snippet(text: string, words = 12): string {
  const w = text.split(/\s+/).filter(Boolean);
  return w.length <= words ? w.join(' ') : `${w.slice(0, words).join(' ')}…`;
}
