/**
 * Ties: the first interaction between two members, and the new ties of a period.
 *
 * Definitions (the shared conventions are in records.ts):
 *
 * - Tie: the first interaction between an unordered pair {A, B}, over the whole history passed
 *   in (pass history from the beginning; period filters apply afterwards, so a pair that first
 *   met last year does not form a "new" tie this week). Concierge-made when that first
 *   interaction was mediated, direct otherwise.
 */
import type { MemberId } from '../types.js';
import { cleanInteractions } from './interactions.js';
import { pairId } from './pair-keys.js';
import type { InteractionRecord } from './records.js';
import { inPeriod, utcDateKey, weeksOf, type Period } from './weeks.js';

export type TieKind = 'concierge' | 'direct';

export interface Tie {
  /** The pair, lower id first. */
  a: MemberId;
  b: MemberId;
  formedAt: Date;
  kind: TieKind;
  /** The interaction that formed it. */
  first: InteractionRecord;
}

/** Every pair's first interaction, in time order: concierge-made if it was mediated. */
export function tiesFormed(interactions: readonly InteractionRecord[]): Tie[] {
  const ties = new Map<number | string, Tie>();
  for (const i of cleanInteractions(interactions)) {
    const key = pairId(i.fromMemberId, i.toMemberId);
    if (ties.has(key)) continue;
    const [a, b] = i.fromMemberId < i.toMemberId ? [i.fromMemberId, i.toMemberId] : [i.toMemberId, i.fromMemberId];
    ties.set(key, { a, b, formedAt: i.occurredAt, kind: i.mediated ? 'concierge' : 'direct', first: i });
  }
  return [...ties.values()];
}

export interface TieCounts {
  total: number;
  concierge: number;
  direct: number;
}

/** Ties formed in the period (their first interaction falls in it). */
export function newTies(interactions: readonly InteractionRecord[], period: Period): TieCounts {
  return countTies(tiesFormed(interactions), period);
}

function countTies(ties: readonly Tie[], period: Period): TieCounts {
  const c: TieCounts = { total: 0, concierge: 0, direct: 0 };
  for (const t of ties) {
    if (!inPeriod(t.formedAt, period)) continue;
    c.total += 1;
    c[t.kind] += 1;
  }
  return c;
}

export interface WeeklyTies extends TieCounts {
  /** Monday 00:00 UTC. */
  weekStart: Date;
  /** The same, as `YYYY-MM-DD`. */
  week: string;
}

/** New ties per ISO week, concierge-made vs direct, zero-filled over the period. */
export function newTiesPerWeek(interactions: readonly InteractionRecord[], period: Period): WeeklyTies[] {
  const ties = tiesFormed(interactions);
  return weeksOf(period).map(({ weekStart, range }) => ({ weekStart, week: utcDateKey(weekStart), ...countTies(ties, range) }));
}
