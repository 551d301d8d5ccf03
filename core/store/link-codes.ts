// One-time codes for identity linking: a member asks on one platform to link an account on the
// other, gets a code, and posts it from that account; the code proves both are theirs.
import { err, memberId, ok, type MemberId, type Platform, type Result } from '../types.js';
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

/** Why a code cannot be used by an account. */
export type LinkCodeRefusal =
  | { kind: 'unknown' }
  | { kind: 'used'; code: LinkCode }
  | { kind: 'expired'; code: LinkCode }
  /** Posted from another account than the one it was made for (or from the wrong platform). */
  | { kind: 'wrong-account'; code: LinkCode };

export interface LinkCodeRepository {
  create(input: { code: string; memberId: MemberId; platform: Platform; externalId: string; expiresAt: Date }): Promise<LinkCode>;
  /** Whether `by` may use the code now, and the code; changes nothing (a wrong account leaves it usable). */
  check(code: string, by: { platform: Platform; externalId: string }, at?: Date): Promise<Result<LinkCode, LinkCodeRefusal>>;
  /** Marks a code used (after the link it proves was made, so a crash in between replays the link). */
  markUsed(code: string, at?: Date): Promise<void>;
}

type Row = { code: string; memberId: number; platform: string; externalId: string; createdAt: Date; expiresAt: Date; usedAt: Date | null };

export function linkCodeRepository(ctx: StoreContext): LinkCodeRepository {
  const { prisma } = ctx;
  const toCode = (row: Row): LinkCode => ({ ...row, memberId: memberId(row.memberId), platform: asPlatform(row.platform) });
  return {
    create: (input) => ctx.write(async () => toCode(await prisma.linkCode.create({ data: input }))),
    check: async (code, by, at = new Date()) => {
      const row = await prisma.linkCode.findUnique({ where: { code } });
      if (!row) return err({ kind: 'unknown' });
      const found = toCode(row);
      if (found.usedAt) return err({ kind: 'used', code: found });
      if (found.expiresAt <= at) return err({ kind: 'expired', code: found });
      // Usernames are case-insensitive on Discourse; Matrix ids are compared the same way here.
      if (found.platform !== by.platform || found.externalId.toLowerCase() !== by.externalId.toLowerCase()) return err({ kind: 'wrong-account', code: found });
      return ok(found);
    },
    markUsed: (code, at = new Date()) =>
      ctx.write(async () => {
        await prisma.linkCode.updateMany({ where: { code, usedAt: null }, data: { usedAt: at } });
      }),
  };
}
