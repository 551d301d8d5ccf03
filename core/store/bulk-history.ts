// Bulk import of community history (benchmarks, seeding, imports from another tool): rows are
// written as given, in large transactions on prepared statements, without the workflow's checks.
// Through Prisma, 200k rows took minutes; this takes seconds.
import { memberId, problemId, type MemberId, type Platform, type ProblemId } from '../types.js';
import type { StoreContext } from './context.js';
import { chunks, toDbDate, yieldToEventLoop } from './sqlite.js';
import type { FeedbackInput, InteractionInput, Invitation, ProblemStatus, ResponseId, ResponseInput } from './types.js';

export interface BulkMember {
  displayName: string;
  optedOut?: boolean;
  createdAt: Date;
  /** One platform account for the member. */
  identity?: { platform: Platform; externalId: string };
}

export interface BulkProblem {
  originatorId: MemberId;
  platform: Platform;
  text: string;
  status: ProblemStatus;
  createdAt: Date;
  updatedAt?: Date;
  solvedAt?: Date | null;
  containerId?: string | null;
  threadId?: string | null;
  sourceEventId?: string | null;
  /** Tag names (created when missing), confidence 1. */
  tags?: readonly string[];
}

export interface BulkTransition {
  problemId: ProblemId;
  from: ProblemStatus | null;
  to: ProblemStatus;
  cause: string;
  at: Date;
}

export type BulkResponse = Omit<ResponseInput, 'documentId'>;

export type BulkInvitation = Omit<Invitation, 'id'>;

export type BulkFeedback = FeedbackInput & { createdAt: Date };

export interface BulkIntroduction {
  a: MemberId;
  b: MemberId;
  problemId?: ProblemId | null;
  reason: string;
  platform: Platform;
  offeredAt: Date;
  acceptedAt?: Date | null;
}

export interface BulkHistoryRepository {
  /** Each returns the new ids in input order (or the number of rows written). */
  addMembers(rows: readonly BulkMember[]): Promise<MemberId[]>;
  addProblems(rows: readonly BulkProblem[]): Promise<ProblemId[]>;
  addTransitions(rows: readonly BulkTransition[]): Promise<number>;
  addResponses(rows: readonly BulkResponse[]): Promise<ResponseId[]>;
  addInvitations(rows: readonly BulkInvitation[]): Promise<number>;
  addFeedback(rows: readonly BulkFeedback[]): Promise<number>;
  addInteractions(rows: readonly InteractionInput[]): Promise<number>;
  addIntroductions(rows: readonly BulkIntroduction[]): Promise<number>;
}

const CHUNK = 5000;
const d = (date: Date | null | undefined): string | null => (date ? toDbDate(date) : null);

export function bulkHistoryRepository(ctx: StoreContext): BulkHistoryRepository {
  const { db } = ctx;
  const insertMember = db.prepare('INSERT INTO "Member" ("displayName", "optedOut", "createdAt", "updatedAt") VALUES (?, ?, ?, ?)');
  const insertIdentity = db.prepare('INSERT INTO "Identity" ("memberId", "platform", "externalId", "displayName", "createdAt") VALUES (?, ?, ?, ?, ?)');
  const insertProblem = db.prepare(
    `INSERT INTO "Problem" ("originatorId", "platform", "text", "status", "createdAt", "updatedAt", "solvedAt",
       "containerId", "threadId", "sourceEventId") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertTag = db.prepare('INSERT INTO "Tag" ("name", "createdAt") VALUES (?, ?) ON CONFLICT ("name") DO NOTHING');
  const tagIdOf = db.prepare('SELECT "id" FROM "Tag" WHERE "name" = ?').pluck();
  const insertProblemTag = db.prepare('INSERT OR IGNORE INTO "ProblemTag" ("problemId", "tagId", "confidence") VALUES (?, ?, 1)');
  const insertTransition = db.prepare('INSERT INTO "ProblemTransition" ("problemId", "from", "to", "cause", "at") VALUES (?, ?, ?, ?, ?)');
  const insertResponse = db.prepare('INSERT INTO "Response" ("problemId", "memberId", "platform", "text", "createdAt") VALUES (?, ?, ?, ?, ?)');
  const insertInvitation = db.prepare(
    `INSERT INTO "Invitation" ("problemId", "memberId", "reason", "score", "status", "createdAt", "sentAt", "respondedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertFeedback = db.prepare(
    `INSERT INTO "Feedback" ("problemId", "responseId", "fromMemberId", "toMemberId", "kind", "value", "sourceEventId", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertInteraction = db.prepare(
    `INSERT INTO "Interaction" ("fromMemberId", "toMemberId", "kind", "platform", "mediated", "problemId", "sourceEventId", "occurredAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertIntroduction = db.prepare(
    `INSERT INTO "Introduction" ("memberAId", "memberBId", "problemId", "reason", "platform", "offeredAt", "acceptedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );

  // Chunked transactions with a yield between them, so a big import does not stall HTTP.
  async function inChunks<T, R>(rows: readonly T[], one: (row: T) => R): Promise<R[]> {
    const out: R[] = [];
    for (const part of chunks(rows, CHUNK)) {
      await ctx.write(() =>
        db.transaction(() => {
          for (const row of part) out.push(one(row));
        })(),
      );
      await yieldToEventLoop();
    }
    return out;
  }
  const tagIds = new Map<string, number>();
  let cachedGeneration = ctx.tagGeneration.value;
  const tagId = (name: string, now: string): number => {
    if (cachedGeneration !== ctx.tagGeneration.value) {
      tagIds.clear();
      cachedGeneration = ctx.tagGeneration.value;
    }
    let id = tagIds.get(name);
    if (id === undefined) {
      insertTag.run(name, now);
      id = tagIdOf.get(name) as number;
      tagIds.set(name, id);
    }
    return id;
  };

  return {
    addMembers: (rows) =>
      inChunks(rows, (m) => {
        const at = toDbDate(m.createdAt);
        const id = Number(insertMember.run(m.displayName, m.optedOut ? 1 : 0, at, at).lastInsertRowid);
        if (m.identity) insertIdentity.run(id, m.identity.platform, m.identity.externalId, m.displayName, at);
        return memberId(id);
      }),
    addProblems: (rows) =>
      inChunks(rows, (p) => {
        const created = toDbDate(p.createdAt);
        const id = Number(
          insertProblem.run(
            p.originatorId,
            p.platform,
            p.text,
            p.status,
            created,
            d(p.updatedAt) ?? created,
            d(p.solvedAt),
            p.containerId ?? null,
            p.threadId ?? null,
            p.sourceEventId ?? null,
          ).lastInsertRowid,
        );
        for (const name of p.tags ?? []) insertProblemTag.run(id, tagId(name, created));
        return problemId(id);
      }),
    addTransitions: async (rows) => (await inChunks(rows, (t) => insertTransition.run(t.problemId, t.from, t.to, t.cause, toDbDate(t.at)))).length,
    addResponses: (rows) =>
      inChunks(rows, (r) => Number(insertResponse.run(r.problemId, r.memberId, r.platform, r.text, toDbDate(r.createdAt)).lastInsertRowid) as ResponseId),
    addInvitations: async (rows) =>
      (
        await inChunks(rows, (i) =>
          insertInvitation.run(i.problemId, i.memberId, i.reason, i.score, i.status, toDbDate(i.createdAt), d(i.sentAt), d(i.respondedAt)),
        )
      ).length,
    addFeedback: async (rows) =>
      (
        await inChunks(rows, (f) =>
          insertFeedback.run(
            f.problemId ?? null,
            f.responseId ?? null,
            f.fromMemberId,
            f.toMemberId ?? null,
            f.kind,
            f.value ?? 1,
            f.sourceEventId ?? null,
            toDbDate(f.createdAt),
          ),
        )
      ).length,
    addInteractions: async (rows) =>
      (
        await inChunks(rows, (i) => {
          if (i.fromMemberId === i.toMemberId) throw new RangeError('an interaction needs two different members');
          return insertInteraction.run(
            i.fromMemberId,
            i.toMemberId,
            i.kind,
            i.platform,
            i.mediated ? 1 : 0,
            i.problemId ?? null,
            i.sourceEventId ?? null,
            toDbDate(i.occurredAt),
          );
        })
      ).length,
    addIntroductions: async (rows) =>
      (
        await inChunks(rows, (x) => {
          const [a, b] = x.a < x.b ? [x.a, x.b] : [x.b, x.a];
          return insertIntroduction.run(a, b, x.problemId ?? null, x.reason, x.platform, toDbDate(x.offeredAt), d(x.acceptedAt));
        })
      ).length,
  };
}
