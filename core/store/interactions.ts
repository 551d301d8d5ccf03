// Observable acts between members: the raw material of the dashboard's network metrics.
import { memberId, problemId } from '../types.js';
import { asOneOf, asPlatform, isUniqueViolation, type StoreContext } from './context.js';
import type { Interaction as InteractionRow } from './generated/client.js';
import { INTERACTION_KINDS, type Interaction, type InteractionId, type InteractionInput, type Recorded } from './types.js';

export interface InteractionRepository {
  /**
   * Records an interaction once per (platform, sourceEventId, from, to, kind): replaying the
   * same event returns the stored one with created: false. Without a sourceEventId every call
   * records a new interaction.
   */
  record(input: InteractionInput): Promise<Recorded<Interaction>>;
  /** Interactions with from <= occurredAt < to, in time order. */
  listBetween(from: Date, to: Date): Promise<Interaction[]>;
}

function toInteraction(row: InteractionRow): Interaction {
  return {
    id: row.id as InteractionId,
    fromMemberId: memberId(row.fromMemberId),
    toMemberId: memberId(row.toMemberId),
    kind: asOneOf(INTERACTION_KINDS, row.kind, 'interaction kind'),
    platform: asPlatform(row.platform),
    mediated: row.mediated,
    problemId: row.problemId === null ? null : problemId(row.problemId),
    sourceEventId: row.sourceEventId,
    occurredAt: row.occurredAt,
  };
}

export function interactionRepository(ctx: StoreContext): InteractionRepository {
  const { prisma } = ctx;
  return {
    record: (input) =>
      ctx.write(async () => {
        if (input.fromMemberId === input.toMemberId) {
          throw new RangeError('an interaction needs two different members');
        }
        const data = {
          fromMemberId: input.fromMemberId,
          toMemberId: input.toMemberId,
          kind: input.kind,
          platform: input.platform,
          mediated: input.mediated,
          problemId: input.problemId ?? null,
          sourceEventId: input.sourceEventId ?? null,
          occurredAt: input.occurredAt,
        };
        try {
          return { value: toInteraction(await prisma.interaction.create({ data })), created: true };
        } catch (error) {
          // The unique key (platform, sourceEventId, from, to, kind) is the idempotency key.
          if (!isUniqueViolation(error) || input.sourceEventId == null) throw error;
          const row = await prisma.interaction.findUniqueOrThrow({
            where: {
              platform_sourceEventId_fromMemberId_toMemberId_kind: {
                platform: input.platform,
                sourceEventId: input.sourceEventId,
                fromMemberId: input.fromMemberId,
                toMemberId: input.toMemberId,
                kind: input.kind,
              },
            },
          });
          return { value: toInteraction(row), created: false };
        }
      }),

    listBetween: async (from, to) =>
      (
        await prisma.interaction.findMany({
          where: { occurredAt: { gte: from, lt: to } },
          orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
        })
      ).map(toInteraction),
  };
}
