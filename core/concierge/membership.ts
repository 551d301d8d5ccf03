// Members joining and leaving the community. A member who left is never invited (eligibility
// says 'left') and commands that name them get a reply saying so; rejoining makes them eligible
// again. Applying the same change twice (a replay) leaves the same state.
import type { InboundMembership } from '../inbound.js';
import { memberOf, type ConciergeContext } from './context.js';

export async function applyMembership(ctx: ConciergeContext, e: InboundMembership): Promise<void> {
  const member = await memberOf(ctx, e.member);
  if (e.membership === 'left') {
    if (!member.leftAt) await ctx.store.members.setLeftAt(member.id, e.createdAt);
    ctx.logger.info({ memberId: member.id }, 'member left the community; no more invitations');
  } else if (member.leftAt) {
    await ctx.store.members.setLeftAt(member.id, null);
    ctx.logger.info({ memberId: member.id }, 'member rejoined the community');
  }
}
