// Routing evaluation on a Q&A dataset: replay questions and answers in time order; at each
// question, rank members using only what happened before it, then score the ranking against the
// people who actually answered.
import { KnowledgeBase } from '../../core/engine/knowledge-base.js';
import { DEFAULT_ENGINE_SETTINGS } from '../../core/engine/engine.js';
import { DEFAULT_ROUTING, rankMembers } from '../../core/engine/routing.js';
import { documentId, memberId, type MemberId } from '../../core/types.js';
import { ANONYMOUS_AUTHOR, type QaQuestion } from './datasets.js';
import { Averages, recallAt, reciprocalRank } from './metrics.js';
import type { QaCorpus } from './qa-corpus.js';

export interface RoutingScores {
  recall5: number;
  recall10: number;
  mrr: number;
  acceptedHit5: number;
}

export interface RoutingReport {
  questions: number;
  engine: RoutingScores;
  baselines: { mostActive: RoutingScores; recentActivity: RoutingScores };
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

class Members {
  private readonly ids = new Map<string, MemberId>();
  id(external: string): MemberId | undefined {
    if (external === ANONYMOUS_AUTHOR) return undefined;
    let m = this.ids.get(external);
    if (m === undefined) this.ids.set(external, (m = memberId(this.ids.size + 1)));
    return m;
  }
}

function score(avg: Averages<string>, prefix: string): RoutingScores {
  return {
    recall5: avg.get(`${prefix}.r5`),
    recall10: avg.get(`${prefix}.r10`),
    mrr: avg.get(`${prefix}.mrr`),
    acceptedHit5: avg.get(`${prefix}.acc5`),
  };
}

export function evaluateRouting(corpus: QaCorpus, onProgress?: (done: number, total: number) => void): RoutingReport {
  const kb = new KnowledgeBase(corpus.dims);
  const members = new Members();
  const answers = new Map<MemberId, number[]>(); // answer times, for the baselines
  const avg = new Averages<string>();
  const events = timeline(corpus.questions);
  let nextDoc = 1;
  let evaluated = 0;

  events.forEach((ev, i) => {
    if (i % 500 === 0) onProgress?.(i, events.length);
    const q = ev.question;
    if (ev.answerIndex !== undefined) {
      const a = q.answers[ev.answerIndex]!;
      const author = members.id(a.author.id);
      kb.add(
        {
          id: documentId(nextDoc++), platform: 'discourse', threadId: String(q.id), kind: 'answer', text: corpus.answerText(a),
          authorId: author, createdAt: new Date(ev.at), tags: [], accepted: a.accepted, score: a.score,
        },
        corpus.answerVector(a),
      );
      if (author !== undefined) answers.set(author, [...(answers.get(author) ?? []), ev.at]);
      return;
    }

    const asker = members.id(q.asker.id);
    const answerers = new Set(q.answers.map((a) => members.id(a.author.id)).filter((m): m is MemberId => m !== undefined && m !== asker));
    if (answerers.size > 0) {
      evaluated++;
      const accepted = q.answers.find((a) => a.accepted);
      const acceptedBy = accepted ? members.id(accepted.author.id) : undefined;
      const now = new Date(ev.at + DAY_MS / 2);
      const text = corpus.questionText(q);
      const prepared = kb.prepare({ vector: corpus.questionVector(q), text }, DEFAULT_ENGINE_SETTINGS.candidates);
      const engine = rankMembers(kb, prepared, { now, ...(asker !== undefined ? { originatorId: asker } : {}) }, {
        ...DEFAULT_ROUTING,
        maxInvitations: RANK_DEPTH,
      }).recommended.map((r) => r.memberId);
      const rankings: Record<string, MemberId[]> = {
        engine,
        mostActive: rankBy(answers, asker, (times) => times.length),
        recentActivity: rankBy(answers, asker, (times) => times.reduce((s, t) => s + Math.pow(0.5, (ev.at - t) / (90 * DAY_MS)), 0)),
      };
      for (const [name, ranking] of Object.entries(rankings)) {
        avg.add(`${name}.r5`, recallAt(ranking, answerers, 5));
        avg.add(`${name}.r10`, recallAt(ranking, answerers, 10));
        avg.add(`${name}.mrr`, reciprocalRank(ranking, answerers));
        if (acceptedBy !== undefined && acceptedBy !== asker) avg.add(`${name}.acc5`, ranking.slice(0, 5).includes(acceptedBy) ? 1 : 0);
      }
    }
    kb.add(
      {
        id: documentId(nextDoc++), platform: 'discourse', threadId: String(q.id), kind: 'question', title: q.title, text: corpus.bodyText(q),
        authorId: asker, createdAt: new Date(ev.at), tags: q.tags, accepted: false, score: q.score,
      },
      corpus.questionVector(q),
    );
  });
  onProgress?.(events.length, events.length);
  return { questions: evaluated, engine: score(avg, 'engine'), baselines: { mostActive: score(avg, 'mostActive'), recentActivity: score(avg, 'recentActivity') } };
}

/** Baseline rankings: members by a function of their past answer times (ties by id). */
function rankBy(answers: Map<MemberId, number[]>, exclude: MemberId | undefined, value: (times: number[]) => number): MemberId[] {
  return [...answers.entries()]
    .filter(([m]) => m !== exclude)
    .map(([m, times]) => ({ m, v: value(times) }))
    .sort((a, b) => b.v - a.v || a.m - b.m)
    .slice(0, RANK_DEPTH)
    .map((x) => x.m);
}
