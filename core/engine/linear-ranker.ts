// A linear ranker fitted as a conditional logit (listwise softmax): for each past query, the
// probability that a candidate is the relevant one is softmax(w . x) over its candidates, and
// the weights maximise the likelihood of the candidates that were relevant, with a ridge penalty.
// Unlike a pairwise loss, which rewards ranking a relevant candidate above a random irrelevant
// one, the softmax is dominated by the top of the list, which is what recall@5 and reciprocal
// rank measure (on startups-se a pairwise fit ranked worse than recency alone). Features are
// standardised with the training rows' mean and spread, so the weights can be compared.
import { drain, drainSliced, type Steps } from './steps.js';

/** Candidates of one past query; `weight` lets a random sample stand for the candidates it replaced. */
export interface RankingGroup {
  rows: readonly ArrayLike<number>[];
  relevant: readonly boolean[];
  /** How many candidates each row stands for in the softmax's denominator (default 1). */
  weight?: readonly number[];
}

export interface LinearRanker {
  features: readonly string[];
  mean: number[];
  scale: number[];
  weights: number[];
}

export interface FitOptions {
  /** Ridge penalty on the standardised weights, per training group. */
  l2PerGroup?: number;
  /** Newton steps at most (it converges in about five). */
  iterations?: number;
  /** Start from these weights (a refit after a little more history converges in one or two steps). */
  start?: LinearRanker | undefined;
}

/** Score of one feature row (higher ranks first). */
export function scoreRow(model: LinearRanker, row: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < model.weights.length; i++) s += model.weights[i]! * (((row[i] ?? 0) - model.mean[i]!) / model.scale[i]!);
  return s;
}

/** A ranker with given raw weights and no standardisation (hand-set priors). */
export function fixedRanker(features: readonly string[], weights: Readonly<Partial<Record<string, number>>>): LinearRanker {
  return { features: [...features], mean: features.map(() => 0), scale: features.map(() => 1), weights: features.map((f) => weights[f] ?? 0) };
}

/** Weights by feature name, for logs and reports. */
export function namedWeights(model: LinearRanker): Record<string, number> {
  return Object.fromEntries(model.features.map((f, i) => [f, model.weights[i]!]));
}

/** Standardised groups: rows centred and scaled (flat, row after row), with the log of their weight. */
interface Prepared {
  x: Float64Array;
  logWeight: number[];
  relevant: number[];
}

/** Mean and spread of every feature over the groups' rows. */
function moments(groups: readonly RankingGroup[], d: number): { mean: Float64Array; scale: Float64Array } {
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  let n = 0;
  for (const g of groups) {
    for (const row of g.rows) {
      for (let i = 0; i < d; i++) {
        const x = row[i] ?? 0;
        mean[i]! += x;
        sq[i]! += x * x;
      }
      n++;
    }
  }
  const scale = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    mean[i]! /= n || 1;
    scale[i] = Math.sqrt(Math.max(sq[i]! / (n || 1) - mean[i]! * mean[i]!, 0)) || 1;
  }
  return { mean, scale };
}

/**
 * Fits the ranker on the groups that have a relevant candidate (undefined when none has) by
 * Newton's method on the ridge-penalised log-likelihood, which is concave: a few exact steps,
 * no learning rate to tune, the same answer on every run.
 */
export function fitConditionalLogit(features: readonly string[], groups: readonly RankingGroup[], options: FitOptions = {}): LinearRanker | undefined {
  return drain(fitSteps(features, groups, options));
}

/** The same fit, giving the event loop back every few hundred groups. */
/** `sliceMs`: how long it runs between pauses (0 pauses at every step: for tests of the structure). */
export function fitConditionalLogitAsync(
  features: readonly string[],
  groups: readonly RankingGroup[],
  options: FitOptions,
  pause: () => Promise<void>,
  sliceMs?: number,
): Promise<LinearRanker | undefined> {
  return drainSliced(fitSteps(features, groups, options), pause, sliceMs);
}

/** Groups processed between yields. */
const GROUPS_PER_STEP = 10;

function* fitSteps(features: readonly string[], groups: readonly RankingGroup[], options: FitOptions): Steps<LinearRanker | undefined> {
  const d = features.length;
  const usable = groups.filter((g) => g.relevant.some(Boolean) && g.rows.length > 1);
  if (usable.length === 0) return undefined;
  const { mean, scale } = moments(usable, d);
  const data: Prepared[] = [];
  for (const g of usable) {
    if (data.length % GROUPS_PER_STEP === GROUPS_PER_STEP - 1) yield;
    const x = new Float64Array(g.rows.length * d);
    g.rows.forEach((row, j) => {
      for (let i = 0; i < d; i++) x[j * d + i] = ((row[i] ?? 0) - mean[i]!) / scale[i]!;
    });
    data.push({
      x,
      logWeight: g.rows.map((_, j) => Math.log(g.weight?.[j] ?? 1)),
      relevant: g.relevant.flatMap((r, j) => (r ? [j] : [])),
    });
  }
  const lambda = (options.l2PerGroup ?? 0.05) * data.length;
  // Warm start: the previous weights, re-expressed in this fit's standardisation.
  const w = new Float64Array(d);
  if (options.start) for (let i = 0; i < d; i++) w[i] = (options.start.weights[i]! / options.start.scale[i]!) * scale[i]!;

  const grad = new Float64Array(d);
  const hess = new Float64Array(d * d);
  const ex = new Float64Array(d);
  const exx = new Float64Array(d * d);
  for (let iteration = 0; iteration < (options.iterations ?? 8); iteration++) {
    grad.fill(0);
    hess.fill(0);
    for (let gi = 0; gi < data.length; gi++) {
      if (gi % GROUPS_PER_STEP === GROUPS_PER_STEP - 1) yield;
      const g = data[gi]!;
      const x = g.x;
      const s = g.logWeight.map((lw, j) => {
        let z = lw;
        for (let i = 0; i < d; i++) z += w[i]! * x[j * d + i]!;
        return z;
      });
      let max = Number.NEGATIVE_INFINITY;
      for (const v of s) if (v > max) max = v;
      let total = 0;
      for (let j = 0; j < s.length; j++) total += s[j] = Math.exp(s[j]! - max);
      ex.fill(0);
      exx.fill(0);
      for (let j = 0; j < s.length; j++) {
        const p = s[j]! / total;
        if (p < 1e-9) continue;
        const row = j * d;
        for (let a = 0; a < d; a++) {
          const pa = p * x[row + a]!;
          ex[a]! += pa;
          for (let b = 0; b <= a; b++) exx[a * d + b]! += pa * x[row + b]!;
        }
      }
      // Gradient: the relevant candidates' features minus those expected under the model;
      // curvature: the features' covariance under the model.
      for (const r of g.relevant) for (let a = 0; a < d; a++) grad[a]! += (x[r * d + a]! - ex[a]!) / g.relevant.length;
      for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) hess[a * d + b]! += exx[a * d + b]! - ex[a]! * ex[b]!;
    }
    for (let a = 0; a < d; a++) {
      grad[a]! -= lambda * w[a]!;
      hess[a * d + a]! += lambda;
      for (let b = 0; b < a; b++) hess[b * d + a] = hess[a * d + b]!;
    }
    const step = solveSymmetric(hess, grad, d);
    // Damped: a long first step from a poor start can overshoot.
    const norm = Math.sqrt(step.reduce((t, v) => t + v * v, 0));
    const k = Math.min(1, 1 / norm);
    for (let a = 0; a < d; a++) w[a]! += k * step[a]!;
    if (norm < 1e-4) break;
  }
  return { features: [...features], mean: [...mean], scale: [...scale], weights: [...w] };
}

/** Solves A x = b for a symmetric positive definite A (Cholesky). */
function solveSymmetric(a: Float64Array, b: Float64Array, d: number): number[] {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      l[i * d + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / l[j * d + j]!;
    }
  }
  const y = new Array<number>(d).fill(0);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  const x = new Array<number>(d).fill(0);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x;
}

/**
 * Mean reciprocal rank of the first relevant candidate; a sampled row stands for `weight`
 * candidates, so it occupies that many places in the ranking.
 */
export function meanReciprocalRank(model: LinearRanker, groups: readonly RankingGroup[]): number {
  let total = 0;
  let n = 0;
  for (const g of groups) {
    if (!g.relevant.some(Boolean)) continue;
    const s = g.rows.map((row) => scoreRow(model, row));
    let best = Number.NEGATIVE_INFINITY;
    g.relevant.forEach((rel, j) => {
      if (rel) best = Math.max(best, s[j]!);
    });
    let above = 0;
    s.forEach((v, j) => {
      if (!g.relevant[j] && v > best) above += g.weight?.[j] ?? 1;
    });
    total += 1 / (1 + above);
    n++;
  }
  return n ? total / n : 0;
}

/** Ridge penalties tried by time-split validation, per training group. */
export const PENALTIES = [0.003, 0.01, 0.03, 0.1, 0.3] as const;

/**
 * Chooses the ridge penalty on the groups' own history: fit on the oldest 80%, rank the newest
 * 20% (groups are in time order), keep the penalty with the best reciprocal rank there. A
 * community whose helpers change a lot needs a stronger penalty than a stable one.
 */
export function* choosePenalty(features: readonly string[], groups: readonly RankingGroup[], options: Omit<FitOptions, 'l2PerGroup'> = {}): Steps<number> {
  const cut = Math.floor(groups.length * 0.8);
  const train = groups.slice(0, cut);
  const valid = groups.slice(cut);
  let best = { penalty: 0.1 as number, mrr: Number.NEGATIVE_INFINITY };
  for (const penalty of PENALTIES) {
    const model = yield* fitSteps(features, train, { ...options, l2PerGroup: penalty });
    yield;
    const mrr = model ? meanReciprocalRank(model, valid) : Number.NEGATIVE_INFINITY;
    if (mrr > best.mrr) best = { penalty, mrr };
  }
  return best.penalty;
}
