// Invitations: the bot asking a member to help with a problem. Their count per week is what
// the routing budget limits.
import { memberId, problemId, type MemberId, type ProblemId } from '../types.js';
import { asOneOf, isNotFound, isUniqueViolation, type StoreContext } from './context.js';
import type { Invitation as InvitationRow } from './generated/client.js';
import { INVITATION_STATUSES, type Invitation, type InvitationId, type InvitationInput, type InvitationStatus, type Recorded } from './types.js';

export interface InvitationRepository {
  /** One invitation per member and problem: asking again returns the first (created: false). */
  create(input: InvitationInput): Promise<Recorded<Invitation>>;
  /**
   * Records what happened to an invitation: "sent" stamps sentAt; accepted, declined and
   * answered stamp respondedAt. Null when the invitation is unknown.
   */
  updateStatus(id: InvitationId, status: InvitationStatus, at?: Date): Promise<Invitation | null>;
  /**
   * How many invitations the member got at or after `since` (the weekly budget check). By
   * default every status counts, pending ones included, so concurrent problems cannot overspend.
   */
  countSince(member: MemberId, since: Date, options?: { statuses?: readonly InvitationStatus[] }): Promise<number>;
  listForProblem(problem: ProblemId): Promise<Invitation[]>;
  /** Invitations per member at or after `since` (members with none are absent). */
  countsSince(since: Date, options?: { statuses?: readonly InvitationStatus[] }): Promise<Map<MemberId, number>>;
  /** Invitations sent before `before` that nobody answered yet (candidates for "ignored"). */
  listUnansweredSentBefore(before: Date): Promise<Invitation[]>;
  /** A member's latest invitations, newest first. */
  listForMember(member: MemberId, limit: number): Promise<Invitation[]>;
  /** A member's invitation to a problem, if any. */
  find(problem: ProblemId, member: MemberId): Promise<Invitation | null>;
}

const invitationId = (n: number): InvitationId => n as InvitationId;
const RESPONDED: readonly InvitationStatus[] = ['accepted', 'declined', 'answered'];

function toInvitation(row: InvitationRow): Invitation {
  return {
    id: invitationId(row.id),
    problemId: problemId(row.problemId),
    memberId: memberId(row.memberId),
    reason: row.reason,
    score: row.score,
    status: asOneOf(INVITATION_STATUSES, row.status, 'invitation status'),
    createdAt: row.createdAt,
    sentAt: row.sentAt,
    respondedAt: row.respondedAt,
  };
}

export function invitationRepository(ctx: StoreContext): InvitationRepository {
  const { prisma } = ctx;
  return {
    create: (input) =>
      ctx.write(async () => {
        const key = { problemId_memberId: { problemId: input.problemId, memberId: input.memberId } };
        const existing = await prisma.invitation.findUnique({ where: key });
        if (existing) return { value: toInvitation(existing), created: false };
        try {
          const row = await prisma.invitation.create({
            data: {
              problemId: input.problemId,
              memberId: input.memberId,
              reason: input.reason,
              score: input.score,
              ...(input.createdAt ? { createdAt: input.createdAt } : {}),
            },
          });
          return { value: toInvitation(row), created: true };
        } catch (error) {
          // Another process (a second instance on the same file) got there first.
          if (!isUniqueViolation(error)) throw error;
          const row = await prisma.invitation.findUniqueOrThrow({ where: key });
          return { value: toInvitation(row), created: false };
        }
      }),

    updateStatus: (id, status, at = new Date()) =>
      ctx.write(async () => {
        try {
          const row = await prisma.invitation.update({
            where: { id },
            data: {
              status,
              ...(status === 'sent' ? { sentAt: at } : {}),
              ...(RESPONDED.includes(status) ? { respondedAt: at } : {}),
            },
          });
          return toInvitation(row);
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
      }),

    countSince: (member, since, options = {}) =>
      prisma.invitation.count({
        where: {
          memberId: member,
          createdAt: { gte: since },
          ...(options.statuses ? { status: { in: [...options.statuses] } } : {}),
        },
      }),

    countsSince: async (since, options = {}) => {
      const rows = await prisma.invitation.groupBy({
        by: ['memberId'],
        where: { createdAt: { gte: since }, ...(options.statuses ? { status: { in: [...options.statuses] } } : {}) },
        _count: { _all: true },
      });
      return new Map(rows.map((r) => [memberId(r.memberId), r._count._all]));
    },

    listUnansweredSentBefore: async (before) =>
      (await prisma.invitation.findMany({ where: { status: 'sent', sentAt: { lt: before } }, orderBy: { id: 'asc' } })).map(toInvitation),

    listForMember: async (member, limit) =>
      (await prisma.invitation.findMany({ where: { memberId: member }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit })).map(toInvitation),

    find: async (problem, member) => {
      const row = await prisma.invitation.findUnique({ where: { problemId_memberId: { problemId: problem, memberId: member } } });
      return row ? toInvitation(row) : null;
    },

    listForProblem: async (problem) =>
      (await prisma.invitation.findMany({ where: { problemId: problem }, orderBy: [{ score: 'desc' }, { id: 'asc' }] })).map(toInvitation),
  };
}
