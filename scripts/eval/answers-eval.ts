// Answer curation on a Q&A dataset: for every question with at least two answers and an accepted
// one, rank its answers with the curation ranker (core/concierge/curation.ts) and see where the
// accepted answer lands: top-1 accuracy and MRR. The ranker never sees the `accepted` flag; the
// responder's track record counts only accepted answers, posted before the question's date, on
// the question's nearest earlier questions. Score (votes) is partly a consequence of acceptance,
// so the headline ranker ignores it; the variant with score is reported beside it.
// Baselines: earliest answer first, highest score first, and random order (expected value).
import { rankResponses, type CandidateResponse } from '../../core/concierge/curation.js';
import { dot } from '../../core/engine/similar-topics.js';
import { ANONYMOUS_AUTHOR, chronological, type QaAnswer, type QaQuestion } from './datasets.js';
import { Averages, reciprocalRank } from './metrics.js';
import type { CorpusEmbedder, QaCorpus } from './qa-corpus.js';

export interface AnswerScores {
  top1: number;
  mrr: number;
}

export interface AnswersReport {
  /** Questions evaluated (at least two answers, one accepted). */
  questions: number;
  /** Answers ranked over those questions. */
  answers: number;
  /** The curation ranker without score: feedback-free (the asker's acceptance is the label). */
  engine: AnswerScores;
  /** The curation ranker with the answers' scores as likes. */
  withScore: AnswerScores;
  baselines: { earliestFirst: AnswerScores; byScore: AnswerScores; random: AnswerScores };
}

/** Earlier questions whose accepted answers count towards a responder's track record. */
export const TRACK_RECORD_NEIGHBOURS = 30;

const byTime = (a: QaAnswer, b: QaAnswer): number => a.date.localeCompare(b.date) || a.id - b.id;

export function eligibleForCuration(q: QaQuestion): boolean {
  return q.answers.length >= 2 && q.accepted_answer_id != null && q.answers.some((a) => a.id === q.accepted_answer_id);
}

/**
 * Accepted answers per author among the `k` earlier questions (strictly earlier date) most
 * similar to `q`, counting only answers posted before `q`'s date.
 */
export function trackRecords(q: QaQuestion, earlier: readonly QaQuestion[], vectorOf: (q: QaQuestion) => Float32Array, k: number): Map<string, number> {
  const v = vectorOf(q);
  const nearest = earlier
    .filter((p) => p.date < q.date)
    .map((p) => ({ p, s: dot(v, vectorOf(p)) }))
    .sort((a, b) => b.s - a.s || a.p.id - b.p.id)
    .slice(0, k);
  const out = new Map<string, number>();
  for (const { p } of nearest) {
    for (const a of p.answers) {
      if (!a.accepted || a.date >= q.date || a.author.id === ANONYMOUS_AUTHOR) continue;
      out.set(a.author.id, (out.get(a.author.id) ?? 0) + 1);
    }
  }
  return out;
}

export async function evaluateAnswers(corpus: QaCorpus, embedder: CorpusEmbedder, onProgress?: (done: number, total: number) => void): Promise<AnswersReport> {
  const ordered = chronological(corpus.questions);
  const eligible = ordered.filter(eligibleForCuration);
  // The corpus may have been built without answer vectors; cached ones cost nothing here.
  const answers = eligible.flatMap((q) => q.answers);
  const vectors = await embedder.embedMany(answers.map((a) => corpus.answerText(a)), onProgress ? { onProgress } : {});
  const answerVector = new Map(answers.map((a, i) => [a.id, vectors[i]!]));

  const avg = new Averages<string>();
  const add = (name: string, ranking: readonly number[], accepted: ReadonlySet<number>): void => {
    avg.add(`${name}.top1`, ranking[0] !== undefined && accepted.has(ranking[0]) ? 1 : 0);
    avg.add(`${name}.mrr`, reciprocalRank(ranking, accepted));
  };
  for (const q of eligible) {
    const accepted = new Set([q.accepted_answer_id!]);
    const records = trackRecords(q, ordered, (x) => corpus.questionVector(x), TRACK_RECORD_NEIGHBOURS);
    const candidates = (withScore: boolean): CandidateResponse<number>[] =>
      q.answers.map((a) => ({
        id: a.id,
        text: a.body,
        vector: answerVector.get(a.id),
        createdAt: new Date(Date.parse(a.date) + a.id), // day-level dates; the id keeps posting order
        trackRecord: records.get(a.author.id) ?? 0,
        ...(withScore ? { likes: a.score } : {}),
      }));
    const problem = { vector: corpus.questionVector(q) };
    add('engine', rankResponses(problem, candidates(false)).map((r) => r.response.id), accepted);
    add('withScore', rankResponses(problem, candidates(true)).map((r) => r.response.id), accepted);
    add('earliestFirst', [...q.answers].sort(byTime).map((a) => a.id), accepted);
    add('byScore', [...q.answers].sort((a, b) => b.score - a.score || byTime(a, b)).map((a) => a.id), accepted);
    // Random order, in expectation: the accepted answer is first with probability 1/n, and its
    // expected reciprocal rank is H(n)/n.
    const n = q.answers.length;
    avg.add('random.top1', 1 / n);
    let harmonic = 0;
    for (let i = 1; i <= n; i++) harmonic += 1 / i;
    avg.add('random.mrr', harmonic / n);
  }
  const scores = (name: string): AnswerScores => ({ top1: avg.get(`${name}.top1`), mrr: avg.get(`${name}.mrr`) });
  return {
    questions: eligible.length,
    answers: answers.length,
    engine: scores('engine'),
    withScore: scores('withScore'),
    baselines: { earliestFirst: scores('earliestFirst'), byScore: scores('byScore'), random: scores('random') },
  };
}
