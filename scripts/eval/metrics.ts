// Ranking and set metrics used by the evaluation harness.

/** Share of the relevant items found in the first k of the ranking. */
export function recallAt<T>(ranking: readonly T[], relevant: ReadonlySet<T>, k: number): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  for (const x of ranking.slice(0, k)) if (relevant.has(x)) hits++;
  return hits / relevant.size;
}

/** 1/rank of the first relevant item, 0 when none is ranked. */
export function reciprocalRank<T>(ranking: readonly T[], relevant: ReadonlySet<T>): number {
  const i = ranking.findIndex((x) => relevant.has(x));
  return i < 0 ? 0 : 1 / (i + 1);
}

/** Average precision of a full ranking (relevant items not ranked count as misses). */
export function averagePrecision<T>(ranking: readonly T[], relevant: ReadonlySet<T>): number {
  if (relevant.size === 0) return 0;
  let hits = 0;
  let sum = 0;
  ranking.forEach((x, i) => {
    if (relevant.has(x)) {
      hits++;
      sum += hits / (i + 1);
    }
  });
  return sum / relevant.size;
}

export interface PrecisionRecall {
  precision: number;
  recall: number;
}

/** Precision and recall of the first k predictions; precision divides by k, as P@k does. */
export function precisionRecallAt<T>(predicted: readonly T[], gold: ReadonlySet<T>, k: number): PrecisionRecall {
  const top = predicted.slice(0, k);
  const hits = top.filter((x) => gold.has(x)).length;
  return { precision: hits / k, recall: gold.size ? hits / gold.size : 0 };
}

export const f1 = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

export const mean = (xs: readonly number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

/** Running means keyed by metric name. */
export class Averages<K extends string> {
  private readonly sums = new Map<K, number>();
  private readonly counts = new Map<K, number>();

  add(key: K, value: number): void {
    this.sums.set(key, (this.sums.get(key) ?? 0) + value);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  get(key: K): number {
    const n = this.counts.get(key) ?? 0;
    return n ? this.sums.get(key)! / n : 0;
  }

  count(key: K): number {
    return this.counts.get(key) ?? 0;
  }
}
