// Similar-question evaluation (SemEval-2016 Task 3 subtask B format): rerank each question's
// candidates; MAP over questions with at least one relevant candidate, and MRR. The engine never
// sees `ir_rank`; that order is only the search-engine baseline.
import { KnowledgeBase } from '../../core/engine/knowledge-base.js';
import { dot, scoreDocuments } from '../../core/engine/similar-topics.js';
import { cleanText } from '../../core/text/clean.js';
import { documentId, type DocumentId } from '../../core/types.js';
import type { RankingQuestion } from './datasets.js';
import { averagePrecision, Averages, reciprocalRank } from './metrics.js';
import type { CorpusEmbedder } from './qa-corpus.js';

export interface SimilarScores {
  map: number;
  mrr: number;
}

export interface SimilarReport {
  questions: number;
  engine: SimilarScores;
  baselines: { irRank: SimilarScores; bm25: SimilarScores; embeddingCosine: SimilarScores };
}

const RELEVANT = new Set(['PerfectMatch', 'Relevant']);

export async function evaluateSimilar(
  questions: readonly RankingQuestion[],
  embedder: CorpusEmbedder,
  onProgress?: (done: number, total: number) => void,
): Promise<SimilarReport> {
  const text = (x: { subject: string; body: string }): string => `${cleanText(x.subject, 'auto')}\n\n${cleanText(x.body, 'auto')}`;
  const candidates = questions.flatMap((q) => q.related);
  const vectors = await embedder.embedMany([...questions.map(text), ...candidates.map(text)], onProgress ? { onProgress } : {});

  const kb = new KnowledgeBase(embedder.dims);
  const idOf = new Map<string, DocumentId>();
  candidates.forEach((c, i) => {
    const id = documentId(i + 1);
    idOf.set(c.id, id);
    kb.add(
      {
        id, platform: 'discourse', threadId: c.id, kind: 'question', title: cleanText(c.subject, 'auto'), text: cleanText(c.body, 'auto'),
        createdAt: new Date(0), tags: [], accepted: false, score: 0,
      },
      vectors[questions.length + i]!,
    );
  });

  const avg = new Averages<string>();
  let evaluated = 0;
  questions.forEach((q, qi) => {
    const ids = q.related.map((r) => idOf.get(r.id)!);
    const relevant = new Set(q.related.filter((r) => RELEVANT.has(r.relevance)).map((r) => idOf.get(r.id)!));
    if (relevant.size === 0) return;
    evaluated++;
    const query = { vector: vectors[qi]!, text: text(q) };
    const engine = scoreDocuments(kb, query, ids);
    const bm25 = kb.lexical.scoreDocuments(query.text, ids);
    const byScore = (score: (id: DocumentId) => number): DocumentId[] => [...ids].sort((a, b) => score(b) - score(a) || a - b);
    const rankings: Record<string, DocumentId[]> = {
      engine: byScore((id) => engine.get(id)?.score ?? -Infinity),
      irRank: [...q.related].sort((a, b) => a.ir_rank - b.ir_rank).map((r) => idOf.get(r.id)!),
      bm25: byScore((id) => bm25.get(id) ?? 0),
      embeddingCosine: byScore((id) => dot(query.vector, kb.vectorOf(id)!)),
    };
    for (const [name, ranking] of Object.entries(rankings)) {
      avg.add(`${name}.map`, averagePrecision(ranking, relevant));
      avg.add(`${name}.mrr`, reciprocalRank(ranking, relevant));
    }
  });
  const scores = (name: string): SimilarScores => ({ map: avg.get(`${name}.map`), mrr: avg.get(`${name}.mrr`) });
  return {
    questions: evaluated,
    engine: scores('engine'),
    baselines: { irRank: scores('irRank'), bm25: scores('bm25'), embeddingCosine: scores('embeddingCosine') },
  };
}
