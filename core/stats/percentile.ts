// Percentiles of plain number lists, for benchmarks and evaluations. Two definitions are in use
// and they pick different elements for the same list, so both are kept, each under its own
// name: switching a user from one to the other would move its published numbers. Neither
// interpolates; each returns one of the values.

/**
 * Nearest-rank percentile, p in [0, 100]: the smallest value with at least p% of the values at
 * or below it (p50 of [1, 2, 3, 4] is 2). Takes the values in any order; 0 for no values.
 */
export function nearestRankPercentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * Quantile by nearest index, q in [0, 1]: the value at position q * (n - 1) rounded to the
 * nearest index (the 0.5 quantile of [1, 2, 3, 4] is 3). The values must already be sorted
 * ascending; NaN for no values.
 */
export function nearestIndexQuantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i]!;
}
