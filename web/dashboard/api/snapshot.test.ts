// The dashboard computes a period's figures from each pair's first interaction plus the
// interactions in the period (historyFor), not from the whole history: on random histories,
// including interactions recorded late, every figure must come out exactly as from all of it.
import { describe, expect, it } from 'vitest';
import { communitySummary } from '../../../core/metrics/community-summary.js';
import { weeklyConnectionSeries } from '../../../core/metrics/weekly-series.js';
import { previousPeriod } from '../../../core/metrics/weeks.js';
import type {
  DashboardFeedback,
  DashboardInteraction,
  DashboardProblem,
  DashboardQueries,
  DashboardResponse,
  InteractionId,
} from '../../../core/store/index.js';
import { INTERACTION_KINDS } from '../../../core/store/types.js';
import { memberId, problemId } from '../../../core/types.js';
import { mulberry32, type Rng } from '../../../core/random.js';
import { chance, int, pick } from '../../../scripts/sandbox/rng.js';
import { InteractionLog } from './interaction-log.js';
import { between, historyFor, loadSnapshot } from './snapshot.js';

const DAY = 86_400_000;
const START = Date.UTC(2025, 0, 6);

function randomHistory(rng: Rng, n: number, firstId = 1) {
  const interactions: DashboardInteraction[] = Array.from({ length: n }, (_, k) => {
    const a = int(rng, 1, 9);
    let b = int(rng, 1, 9);
    if (b === a) b = (a % 9) + 1;
    return {
      id: (firstId + k) as InteractionId,
      fromMemberId: memberId(a),
      toMemberId: memberId(b),
      kind: pick(rng, INTERACTION_KINDS),
      platform: chance(rng, 0.5) ? 'matrix' : 'discourse',
      mediated: chance(rng, 0.4),
      problemId: null,
      // Whole hours, so equal timestamps happen and the id must break ties.
      occurredAt: new Date(START + int(rng, 0, 140 * 24) * 3_600_000),
    };
  });
  return interactions;
}

function fakeQueries(rng: Rng) {
  let rows = randomHistory(rng, 600);
  const problems: DashboardProblem[] = Array.from({ length: 40 }, (_, k) => {
    const createdAt = new Date(START + int(rng, 0, 140) * DAY);
    const solved = chance(rng, 0.5);
    return {
      id: problemId(k + 1),
      originatorId: memberId(int(rng, 1, 9)),
      status: solved ? 'solved' : 'answered',
      platform: 'matrix',
      threadId: null,
      createdAt,
      updatedAt: createdAt,
      solvedAt: solved ? new Date(createdAt.getTime() + int(rng, 1, 200) * 3_600_000) : null,
    };
  });
  const responses: DashboardResponse[] = problems.map((p, k) => ({
    id: k + 1,
    problemId: p.id,
    memberId: memberId(int(rng, 1, 9)),
    createdAt: new Date(p.createdAt.getTime() + 3_600_000),
  }));
  const feedback: DashboardFeedback[] = [];
  const q = {
    members: () => Array.from({ length: 9 }, (_, k) => ({ id: memberId(k + 1), name: `m${k + 1}`, optedOut: false })),
    interactions: () => [...rows].sort((x, y) => x.occurredAt.getTime() - y.occurredAt.getTime() || x.id - y.id),
    interactionsAfter: (id: number) => q.interactions().filter((i) => i.id > id),
    interactionStats: () => ({ count: rows.length, maxId: Math.max(0, ...rows.map((i) => i.id)) }),
    problems: () => problems,
    problemTags: () => [],
    responses: () => responses,
    solvedFeedback: () => feedback,
    resolutionCandidates: () => [],
  } as unknown as DashboardQueries;
  return {
    q,
    add: (more: DashboardInteraction[]) => {
      rows = rows.concat(more);
    },
  };
}

describe('historyFor', () => {
  it('gives every period figure exactly as the whole history does', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const rng = mulberry32(seed);
      const { q, add } = fakeQueries(rng);
      const log = new InteractionLog();
      for (const round of [0, 1]) {
        // Round 1: interactions recorded late, many dated before the ones already read.
        if (round === 1) add(randomHistory(rng, 150, 10_000));
        const s = loadSnapshot(q, log);
        for (let k = 0; k < 8; k++) {
          const from = new Date(START + int(rng, 0, 120) * DAY);
          const period = { from, to: new Date(from.getTime() + int(rng, 1, 60) * DAY) };
          const window = { from: previousPeriod(period).from, to: period.to };
          const whole = JSON.stringify(communitySummary(s.history, period));
          expect(JSON.stringify(communitySummary(historyFor(s, window), period)), `seed ${seed} round ${round}`).toBe(whole);
          expect(JSON.stringify(weeklyConnectionSeries(historyFor(s, period), period))).toBe(JSON.stringify(weeklyConnectionSeries(s.history, period)));
          // And it is a real reduction.
          expect(historyFor(s, period).interactions.length).toBeLessThanOrEqual(s.interactions.length);
        }
      }
    }
  });

  it('finds a time range in the ordered interactions, ends excluded', () => {
    const rows = randomHistory(mulberry32(7), 300).sort((x, y) => x.occurredAt.getTime() - y.occurredAt.getTime() || x.id - y.id);
    const from = START + 20 * DAY;
    const to = START + 50 * DAY;
    expect(between(rows, from, to)).toEqual(rows.filter((i) => i.occurredAt.getTime() >= from && i.occurredAt.getTime() < to));
    expect(between(rows, to, from)).toEqual([]);
    expect(between([], from, to)).toEqual([]);
  });
});
