// One-time codes for identity linking: a member asks on one platform to link an account on the
// other, gets a code, and posts it from that account; the code proves both are theirs.
import { memberId, type MemberId, type Platform } from '../types.js';
import { asPlatform, type StoreContext } from './context.js';

export interface LinkCode {
  code: string;
  memberId: MemberId;
  /** The account to be linked. */
  platform: Platform;
  externalId: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export interface LinkCodeRepository {
  create(input: { code: string; memberId: MemberId; platform: Platform; externalId: string; expiresAt: Date }): Promise<LinkCode>;
  /**
   * Marks a live code used by the account it was made for and returns it; null when it is
   * unknown, used, expired or meant for another account (which leaves it usable).
   */
  redeem(code: string, by: { platform: Platform; externalId: string }, at?: Date): Promise<LinkCode | null>;
}

export function linkCodeRepository(ctx: StoreContext): LinkCodeRepository {
  const { prisma } = ctx;
  const toCode = (row: { code: string; memberId: number; platform: string; externalId: string; createdAt: Date; expiresAt: Date; usedAt: Date | null }): LinkCode =>
    ({ ...row, memberId: memberId(row.memberId), platform: asPlatform(row.platform) });
  return {
    create: (input) => ctx.write(async () => toCode(await prisma.linkCode.create({ data: input }))),
    redeem: (code, by, at = new Date()) => ctx.write(async () => {
      const row = await prisma.linkCode.findUnique({ where: { code } });
      if (!row || row.usedAt || row.expiresAt <= at) return null;
      // Usernames are case-insensitive on Discourse; Matrix ids are compared the same way here.
      if (row.platform !== by.platform || row.externalId.toLowerCase() !== by.externalId.toLowerCase()) return null;
      return toCode(await prisma.linkCode.update({ where: { code }, data: { usedAt: at } }));
    }),
  };
}
