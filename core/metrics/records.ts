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
 * - Ratios with a zero denominator are null, never NaN or Infinity; counts of empty inputs are 0.
 *
 * Each metric's own definition is at the top of the module that computes it: interactions.ts
 * (interactions, cleaning, direct contacts), ties.ts, bypass.ts (bypasses and the bypass rate),
 * resolutions.ts (unassisted resolutions), network.ts (reciprocity, density, clustering),
 * problems.ts (time to first response, solve rate), invitations.ts (active helpers,
 * invitations), weekly-series.ts and community-summary.ts (the dashboard bundles).
 */
import type { FeedbackKind, InteractionKind, InvitationStatus, ProblemStatus } from '../store/types.js';
import type { MemberId, Platform, ProblemId } from '../types.js';

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
