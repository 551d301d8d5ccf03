// Answer curation on a Q&A dataset: for every question with at least two answers and an accepted
// one, rank its answers as the digest does (core/concierge/curation.ts, with the engine's learned
// answer ranker, core/engine/answer-ranker.ts) once they are all in, and see where the accepted
// answer lands: top-1 accuracy and MRR, on the report part. Questions and answers are replayed in
// time order; the ranker learns from earlier threads whose acceptance is known, which it is only
// OUTCOME_DELAY_DAYS after the question (also for the authors' records). It never sees the
// `accepted` flag or the votes of the answers it ranks. Votes are partly a consequence of
// acceptance, so the headline ranker ignores them; the variant with votes is reported beside it.
// Baselines: longest answer first, earliest first, and random order (expected value); by votes
// as a reference only (it uses what the headline ranker is denied). The built-in hand-set
// weights are shown too (their track record: accepted answers on the nearest earlier questions
// at least OUTCOME_DELAY_DAYS older).
import { rankResponses, wordCount, type CandidateResponse } from '../../core/concierge/curation.js';
import { AnswerLearner, answerFeatures, type AnswerInput } from '../../core/engine/answer-ranker.js';
import { namedWeights, scoreRow } from '../../core/engine/linear-ranker.js';
import { OUTCOME_DELAY_DAYS } from '../../core/engine/member-profiles.js';
import { dot } from '../../core/engine/similar-topics.js';
import { ANONYMOUS_AUTHOR, chronological, type QaAnswer, type QaQuestion } from './datasets.js';
import { reciprocalRank } from './metrics.js';
import { timeSplit } from './protocol.js';
import type { CorpusEmbedder, QaCorpus } from './qa-corpus.js';
import { meanMetric, Scorecard, type Comparison } from './scorecard.js';

export interface AnswersReport {
  questions: { tuning: number; report: number };
  /** Answers ranked over the report part's questions. */
  answers: number;
  /** The curation ranker without votes (the asker's acceptance is the label). */
  engine: Record<string, number>;
  /** The curation ranker with the answers' votes as likes. */
  withScore: Record<string, number>;
  /** The curation ranker's built-in hand-set weights (before it learned). */
  builtIn: Record<string, number>;
  /** The answer ranker learned by the end of the replay. */
  learned: { threads: number; weights: Record<string, number> } | undefined;
  baselines: Record<string, Record<string, number>>;
  /** Engine minus the best baseline that does not use votes. */
  comparisons: Comparison[];
}

/** Earlier questions whose accepted answers count towards a responder's track record. */
export const TRACK_RECORD_NEIGHBOURS = 30;

const DAY_MS = 86_400_000;
const byTime = (a: QaAnswer, b: QaAnswer): number => a.date.localeCompare(b.date) || a.id - b.id;

export function eligibleForCuration(q: QaQuestion): boolean {
  return q.answers.length >= 2 && q.accepted_answer_id != null && q.answers.some((a) => a.id === q.accepted_answer_id);
}

/**
 * Accepted answers per author among the `k` earlier questions most similar to `q`, counting only
 * questions at least OUTCOME_DELAY_DAYS older than `q` (whether an answer was accepted is not
 * known sooner).
 */
export function trackRecords(q: QaQuestion, earlier: readonly QaQuestion[], vectorOf: (q: QaQuestion) => Float32Array, k: number): Map<string, number> {
  const v = vectorOf(q);
  const visibleUntil = Date.parse(q.date) - OUTCOME_DELAY_DAYS * DAY_MS;
  const nearest = earlier
    .filter((p) => Date.parse(p.date) <= visibleUntil)
    .map((p) => ({ p, s: dot(v, vectorOf(p)) }))
    .sort((a, b) => b.s - a.s || a.p.id - b.p.id)
    .slice(0, k);
  const out = new Map<string, number>();
  for (const { p } of nearest) {
    for (const a of p.answers) {
      if (!a.accepted || a.author.id === ANONYMOUS_AUTHOR) continue;
      out.set(a.author.id, (out.get(a.author.id) ?? 0) + 1);
    }
  }
  return out;
}

export async function evaluateAnswers(corpus: QaCorpus, embedder: CorpusEmbedder, onProgress?: (done: number, total: number) => void): Promise<AnswersReport> {
  const ordered = chronological(corpus.questions);
  const split = timeSplit(ordered);
  const order = new Map(ordered.map((q, i) => [q, i]));
  // The corpus may have been built without answer vectors; cached ones cost nothing here.
  const answers = ordered.flatMap((q) => q.answers);
  const vectors = await embedder.embedMany(
    answers.map((a) => corpus.answerText(a)),
    onProgress ? { onProgress } : {},
  );
  const answerVector = new Map(answers.map((a, i) => [a.id, vectors[i]!]));

  type Event = { at: number; q: QaQuestion; a?: QaAnswer };
  const events: Event[] = ordered.flatMap((q) => [
    { at: Date.parse(q.date), q },
    ...[...q.answers].sort(byTime).map((a) => ({ at: Math.max(Date.parse(a.date), Date.parse(q.date)), q, a })),
  ]);
  events.sort((x, y) => x.at - y.at || Number(x.a !== undefined) - Number(y.a !== undefined) || x.q.id - y.q.id || (x.a?.id ?? 0) - (y.a?.id ?? 0));

  const learner = new AnswerLearner();
  const inputs = new Map<number, Map<number, AnswerInput>>();
  const card = new Scorecard([meanMetric('top1'), meanMetric('mrr')]);
  let reportAnswers = 0;
  for (const ev of events) {
    learner.advance(ev.at);
    const q = ev.q;
    const thread = String(q.id);
    if (!ev.a) {
      learner.question(thread, ev.at, corpus.questionVector(q), q.asker.id);
      inputs.set(q.id, new Map());
      continue;
    }
    const a = ev.a;
    // Day-level dates: the id keeps posting order within a day.
    const postedAt = ev.at + a.id;
    inputs
      .get(q.id)!
      .set(a.id, { text: a.body, vector: answerVector.get(a.id), postedAt, author: learner.record(a.author.id), byAsker: a.author.id === q.asker.id });
    learner.answer(thread, a.author.id, a.body, answerVector.get(a.id), postedAt, a.accepted);
    if (!eligibleForCuration(q) || inputs.get(q.id)!.size < q.answers.length) continue;
    // Every answer is in: the digest ranks them now.
    const byAnswer = inputs.get(q.id)!;
    const values = rankQuestion(
      q,
      q.answers.map((x) => byAnswer.get(x.id)!),
      learner.ranker,
      ordered,
      corpus,
      answerVector,
    );
    const part = split.partOf(q);
    if (part === 'report') reportAnswers += q.answers.length;
    card.add(part, order.get(q)!, values);
  }
  const fair = ['longestFirst', 'earliestFirst', 'random'];
  const ranker = learner.ranker;
  return {
    questions: { tuning: card.count('tuning'), report: card.count('report') },
    answers: reportAnswers,
    engine: card.scores('engine'),
    withScore: card.scores('withScore'),
    builtIn: card.scores('builtIn'),
    baselines: Object.fromEntries([...fair, 'byScore'].map((b) => [b, card.scores(b)])),
    comparisons: ['top1', 'mrr'].map((m, i) => card.compare('engine', fair, m, 30 + i)),
    learned: ranker ? { threads: learner.trainingThreads, weights: namedWeights(ranker) } : undefined,
  };
}

/** Every system's ranking of one question's answers, scored against its accepted answer. */
function rankQuestion(
  q: QaQuestion,
  /** In the order of q.answers. */
  inputs: readonly AnswerInput[],
  ranker: AnswerLearner['ranker'],
  ordered: readonly QaQuestion[],
  corpus: QaCorpus,
  answerVector: ReadonlyMap<number, Float32Array>,
): Record<string, Record<string, number>> {
  const accepted = new Set([q.accepted_answer_id!]);
  const problem = { vector: corpus.questionVector(q) };
  const rows = answerFeatures(problem.vector, inputs);
  const prior = new Map(q.answers.map((a, i) => [a.id, ranker ? scoreRow(ranker, rows[i]!) : undefined]));
  const records = trackRecords(q, ordered, (x) => corpus.questionVector(x), TRACK_RECORD_NEIGHBOURS);
  const candidates = (withScore: boolean, learned: boolean): CandidateResponse<number>[] =>
    q.answers.map((a) => ({
      id: a.id,
      text: a.body,
      vector: answerVector.get(a.id),
      createdAt: new Date(Date.parse(a.date) + a.id),
      trackRecord: records.get(a.author.id) ?? 0,
      ...(learned ? { prior: prior.get(a.id) } : {}),
      ...(withScore ? { likes: a.score } : {}),
    }));
  const words = new Map(q.answers.map((a) => [a.id, wordCount(a.body)]));
  const rankings: Record<string, number[]> = {
    engine: rankResponses(problem, candidates(false, true)).map((r) => r.response.id),
    withScore: rankResponses(problem, candidates(true, true)).map((r) => r.response.id),
    builtIn: rankResponses(problem, candidates(false, false)).map((r) => r.response.id),
    longestFirst: [...q.answers].sort((a, b) => words.get(b.id)! - words.get(a.id)! || byTime(a, b)).map((a) => a.id),
    earliestFirst: [...q.answers].sort(byTime).map((a) => a.id),
    byScore: [...q.answers].sort((a, b) => b.score - a.score || byTime(a, b)).map((a) => a.id),
  };
  const values: Record<string, Record<string, number>> = {};
  for (const [name, ranking] of Object.entries(rankings)) {
    values[name] = { top1: ranking[0] !== undefined && accepted.has(ranking[0]) ? 1 : 0, mrr: reciprocalRank(ranking, accepted) };
  }
  // Random order, in expectation: first with probability 1/n, reciprocal rank H(n)/n.
  const n = q.answers.length;
  let harmonic = 0;
  for (let i = 1; i <= n; i++) harmonic += 1 / i;
  values.random = { top1: 1 / n, mrr: harmonic / n };
  return values;
}
