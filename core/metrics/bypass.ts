/**
 * Bypasses: members reaching each other, or resolving questions, without the bot.
 *
 * Definitions (the shared conventions are in records.ts):
 *
 * - Bypass, two kinds:
 *   (a) bypass contact: a direct contact on a pair whose tie the concierge made, strictly after
 *       the tie's time (a direct record at the very instant of the tie belongs to the same event);
 *   (b) unassisted resolution: a help request that members resolved without calling the bot.
 *       The bot cannot see this in its own records (every Problem is a call to the bot), so it is
 *       an explicit, optional input (`unassistedResolutions`). `unassistedResolutionsFromThreads`
 *       derives it from documents where the platform marks resolution: a thread with no Problem,
 *       whose first document is a request (kind question/topic, or text with a "?"), where a
 *       document by another member is accepted or has a positive score (Discourse solution or
 *       likes); it is dated by that answer's creation. Live Matrix messages carry neither, so
 *       Matrix resolutions must be supplied explicitly if they are to count.
 *   Duplicates (same platform + threadId, or same id) and self-resolutions are dropped.
 * - Bypass rate (the headline): over a period,
 *       (bypass contacts + unassisted resolutions)
 *     / (all interactions on concierge-made pairs + problems solved with the bot + unassisted
 *        resolutions)
 *   i.e. "of the exchanges where the bot was an option — talking again to someone it introduced,
 *   getting a question resolved — the share that happened without it". Why this denominator
 *   rather than all direct contacts: chatter between members who already knew each other
 *   (direct ties) is not attributable to the concierge and would dilute or swamp the signal;
 *   with it restricted to situations the bot could have handled, the rate starts near 0 (the
 *   introduction itself is mediated) and rises towards 1 exactly as members reach each other
 *   and resolve questions without the bot. It is always in [0, 1]; null with no denominator.
 *   Problems solved with the bot are dated by their solve time (see solve rate); one solved at
 *   an unknown time is in no period's denominator.
 */
import { cleanInteractions } from './interactions.js';
import { pairKey } from './pair-keys.js';
import { countIn, prepare, rangeOf, sumIn, type Prepared } from './prepared-history.js';
import { ratio, type ConnectionHistory, type InteractionRecord } from './records.js';
import { tiesFormed } from './ties.js';
import { inPeriod, type Period } from './weeks.js';

/** Direct contacts on concierge-made pairs, strictly after the tie (in the period, if given). */
export function bypassContacts<T extends InteractionRecord>(interactions: readonly T[], period?: Period): T[] {
  const conciergeTieAt = new Map<string, number>();
  for (const t of tiesFormed(interactions)) {
    if (t.kind === 'concierge') conciergeTieAt.set(pairKey(t.a, t.b), t.formedAt.getTime());
  }
  return cleanInteractions(interactions).filter((i) => {
    if (i.mediated || (period && !inPeriod(i.occurredAt, period))) return false;
    const tieAt = conciergeTieAt.get(pairKey(i.fromMemberId, i.toMemberId));
    return tieAt !== undefined && i.occurredAt.getTime() > tieAt;
  });
}

export interface BypassRate {
  /** (a) direct contacts on concierge-made pairs after the tie. */
  bypassContacts: number;
  /** (b) help requests resolved without the bot. */
  unassistedResolutions: number;
  /** a + b. */
  bypasses: number;
  /** Interactions on concierge-made pairs (mediated or direct, including the tie itself). */
  conciergePairInteractions: number;
  /** Problems solved (with the bot) in the period. */
  assistedResolutions: number;
  /** conciergePairInteractions + assistedResolutions + unassistedResolutions. */
  opportunities: number;
  /** bypasses / opportunities; null without opportunities. */
  rate: number | null;
}

/** Bypasses and the bypass rate over a period (definition in the module comment). */
export function bypassRate(input: ConnectionHistory, period: Period): BypassRate {
  return bypassRateFrom(prepare(input), period);
}

export function bypassRateFrom(p: Prepared, period: Period): BypassRate {
  const range = rangeOf(p.times, period);
  const contacts = sumIn(p.cumBypass, range);
  const unassisted = countIn(p.resolutionTimes, period);
  const conciergePairInteractions = sumIn(p.cumConciergePair, range);
  const assisted = countIn(p.solvedTimes, period);
  const opportunities = conciergePairInteractions + assisted + unassisted;
  return {
    bypassContacts: contacts,
    unassistedResolutions: unassisted,
    bypasses: contacts + unassisted,
    conciergePairInteractions,
    assistedResolutions: assisted,
    opportunities,
    rate: ratio(contacts + unassisted, opportunities),
  };
}
