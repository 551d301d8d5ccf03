// What originators say about the help they got: solved, thanks, reactions, ratings.
import { memberId, problemId, type MemberId, type ProblemId } from '../types.js';
import { asOneOf, type StoreContext } from './context.js';
import type { Feedback as FeedbackRow } from './generated/client.js';
import { FEEDBACK_KINDS, type Feedback, type FeedbackId, type FeedbackInput, type FeedbackKind, type Recorded, type ResponseId } from './types.js';

export interface FeedbackRepository {
  /**
   * Records feedback. With a sourceEventId, the same event, kind and recipient recorded again
   * returns the first record (created: false).
   */
  record(input: FeedbackInput): Promise<Recorded<Feedback>>;
  listForProblem(problem: ProblemId): Promise<Feedback[]>;
  /** Feedback a member received (for thanks and helper statistics). */
  listReceivedBy(member: MemberId): Promise<Feedback[]>;
  /** How much feedback of these kinds each member received (routing's reliability). */
  countsReceived(kinds: readonly FeedbackKind[]): Promise<Map<MemberId, number>>;
}

function toFeedback(row: FeedbackRow): Feedback {
  return {
    id: row.id as FeedbackId,
    problemId: row.problemId === null ? null : problemId(row.problemId),
    responseId: row.responseId === null ? null : (row.responseId as ResponseId),
    fromMemberId: memberId(row.fromMemberId),
    toMemberId: row.toMemberId === null ? null : memberId(row.toMemberId),
    kind: asOneOf(FEEDBACK_KINDS, row.kind, 'feedback kind'),
    value: row.value,
    sourceEventId: row.sourceEventId,
    createdAt: row.createdAt,
  };
}

export function feedbackRepository(ctx: StoreContext): FeedbackRepository {
  const { prisma } = ctx;
  const order = [{ createdAt: 'asc' as const }, { id: 'asc' as const }];
  return {
    record: (input) =>
      ctx.write(async () => {
        if (input.sourceEventId) {
          const existing = await prisma.feedback.findFirst({
            where: { sourceEventId: input.sourceEventId, kind: input.kind, toMemberId: input.toMemberId ?? null },
          });
          if (existing) return { value: toFeedback(existing), created: false };
        }
        const row = await prisma.feedback.create({
          data: {
            problemId: input.problemId ?? null,
            responseId: input.responseId ?? null,
            fromMemberId: input.fromMemberId,
            toMemberId: input.toMemberId ?? null,
            kind: input.kind,
            value: input.value ?? 1,
            sourceEventId: input.sourceEventId ?? null,
            ...(input.createdAt ? { createdAt: input.createdAt } : {}),
          },
        });
        return { value: toFeedback(row), created: true };
      }),
    listForProblem: async (problem) => (await prisma.feedback.findMany({ where: { problemId: problem }, orderBy: order })).map(toFeedback),
    countsReceived: async (kinds) => {
      const rows = await prisma.feedback.groupBy({
        by: ['toMemberId'],
        where: { kind: { in: [...kinds] }, toMemberId: { not: null } },
        _count: { _all: true },
      });
      return new Map(rows.map((r) => [memberId(r.toMemberId!), r._count._all]));
    },
    listReceivedBy: async (member) => (await prisma.feedback.findMany({ where: { toMemberId: member }, orderBy: order })).map(toFeedback),
  };
}
