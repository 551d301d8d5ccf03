import { describe, expect, it } from 'vitest';
import { drain } from './steps.js';
import {
  choosePenalty,
  fitConditionalLogit,
  fitConditionalLogitAsync,
  fixedRanker,
  meanReciprocalRank,
  PENALTIES,
  scoreRow,
  type RankingGroup,
} from './linear-ranker.js';
import { mulberry32 } from '../random.js';

const FEATURES = ['signal', 'noise', 'scaled'];

/** Groups whose relevant candidate is the one with the highest hidden score 2*signal + 0.5*scaled/100. */
function groups(n: number, seed: number): RankingGroup[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const rows = Array.from({ length: 12 }, () => [random(), random(), random() * 100]);
    const hidden = rows.map((r) => 2 * r[0]! + 0.5 * (r[2]! / 100) + 0.3 * random());
    const best = hidden.indexOf(Math.max(...hidden));
    return { rows, relevant: rows.map((_, i) => i === best) };
  });
}

describe('conditional logit ranker', () => {
  it('learns which features matter, whatever their scale, and ranks unseen queries', () => {
    const model = fitConditionalLogit(FEATURES, groups(400, 1))!;
    const w = Object.fromEntries(model.features.map((f, i) => [f, model.weights[i]!]));
    expect(w.signal).toBeGreaterThan(1);
    expect(Math.abs(w.noise!)).toBeLessThan(0.3 * w.signal!);
    // Standardised: a feature on a 0-100 scale gets a weight comparable to the others.
    expect(w.scaled).toBeGreaterThan(0.2);
    const test = groups(200, 2);
    expect(meanReciprocalRank(model, test)).toBeGreaterThan(0.6);
    expect(meanReciprocalRank(fixedRanker(FEATURES, { noise: 1 }), test)).toBeLessThan(0.4);
  });

  it('is deterministic, and the pausing version gives the same weights', async () => {
    const data = groups(450, 3);
    const a = fitConditionalLogit(FEATURES, data, { l2PerGroup: 0.05 })!;
    const b = fitConditionalLogit(FEATURES, data, { l2PerGroup: 0.05 })!;
    let pauses = 0;
    // A 0 ms slice pauses at every step: the structure, not the clock, is under test (with the
    // default 20 ms slices a fast machine finishes before the first pause).
    const c = (await fitConditionalLogitAsync(FEATURES, data, { l2PerGroup: 0.05 }, async () => void pauses++, 0))!;
    expect(b.weights).toEqual(a.weights);
    expect(c.weights).toEqual(a.weights);
    expect(pauses).toBeGreaterThan(0);
  });

  it('shrinks weights as the penalty grows, and chooses a penalty from the grid on the newest groups', () => {
    const data = groups(200, 4);
    const weak = fitConditionalLogit(FEATURES, data, { l2PerGroup: 0.001 })!;
    const strong = fitConditionalLogit(FEATURES, data, { l2PerGroup: 3 })!;
    expect(Math.abs(strong.weights[0]!)).toBeLessThan(Math.abs(weak.weights[0]!));
    expect(PENALTIES).toContain(drain(choosePenalty(FEATURES, data)));
  });

  it('counts a sampled candidate as the many it stands for', () => {
    const model = fixedRanker(['x'], { x: 1 });
    const group: RankingGroup = { rows: [[1], [2], [0]], relevant: [true, false, false], weight: [1, 4, 1] };
    // The one sampled candidate above the relevant one stands for four: reciprocal rank 1/5.
    expect(meanReciprocalRank(model, [group])).toBeCloseTo(0.2, 10);
    expect(scoreRow(model, [2])).toBe(2);
  });

  it('learns nothing from groups without a relevant candidate', () => {
    expect(
      fitConditionalLogit(FEATURES, [
        {
          rows: [
            [1, 0, 0],
            [0, 1, 0],
          ],
          relevant: [false, false],
        },
      ]),
    ).toBeUndefined();
  });
});
