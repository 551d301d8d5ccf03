// Introductions: the bot offering two members to connect directly, and whether they did.
import { memberId, problemId, type MemberId, type Platform, type ProblemId } from '../types.js';
import { asPlatform, type StoreContext } from './context.js';
import type { Recorded } from './types.js';

export interface Introduction {
  id: number;
  memberAId: MemberId;
  memberBId: MemberId;
  problemId: ProblemId | null;
  reason: string;
  platform: Platform;
  offeredAt: Date;
  acceptedAt: Date | null;
  containerId: string | null;
}

export interface IntroductionRepository {
  /** Offers an introduction once per pair and problem (either order of the pair). */
  offer(input: { a: MemberId; b: MemberId; problemId: ProblemId | null; reason: string; platform: Platform; at: Date }): Promise<Recorded<Introduction>>;
  /** The newest offer involving the member that was not taken yet. */
  findOpenFor(member: MemberId): Promise<Introduction | null>;
  /** True when the pair already accepted an introduction. */
  introduced(a: MemberId, b: MemberId): Promise<boolean>;
  accept(id: number, at: Date): Promise<void>;
  setContainer(id: number, containerId: string): Promise<void>;
  list(): Promise<Introduction[]>;
}

type Row = {
  id: number;
  memberAId: number;
  memberBId: number;
  problemId: number | null;
  reason: string;
  platform: string;
  offeredAt: Date;
  acceptedAt: Date | null;
  containerId: string | null;
};
const toIntroduction = (r: Row): Introduction => ({
  ...r,
  memberAId: memberId(r.memberAId),
  memberBId: memberId(r.memberBId),
  problemId: r.problemId === null ? null : problemId(r.problemId),
  platform: asPlatform(r.platform),
});
const pair = (a: MemberId, b: MemberId): [MemberId, MemberId] => (a < b ? [a, b] : [b, a]);

export function introductionRepository(ctx: StoreContext): IntroductionRepository {
  const { prisma } = ctx;
  return {
    offer: (input) =>
      ctx.write(async () => {
        const [a, b] = pair(input.a, input.b);
        const existing = await prisma.introduction.findFirst({ where: { memberAId: a, memberBId: b, problemId: input.problemId } });
        if (existing) return { value: toIntroduction(existing), created: false };
        const row = await prisma.introduction.create({
          data: { memberAId: a, memberBId: b, problemId: input.problemId, reason: input.reason, platform: input.platform, offeredAt: input.at },
        });
        return { value: toIntroduction(row), created: true };
      }),
    findOpenFor: async (member) => {
      const row = await prisma.introduction.findFirst({
        where: { acceptedAt: null, OR: [{ memberAId: member }, { memberBId: member }] },
        orderBy: [{ offeredAt: 'desc' }, { id: 'desc' }],
      });
      return row ? toIntroduction(row) : null;
    },
    introduced: async (x, y) => {
      const [a, b] = pair(x, y);
      return (await prisma.introduction.count({ where: { memberAId: a, memberBId: b, acceptedAt: { not: null } } })) > 0;
    },
    accept: (id, at) =>
      ctx.write(async () => {
        await prisma.introduction.updateMany({ where: { id, acceptedAt: null }, data: { acceptedAt: at } });
      }),
    setContainer: (id, containerId) =>
      ctx.write(async () => {
        await prisma.introduction.update({ where: { id }, data: { containerId } });
      }),
    list: async () => (await prisma.introduction.findMany({ orderBy: { id: 'asc' } })).map(toIntroduction),
  };
}
