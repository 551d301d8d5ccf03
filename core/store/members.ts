// Members and their platform identities: one person, possibly several accounts.
import { err, memberId, ok, type MemberId, type Result } from '../types.js';
import { asPlatform, isUniqueViolation, type StoreContext } from './context.js';
import { mergeMembersSync } from './member-merges.js';
import type { Identity as IdentityRow, Member as MemberRow } from './generated/client.js';
import type { IdentityConflict, IdentityRef, LinkOutcome, Member, MemberIdentity } from './types.js';

export interface MemberRepository {
  /**
   * Finds the member behind a platform account, creating member and identity on first sight.
   * A given display name refreshes the identity's (and, for a new member, the member's) name.
   */
  upsertByIdentity(identity: IdentityRef & { displayName?: string | null }): Promise<{ member: Member; created: boolean }>;
  findByIdentity(identity: IdentityRef): Promise<Member | null>;
  get(id: MemberId): Promise<Member | null>;
  /** Every member, oldest first. */
  list(): Promise<Member[]>;
  /**
   * Adds a second account to a member (e.g. after "link my Discourse account"). When the
   * account already belongs to another member: fails with a conflict, or with
   * `onConflict: 'merge'` folds that member (history, invitations, interactions) into this one,
   * journaled like an admin merge (member-merges.ts) so it can be split again.
   */
  linkIdentity(
    id: MemberId,
    identity: IdentityRef & { displayName?: string | null },
    options?: { verifiedAt?: Date | null; onConflict?: 'fail' | 'merge'; mergedBy?: string },
  ): Promise<Result<LinkOutcome, IdentityConflict>>;
  /** Opting out stops all invitations and DMs to the member. */
  setOptOut(id: MemberId, optedOut: boolean): Promise<Member>;
  /** No invitations until the given time; null resumes. */
  setPausedUntil(id: MemberId, until: Date | null): Promise<Member>;
  /** Invitations per week; null returns to the configured default. */
  setWeeklyBudget(id: MemberId, budget: number | null): Promise<Member>;
  /** The weekly recognition digest: on (opted in) or off. */
  setRecognitionDigest(id: MemberId, on: boolean): Promise<Member>;
  /** The member left the community at `at`; null when they (re)joined. */
  setLeftAt(id: MemberId, at: Date | null): Promise<Member>;
  /** What the member says they can help with; null forgets it. */
  setInterests(id: MemberId, interests: string | null): Promise<Member>;
}

type MemberWithIdentities = MemberRow & { identities: IdentityRow[] };
const withIdentities = { identities: { orderBy: { id: 'asc' } } } as const;

function toIdentity(row: IdentityRow): MemberIdentity {
  return {
    platform: asPlatform(row.platform),
    externalId: row.externalId,
    displayName: row.displayName,
    verifiedAt: row.verifiedAt,
  };
}

function toMember(row: MemberWithIdentities): Member {
  return {
    id: memberId(row.id),
    displayName: row.displayName,
    optedOut: row.optedOut,
    pausedUntil: row.pausedUntil,
    weeklyBudget: row.weeklyBudget,
    quietHours: row.quietHours,
    timeZone: row.timeZone,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    identities: row.identities.map(toIdentity),
    recognitionDigest: row.recognitionDigest,
    leftAt: row.leftAt,
    interests: row.interests,
  };
}

export function memberRepository(ctx: StoreContext): MemberRepository {
  const { prisma } = ctx;
  const identityKey = (identity: IdentityRef) => ({
    platform_externalId: { platform: identity.platform, externalId: identity.externalId },
  });

  async function findByIdentity(identity: IdentityRef): Promise<Member | null> {
    const row = await prisma.identity.findUnique({
      where: identityKey(identity),
      include: { member: { include: withIdentities } },
    });
    return row ? toMember(row.member) : null;
  }

  async function get(id: MemberId): Promise<Member | null> {
    const row = await prisma.member.findUnique({ where: { id }, include: withIdentities });
    return row ? toMember(row) : null;
  }

  async function mustGet(id: MemberId): Promise<Member> {
    const member = await get(id);
    if (!member) throw new Error(`member ${id} does not exist`);
    return member;
  }

  const update = (
    id: MemberId,
    data: {
      optedOut?: boolean;
      pausedUntil?: Date | null;
      weeklyBudget?: number | null;
      recognitionDigest?: boolean;
      leftAt?: Date | null;
      interests?: string | null;
    },
  ) => ctx.write(async () => toMember(await prisma.member.update({ where: { id }, data, include: withIdentities })));

  return {
    findByIdentity,
    get,
    list: async () => (await prisma.member.findMany({ orderBy: { id: 'asc' }, include: withIdentities })).map(toMember),

    upsertByIdentity: (identity) =>
      ctx.write(async () => {
        const existing = await prisma.identity.findUnique({ where: identityKey(identity) });
        if (existing) {
          if (identity.displayName != null && identity.displayName !== existing.displayName) {
            await prisma.identity.update({ where: { id: existing.id }, data: { displayName: identity.displayName } });
          }
          return { member: await mustGet(memberId(existing.memberId)), created: false };
        }
        const row = await prisma.member.create({
          data: {
            displayName: identity.displayName ?? identity.externalId,
            identities: {
              create: {
                platform: identity.platform,
                externalId: identity.externalId,
                displayName: identity.displayName ?? null,
              },
            },
          },
          include: withIdentities,
        });
        return { member: toMember(row), created: true };
      }),

    linkIdentity: (id, identity, options = {}) =>
      ctx.write(async (): Promise<Result<LinkOutcome, IdentityConflict>> => {
        const verifiedAt = options.verifiedAt ?? null;
        const existing = await prisma.identity.findUnique({ where: identityKey(identity) });
        if (!existing) {
          try {
            await prisma.identity.create({
              data: {
                memberId: id,
                platform: identity.platform,
                externalId: identity.externalId,
                displayName: identity.displayName ?? null,
                verifiedAt,
              },
            });
          } catch (error) {
            // Only this process writes, under the lock, so a duplicate here is a real surprise.
            if (isUniqueViolation(error)) throw new Error(`identity ${identity.platform}:${identity.externalId} appeared concurrently`, { cause: error });
            throw error;
          }
          return ok({ status: 'linked', member: await mustGet(id) });
        }
        if (existing.memberId === id) {
          if (verifiedAt) await prisma.identity.update({ where: { id: existing.id }, data: { verifiedAt } });
          return ok({ status: 'unchanged', member: await mustGet(id) });
        }
        const otherMemberId = memberId(existing.memberId);
        if (options.onConflict !== 'merge') return err({ kind: 'identity-belongs-to-other-member', otherMemberId });
        await mustGet(id);
        // Journaled like an admin merge, so a wrong link can be split again.
        const merged = ctx.db.transaction(() =>
          mergeMembersSync(ctx.db, id, otherMemberId, {
            by: options.mergedBy ?? 'member',
            reason: `linked ${identity.platform} account ${identity.externalId}`,
            ...(verifiedAt ? { at: verifiedAt } : {}),
          }),
        )();
        if (!merged.ok) throw new Error(`could not merge member ${otherMemberId} into ${id}: ${merged.error.kind}`);
        if (verifiedAt) await prisma.identity.update({ where: { id: existing.id }, data: { verifiedAt } });
        ctx.logger.info({ memberId: id, mergedMemberId: otherMemberId, mergeId: merged.value.merge.id }, 'merged members after identity link');
        return ok({ status: 'merged', member: await mustGet(id), mergedMemberId: otherMemberId });
      }),

    setOptOut: (id, optedOut) => update(id, { optedOut }),
    setPausedUntil: (id, until) => update(id, { pausedUntil: until }),
    setRecognitionDigest: (id, on) => update(id, { recognitionDigest: on }),
    setLeftAt: (id, at) => update(id, { leftAt: at }),
    setInterests: (id, interests) => update(id, { interests }),
    setWeeklyBudget: (id, budget) => {
      if (budget !== null && (!Number.isInteger(budget) || budget < 0)) {
        return Promise.reject(new RangeError(`weekly budget must be a non-negative integer, got ${budget}`));
      }
      return update(id, { weeklyBudget: budget });
    },
  };
}
