// Per-question results of every system, and what the report says about them: means on a part,
// the baseline variant a tuning part prefers, and engine minus best baseline on the report part
// with a paired bootstrap interval (questions resampled with replacement; the same resample for
// every system, so the interval is of the difference itself).
import { mulberry32 } from '../../core/random.js';
import { nearestIndexQuantile } from '../../core/stats/percentile.js';
import { BOOTSTRAP_RESAMPLES, CONFIDENCE, type Part } from './protocol.js';

/**
 * A metric computed from per-question components summed over questions: a mean of one
 * component, or e.g. F1 from summed precision and recall.
 */
export interface Metric {
  name: string;
  components: readonly string[];
  value(sums: readonly number[], questions: number): number;
}

export const meanMetric = (name: string, component = name): Metric => ({ name, components: [component], value: (s, n) => (n ? s[0]! / n : 0) });

interface Unit {
  part: Part;
  /** Position in time order, for "first N questions" figures. */
  order: number;
  values: Map<string, Record<string, number>>;
}

export interface Interval {
  value: number;
  low: number;
  high: number;
}

export interface Comparison {
  metric: string;
  engine: number;
  /** The best baseline on the report part (the comparison most favourable to the baselines). */
  baseline: string;
  baselineValue: number;
  difference: Interval;
  ratio: Interval;
}

export class Scorecard {
  private readonly units: Unit[] = [];

  constructor(readonly metrics: readonly Metric[]) {}

  /** One question's results: per system, the components of every metric. */
  add(part: Part, order: number, values: Record<string, Record<string, number>>): void {
    this.units.push({ part, order, values: new Map(Object.entries(values)) });
  }

  count(part: Part): number {
    return this.units.filter((u) => u.part === part).length;
  }

  private select(filter: Part | ((u: Unit) => boolean)): Unit[] {
    return this.units.filter(typeof filter === 'function' ? filter : (u) => u.part === filter);
  }

  /** Every metric of one system over the selected questions. */
  scores(system: string, filter: Part | ((u: { part: Part; order: number }) => boolean) = 'report'): Record<string, number> {
    const units = this.select(filter);
    return Object.fromEntries(this.metrics.map((m) => [m.name, this.metricOn(units, system, m)]));
  }

  /** Questions among the dataset's first `n` in time order (order < n), whatever their part. */
  firstScores(system: string, n: number): Record<string, number> {
    return this.scores(system, (u) => u.order < n);
  }

  countFirst(n: number): number {
    return this.units.filter((u) => u.order < n).length;
  }

  private metricOn(units: readonly Unit[], system: string, metric: Metric): number {
    const sums = metric.components.map(() => 0);
    for (const u of units) {
      const v = u.values.get(system);
      if (!v) throw new Error(`no results for ${system}`);
      metric.components.forEach((c, i) => (sums[i]! += v[c] ?? 0));
    }
    return metric.value(sums, units.length);
  }

  /** Of several variants of a baseline (e.g. half-lives), the one the tuning part prefers on `metric`. */
  chooseOnTuning(variants: readonly string[], metric: string): string {
    const m = this.metric(metric);
    const tuning = this.select('tuning');
    let best = variants[0]!;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (const v of variants) {
      const value = this.metricOn(tuning, v, m);
      if (value > bestValue) [best, bestValue] = [v, value];
    }
    return best;
  }

  private metric(name: string): Metric {
    const m = this.metrics.find((x) => x.name === name);
    if (!m) throw new Error(`unknown metric ${name}`);
    return m;
  }

  /**
   * Engine minus the best of `baselines` on the report part, with a 95% paired bootstrap
   * interval for the difference and for the ratio.
   */
  compare(engine: string, baselines: readonly string[], metric: string, seed = 1): Comparison {
    const m = this.metric(metric);
    const units = this.select('report');
    const baseline = baselines.map((b) => ({ b, v: this.metricOn(units, b, m) })).sort((a, b) => b.v - a.v)[0]!;
    const engineValue = this.metricOn(units, engine, m);
    const random = mulberry32(seed); // the same intervals on every run
    const diffs: number[] = [];
    const ratios: number[] = [];
    const resample: Unit[] = new Array<Unit>(units.length);
    for (let r = 0; r < BOOTSTRAP_RESAMPLES; r++) {
      for (let i = 0; i < units.length; i++) resample[i] = units[Math.floor(random() * units.length)]!;
      const e = this.metricOn(resample, engine, m);
      const b = this.metricOn(resample, baseline.b, m);
      diffs.push(e - b);
      ratios.push(b > 0 ? e / b : Number.NaN);
    }
    diffs.sort((a, b) => a - b);
    ratios.sort((a, b) => a - b);
    const tail = (1 - CONFIDENCE) / 2;
    return {
      metric,
      engine: engineValue,
      baseline: baseline.b,
      baselineValue: baseline.v,
      difference: { value: engineValue - baseline.v, low: nearestIndexQuantile(diffs, tail), high: nearestIndexQuantile(diffs, 1 - tail) },
      ratio: {
        value: baseline.v > 0 ? engineValue / baseline.v : Number.NaN,
        low: nearestIndexQuantile(ratios, tail),
        high: nearestIndexQuantile(ratios, 1 - tail),
      },
    };
  }
}
