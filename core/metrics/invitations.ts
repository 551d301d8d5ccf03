/**
 * Helpers and invitations: who helps, how many invitations each gets, how many are accepted.
 *
 * Definitions (the shared conventions are in records.ts):
 *
 * - Active helpers: members with at least one response to someone else's problem, or at least
 *   one "answer" interaction, in the period.
 * - Invitations per helper: invitations sent in the period (any status but "pending", dated by
 *   `sentAt`, else `createdAt`) / active helpers.
 * - Acceptance rate: invitations sent in the period whose status is "accepted" or "answered" /
 *   invitations sent in the period. Declined, ignored and still-awaiting ("sent") invitations
 *   stay in the denominator as not accepted; each is also reported separately. Duplicate
 *   invitations (same id, or same problem and member) count once, with the most advanced status.
 */
import type { InvitationStatus } from '../store/types.js';
import type { MemberId } from '../types.js';
import { cleanInteractions } from './interactions.js';
import { uniqueProblems } from './problems.js';
import { ratio, type ConnectionHistory, type InvitationRecord } from './records.js';
import { inPeriod, isValidDate, type Period } from './weeks.js';

/** Members with a response to someone else's problem, or an "answer" interaction, in the period; by id. */
export function activeHelpers(input: Pick<ConnectionHistory, 'interactions' | 'responses' | 'problems'>, period: Period): MemberId[] {
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
