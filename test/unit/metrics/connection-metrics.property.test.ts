// Invariants on random histories (seeded, so every run checks the same 40 histories).
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../core/random.js';
import { INTERACTION_KINDS, INVITATION_STATUSES, PROBLEM_STATUSES } from '../../../core/store/types.js';
import { memberId, problemId, type MemberId } from '../../../core/types.js';
import { bypassRate } from '../../../core/metrics/bypass.js';
import { communitySummary } from '../../../core/metrics/community-summary.js';
import { cleanInteractions, directContacts } from '../../../core/metrics/interactions.js';
import { acceptanceRate, invitationsPerHelper } from '../../../core/metrics/invitations.js';
import { networkMetrics } from '../../../core/metrics/network.js';
import { solveRate } from '../../../core/metrics/problems.js';
import type { ConnectionHistory, InteractionRecord, InvitationRecord, ProblemRecord, ResponseRecord } from '../../../core/metrics/records.js';
import { newTies, newTiesPerWeek, tiesFormed } from '../../../core/metrics/ties.js';
import { weeklyConnectionSeries } from '../../../core/metrics/weekly-series.js';

const START = Date.UTC(2025, 0, 1, 0, 0); // a Wednesday
const SPAN = 70 * 86_400_000;

function randomHistory(seed: number): { history: ConnectionHistory; members: number } {
  const r = mulberry32(seed);
  const int = (n: number): number => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const members = 2 + int(7);
  const m = (): MemberId => memberId(1 + int(members));
  const time = (): Date => new Date(START + int(SPAN));
  const interactions: InteractionRecord[] = [];
  for (let k = 0; k < int(80); k++) {
    const rec: InteractionRecord = {
      id: k + 1,
      fromMemberId: m(),
      toMemberId: m(),
      kind: pick(INTERACTION_KINDS),
      platform: r() < 0.5 ? 'matrix' : 'discourse',
      mediated: r() < 0.4,
      problemId: null,
      sourceEventId: r() < 0.5 ? `e${int(40)}` : null,
      occurredAt: time(),
    };
    interactions.push(rec);
    if (r() < 0.1) interactions.push({ ...rec }); // an exact duplicate
  }
  const problems: ProblemRecord[] = [];
  const responses: ResponseRecord[] = [];
  const invitations: InvitationRecord[] = [];
  for (let k = 1; k <= int(15); k++) {
    const createdAt = time();
    const status = pick(PROBLEM_STATUSES);
    problems.push({
      id: problemId(k),
      originatorId: m(),
      status,
      createdAt,
      solvedAt: status === 'solved' && r() < 0.8 ? new Date(createdAt.getTime() + int(SPAN / 4)) : null,
    });
    for (let j = 0; j < int(4); j++) responses.push({ problemId: problemId(k), memberId: m(), createdAt: time() });
    for (let j = 0; j < int(4); j++) {
      invitations.push({ problemId: problemId(k), memberId: m(), status: pick(INVITATION_STATUSES), createdAt: createdAt, sentAt: createdAt });
    }
  }
  const unassistedResolutions = Array.from({ length: int(5) }, (_, k) => ({ at: time(), requesterId: m(), helperId: m(), threadId: `t${k}` }));
  return {
    history: { interactions: r() < 0.5 ? interactions : [...interactions].reverse(), problems, responses, invitations, unassistedResolutions },
    members,
  };
}

const unitOrNull = (x: number | null): void => {
  if (x === null) return;
  expect(Number.isFinite(x)).toBe(true);
  expect(x).toBeGreaterThanOrEqual(0);
  expect(x).toBeLessThanOrEqual(1);
};

describe('invariants on random histories', () => {
  it.each(Array.from({ length: 40 }, (_, k) => k + 1))('history %i', (seed) => {
    const { history, members } = randomHistory(seed);
    const clean = cleanInteractions(history.interactions);
    const pairs = new Set(clean.map((i) => [i.fromMemberId, i.toMemberId].sort((a, b) => a - b).join('-')));

    // Ties: one per distinct pair, never more than the pairs possible.
    const ties = tiesFormed(history.interactions);
    expect(ties.length).toBe(pairs.size);
    expect(ties.length).toBeLessThanOrEqual((members * (members - 1)) / 2);
    // The input order does not matter.
    expect(tiesFormed([...history.interactions].reverse())).toEqual(ties);

    // Any period starting mid-week: the weekly series sums to the period's totals.
    const period = { from: new Date(START + 3 * 86_400_000 + 12_345), to: new Date(START + SPAN - 86_400_000) };
    const total = newTies(history.interactions, period);
    const weekly = newTiesPerWeek(history.interactions, period);
    expect(weekly.reduce((s, w) => s + w.total, 0)).toBe(total.total);
    expect(weekly.reduce((s, w) => s + w.concierge, 0)).toBe(total.concierge);
    for (const [k, w] of weekly.entries()) {
      expect(w.weekStart.getUTCDay()).toBe(1);
      if (k > 0) expect(w.weekStart.getTime() - weekly[k - 1]!.weekStart.getTime()).toBe(7 * 86_400_000);
    }

    const series = weeklyConnectionSeries(history, period);
    expect(series.map((w) => w.newTiesConcierge + w.newTiesDirect)).toEqual(weekly.map((w) => w.total));
    expect(series.reduce((s, w) => s + w.directContacts, 0)).toBe(directContacts(history.interactions, period).length);
    expect(series.reduce((s, w) => s + w.bypasses, 0)).toBe(bypassRate(history, period).bypasses);
    for (const w of series) {
      expect(w.bypassContacts).toBeLessThanOrEqual(w.directContacts);
      unitOrNull(w.bypassRate);
    }

    // Rates stay in [0, 1] (or null).
    const net = networkMetrics(history.interactions, period);
    expect(net.linkedPairs).toBeLessThanOrEqual(net.possiblePairs);
    unitOrNull(net.reciprocity);
    unitOrNull(net.density);
    unitOrNull(net.clustering);
    unitOrNull(bypassRate(history, period).rate);
    unitOrNull(solveRate(history.problems ?? [], period).rate);
    unitOrNull(acceptanceRate(history.invitations ?? [], period).rate);
    const perHelper = invitationsPerHelper(history, period).perHelper;
    if (perHelper !== null) expect(perHelper).toBeGreaterThanOrEqual(0);

    const summary = communitySummary(history, period);
    for (const x of [summary.solveRate, summary.bypassRate, summary.previous?.solveRate ?? null, summary.previous?.bypassRate ?? null]) unitOrNull(x);
    if (summary.medianTimeToFirstResponseMs !== null) expect(summary.medianTimeToFirstResponseMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(summary)).not.toMatch(/NaN|Infinity/);
  });
});
