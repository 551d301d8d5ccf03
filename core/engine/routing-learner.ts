// Learns whom to ask from who actually answered. At each past question the candidates' features
// are recorded as they were then; the members who answered it later are the relevant ones. Once
// a question is old enough for its answers to be in, it becomes a training group, and the ranker
// is refitted whenever the groups grew by a tenth. Until there are enough groups the hand-set
// prior ranks (a new community).
import type { MemberId } from '../types.js';
import { choosePenalty, fitConditionalLogit, fitConditionalLogitAsync, fixedRanker, scoreRow, type LinearRanker, type RankingGroup } from './linear-ranker.js';
import { drain, drainSliced } from './steps.js';
import { ROUTING_FEATURES, type RoutingFeature } from './routing-features.js';
import { seededShuffle } from './shuffle.js';

const DAY_MS = 86_400_000;

/**
 * Before any learning: availability times a softened topical affinity, the product the engine
 * used before it learned (log-linear here), which is also what a brand-new community gets.
 */
export const PRIOR_WEIGHTS: Partial<Record<RoutingFeature, number>> = { activity14d: 1, semanticShare: 0.5, tagShareOfMember: 0.2 };
export const PRIOR_RANKER: LinearRanker = fixedRanker(ROUTING_FEATURES, PRIOR_WEIGHTS);

export interface RoutingLearnerOptions {
  /** Days after a question before its answerers are taken as complete enough to learn from. */
  labelDays?: number;
  /** Groups needed before the learned ranker replaces the prior. */
  minGroups?: number;
  /** Refit when the groups grew by this share since the last fit. */
  refitGrowth?: number;
  /** Most recent groups kept for training: bounds memory and fitting time, follows drift. */
  maxGroups?: number;
  /**
   * Candidates kept per question: the best by the ranker of the time, plus a random sample of
   * the rest that stands for all of them (weighted) in the softmax.
   */
  keepTop?: number;
  keepRandom?: number;
  /** A fixed ridge penalty instead of one chosen by time-split validation. */
  penalty?: number | undefined;
  /**
   * Refit while replaying (online, as the evaluation measures it); false defers all fitting to
   * finalFit (a background calibration only needs the last model).
   */
  refitDuringReplay?: boolean;
}

const DEFAULTS: Required<Omit<RoutingLearnerOptions, 'penalty'>> & Pick<RoutingLearnerOptions, 'penalty'> = {
  labelDays: 7,
  minGroups: 30,
  refitGrowth: 0.1,
  maxGroups: 5000,
  keepTop: 150,
  keepRandom: 100,
  penalty: undefined,
  refitDuringReplay: true,
};

interface Pending {
  time: number;
  members: MemberId[];
  rows: Float32Array[];
  weight: number[];
  answerers: Set<MemberId>;
  asker: MemberId | undefined;
}

export class RoutingLearner {
  private readonly options: typeof DEFAULTS;
  private readonly pending = new Map<string, Pending>();
  private readonly groups: RankingGroup[] = [];
  private model: LinearRanker | undefined;
  /** Groups ever added, and how many there were at the last fit (the window may be full). */
  private added = 0;
  private addedAtFit = 0;
  /** Ridge penalty chosen by time-split validation, and the group count when it was chosen. */
  private penalty: number | undefined;
  private addedAtPenalty = 0;
  private seed = 1;

  constructor(options: RoutingLearnerOptions = {}, initial?: LinearRanker) {
    this.options = { ...DEFAULTS, ...options };
    this.model = initial;
  }

  /** The learned ranker, else the prior. */
  get ranker(): LinearRanker {
    return this.model ?? PRIOR_RANKER;
  }

  get learned(): boolean {
    return this.model !== undefined;
  }

  get trainingGroups(): number {
    return this.groups.length;
  }

  /** The ridge penalty chosen on the history, once there is one. */
  get chosenPenalty(): number | undefined {
    return this.penalty;
  }

  /** A question was asked: remember its candidates' features as they are now. */
  record(thread: string, time: number, asker: MemberId | undefined, members: readonly MemberId[], rows: readonly Float32Array[]): void {
    const ranker = this.ranker;
    const scored = members.map((m, i) => ({ m, row: rows[i]!, s: scoreRow(ranker, rows[i]!) }));
    scored.sort((a, b) => b.s - a.s || a.m - b.m);
    const top = scored.slice(0, this.options.keepTop);
    const others = scored.length - top.length;
    const rest = seededShuffle(scored.slice(this.options.keepTop), this.seed++).slice(0, this.options.keepRandom);
    const kept = [...top, ...rest];
    this.pending.set(thread, {
      time,
      members: kept.map((k) => k.m),
      rows: kept.map((k) => k.row),
      weight: kept.map((_, i) => (i < top.length ? 1 : others / rest.length)),
      answerers: new Set(),
      asker,
    });
  }

  /** Someone answered in a thread recorded earlier. */
  answered(thread: string, member: MemberId): void {
    const p = this.pending.get(thread);
    if (p && member !== p.asker) p.answerers.add(member);
  }

  /**
   * Turns questions older than labelDays into training groups and refits when the groups grew
   * enough. Returns true when the ranker changed.
   */
  update(now: number): boolean {
    const o = this.options;
    for (const [thread, p] of this.pending) {
      if (now - p.time < o.labelDays * DAY_MS) continue;
      this.pending.delete(thread);
      const relevant = p.members.map((m) => p.answerers.has(m));
      if (!relevant.some(Boolean)) continue;
      this.groups.push({ rows: p.rows, relevant, weight: p.weight });
      this.added++;
    }
    if (this.groups.length > o.maxGroups) this.groups.splice(0, this.groups.length - o.maxGroups);
    if (!o.refitDuringReplay || this.added < o.minGroups || this.added < this.addedAtFit * (1 + o.refitGrowth)) return false;
    // The penalty is chosen again whenever the history doubled; in between it is kept.
    if (this.penaltyDue()) {
      this.penalty = o.penalty ?? drain(choosePenalty(ROUTING_FEATURES, this.groups));
      this.addedAtPenalty = this.added;
    }
    const fitted = fitConditionalLogit(ROUTING_FEATURES, this.groups, { l2PerGroup: this.penalty!, start: this.model });
    this.addedAtFit = this.added;
    if (!fitted) return false;
    this.model = fitted;
    return true;
  }

  private penaltyDue(): boolean {
    return this.penalty === undefined || this.options.penalty !== undefined || this.added >= 2 * this.addedAtPenalty;
  }

  /** Fits on every group there is (choosing the penalty first), pausing as it goes. */
  async finalFit(pause: () => Promise<void>): Promise<LinearRanker | undefined> {
    if (this.added < this.options.minGroups) return undefined;
    if (this.penaltyDue()) {
      this.penalty = this.options.penalty ?? (await drainSliced(choosePenalty(ROUTING_FEATURES, this.groups), pause));
      this.addedAtPenalty = this.added;
    }
    const fitted = await fitConditionalLogitAsync(ROUTING_FEATURES, this.groups, { l2PerGroup: this.penalty!, start: this.model }, pause);
    this.addedAtFit = this.added;
    if (fitted) this.model = fitted;
    return fitted;
  }
}
