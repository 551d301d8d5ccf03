// Answers members gave to a problem, wherever they gave them.
import { documentId, memberId, problemId, type ProblemId } from '../types.js';
import { asPlatform, type StoreContext } from './context.js';
import type { Response as ResponseRow } from './generated/client.js';
import { privateAnswerMethods, type PrivateAnswerMethods } from './private-answers.js';
import type { ProblemResponse, Recorded, ResponseId, ResponseInput } from './types.js';

export interface ResponseRepository extends PrivateAnswerMethods {
  /** Records a response; the same document recorded again for a problem returns the first. */
  record(input: ResponseInput): Promise<Recorded<ProblemResponse>>;
  /** A problem's responses in the order they were given. */
  listForProblem(problem: ProblemId): Promise<ProblemResponse[]>;
  /** Responses given at or after `from` and before `to`, in time order. */
  listBetween(from: Date, to: Date): Promise<ProblemResponse[]>;
}

function toResponse(row: ResponseRow): ProblemResponse {
  return {
    id: row.id as ResponseId,
    problemId: problemId(row.problemId),
    memberId: memberId(row.memberId),
    documentId: row.documentId === null ? null : documentId(row.documentId),
    platform: asPlatform(row.platform),
    text: row.text,
    createdAt: row.createdAt,
  };
}

export function responseRepository(ctx: StoreContext): ResponseRepository {
  const { prisma } = ctx;
  return {
    ...privateAnswerMethods(ctx),
    record: (input) =>
      ctx.write(async () => {
        if (input.documentId != null) {
          const existing = await prisma.response.findUnique({
            where: { problemId_documentId: { problemId: input.problemId, documentId: input.documentId } },
          });
          if (existing) return { value: toResponse(existing), created: false };
        }
        const row = await prisma.response.create({
          data: {
            problemId: input.problemId,
            memberId: input.memberId,
            documentId: input.documentId ?? null,
            platform: input.platform,
            text: input.text,
            createdAt: input.createdAt,
          },
        });
        return { value: toResponse(row), created: true };
      }),
    listForProblem: async (problem) =>
      (await prisma.response.findMany({ where: { problemId: problem }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })).map(toResponse),
    listBetween: async (from, to) =>
      (await prisma.response.findMany({ where: { createdAt: { gte: from, lt: to } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] })).map(toResponse),
  };
}
