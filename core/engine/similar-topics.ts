// Similar past topics: hybrid of sentence-embedding cosine and BM25, one entry per thread,
// weak matches dropped.
import type { DocumentId } from '../types.js';
import { inScope, type IndexedDocument, type KnowledgeBase, type PreparedQuery, type QueryScope } from './knowledge-base.js';
import { tokenize } from '../text/tokenize.js';

export interface SimilarSettings {
  /** How many topics to return at most. */
  maxResults: number;
  /** Hybrid score below which a match is not shown. */
  minScore: number;
  /** Weight of the lexical (BM25) part against the embedding cosine. */
  lexicalWeight: number;
}

export const DEFAULT_SIMILAR: SimilarSettings = { maxResults: 5, minScore: 0.45, lexicalWeight: 0.35 };

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
  query: { vector: Float32Array; text: string; terms?: readonly string[] },
  ids: readonly DocumentId[],
  settings: Pick<SimilarSettings, 'lexicalWeight'> = DEFAULT_SIMILAR,
): Map<DocumentId, { score: number; cosine: number; lexical: number }> {
  const tokens = query.terms ?? tokenize(query.text);
  const scale = lexicalScale(kb, tokens);
  const bm25 = kb.lexical.scoreDocuments(tokens, ids);
  const out = new Map<DocumentId, { score: number; cosine: number; lexical: number }>();
  for (const id of ids) {
    const vector = kb.vectorOf(id);
    if (!vector) continue;
    const cosine = dot(query.vector, vector);
    const lexical = scale > 0 ? Math.min(1, (bm25.get(id) ?? 0) / scale) : 0;
    out.set(id, { score: cosine + settings.lexicalWeight * lexical, cosine, lexical });
  }
  return out;
}

/** Top similar past threads across platforms, best first, one entry per thread. */
/** The documents either index retrieved for the query that the scope allows. */
export function candidateIds(kb: KnowledgeBase, query: PreparedQuery, scope: QueryScope): DocumentId[] {
  const ids = new Set<DocumentId>();
  for (const h of query.semantic) if (inScope(kb.get(h.id as DocumentId), scope)) ids.add(h.id as DocumentId);
  for (const h of query.lexical) if (inScope(kb.get(h.id as DocumentId), scope)) ids.add(h.id as DocumentId);
  return [...ids];
}

export function findSimilarTopics(
  kb: KnowledgeBase,
  query: PreparedQuery,
  scope: QueryScope = {},
  settings: SimilarSettings = DEFAULT_SIMILAR,
): SimilarTopic[] {
  const scored = scoreDocuments(kb, query, candidateIds(kb, query, scope), settings);

  const best = new Map<string, SimilarTopic>();
  for (const [id, s] of scored) {
    if (s.score < settings.minScore) continue;
    const doc = kb.get(id)!;
    const key = doc.thread;
    const prev = best.get(key);
    if (prev && prev.score >= s.score) continue;
    const thread = kb.threads.get(key);
    const rep = (thread && kb.representative(thread)) ?? doc;
    best.set(key, {
      documentId: rep.id,
      threadKey: key,
      title: rep.title ?? snippet(rep.text),
      ...((rep.url ?? doc.url) ? { url: rep.url ?? doc.url } : {}),
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
