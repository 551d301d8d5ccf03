// Help requests the concierge follows, with the tags the engine gave them, and the past
// documents it found similar.
import { documentId, memberId, problemId, type DocumentId, type MemberId, type Platform, type ProblemId } from '../types.js';
import { asOneOf, asPlatform, isNotFound, type StoreContext } from './context.js';
import type { Problem as ProblemRow, ProblemTag as ProblemTagRow, Tag as TagRow } from './generated/client.js';
import { PROBLEM_STATUSES, type Problem, type ProblemInput, type ProblemStatus, type ProblemTransition, type Recorded, type SimilarityLink } from './types.js';

export interface ProblemRepository {
  /**
   * Opens a problem. With a sourceEventId it is idempotent: opening again from the same
   * platform event returns the first problem (created: false).
   */
  open(input: ProblemInput): Promise<Recorded<Problem>>;
  create(input: ProblemInput): Promise<Problem>;
  /** The newest problem discussed in this thread or topic (its own, or one linked to it). */
  findByThread(platform: Platform, threadId: string): Promise<Problem | null>;
  /** Links another thread to a problem (a mirror on another platform); idempotent. */
  addThread(id: ProblemId, thread: { platform: Platform; containerId: string; threadId: string }): Promise<void>;
  /** The other threads linked to a problem. */
  listThreads(id: ProblemId): Promise<{ platform: Platform; containerId: string; threadId: string }[]>;
  findBySourceEvent(platform: Platform, sourceEventId: string): Promise<Problem | null>;
  /** Problems a member opened, newest first. */
  listByOriginator(member: MemberId, statuses?: readonly ProblemStatus[]): Promise<Problem[]>;
  get(id: ProblemId): Promise<Problem | null>;
  /** Moves a problem along; "solved" also stamps solvedAt. Null when the problem is unknown. */
  updateStatus(id: ProblemId, status: ProblemStatus, at?: Date): Promise<Problem | null>;
  /**
   * Moves a problem from `from` to `to` and records the step, in one transaction. Nothing
   * happens (null) when the problem is no longer in `from` (someone else moved it first).
   */
  transition(
    id: ProblemId,
    step: { from: ProblemStatus | null; to: ProblemStatus; cause: string; sourceEventId?: string | null; at: Date },
  ): Promise<Problem | null>;
  /** A problem's recorded steps, oldest first. */
  listTransitions(id: ProblemId): Promise<ProblemTransition[]>;
  /** Problems solved at or after `from` and before `to`, oldest first. */
  listSolvedBetween(from: Date, to: Date): Promise<Problem[]>;
  /** Problems in any of the given statuses, oldest first (e.g. the open ones to follow up). */
  listByStatus(statuses: readonly ProblemStatus[]): Promise<Problem[]>;
}

export interface SimilarityRepository {
  /** Replaces the problem's similar documents with this ranking. */
  replace(id: ProblemId, links: readonly { documentId: DocumentId; score: number; rank: number }[]): Promise<void>;
  /** Similar documents of a problem, best (rank 1) first. */
  list(id: ProblemId): Promise<SimilarityLink[]>;
}

type ProblemWithTags = ProblemRow & { tags: (ProblemTagRow & { tag: TagRow })[] };
const withTags = { tags: { include: { tag: true } } } as const;

function toProblem(row: ProblemWithTags): Problem {
  return {
    id: problemId(row.id),
    originatorId: memberId(row.originatorId),
    sourceDocumentId: row.sourceDocumentId === null ? null : documentId(row.sourceDocumentId),
    platform: asPlatform(row.platform),
    sourceEventId: row.sourceEventId,
    containerId: row.containerId,
    threadId: row.threadId,
    text: row.text,
    status: asOneOf(PROBLEM_STATUSES, row.status, 'problem status'),
    // Most confident first: the order the bot shows them in.
    tags: row.tags.map((t) => ({ name: t.tag.name, confidence: t.confidence })).sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name)),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    solvedAt: row.solvedAt,
  };
}

export function problemRepository(ctx: StoreContext): ProblemRepository {
  const { prisma } = ctx;
  const findBySourceEvent = async (platform: Platform, sourceEventId: string) => {
    const row = await prisma.problem.findUnique({ where: { platform_sourceEventId: { platform, sourceEventId } }, include: withTags });
    return row ? toProblem(row) : null;
  };

  const create = (input: ProblemInput) =>
    ctx.write(async () => {
      const at = input.createdAt ?? new Date();
      const tags = new Map<string, number>();
      for (const tag of input.tags ?? []) {
        const name = tag.name.trim();
        if (name !== '') tags.set(name, Math.max(tag.confidence, tags.get(name) ?? -Infinity));
      }
      const row = await prisma.problem.create({
        data: {
          originatorId: input.originatorId,
          sourceDocumentId: input.sourceDocumentId ?? null,
          platform: input.platform,
          sourceEventId: input.sourceEventId ?? null,
          containerId: input.containerId ?? null,
          threadId: input.threadId ?? null,
          text: input.text,
          createdAt: at,
          transitions: { create: { from: null, to: 'opened', cause: 'help requested', sourceEventId: input.sourceEventId ?? null, at } },
          tags: {
            create: [...tags].map(([name, confidence]) => ({
              confidence,
              tag: { connectOrCreate: { where: { name }, create: { name } } },
            })),
          },
        },
        include: withTags,
      });
      return toProblem(row);
    });

  return {
    create,
    findBySourceEvent,
    // Only this process writes, and the workflow handles one event at a time, so "find, then
    // create" cannot race with itself.
    open: async (input) => {
      if (input.sourceEventId) {
        const existing = await findBySourceEvent(input.platform, input.sourceEventId);
        if (existing) return { value: existing, created: false };
      }
      return { value: await create(input), created: true };
    },

    findByThread: async (platform, threadId) => {
      const row =
        (await prisma.problem.findFirst({
          where: { platform, threadId },
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          include: withTags,
        })) ??
        (await prisma.problemThread.findUnique({ where: { platform_threadId: { platform, threadId } }, include: { problem: { include: withTags } } }))?.problem;
      return row ? toProblem(row) : null;
    },

    addThread: (id, thread) =>
      ctx.write(async () => {
        await prisma.problemThread.upsert({
          where: { platform_threadId: { platform: thread.platform, threadId: thread.threadId } },
          create: { problemId: id, ...thread },
          update: {},
        });
      }),

    listThreads: async (id) =>
      (await prisma.problemThread.findMany({ where: { problemId: id }, orderBy: { createdAt: 'asc' } })).map((t) => ({
        platform: asPlatform(t.platform),
        containerId: t.containerId,
        threadId: t.threadId,
      })),

    listByOriginator: async (member, statuses) => {
      const rows = await prisma.problem.findMany({
        where: { originatorId: member, ...(statuses ? { status: { in: [...statuses] } } : {}) },
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        include: withTags,
      });
      return rows.map(toProblem);
    },

    get: async (id) => {
      const row = await prisma.problem.findUnique({ where: { id }, include: withTags });
      return row ? toProblem(row) : null;
    },

    updateStatus: (id, status, at = new Date()) =>
      ctx.write(async () => {
        try {
          const row = await prisma.problem.update({
            where: { id },
            data: { status, updatedAt: at, ...(status === 'solved' ? { solvedAt: at } : {}) },
            include: withTags,
          });
          return toProblem(row);
        } catch (error) {
          if (isNotFound(error)) return null;
          throw error;
        }
      }),

    transition: (id, step) =>
      ctx.write(async () => {
        const moved = await prisma.$transaction(async (tx) => {
          const updated = await tx.problem.updateMany({
            where: { id, ...(step.from === null ? {} : { status: step.from }) },
            // Leaving "solved" (the solution was taken back) clears when it was solved.
            data: { status: step.to, updatedAt: step.at, ...(step.to === 'solved' ? { solvedAt: step.at } : step.from === 'solved' ? { solvedAt: null } : {}) },
          });
          if (updated.count === 0) return false;
          await tx.problemTransition.create({
            data: { problemId: id, from: step.from, to: step.to, cause: step.cause, sourceEventId: step.sourceEventId ?? null, at: step.at },
          });
          return true;
        });
        if (!moved) return null;
        const row = await prisma.problem.findUnique({ where: { id }, include: withTags });
        return row ? toProblem(row) : null;
      }),

    listTransitions: async (id) =>
      (await prisma.problemTransition.findMany({ where: { problemId: id }, orderBy: [{ at: 'asc' }, { id: 'asc' }] })).map((t) => ({
        problemId: problemId(t.problemId),
        from: t.from === null ? null : asOneOf(PROBLEM_STATUSES, t.from, 'problem status'),
        to: asOneOf(PROBLEM_STATUSES, t.to, 'problem status'),
        cause: t.cause,
        sourceEventId: t.sourceEventId,
        at: t.at,
      })),

    listSolvedBetween: async (from, to) =>
      (
        await prisma.problem.findMany({
          where: { status: 'solved', solvedAt: { gte: from, lt: to } },
          orderBy: [{ solvedAt: 'asc' }, { id: 'asc' }],
          include: withTags,
        })
      ).map(toProblem),

    listByStatus: async (statuses) => {
      const rows = await prisma.problem.findMany({
        where: { status: { in: [...statuses] } },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        include: withTags,
      });
      return rows.map(toProblem);
    },
  };
}

export function similarityRepository(ctx: StoreContext): SimilarityRepository {
  const { prisma } = ctx;
  return {
    replace: (id, links) =>
      ctx.write(async () => {
        await prisma.$transaction([
          prisma.similarityLink.deleteMany({ where: { problemId: id } }),
          prisma.similarityLink.createMany({
            data: links.map((link) => ({ problemId: id, documentId: link.documentId, score: link.score, rank: link.rank })),
          }),
        ]);
      }),
    list: async (id) => {
      const rows = await prisma.similarityLink.findMany({ where: { problemId: id }, orderBy: [{ rank: 'asc' }, { id: 'asc' }] });
      return rows.map((row) => ({
        problemId: problemId(row.problemId),
        documentId: documentId(row.documentId),
        score: row.score,
        rank: row.rank,
        createdAt: row.createdAt,
      }));
    },
  };
}
