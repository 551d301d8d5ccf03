import { describe, expect, it } from 'vitest';
import { timeSplit } from './protocol.js';
import { mulberry32 } from '../../core/random.js';
import { meanMetric, Scorecard } from './scorecard.js';

describe('time split', () => {
  it('puts the oldest half in the tuning part and the rest in the report part', () => {
    const items = ['a', 'b', 'c', 'd', 'e'];
    const split = timeSplit(items);
    expect(items.map(split.partOf)).toEqual(['tuning', 'tuning', 'report', 'report', 'report']);
  });
});

describe('Scorecard', () => {
  /** The engine is right on 60% of questions, the baseline on 50%, independently. */
  function card(n: number, seed = 1): Scorecard {
    const c = new Scorecard([meanMetric('hit')]);
    const random = mulberry32(seed);
    for (let i = 0; i < n; i++) {
      c.add(i < n / 2 ? 'tuning' : 'report', i, {
        engine: { hit: random() < 0.6 ? 1 : 0 },
        weak: { hit: random() < 0.5 ? 1 : 0 },
        // Good on the tuning part only: a variant chosen on it must not see the report part.
        tunedAway: { hit: i < n / 2 ? 1 : 0 },
        steady: { hit: random() < 0.55 ? 1 : 0 },
      });
    }
    return c;
  }

  it('chooses a baseline variant on the tuning part only', () => {
    const c = card(400);
    expect(c.chooseOnTuning(['steady', 'tunedAway'], 'hit')).toBe('tunedAway');
    expect(c.scores('tunedAway').hit).toBe(0);
    expect(c.scores('tunedAway', 'tuning').hit).toBe(1);
  });

  it('compares with the best baseline on the report part, with an interval around the difference', () => {
    const c = card(2000);
    const cmp = c.compare('engine', ['weak', 'steady'], 'hit');
    expect(cmp.baseline).toBe('steady');
    expect(cmp.difference.value).toBeCloseTo(cmp.engine - cmp.baselineValue, 12);
    expect(cmp.difference.low).toBeLessThan(cmp.difference.value);
    expect(cmp.difference.high).toBeGreaterThan(cmp.difference.value);
    // About 0.05 apart with 1,000 questions: the interval is a few points wide and excludes 0.
    expect(cmp.difference.low).toBeGreaterThan(0);
    expect(cmp.difference.high - cmp.difference.low).toBeLessThan(0.12);
    expect(cmp.ratio.low).toBeGreaterThan(1);
    // The same every run.
    expect(c.compare('engine', ['weak', 'steady'], 'hit')).toEqual(cmp);
  });

  it('gives a wide interval on few questions', () => {
    const cmp = card(40).compare('engine', ['weak'], 'hit');
    expect(cmp.difference.high - cmp.difference.low).toBeGreaterThan(0.3);
  });

  it('computes metrics from summed components (F1 of mean precision and recall)', () => {
    const c = new Scorecard([{ name: 'f1', components: ['p', 'r'], value: (s, n) => (2 * (s[0]! / n) * (s[1]! / n)) / (s[0]! / n + s[1]! / n) }]);
    c.add('report', 0, { engine: { p: 1, r: 0.5 } });
    c.add('report', 1, { engine: { p: 0, r: 0.5 } });
    expect(c.scores('engine').f1).toBeCloseTo((2 * 0.5 * 0.5) / 1, 12);
    expect(c.firstScores('engine', 1).f1).toBeCloseTo((2 * 1 * 0.5) / 1.5, 12);
  });
});
