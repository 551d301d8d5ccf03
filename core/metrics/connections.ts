/**
 * Connection metrics: the numbers behind the dashboard, as pure functions over plain arrays of
 * records (the store's types, or any structural subset below). No database, no clock: every
 * function takes what it counts and the period it counts in.
 *
 * Definitions (shared/design/architecture.md, "Metric definitions"), and the choices made where it leaves room:
 *
 * - Period: half-open, `from <= t < to`, like the store's `listBetween`. An empty or inverted
 *   period contains nothing.
 * - Members are people: a person's linked accounts are one member (core/identity; a merge folds
 *   their history into one and removes what was only between the two accounts), so no figure
 *   here ever counts an exchange between two accounts of one person as a tie or a contact.
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
 * - Tie: the first interaction between an unordered pair {A, B}, over the whole history passed
 *   in (pass history from the beginning; period filters apply afterwards, so a pair that first
 *   met last year does not form a "new" tie this week). Concierge-made when that first
 *   interaction was mediated, direct otherwise.
 * - Direct contact: an interaction the bot did not mediate (`mediated: false`).
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
 * - Reciprocity: among directed pairs A -> B with at least one interaction in the period, the
 *   share whose reverse B -> A is present too. Density: undirected pairs with an interaction in
 *   the period / n(n-1)/2, n = active members (members with at least one interaction in the
 *   period); members without interactions do not enter the graph. Average clustering: the mean
 *   over active members of the local coefficient (links among a member's neighbours / possible
 *   links among them); members with fewer than two neighbours count as 0 (the networkx
 *   convention). The graph is that period's interactions, mediated or not.
 * - Time to first response: for each problem opened in the period, from its creation to the
 *   earliest response (ProblemResponse) by someone other than its originator, at any later
 *   time; a response dated before the problem (the thread already had an answer when the request
 *   was opened) counts as 0 ms. Unanswered problems have null and are left out of the median.
 *   Median of an even count is the mean of the middle two. Durations are in milliseconds.
 * - Solve rate: problems opened in the period that were solved before the period ended / all
 *   problems opened in the period. Open, invited, answered and closed-unsolved problems count
 *   as not solved (they stay in the denominator). A problem is solved at `solvedAt`, else at
 *   the originator's earliest "solved" feedback, else (status "solved" without a date) at
 *   `updatedAt` if given, else it is solved at an unknown time that counts as within any
 *   period ending after its creation.
 * - Active helpers: members with at least one response to someone else's problem, or at least
 *   one "answer" interaction, in the period.
 * - Invitations per helper: invitations sent in the period (any status but "pending", dated by
 *   `sentAt`, else `createdAt`) / active helpers.
 * - Acceptance rate: invitations sent in the period whose status is "accepted" or "answered" /
 *   invitations sent in the period. Declined, ignored and still-awaiting ("sent") invitations
 *   stay in the denominator as not accepted; each is also reported separately. Duplicate
 *   invitations (same id, or same problem and member) count once, with the most advanced status.
 * - Ratios with a zero denominator are null, never NaN or Infinity; counts of empty inputs are 0.
 * - Weekly series: ISO weeks (Monday 00:00 UTC) from the week containing `from` to the week
 *   containing the last instant before `to`, every week present (zero-filled); the first and
 *   last weeks are clipped to the period, so the series sums to the period's totals.
 */
import type {
  FeedbackKind, InteractionKind, InvitationStatus, ProblemStatus,
} from '../store/types.js';
import type { DocumentKind, MemberId, Platform, ProblemId } from '../types.js';
import { inPeriod, isValidDate, previousPeriod, utcDateKey, weeksOf, type Period } from './weeks.js';

export type { Period } from './weeks.js';

// ---------------------------------------------------------------------------------------------
// Inputs: structural subsets of the store's types (a store record is always accepted).

export interface InteractionRecord {
  id?: number;
  fromMemberId: MemberId;
  toMemberId: MemberId;
  kind: InteractionKind;
  platform: Platform;
  mediated: boolean;
  problemId?: ProblemId | null;
  sourceEventId?: string | null;
  occurredAt: Date;
}

export interface ProblemRecord {
  id: ProblemId;
  originatorId: MemberId;
  status: ProblemStatus;
  createdAt: Date;
  solvedAt?: Date | null;
  updatedAt?: Date;
  platform?: Platform;
  threadId?: string | null;
}

export interface ResponseRecord {
  id?: number;
  problemId: ProblemId;
  memberId: MemberId;
  createdAt: Date;
}

export interface InvitationRecord {
  id?: number;
  problemId: ProblemId;
  memberId: MemberId;
  status: InvitationStatus;
  createdAt: Date;
  sentAt?: Date | null;
  respondedAt?: Date | null;
}

export interface FeedbackRecord {
  problemId: ProblemId | null;
  fromMemberId: MemberId;
  kind: FeedbackKind;
  createdAt: Date;
}

export interface MemberRecord {
  id: MemberId;
}

/** A help request members resolved without calling the bot. */
export interface UnassistedResolution {
  /** When it was resolved (the answer that resolved it). */
  at: Date;
  requesterId?: MemberId | null;
  helperId?: MemberId | null;
  platform?: Platform;
  threadId?: string | null;
  id?: string | number;
}

/** Everything the bundled metrics read; only `interactions` is required. */
export interface ConnectionHistory {
  interactions: readonly InteractionRecord[];
  problems?: readonly ProblemRecord[];
  responses?: readonly ResponseRecord[];
  invitations?: readonly InvitationRecord[];
  feedback?: readonly FeedbackRecord[];
  members?: readonly MemberRecord[];
  unassistedResolutions?: readonly UnassistedResolution[];
}

/** null when the denominator is 0. */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

// ---------------------------------------------------------------------------------------------
// Cleaning

const pairKey = (a: MemberId, b: MemberId): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

// Member ids are small non-negative integers in practice: a pair then packs into one number,
// which a Map or Set hashes far faster than a string (100k interactions are keyed per request).
// Anything else falls back to the string key; the two kinds never collide (number vs string).
const PACK = 2 ** 26;
const packable = (x: number): boolean => Number.isInteger(x) && x >= 0 && x < PACK;
const pairId = (a: MemberId, b: MemberId): number | string =>
  (packable(a) && packable(b) ? (a < b ? a * PACK + b : b * PACK + a) : pairKey(a, b));
const directedId = (from: MemberId, to: MemberId): number | string =>
  (packable(from) && packable(to) ? from * PACK + to : `${from}>${to}`);

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
  x.occurredAt.getTime() - y.occurredAt.getTime()
  || (x.id !== undefined && y.id !== undefined ? x.id - y.id : 0)
  || Number(y.mediated) - Number(x.mediated);

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

// ---------------------------------------------------------------------------------------------
// Interactions

export interface MediationCount {
  total: number;
  mediated: number;
  direct: number;
}

export interface InteractionCounts extends MediationCount {
  byKind: Record<InteractionKind, MediationCount>;
  byPlatform: Record<Platform, MediationCount>;
}

const zeroCount = (): MediationCount => ({ total: 0, mediated: 0, direct: 0 });
const bump = (c: MediationCount, mediated: boolean): void => {
  c.total += 1;
  if (mediated) c.mediated += 1;
  else c.direct += 1;
};

/** Interactions in the period (all of them without one), by kind and platform, mediated vs direct. */
export function interactionCounts(interactions: readonly InteractionRecord[], period?: Period): InteractionCounts {
  const counts: InteractionCounts = {
    ...zeroCount(),
    byKind: { reply: zeroCount(), mention: zeroCount(), answer: zeroCount(), 'direct-message': zeroCount(), reaction: zeroCount(), introduction: zeroCount() },
    byPlatform: { matrix: zeroCount(), discourse: zeroCount() },
  };
  for (const i of cleanInteractions(interactions)) {
    if (period && !inPeriod(i.occurredAt, period)) continue;
    bump(counts, i.mediated);
    bump(counts.byKind[i.kind], i.mediated);
    bump(counts.byPlatform[i.platform], i.mediated);
  }
  return counts;
}

/** Interactions the bot did not mediate, in time order (in the period, if given). */
export function directContacts<T extends InteractionRecord>(interactions: readonly T[], period?: Period): T[] {
  return cleanInteractions(interactions).filter((i) => !i.mediated && (!period || inPeriod(i.occurredAt, period)));
}

// ---------------------------------------------------------------------------------------------
// Ties

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

// ---------------------------------------------------------------------------------------------
// Bypasses

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

/** Valid, de-duplicated unassisted resolutions, minus self-resolutions (in the period, if given). */
export function cleanResolutions(resolutions: readonly UnassistedResolution[], period?: Period): UnassistedResolution[] {
  const seen = new Set<string>();
  const out: UnassistedResolution[] = [];
  const valid = resolutions.filter((r) => isValidDate(r.at)).sort((x, y) => x.at.getTime() - y.at.getTime());
  for (const r of valid) {
    if (period && !inPeriod(r.at, period)) continue;
    if (r.requesterId != null && r.requesterId === r.helperId) continue;
    const keys: string[] = [];
    if (r.id !== undefined) keys.push(`id:${r.id}`);
    if (r.threadId != null) keys.push(`thread:${r.platform ?? ''}:${r.threadId}`);
    if (keys.some((k) => seen.has(k))) continue;
    for (const k of keys) seen.add(k);
    out.push(r);
  }
  return out;
}

/** A document as far as resolution detection needs it (a StoredDocument fits). */
export interface ThreadDocument {
  platform: Platform;
  threadId: string;
  kind: DocumentKind;
  text?: string;
  authorId?: MemberId | null;
  accepted: boolean;
  score?: number;
  createdAt: Date;
}

/**
 * Help requests resolved without the bot, from documents: a thread with no Problem (matched by
 * platform + threadId) whose first document is a request (kind question/topic, or its text has
 * a "?") and where another member's document is accepted or scored above 0. Dated by the first
 * such document; one resolution per thread.
 */
export function unassistedResolutionsFromThreads(
  documents: readonly ThreadDocument[], problems: readonly ProblemRecord[],
): UnassistedResolution[] {
  const withProblem = new Set(problems.filter((p) => p.platform && p.threadId != null).map((p) => `${p.platform}:${p.threadId}`));
  const threads = new Map<string, ThreadDocument[]>();
  for (const d of documents) {
    if (!isValidDate(d.createdAt)) continue;
    const key = `${d.platform}:${d.threadId}`;
    if (withProblem.has(key)) continue;
    const list = threads.get(key) ?? [];
    list.push(d);
    threads.set(key, list);
  }
  const out: UnassistedResolution[] = [];
  for (const docs of threads.values()) {
    docs.sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime());
    const [root] = docs;
    if (!root || root.authorId == null) continue;
    const isRequest = root.kind === 'question' || root.kind === 'topic' || (root.text ?? '').includes('?');
    if (!isRequest) continue;
    const answer = docs.find((d) => d !== root && d.authorId != null && d.authorId !== root.authorId && (d.accepted || (d.score ?? 0) > 0));
    if (!answer) continue;
    out.push({ at: answer.createdAt, requesterId: root.authorId, helperId: answer.authorId ?? null, platform: root.platform, threadId: root.threadId });
  }
  return out.sort((x, y) => x.at.getTime() - y.at.getTime());
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

// ---------------------------------------------------------------------------------------------
// Network shape

export interface NetworkMetrics {
  /** Members with at least one interaction in the period. */
  activeMembers: number;
  /** Ordered pairs A -> B with at least one interaction. */
  directedPairs: number;
  /** Ordered pairs whose reverse is present too. */
  reciprocatedPairs: number;
  reciprocity: number | null;
  /** Unordered pairs with at least one interaction. */
  linkedPairs: number;
  /** activeMembers choose 2. */
  possiblePairs: number;
  density: number | null;
  /** Average local clustering coefficient (undirected); null with no active members. */
  clustering: number | null;
}

/** Reciprocity, density and clustering of the interaction graph in the period (all history without one). */
export function networkMetrics(interactions: readonly InteractionRecord[], period?: Period): NetworkMetrics {
  const directed = new Set<number | string>();
  const directedPairs: [MemberId, MemberId][] = [];
  const neighbours = new Map<MemberId, Set<MemberId>>();
  const link = (x: MemberId, y: MemberId): void => {
    const set = neighbours.get(x) ?? new Set<MemberId>();
    set.add(y);
    neighbours.set(x, set);
  };
  for (const i of cleanInteractions(interactions)) {
    if (period && !inPeriod(i.occurredAt, period)) continue;
    const key = directedId(i.fromMemberId, i.toMemberId);
    if (!directed.has(key)) {
      directed.add(key);
      directedPairs.push([i.fromMemberId, i.toMemberId]);
    }
    link(i.fromMemberId, i.toMemberId);
    link(i.toMemberId, i.fromMemberId);
  }
  let reciprocated = 0;
  for (const [from, to] of directedPairs) if (directed.has(directedId(to, from))) reciprocated += 1;
  const n = neighbours.size;
  let degreeSum = 0;
  let coefficientSum = 0;
  for (const [, ns] of neighbours) {
    degreeSum += ns.size;
    const k = ns.size;
    if (k < 2) continue;
    const list = [...ns];
    let links = 0;
    for (let x = 0; x < list.length; x++) {
      const nx = neighbours.get(list[x]!);
      for (let y = x + 1; y < list.length; y++) if (nx?.has(list[y]!)) links += 1;
    }
    coefficientSum += links / ((k * (k - 1)) / 2);
  }
  const linkedPairs = degreeSum / 2;
  const possiblePairs = n < 2 ? 0 : (n * (n - 1)) / 2;
  return {
    activeMembers: n,
    directedPairs: directed.size,
    reciprocatedPairs: reciprocated,
    reciprocity: ratio(reciprocated, directed.size),
    linkedPairs,
    possiblePairs,
    density: ratio(linkedPairs, possiblePairs),
    clustering: n > 0 ? coefficientSum / n : null,
  };
}

export const reciprocity = (interactions: readonly InteractionRecord[], period?: Period): number | null =>
  networkMetrics(interactions, period).reciprocity;
export const networkDensity = (interactions: readonly InteractionRecord[], period?: Period): number | null =>
  networkMetrics(interactions, period).density;
export const averageClustering = (interactions: readonly InteractionRecord[], period?: Period): number | null =>
  networkMetrics(interactions, period).clustering;

// ---------------------------------------------------------------------------------------------
// Problems: response times and solving

export interface FirstResponse {
  problemId: ProblemId;
  createdAt: Date;
  firstResponseAt: Date | null;
  /** Milliseconds from creation to the first response (0 if it came earlier); null if none. */
  ms: number | null;
}

function uniqueProblems<T extends ProblemRecord>(problems: readonly T[]): T[] {
  const byId = new Map<ProblemId, T>();
  for (const p of problems) if (isValidDate(p.createdAt) && !byId.has(p.id)) byId.set(p.id, p);
  return [...byId.values()].sort((x, y) => x.createdAt.getTime() - y.createdAt.getTime() || x.id - y.id);
}

/** Time to first response (by someone other than the originator) of each problem opened in the period. */
export function timeToFirstResponse(
  problems: readonly ProblemRecord[], responses: readonly ResponseRecord[], period?: Period,
): FirstResponse[] {
  const ps = uniqueProblems(problems);
  const originator = new Map(ps.map((p) => [p.id, p.originatorId]));
  const first = new Map<ProblemId, number>();
  for (const r of responses) {
    if (!isValidDate(r.createdAt) || r.memberId === originator.get(r.problemId)) continue;
    const t = r.createdAt.getTime();
    const current = first.get(r.problemId);
    if (current === undefined || t < current) first.set(r.problemId, t);
  }
  return ps.filter((p) => !period || inPeriod(p.createdAt, period)).map((p) => {
    const t = first.get(p.id);
    return {
      problemId: p.id,
      createdAt: p.createdAt,
      firstResponseAt: t === undefined ? null : new Date(t),
      ms: t === undefined ? null : Math.max(0, t - p.createdAt.getTime()),
    };
  });
}

/** The median of the values; null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median time to first response (ms) over the answered problems opened in the period. */
export function medianTimeToFirstResponse(
  problems: readonly ProblemRecord[], responses: readonly ResponseRecord[], period?: Period,
): number | null {
  return median(timeToFirstResponse(problems, responses, period).flatMap((f) => (f.ms === null ? [] : [f.ms])));
}

/** When each problem was solved: a Date, 'unknown' (solved, no date), or absent (not solved). */
export function solveTimes(problems: readonly ProblemRecord[], feedback: readonly FeedbackRecord[] = []): Map<ProblemId, Date | 'unknown'> {
  const ps = uniqueProblems(problems);
  const originator = new Map(ps.map((p) => [p.id, p.originatorId]));
  const marked = new Map<ProblemId, number>();
  for (const f of feedback) {
    if (f.kind !== 'solved' || f.problemId === null || !isValidDate(f.createdAt)) continue;
    if (f.fromMemberId !== originator.get(f.problemId)) continue;
    const current = marked.get(f.problemId);
    if (current === undefined || f.createdAt.getTime() < current) marked.set(f.problemId, f.createdAt.getTime());
  }
  const out = new Map<ProblemId, Date | 'unknown'>();
  for (const p of ps) {
    const mark = marked.get(p.id);
    if (isValidDate(p.solvedAt)) out.set(p.id, p.solvedAt);
    else if (mark !== undefined) out.set(p.id, new Date(mark));
    else if (p.status === 'solved') out.set(p.id, isValidDate(p.updatedAt) ? p.updatedAt : 'unknown');
  }
  return out;
}

export interface SolveRate {
  opened: number;
  solved: number;
  rate: number | null;
}

/** Problems opened in the period and solved before it ended / problems opened in it. */
export function solveRate(problems: readonly ProblemRecord[], period: Period, feedback: readonly FeedbackRecord[] = []): SolveRate {
  const times = solveTimes(problems, feedback);
  let opened = 0;
  let solved = 0;
  for (const p of uniqueProblems(problems)) {
    if (!inPeriod(p.createdAt, period)) continue;
    opened += 1;
    const t = times.get(p.id);
    if (t === 'unknown' || (t !== undefined && t.getTime() < period.to.getTime())) solved += 1;
  }
  return { opened, solved, rate: ratio(solved, opened) };
}

// ---------------------------------------------------------------------------------------------
// Helpers and invitations

/** Members with a response to someone else's problem, or an "answer" interaction, in the period; by id. */
export function activeHelpers(
  input: Pick<ConnectionHistory, 'interactions' | 'responses' | 'problems'>, period: Period,
): MemberId[] {
  const originator = new Map(uniqueProblems(input.problems ?? []).map((p) => [p.id, p.originatorId]));
  const helpers = new Set<MemberId>();
  for (const r of input.responses ?? []) {
    if (inPeriod(r.createdAt, period) && r.memberId !== originator.get(r.problemId)) helpers.add(r.memberId);
  }
  for (const i of cleanInteractions(input.interactions)) {
    if (i.kind === 'answer' && inPeriod(i.occurredAt, period)) helpers.add(i.fromMemberId);
  }
  return [...helpers].sort((a, b) => a - b);
}

const STATUS_RANK: Record<InvitationStatus, number> = { pending: 0, sent: 1, ignored: 2, declined: 3, accepted: 4, answered: 5 };

/** Invitations that were sent (status other than pending), one per id or (problem, member), in the period if given. */
export function sentInvitations<T extends InvitationRecord>(invitations: readonly T[], period?: Period): T[] {
  const best = new Map<string, T>();
  const idKey = new Map<number, string>();
  for (const inv of invitations) {
    const key = (inv.id !== undefined ? idKey.get(inv.id) : undefined) ?? `${inv.problemId}:${inv.memberId}`;
    if (inv.id !== undefined) idKey.set(inv.id, key);
    const current = best.get(key);
    if (!current || STATUS_RANK[inv.status] > STATUS_RANK[current.status]) best.set(key, inv);
  }
  return [...best.values()].filter((inv) => {
    if (inv.status === 'pending') return false;
    const at = inv.sentAt ?? inv.createdAt;
    return isValidDate(at) && (!period || inPeriod(at, period));
  });
}

export interface InvitationsPerHelper {
  invitationsSent: number;
  activeHelpers: number;
  perHelper: number | null;
}

/** Invitations sent in the period / active helpers in it. */
export function invitationsPerHelper(input: ConnectionHistory, period: Period): InvitationsPerHelper {
  const invitationsSent = sentInvitations(input.invitations ?? [], period).length;
  const helpers = activeHelpers(input, period).length;
  return { invitationsSent, activeHelpers: helpers, perHelper: ratio(invitationsSent, helpers) };
}

export interface AcceptanceRate {
  sent: number;
  accepted: number;
  answered: number;
  declined: number;
  ignored: number;
  /** Still "sent": no reply yet. */
  awaiting: number;
  /** (accepted + answered) / sent. */
  rate: number | null;
}

/** Of the invitations sent in the period, the share accepted or answered. */
export function acceptanceRate(invitations: readonly InvitationRecord[], period?: Period): AcceptanceRate {
  const r: AcceptanceRate = { sent: 0, accepted: 0, answered: 0, declined: 0, ignored: 0, awaiting: 0, rate: null };
  for (const inv of sentInvitations(invitations, period)) {
    r.sent += 1;
    if (inv.status === 'sent') r.awaiting += 1;
    else if (inv.status !== 'pending') r[inv.status] += 1;
  }
  r.rate = ratio(r.accepted + r.answered, r.sent);
  return r;
}

// ---------------------------------------------------------------------------------------------
// Bundles for the dashboard

// The dashboard asks for one period and for each of its weeks (up to a few hundred) over 100k
// interactions: everything a period counts is prepared once as sorted times with running
// counts, so each period is two binary searches instead of a pass over the history.
interface Prepared {
  interactions: InteractionRecord[];
  /** occurredAt of `interactions` (time order), in ms. */
  times: Float64Array;
  /** Running counts over `interactions`: entry k counts those before index k. */
  cumDirect: Int32Array;
  cumConciergePair: Int32Array;
  cumBypass: Int32Array;
  /** Ties in time order, their times and running count of concierge-made ones. */
  ties: Tie[];
  tieTimes: Float64Array;
  cumConciergeTies: Int32Array;
  solveTimes: Map<ProblemId, Date | 'unknown'>;
  /** The dated solves, sorted. */
  solvedTimes: Float64Array;
  /** Cleaned, so in time order. */
  resolutionTimes: Float64Array;
  /** Unique problems with a valid creation date, by creation; and those times. */
  problems: ProblemRecord[];
  createdTimes: Float64Array;
  originator: Map<ProblemId, MemberId>;
  /** Each problem's earliest response by someone other than its originator, in ms. */
  firstResponse: Map<ProblemId, number>;
  input: ConnectionHistory;
}

/** The first index whose time is >= t (times sorted ascending). */
function lowerBound(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The index range [lo, hi) of the times inside the period; empty for an empty, inverted or invalid one. */
function rangeOf(times: Float64Array, period: Period): [number, number] {
  const from = period.from.getTime();
  const to = period.to.getTime();
  if (!(from < to)) return [0, 0];
  return [lowerBound(times, from), lowerBound(times, to)];
}

const countIn = (times: Float64Array, period: Period): number => {
  const [lo, hi] = rangeOf(times, period);
  return hi - lo;
};

const sumIn = (cum: Int32Array, [lo, hi]: [number, number]): number => cum[hi]! - cum[lo]!;

function running(n: number, at: (k: number) => boolean): Int32Array {
  const cum = new Int32Array(n + 1);
  for (let k = 0; k < n; k++) cum[k + 1] = cum[k]! + (at(k) ? 1 : 0);
  return cum;
}

function prepare(input: ConnectionHistory): Prepared {
  const interactions = cleanInteractions(input.interactions);
  const ties = tiesFormed(interactions);
  const conciergeTieAt = new Map<number | string, number>();
  for (const t of ties) if (t.kind === 'concierge') conciergeTieAt.set(pairId(t.a, t.b), t.formedAt.getTime());
  const n = interactions.length;
  const times = new Float64Array(n);
  const tieAt = new Float64Array(n).fill(Number.NaN);
  for (let k = 0; k < n; k++) {
    const i = interactions[k]!;
    times[k] = i.occurredAt.getTime();
    tieAt[k] = conciergeTieAt.get(pairId(i.fromMemberId, i.toMemberId)) ?? Number.NaN;
  }
  const solves = solveTimes(input.problems ?? [], input.feedback ?? []);
  const solvedTimes = Float64Array.from([...solves.values()].flatMap((t) => (t === 'unknown' ? [] : [t.getTime()]))).sort();
  const problems = uniqueProblems(input.problems ?? []);
  const originator = new Map(problems.map((p) => [p.id, p.originatorId]));
  const firstResponse = new Map<ProblemId, number>();
  for (const r of input.responses ?? []) {
    if (!isValidDate(r.createdAt) || r.memberId === originator.get(r.problemId)) continue;
    const t = r.createdAt.getTime();
    const current = firstResponse.get(r.problemId);
    if (current === undefined || t < current) firstResponse.set(r.problemId, t);
  }
  return {
    interactions,
    times,
    cumDirect: running(n, (k) => !interactions[k]!.mediated),
    cumConciergePair: running(n, (k) => !Number.isNaN(tieAt[k]!)),
    // A bypass contact: direct, on a concierge-made pair, strictly after the tie.
    cumBypass: running(n, (k) => !interactions[k]!.mediated && times[k]! > tieAt[k]!),
    ties,
    tieTimes: Float64Array.from(ties, (t) => t.formedAt.getTime()),
    cumConciergeTies: running(ties.length, (k) => ties[k]!.kind === 'concierge'),
    solveTimes: solves,
    solvedTimes,
    resolutionTimes: Float64Array.from(cleanResolutions(input.unassistedResolutions ?? []), (r) => r.at.getTime()),
    problems,
    createdTimes: Float64Array.from(problems, (p) => p.createdAt.getTime()),
    originator,
    firstResponse,
    input,
  };
}

function tiesIn(p: Prepared, period: Period): TieCounts {
  const range = rangeOf(p.tieTimes, period);
  const concierge = sumIn(p.cumConciergeTies, range);
  const total = range[1] - range[0];
  return { total, concierge, direct: total - concierge };
}

function bypassRateFrom(p: Prepared, period: Period): BypassRate {
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

export interface WeeklyConnectionPoint {
  /** Monday 00:00 UTC. */
  weekStart: Date;
  /** `YYYY-MM-DD`. */
  week: string;
  newTiesConcierge: number;
  newTiesDirect: number;
  directContacts: number;
  bypassContacts: number;
  unassistedResolutions: number;
  bypasses: number;
  /** See the module comment; null in a week with no opportunities. */
  bypassRate: number | null;
}

/** The headline chart: per ISO week (zero-filled), new ties by kind, direct contacts, bypasses and the bypass rate. */
export function weeklyConnectionSeries(input: ConnectionHistory, period: Period): WeeklyConnectionPoint[] {
  const p = prepare(input);
  return weeksOf(period).map(({ weekStart, range }) => {
    const ties = tiesIn(p, range);
    const bypass = bypassRateFrom(p, range);
    return {
      weekStart,
      week: utcDateKey(weekStart),
      newTiesConcierge: ties.concierge,
      newTiesDirect: ties.direct,
      directContacts: sumIn(p.cumDirect, rangeOf(p.times, range)),
      bypassContacts: bypass.bypassContacts,
      unassistedResolutions: bypass.unassistedResolutions,
      bypasses: bypass.bypasses,
      bypassRate: bypass.rate,
    };
  });
}

export interface CommunitySnapshot {
  period: Period;
  interactions: MediationCount;
  newTies: TieCounts;
  /** Members with at least one interaction in the period. */
  activeMembers: number;
  /** Members known (input.members), null when not given. */
  members: number | null;
  solveRate: number | null;
  problemsOpened: number;
  problemsSolved: number;
  medianTimeToFirstResponseMs: number | null;
  activeHelpers: number;
  bypasses: number;
  bypassRate: number | null;
}

export interface SummaryChange {
  interactions: number;
  newTies: number;
  activeMembers: number;
  solveRate: number | null;
  medianTimeToFirstResponseMs: number | null;
  activeHelpers: number;
  bypasses: number;
  bypassRate: number | null;
}

export interface CommunitySummary extends CommunitySnapshot {
  /** The period of equal length just before; null when comparison was turned off. */
  previous: CommunitySnapshot | null;
  /** current - previous for each headline number; null where either side is null. */
  change: SummaryChange | null;
}

function snapshot(p: Prepared, period: Period): CommunitySnapshot {
  const counts = zeroCount();
  const active = new Set<MemberId>();
  const helpers = new Set<MemberId>();
  const [lo, hi] = rangeOf(p.times, period);
  for (let k = lo; k < hi; k++) {
    const i = p.interactions[k]!;
    bump(counts, i.mediated);
    active.add(i.fromMemberId);
    active.add(i.toMemberId);
    if (i.kind === 'answer') helpers.add(i.fromMemberId);
  }
  // Active helpers (as activeHelpers): responses to someone else's problem, or answers.
  for (const r of p.input.responses ?? []) {
    if (inPeriod(r.createdAt, period) && r.memberId !== p.originator.get(r.problemId)) helpers.add(r.memberId);
  }
  // Solve rate and time to first response (as solveRate and medianTimeToFirstResponse) over
  // the problems opened in the period.
  const [from, to] = rangeOf(p.createdTimes, period);
  let solved = 0;
  const responseMs: number[] = [];
  for (let k = from; k < to; k++) {
    const problem = p.problems[k]!;
    const t = p.solveTimes.get(problem.id);
    if (t === 'unknown' || (t !== undefined && t.getTime() < period.to.getTime())) solved += 1;
    const first = p.firstResponse.get(problem.id);
    if (first !== undefined) responseMs.push(Math.max(0, first - problem.createdAt.getTime()));
  }
  const opened = to - from;
  const bypass = bypassRateFrom(p, period);
  return {
    period,
    interactions: counts,
    newTies: tiesIn(p, period),
    activeMembers: active.size,
    members: p.input.members ? new Set(p.input.members.map((m) => m.id)).size : null,
    solveRate: ratio(solved, opened),
    problemsOpened: opened,
    problemsSolved: solved,
    medianTimeToFirstResponseMs: median(responseMs),
    activeHelpers: helpers.size,
    bypasses: bypass.bypasses,
    bypassRate: bypass.rate,
  };
}

const diff = (a: number | null, b: number | null): number | null => (a === null || b === null ? null : a - b);

/** An overview of the period, by default with the previous period of equal length and the change. */
export function communitySummary(input: ConnectionHistory, period: Period, options: { compare?: boolean } = {}): CommunitySummary {
  const p = prepare(input);
  const current = snapshot(p, period);
  if (options.compare === false) return { ...current, previous: null, change: null };
  const previous = snapshot(p, previousPeriod(period));
  return {
    ...current,
    previous,
    change: {
      interactions: current.interactions.total - previous.interactions.total,
      newTies: current.newTies.total - previous.newTies.total,
      activeMembers: current.activeMembers - previous.activeMembers,
      solveRate: diff(current.solveRate, previous.solveRate),
      medianTimeToFirstResponseMs: diff(current.medianTimeToFirstResponseMs, previous.medianTimeToFirstResponseMs),
      activeHelpers: current.activeHelpers - previous.activeHelpers,
      bypasses: current.bypasses - previous.bypasses,
      bypassRate: diff(current.bypassRate, previous.bypassRate),
    },
  };
}
