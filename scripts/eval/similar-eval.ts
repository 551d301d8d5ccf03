// Similar-question evaluation (SemEval-2016 Task 3 subtask B format): rerank each question's
// candidates; MAP over questions with at least one relevant candidate, and MRR. Questions carry
// no date, so their id order stands for time: the first half (by id) is the tuning part. The
// engine chooses its mix of meaning and wording (core/engine/similar-calibration.ts) from the
// tuning part's judgements, as it would from its community's history; BM25's k1 and b are chosen
// on the same part. The engine never sees `ir_rank`; that order is the search engine's baseline.
import { KnowledgeBase, lexicalText } from '../../core/engine/knowledge-base.js';
import { calibrateSimilar, type JudgedQuery, type SimilarCalibration } from '../../core/engine/similar-calibration.js';
import { DEFAULT_SIMILAR, dot, scoreDocuments } from '../../core/engine/similar-topics.js';
import { Bm25Index } from '../../core/search/bm25.js';
import { cleanText } from '../../core/text/clean.js';
import { tokenize } from '../../core/text/tokenize.js';
import { documentId, type DocumentId } from '../../core/types.js';
import type { RankingQuestion } from './datasets.js';
import { averagePrecision, reciprocalRank } from './metrics.js';
import { timeSplit } from './protocol.js';
import type { CorpusEmbedder } from './qa-corpus.js';
import { meanMetric, Scorecard, type Comparison } from './scorecard.js';

export interface SimilarReport {
  questions: { tuning: number; report: number };
  engine: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  /** The engine with its built-in defaults, before calibration. */
  engineDefaults: Record<string, number>;
  /** What the engine chose on the tuning part, and BM25's parameters chosen there. */
  learned: SimilarCalibration | undefined;
  baselineSettings: Record<string, string>;
  comparisons: Comparison[];
}

const RELEVANT = new Set(['PerfectMatch', 'Relevant']);
const BM25_K1 = [0.6, 0.9, 1.2, 1.6, 2.0] as const;
const BM25_B = [0.3, 0.5, 0.75, 0.9] as const;

/** Numeric part of an id such as "Q268": the order questions were posted in. */
const idOrder = (id: string): number => Number(id.replace(/\D/g, '')) || 0;

export async function evaluateSimilar(
  questions: readonly RankingQuestion[],
  embedder: CorpusEmbedder,
  onProgress?: (done: number, total: number) => void,
): Promise<SimilarReport> {
  const text = (x: { subject: string; body: string }): string => `${cleanText(x.subject, 'auto')}\n\n${cleanText(x.body, 'auto')}`;
  const ordered = [...questions].sort((a, b) => idOrder(a.id) - idOrder(b.id) || a.id.localeCompare(b.id));
  const candidates = ordered.flatMap((q) => q.related);
  const vectors = await embedder.embedMany([...ordered.map(text), ...candidates.map(text)], onProgress ? { onProgress } : {});
  const questionVector = new Map(ordered.map((q, i) => [q, vectors[i]!]));

  const kb = new KnowledgeBase(embedder.dims);
  const idOf = new Map<string, DocumentId>();
  const bm25 = new Map<string, Bm25Index>(BM25_K1.flatMap((k1) => BM25_B.map((b) => [`bm25-${k1}-${b}`, new Bm25Index({ k1, b })] as const)));
  candidates.forEach((c, i) => {
    const id = documentId(i + 1);
    idOf.set(c.id, id);
    const doc = { title: cleanText(c.subject, 'auto'), text: cleanText(c.body, 'auto') };
    kb.add(
      { id, platform: 'discourse', threadId: c.id, kind: 'question', ...doc, createdAt: new Date(0), tags: [], accepted: false, score: 0 },
      vectors[ordered.length + i]!,
    );
    const tokens = tokenize(lexicalText(doc));
    for (const index of bm25.values()) index.addTokens(id, tokens);
  });

  const split = timeSplit(ordered);
  const judged: JudgedQuery[] = ordered
    .filter((q) => split.partOf(q) === 'tuning')
    .map((q) => ({
      vector: questionVector.get(q)!,
      text: text(q),
      candidates: q.related.map((r) => ({ id: idOf.get(r.id)!, relevant: RELEVANT.has(r.relevance) })),
    }));
  const learned = calibrateSimilar(kb, judged);

  const card = new Scorecard([meanMetric('map'), meanMetric('mrr')]);
  ordered.forEach((q, order) => {
    const ids = q.related.map((r) => idOf.get(r.id)!);
    const relevant = new Set(q.related.filter((r) => RELEVANT.has(r.relevance)).map((r) => idOf.get(r.id)!));
    if (relevant.size === 0) return;
    const query = { vector: questionVector.get(q)!, text: text(q) };
    const byScore = (score: (id: DocumentId) => number): DocumentId[] => [...ids].sort((a, b) => score(b) - score(a) || a - b);
    const hybrid = (lexicalWeight: number): DocumentId[] => {
      const scored = scoreDocuments(kb, query, ids, { lexicalWeight });
      return byScore((id) => scored.get(id)?.score ?? Number.NEGATIVE_INFINITY);
    };
    const rankings: Record<string, DocumentId[]> = {
      engine: hybrid(learned?.lexicalWeight ?? DEFAULT_SIMILAR.lexicalWeight),
      engineDefaults: hybrid(DEFAULT_SIMILAR.lexicalWeight),
      irRank: [...q.related].sort((a, b) => a.ir_rank - b.ir_rank).map((r) => idOf.get(r.id)!),
      embeddingCosine: byScore((id) => dot(query.vector, kb.vectorOf(id)!)),
    };
    for (const [name, index] of bm25) {
      const s = index.scoreDocuments(query.text, ids);
      rankings[name] = byScore((id) => s.get(id) ?? 0);
    }
    const values: Record<string, Record<string, number>> = {};
    for (const [name, ranking] of Object.entries(rankings)) values[name] = { map: averagePrecision(ranking, relevant), mrr: reciprocalRank(ranking, relevant) };
    card.add(split.partOf(q), order, values);
  });

  const bm25Choice = card.chooseOnTuning([...bm25.keys()], 'map');
  const baselines = ['irRank', bm25Choice, 'embeddingCosine'];
  const [, k1, b] = bm25Choice.split('-');
  return {
    questions: { tuning: card.count('tuning'), report: card.count('report') },
    engine: card.scores('engine'),
    baselines: { irRank: card.scores('irRank'), bm25: card.scores(bm25Choice), embeddingCosine: card.scores('embeddingCosine') },
    engineDefaults: card.scores('engineDefaults'),
    learned,
    baselineSettings: { bm25: `k1=${k1}, b=${b}` },
    comparisons: ['map', 'mrr'].map((m, i) => card.compare('engine', baselines, m, 20 + i)),
  };
}
