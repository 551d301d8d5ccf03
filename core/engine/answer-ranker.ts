// Which answer will the person who asked find most helpful? A linear ranker over what each answer
// is (length, substance, closeness to the question, when it came) and who wrote it (how often
// their answers were accepted before), fitted as a conditional logit on the community's own
// threads whose accepted answer is known. Acceptance counts only once a thread is
// OUTCOME_DELAY_DAYS old, both as the label and in the authors' records, so a replay learns only
// from what was known at the time. The digest uses it under the asker's own feedback, which
// always comes first (core/concierge/curation.ts).
import { concreteKinds, specificity, wordCount } from '../concierge/curation.js';
import { choosePenalty, fitConditionalLogit, fitConditionalLogitAsync, type LinearRanker, type RankingGroup } from './linear-ranker.js';
import { OUTCOME_DELAY_DAYS } from './member-profiles.js';
import { dot } from './similar-topics.js';
import { drain, drainSliced } from './steps.js';

const DAY_MS = 86_400_000;

export const ANSWER_FEATURES = [
  'specificity',
  'words',
  'relativeLength',
  'longest',
  'concrete',
  'relevance',
  'relevanceGap',
  'position',
  'first',
  'acceptedRate',
  'experience',
  'byAsker',
] as const;

/** An author's record as far as it was known: answers written, and of those judged, accepted. */
export interface AuthorRecord {
  answers: number;
  judged: number;
  accepted: number;
}

export interface AnswerInput {
  text: string;
  vector?: Float32Array | undefined;
  postedAt: number;
  author: AuthorRecord;
  byAsker: boolean;
}

/** Feature rows of a question's answers (in ANSWER_FEATURES order), each relative to the others. */
export function answerFeatures(question: Float32Array | undefined, answers: readonly AnswerInput[]): Float32Array[] {
  const words = answers.map((a) => wordCount(a.text));
  const most = Math.max(1, ...words);
  const relevance = answers.map((a) => (question && a.vector ? dot(question, a.vector) : 0));
  const best = Math.max(...relevance);
  const order = answers
    .map((a, i) => ({ t: a.postedAt, i }))
    .sort((x, y) => x.t - y.t || x.i - y.i)
    .map((x) => x.i);
  return answers.map((a, i) => {
    const position = order.indexOf(i);
    return Float32Array.from([
      specificity(a.text),
      Math.log1p(words[i]!),
      words[i]! / most,
      words[i] === most ? 1 : 0,
      concreteKinds(a.text).length / 4,
      relevance[i]!,
      relevance[i]! - best,
      Math.log1p(position),
      position === 0 ? 1 : 0,
      (a.author.accepted + 0.3) / (a.author.judged + 1),
      Math.log1p(a.author.answers),
      a.byAsker ? 1 : 0,
    ]);
  });
}

/**
 * Collects training threads from a history fed in time order, keeps authors' records with the
 * outcome delay, and (optionally) refits as the threads grow by a tenth.
 */
export class AnswerLearner {
  private readonly authors = new Map<string, AuthorRecord>();
  private readonly threads = new Map<
    string,
    { questionTime: number; vector: Float32Array | undefined; asker: string | undefined; answers: (AnswerInput & { key: string; accepted: boolean })[] }
  >();
  private readonly groups: RankingGroup[] = [];
  private model: LinearRanker | undefined;
  private penalty: number | undefined;
  private atFit = 0;
  private atPenalty = 0;

  constructor(private readonly options: { refit?: boolean; minGroups?: number } = {}) {}

  get ranker(): LinearRanker | undefined {
    return this.model;
  }

  get trainingThreads(): number {
    return this.groups.length;
  }

  /** The author's record as known now. */
  record(author: string): AuthorRecord {
    return this.authors.get(author) ?? { answers: 0, judged: 0, accepted: 0 };
  }

  question(thread: string, time: number, vector: Float32Array | undefined, asker: string | undefined): void {
    this.threads.set(thread, { questionTime: time, vector, asker, answers: [] });
  }

  /** An answer was posted; `accepted` is its eventual outcome, used only once it is known. */
  answer(thread: string, author: string, text: string, vector: Float32Array | undefined, postedAt: number, accepted: boolean): void {
    const t = this.threads.get(thread);
    if (!t) return;
    t.answers.push({ key: author, text, vector, postedAt, author: { ...this.record(author) }, byAsker: author === t.asker, accepted });
    const r = this.authors.get(author) ?? { answers: 0, judged: 0, accepted: 0 };
    r.answers++;
    this.authors.set(author, r);
  }

  /** Moves the clock: outcomes of threads old enough become known (records and training). */
  advance(now: number): void {
    for (const [key, t] of this.threads) {
      if (now - t.questionTime < OUTCOME_DELAY_DAYS * DAY_MS) continue;
      this.threads.delete(key);
      for (const a of t.answers) {
        const r = this.authors.get(a.key)!;
        r.judged++;
        if (a.accepted) r.accepted++;
      }
      if (t.answers.length >= 2 && t.answers.some((a) => a.accepted)) {
        this.groups.push({ rows: answerFeatures(t.vector, t.answers), relevant: t.answers.map((a) => a.accepted) });
      }
    }
    const n = this.groups.length;
    if (this.options.refit === false || n < (this.options.minGroups ?? 30) || n < this.atFit * 1.1) return;
    if (this.penalty === undefined || n >= 2 * this.atPenalty) {
      this.penalty = drain(choosePenalty(ANSWER_FEATURES, this.groups));
      this.atPenalty = n;
    }
    this.model = fitConditionalLogit(ANSWER_FEATURES, this.groups, { l2PerGroup: this.penalty, start: this.model }) ?? this.model;
    this.atFit = n;
  }

  /** Fits once on every thread collected (a background calibration). */
  async finalFit(pause: () => Promise<void>): Promise<LinearRanker | undefined> {
    if (this.groups.length < (this.options.minGroups ?? 30)) return undefined;
    this.penalty = await drainSliced(choosePenalty(ANSWER_FEATURES, this.groups), pause);
    this.model = await fitConditionalLogitAsync(ANSWER_FEATURES, this.groups, { l2PerGroup: this.penalty }, pause);
    return this.model;
  }
}
