// Plain types the store hands to the rest of Co-Agent. No Prisma type leaves core/store.
import type { DocumentId, DocumentKind, KnowledgeDocument, MemberId, Platform, ProblemId, TagId } from '../types.js';

export type InvitationId = number & { readonly __brand: 'InvitationId' };
export type ResponseId = number & { readonly __brand: 'ResponseId' };
export type FeedbackId = number & { readonly __brand: 'FeedbackId' };
export type InteractionId = number & { readonly __brand: 'InteractionId' };

export interface IdentityRef {
  platform: Platform;
  /** Matrix user id (`@alice:example.org`) or Discourse username. */
  externalId: string;
}

export interface MemberIdentity extends IdentityRef {
  displayName: string | null;
  verifiedAt: Date | null;
}

export interface Member {
  id: MemberId;
  displayName: string;
  optedOut: boolean;
  pausedUntil: Date | null;
  /** Invitations per week; null means the configured default. */
  weeklyBudget: number | null;
  quietHours: string | null;
  timeZone: string | null;
  createdAt: Date;
  updatedAt: Date;
  identities: MemberIdentity[];
  /** Opted in to the weekly recognition digest. */
  recognitionDigest: boolean;
  /** When the member left the community (its Space); null while they are in it. */
  leftAt: Date | null;
  /** What they said they can help with (`!coagent interests ...`); null when they did not. */
  interests: string | null;
}

/** Why `linkIdentity` did not link. */
export interface IdentityConflict {
  kind: 'identity-belongs-to-other-member';
  otherMemberId: MemberId;
}

export interface LinkOutcome {
  /** linked: new identity; unchanged: it was already this member's; merged: its member was folded in. */
  status: 'linked' | 'unchanged' | 'merged';
  member: Member;
  /** The member that was merged into this one and removed (status "merged"). */
  mergedMemberId?: MemberId;
}

export interface DocumentInput {
  platform: Platform;
  externalId: string;
  threadId: string;
  containerId?: string | null;
  replyToId?: string | null;
  kind: DocumentKind;
  title?: string | null;
  text: string;
  url?: string | null;
  authorId?: MemberId | null;
  score?: number;
  accepted?: boolean;
  contentHash?: string | null;
  createdAt: Date;
  /**
   * Tags people gave it on the platform. When present they replace the document's previous
   * platform tags; when absent its tags are left alone.
   */
  tags?: readonly string[];
}

export interface UpsertedDocument {
  id: DocumentId;
  externalId: string;
  /** False when a document with this platform and external id already existed. */
  created: boolean;
}

export interface ScoredTag {
  name: string;
  confidence: number;
}

/** A document with everything the store keeps about it. */
export interface StoredDocument extends KnowledgeDocument {
  externalId: string;
  containerId: string | null;
  replyToId: string | null;
  contentHash: string | null;
  deletedAt: Date | null;
  ingestedAt: Date;
  /** Tags the engine suggested (not counted in `tags`, which are people's tags). */
  suggestedTags: ScoredTag[];
}

/** active: used for tagging; proposed: suggested from the history, waiting for an admin; rejected: never proposed again. */
export type TagStatus = 'active' | 'proposed' | 'rejected';
export const TAG_STATUSES: readonly TagStatus[] = ['active', 'proposed', 'rejected'];
/** Where a tag came from: the forum's tags, the configured vocabulary, or the history's themes. */
export type TagOrigin = 'forum' | 'config' | 'suggested';
export const TAG_ORIGINS: readonly TagOrigin[] = ['forum', 'config', 'suggested'];

export interface Tag {
  id: TagId;
  name: string;
  description: string | null;
  status: TagStatus;
  origin: TagOrigin;
  /** Documents carrying the tag, from people or the engine. */
  documentCount: number;
  /** Requests the engine (or the forum) tagged with it. */
  problemCount: number;
}

/** The lifecycle of a help request; the workflow moves it along. */
export const PROBLEM_STATUSES = ['opened', 'acknowledged', 'invited', 'answered', 'digested', 'solved', 'stale', 'closed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export interface ProblemInput {
  originatorId: MemberId;
  platform: Platform;
  /** The platform event that opened it; makes opening idempotent. */
  sourceEventId?: string | null;
  /** Room or topic, and thread root, where it is discussed. */
  containerId?: string | null;
  threadId?: string | null;
  text: string;
  sourceDocumentId?: DocumentId | null;
  tags?: readonly ScoredTag[];
  createdAt?: Date;
}

export interface Problem {
  id: ProblemId;
  originatorId: MemberId;
  sourceDocumentId: DocumentId | null;
  platform: Platform;
  sourceEventId: string | null;
  containerId: string | null;
  threadId: string | null;
  text: string;
  status: ProblemStatus;
  tags: ScoredTag[];
  createdAt: Date;
  updatedAt: Date;
  solvedAt: Date | null;
}

/** One recorded step of a problem's lifecycle. */
export interface ProblemTransition {
  problemId: ProblemId;
  from: ProblemStatus | null;
  to: ProblemStatus;
  /** What caused it, in words (e.g. "reaction ✅ by the originator"). */
  cause: string;
  /** The platform event behind it, if any. */
  sourceEventId: string | null;
  at: Date;
}

export interface SimilarityLink {
  problemId: ProblemId;
  documentId: DocumentId;
  score: number;
  /** 1 is the most similar. */
  rank: number;
  createdAt: Date;
}

export const INVITATION_STATUSES = ['pending', 'sent', 'accepted', 'declined', 'ignored', 'answered'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export interface InvitationInput {
  problemId: ProblemId;
  memberId: MemberId;
  /** Why this member, in words a person can read. */
  reason: string;
  score: number;
  createdAt?: Date;
}

export interface Invitation {
  id: InvitationId;
  problemId: ProblemId;
  memberId: MemberId;
  reason: string;
  score: number;
  status: InvitationStatus;
  createdAt: Date;
  sentAt: Date | null;
  respondedAt: Date | null;
}

export interface ResponseInput {
  problemId: ProblemId;
  memberId: MemberId;
  documentId?: DocumentId | null;
  platform: Platform;
  text: string;
  createdAt: Date;
}

export interface ProblemResponse {
  id: ResponseId;
  problemId: ProblemId;
  memberId: MemberId;
  documentId: DocumentId | null;
  platform: Platform;
  text: string;
  createdAt: Date;
}

export interface PrivateAnswerInput {
  platform: Platform;
  /** The direct message that carried it. */
  sourceEventId: string;
  memberId: MemberId;
  problemId: ProblemId;
  text: string;
  createdAt: Date;
}

/**
 * An answer an invited member sent the bot in a direct conversation. It stays private until the
 * member consents; then it becomes a response (`responseId`) posted in the problem's thread.
 */
export interface PrivateAnswer extends PrivateAnswerInput {
  id: number;
  /** The consent that passed it on, once given. */
  consentEventId: string | null;
  relayedAt: Date | null;
  responseId: ResponseId | null;
}

export const FEEDBACK_KINDS = ['solved', 'thanks', 'reaction', 'rating', 'outcome'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

export interface FeedbackInput {
  problemId?: ProblemId | null;
  responseId?: ResponseId | null;
  fromMemberId: MemberId;
  toMemberId?: MemberId | null;
  kind: FeedbackKind;
  value?: number;
  /** The platform event that produced it; recording it again is a no-op. */
  sourceEventId?: string | null;
  createdAt?: Date;
}

export interface Feedback {
  id: FeedbackId;
  problemId: ProblemId | null;
  responseId: ResponseId | null;
  fromMemberId: MemberId;
  toMemberId: MemberId | null;
  kind: FeedbackKind;
  value: number;
  sourceEventId: string | null;
  createdAt: Date;
}

export const INTERACTION_KINDS = ['reply', 'mention', 'answer', 'direct-message', 'reaction', 'introduction'] as const;
export type InteractionKind = (typeof INTERACTION_KINDS)[number];

export interface InteractionInput {
  fromMemberId: MemberId;
  toMemberId: MemberId;
  kind: InteractionKind;
  platform: Platform;
  /** True when the bot invited the actor to this problem or relayed the message. */
  mediated: boolean;
  problemId?: ProblemId | null;
  /**
   * The platform event that produced it: the idempotency key. Recording the same event, pair
   * and kind again is a no-op, so replays and redeliveries never count twice.
   */
  sourceEventId?: string | null;
  occurredAt: Date;
}

export interface Interaction {
  id: InteractionId;
  fromMemberId: MemberId;
  toMemberId: MemberId;
  kind: InteractionKind;
  platform: Platform;
  mediated: boolean;
  problemId: ProblemId | null;
  sourceEventId: string | null;
  occurredAt: Date;
}

export interface Recorded<T> {
  value: T;
  /** False when an equal record already existed (idempotent replay). */
  created: boolean;
}
