// Answers members gave to a problem, wherever they gave them.
import { documentId, memberId, problemId, type ProblemId } from '../types.js';
import { asPlatform, type StoreContext } from './context.js';
import type { Response as ResponseRow } from './generated/client.js';
import type { ProblemResponse, ResponseId, ResponseInput } from './types.js';

export interface ResponseRepository {
  record(input: ResponseInput): Promise<ProblemResponse>;
  /** A problem's responses in the order they were given. */
  listForProblem(problem: ProblemId): Promise<ProblemResponse[]>;
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
    record: (input) => ctx.write(async () => toResponse(await prisma.response.create({
      data: {
        problemId: input.problemId,
        memberId: input.memberId,
        documentId: input.documentId ?? null,
        platform: input.platform,
        text: input.text,
        createdAt: input.createdAt,
      },
    }))),
    listForProblem: async (problem) =>
      (await prisma.response.findMany({ where: { problemId: problem }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }))
        .map(toResponse),
  };
}
