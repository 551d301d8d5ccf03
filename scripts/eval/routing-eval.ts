// Routing evaluation on a Q&A dataset: questions and answers are replayed in time order (a
// question before the same day's answers) through the engine's own RoutingReplay, which learns
// whom to ask from who answered earlier questions; at each question it ranks members from what
// happened before, and the ranking is scored against the people who actually answered. Answers'
// accepted flags and scores reach the engine only once their question is 30 days old.
// Baselines, from the same replay: most answers so far, and recency-weighted answers with the
// half-life the tuning part prefers among {3, 7, 10, 14, 30, 90} days.
import { scoreRow } from '../../core/engine/linear-ranker.js';
import { namedWeights } from '../../core/engine/linear-ranker.js';
import { RoutingReplay } from '../../core/engine/routing-replay.js';
import { documentId, memberId, type MemberId } from '../../core/types.js';
import { ANONYMOUS_AUTHOR, chronological, type QaQuestion } from './datasets.js';
import { recallAt, reciprocalRank } from './metrics.js';
import { FIRST_QUESTIONS, timeSplit } from './protocol.js';
import type { QaCorpus } from './qa-corpus.js';
import { meanMetric, Scorecard, type Comparison, type Metric } from './scorecard.js';

export const RECENCY_HALF_LIVES = [3, 7, 10, 14, 30, 90] as const;

export const ROUTING_METRICS: Metric[] = [
  meanMetric('recall5'),
  meanMetric('recall10'),
  meanMetric('mrr'),
  { name: 'acceptedHit5', components: ['acc5', 'hasAccepted'], value: (s) => (s[1]! ? s[0]! / s[1]! : 0) },
];

export interface RoutingReport {
  questions: { tuning: number; report: number };
  /** Report part. */
  engine: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  /** Half-life (days) of the recency baseline chosen on the tuning part, per metric. */
  recencyHalfLife: Record<string, number>;
  comparisons: Comparison[];
  /** Of the dataset's first FIRST_QUESTIONS questions, those with answerers (a community's first weeks). */
  firstQuestions: { questions: number; engine: Record<string, number>; baselines: Record<string, Record<string, number>> };
  /** What the engine learned by the end of the replay. */
  learned: { ranker: 'learned' | 'prior'; trainingQuestions: number; penalty: number | undefined; weights: Record<string, number> };
}

const DAY_MS = 86_400_000;
const RANK_DEPTH = 100;

type Event = { at: number; order: number; question: QaQuestion; answerIndex?: number };

/** Questions before same-day answers, so an answer never precedes its own question. */
function timeline(questions: readonly QaQuestion[]): Event[] {
  const events: Event[] = [];
  for (const q of questions) {
    events.push({ at: Date.parse(q.date), order: 0, question: q });
    q.answers.forEach((a, i) => events.push({ at: Math.max(Date.parse(a.date), Date.parse(q.date)), order: 1, question: q, answerIndex: i }));
  }
  return events.sort((a, b) => a.at - b.at || a.order - b.order || a.question.id - b.question.id || (a.answerIndex ?? 0) - (b.answerIndex ?? 0));
}

/** Dataset author ids to member ids; the anonymous user is nobody. */
export class Members {
  private readonly ids = new Map<string, MemberId>();
  id(external: string): MemberId | undefined {
    if (external === ANONYMOUS_AUTHOR) return undefined;
    let m = this.ids.get(external);
    if (m === undefined) this.ids.set(external, (m = memberId(this.ids.size + 1)));
    return m;
  }
}

/** Members by a value, best first (ties by id), at most RANK_DEPTH. */
function rankBy(members: readonly MemberId[], value: (m: MemberId) => number): MemberId[] {
  return members
    .map((m) => ({ m, v: value(m) }))
    .sort((a, b) => b.v - a.v || a.m - b.m)
    .slice(0, RANK_DEPTH)
    .map((x) => x.m);
}

export function evaluateRouting(corpus: QaCorpus, onProgress?: (done: number, total: number) => void): RoutingReport {
  const replay = new RoutingReplay(corpus.dims);
  const members = new Members();
  const answerTimes = new Map<MemberId, number[]>(); // for the baselines
  const split = timeSplit(chronological(corpus.questions));
  const order = new Map(chronological(corpus.questions).map((q, i) => [q, i]));
  const card = new Scorecard(ROUTING_METRICS);
  const events = timeline(corpus.questions);
  let nextDoc = 1;

  events.forEach((ev, i) => {
    if (i % 500 === 0) onProgress?.(i, events.length);
    const q = ev.question;
    if (ev.answerIndex !== undefined) {
      const a = q.answers[ev.answerIndex]!;
      const author = members.id(a.author.id);
      replay.add(
        {
          id: documentId(nextDoc++),
          platform: 'discourse',
          threadId: String(q.id),
          kind: 'answer',
          text: corpus.answerText(a),
          authorId: author,
          createdAt: new Date(ev.at),
          tags: [],
          accepted: a.accepted,
          score: a.score,
        },
        corpus.answerVector(a),
      );
      if (author !== undefined) answerTimes.set(author, [...(answerTimes.get(author) ?? []), ev.at]);
      return;
    }

    const asker = members.id(q.asker.id);
    const ranker = replay.learner.ranker;
    const asked = replay.add(
      {
        id: documentId(nextDoc++),
        platform: 'discourse',
        threadId: String(q.id),
        kind: 'question',
        title: q.title,
        text: corpus.bodyText(q),
        authorId: asker,
        createdAt: new Date(ev.at),
        tags: q.tags,
        accepted: false,
        score: q.score,
      },
      corpus.questionVector(q),
    )!;
    const answerers = new Set(q.answers.map((a) => members.id(a.author.id)).filter((m): m is MemberId => m !== undefined && m !== asker));
    if (answerers.size === 0) return;
    const accepted = q.answers.find((a) => a.accepted);
    const acceptedBy = accepted ? members.id(accepted.author.id) : undefined;
    // Baselines rank everyone who answered before; the engine ranks its candidates (the same people).
    const answeredBefore = [...answerTimes.keys()].filter((m) => m !== asker);
    const engineScore = new Map(asked.members.map((m, j) => [m, scoreRow(ranker, asked.rows[j]!)]));
    const rankings: Record<string, MemberId[]> = {
      engine: rankBy(asked.members, (m) => engineScore.get(m)!),
      mostActive: rankBy(answeredBefore, (m) => answerTimes.get(m)!.length),
    };
    for (const h of RECENCY_HALF_LIVES) {
      rankings[`recency${h}d`] = rankBy(answeredBefore, (m) => answerTimes.get(m)!.reduce((s, t) => s + Math.pow(0.5, (ev.at - t) / (h * DAY_MS)), 0));
    }
    const values: Record<string, Record<string, number>> = {};
    for (const [name, ranking] of Object.entries(rankings)) {
      const hasAccepted = acceptedBy !== undefined && acceptedBy !== asker ? 1 : 0;
      values[name] = {
        recall5: recallAt(ranking, answerers, 5),
        recall10: recallAt(ranking, answerers, 10),
        mrr: reciprocalRank(ranking, answerers),
        acc5: hasAccepted && ranking.slice(0, 5).includes(acceptedBy!) ? 1 : 0,
        hasAccepted,
      };
    }
    card.add(split.partOf(q), order.get(q)!, values);
  });
  onProgress?.(events.length, events.length);

  const recencyVariants = RECENCY_HALF_LIVES.map((h) => `recency${h}d`);
  const chosen = Object.fromEntries(ROUTING_METRICS.map((m) => [m.name, card.chooseOnTuning(recencyVariants, m.name)]));
  const tunedRecency = (scores: (system: string) => Record<string, number>): Record<string, number> =>
    Object.fromEntries(ROUTING_METRICS.map((m) => [m.name, scores(chosen[m.name]!)[m.name]!]));
  const comparisons = ROUTING_METRICS.map((m, i) => card.compare('engine', ['mostActive', chosen[m.name]!], m.name, i + 1));
  const learner = replay.learner;
  return {
    questions: { tuning: card.count('tuning'), report: card.count('report') },
    engine: card.scores('engine'),
    baselines: { mostActive: card.scores('mostActive'), recencyTuned: tunedRecency((s) => card.scores(s)) },
    recencyHalfLife: Object.fromEntries(Object.entries(chosen).map(([metric, v]) => [metric, Number(v.replace(/\D/g, ''))])),
    comparisons,
    firstQuestions: {
      questions: card.countFirst(FIRST_QUESTIONS),
      engine: card.firstScores('engine', FIRST_QUESTIONS),
      baselines: { mostActive: card.firstScores('mostActive', FIRST_QUESTIONS), recencyTuned: tunedRecency((s) => card.firstScores(s, FIRST_QUESTIONS)) },
    },
    learned: {
      ranker: learner.learned ? 'learned' : 'prior',
      trainingQuestions: learner.trainingGroups,
      penalty: learner.chosenPenalty,
      weights: namedWeights(learner.ranker),
    },
  };
}
