/**
 * Interactions: cleaning them (every metric counts cleaned interactions), their counts, and
 * direct contacts.
 *
 * Definitions (the shared conventions are in records.ts):
 *
 * - Interaction: an observable act from member A to member B (reply, mention, answer,
 *   direct message, reaction) with platform, time and `mediated` (the bot invited A to the
 *   problem, or relayed the message). Only observable acts are counted: rooms the bot is not
 *   in are invisible, member-reported contacts count once recorded as interactions.
 *   Cleaning, applied by every function: self-interactions (A -> A) and records with an invalid
 *   date are ignored; duplicates are dropped (same `id`; or, with a `sourceEventId`, the store's
 *   idempotency key platform + sourceEventId + from + to + kind; records with neither count as
 *   duplicates only when every field is equal); records are put in time order, whatever order
 *   they come in. At equal timestamps the lower `id` comes first, then mediated before direct
 *   (one platform event can yield both; the bot's invitation is what caused it).
 * - Direct contact: an interaction the bot did not mediate (`mediated: false`).
 */
import type { InteractionKind } from '../store/types.js';
import type { Platform } from '../types.js';
import { platformIds } from '../platforms.js';
import type { InteractionRecord } from './records.js';
import { inPeriod, isValidDate, type Period } from './weeks.js';

// One summary runs several metrics over the same history, each of which cleans it first: the
// cleaned copy is kept per input array (the inputs are read-only), so it is built once.
const cleaned = new WeakMap<readonly InteractionRecord[], readonly InteractionRecord[]>();

/** Valid, non-self, de-duplicated interactions in time order (see the module comment). */
export function cleanInteractions<T extends InteractionRecord>(interactions: readonly T[]): T[] {
  const known = cleaned.get(interactions);
  if (known) return [...known] as T[];
  const kept = cleanInteractionsOnce(interactions);
  cleaned.set(interactions, kept);
  return [...kept];
}

const byTimeIdMediation = (x: InteractionRecord, y: InteractionRecord): number =>
  x.occurredAt.getTime() - y.occurredAt.getTime() || (x.id !== undefined && y.id !== undefined ? x.id - y.id : 0) || Number(y.mediated) - Number(x.mediated);

function cleanInteractionsOnce<T extends InteractionRecord>(interactions: readonly T[]): T[] {
  const ordered = interactions.filter((i) => i.fromMemberId !== i.toMemberId && isValidDate(i.occurredAt));
  // The store hands them over in time order already: the (stable) sort would keep that order,
  // so it is skipped when one pass finds nothing out of place.
  let inOrder = true;
  for (let k = 1; k < ordered.length && inOrder; k++) inOrder = byTimeIdMediation(ordered[k - 1]!, ordered[k]!) <= 0;
  if (!inOrder) ordered.sort(byTimeIdMediation);
  // Sorted first, so the copy kept of a duplicate does not depend on the input order. Numeric
  // ids get their own set (the same test as the key "id:<id>", without building the string).
  const seenIds = new Set<number>();
  const seen = new Set<string>();
  const kept: T[] = [];
  for (const i of ordered) {
    const numericId = typeof i.id === 'number' ? i.id : undefined;
    const keys: string[] = [];
    if (i.id !== undefined && numericId === undefined) keys.push(`id:${i.id}`);
    if (i.sourceEventId != null) keys.push(`ev:${i.platform}:${i.sourceEventId}:${i.fromMemberId}:${i.toMemberId}:${i.kind}`);
    if (i.id === undefined && keys.length === 0) {
      keys.push(`all:${i.fromMemberId}:${i.toMemberId}:${i.kind}:${i.platform}:${i.mediated}:${i.problemId ?? ''}:${i.occurredAt.getTime()}`);
    }
    if ((numericId !== undefined && seenIds.has(numericId)) || keys.some((k) => seen.has(k))) continue;
    if (numericId !== undefined) seenIds.add(numericId);
    for (const k of keys) seen.add(k);
    kept.push(i);
  }
  return kept;
}

export interface MediationCount {
  total: number;
  mediated: number;
  direct: number;
}

export interface InteractionCounts extends MediationCount {
  byKind: Record<InteractionKind, MediationCount>;
  /** Every registered platform (zero when quiet), and any other the interactions name. */
  byPlatform: Record<Platform, MediationCount>;
}

export const zeroCount = (): MediationCount => ({ total: 0, mediated: 0, direct: 0 });
export const bump = (c: MediationCount, mediated: boolean): void => {
  c.total += 1;
  if (mediated) c.mediated += 1;
  else c.direct += 1;
};

/** Interactions in the period (all of them without one), by kind and platform, mediated vs direct. */
export function interactionCounts(interactions: readonly InteractionRecord[], period?: Period): InteractionCounts {
  const counts: InteractionCounts = {
    ...zeroCount(),
    byKind: { reply: zeroCount(), mention: zeroCount(), answer: zeroCount(), 'direct-message': zeroCount(), reaction: zeroCount(), introduction: zeroCount() },
    byPlatform: Object.fromEntries(platformIds().map((p) => [p, zeroCount()])),
  };
  for (const i of cleanInteractions(interactions)) {
    if (period && !inPeriod(i.occurredAt, period)) continue;
    bump(counts, i.mediated);
    bump(counts.byKind[i.kind], i.mediated);
    bump((counts.byPlatform[i.platform] ??= zeroCount()), i.mediated);
  }
  return counts;
}

/** Interactions the bot did not mediate, in time order (in the period, if given). */
export function directContacts<T extends InteractionRecord>(interactions: readonly T[], period?: Period): T[] {
  return cleanInteractions(interactions).filter((i) => !i.mediated && (!period || inPeriod(i.occurredAt, period)));
}
