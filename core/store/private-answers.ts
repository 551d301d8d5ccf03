// Answers invited members sent the bot privately. They belong to the response repository: once
// the member consents, one becomes a response like any other (counted by curation, digests and
// time to first response), and until then it is kept here, durably, so a restart loses nothing.
import { memberId, problemId, type MemberId } from '../types.js';
import { asPlatform, type StoreContext } from './context.js';
import type { PendingRelay as Row, Response as ResponseRow } from './generated/client.js';
import type { PrivateAnswer, PrivateAnswerInput, Recorded, ResponseId } from './types.js';

export interface PrivateAnswerMethods {
  /** Keeps a private answer; the same direct message proposed again returns the first. */
  proposePrivate(input: PrivateAnswerInput): Promise<Recorded<PrivateAnswer>>;
  /**
   * What a consent from `member` passes on: their answers not relayed yet (given at or after
   * `since`), plus those this very consent event relayed already (so a replay decides the same).
   */
  listPrivateForConsent(member: MemberId, consentEventId: string, since: Date): Promise<PrivateAnswer[]>;
  /**
   * Turns a private answer into a response, in one transaction: records the response and marks
   * the answer relayed by `consentEventId`. Relaying it again returns the same response.
   */
  relayPrivate(id: number, consentEventId: string, at: Date): Promise<{ answer: PrivateAnswer; responseId: ResponseId }>;
}

const toAnswer = (r: Row): PrivateAnswer => ({
  ...r,
  platform: asPlatform(r.platform),
  memberId: memberId(r.memberId),
  problemId: problemId(r.problemId),
  responseId: r.responseId === null ? null : (r.responseId as ResponseId),
});

export function privateAnswerMethods(ctx: StoreContext): PrivateAnswerMethods {
  const { prisma } = ctx;
  return {
    proposePrivate: (input) =>
      ctx.write(async () => {
        const key = { platform_sourceEventId: { platform: input.platform, sourceEventId: input.sourceEventId } };
        const existing = await prisma.pendingRelay.findUnique({ where: key });
        if (existing) return { value: toAnswer(existing), created: false };
        return { value: toAnswer(await prisma.pendingRelay.create({ data: { ...input } })), created: true };
      }),

    listPrivateForConsent: async (member, consentEventId, since) =>
      (
        await prisma.pendingRelay.findMany({
          where: { memberId: member, OR: [{ relayedAt: null, createdAt: { gte: since } }, { consentEventId }] },
          orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        })
      ).map(toAnswer),

    relayPrivate: (id, consentEventId, at) =>
      ctx.write(async () => {
        const row = await prisma.pendingRelay.findUniqueOrThrow({ where: { id } });
        if (row.responseId !== null) return { answer: toAnswer(row), responseId: row.responseId as ResponseId };
        const [response, updated] = await prisma.$transaction(async (tx) => {
          // The answer's time is when the helper gave it, not when they agreed to share it.
          const created: ResponseRow = await tx.response.create({
            data: { problemId: row.problemId, memberId: row.memberId, documentId: null, platform: row.platform, text: row.text, createdAt: row.createdAt },
          });
          const marked = await tx.pendingRelay.update({ where: { id }, data: { consentEventId, relayedAt: at, responseId: created.id } });
          return [created, marked] as const;
        });
        return { answer: toAnswer(updated), responseId: response.id as ResponseId };
      }),
  };
}
