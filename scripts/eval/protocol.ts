// The evaluation protocol, in one place: every dataset is split by time into a tuning part (the
// oldest half of its questions) and a report part (the newest half). Settings chosen by looking
// at results (the baselines' half-life or k) look at the tuning part only; only the report part
// is reported. Replays still run over every question, so the engine learns online from
// everything before "now", as it would in a community.

/** Share of each dataset's questions, oldest first, that form the tuning part. */
export const TUNING_SHARE = 0.5;

/** Bootstrap resamples over questions for the intervals, and their coverage. */
export const BOOTSTRAP_RESAMPLES = 1000;
export const CONFIDENCE = 0.95;

/** Routing figures are also given for each dataset's first questions: a community's first weeks. */
export const FIRST_QUESTIONS = 200;

export type Part = 'tuning' | 'report';

/** Splits items already in time order: the oldest TUNING_SHARE are tuning, the rest report. */
export function timeSplit<T>(ordered: readonly T[]): { partOf: (item: T) => Part; cut: number } {
  const cut = Math.floor(ordered.length * TUNING_SHARE);
  const index = new Map(ordered.map((x, i) => [x, i]));
  return { partOf: (item) => ((index.get(item) ?? 0) < cut ? 'tuning' : 'report'), cut };
}
