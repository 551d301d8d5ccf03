// Who interacted with whom: replies, mentions, answers to someone's problem and messages in
// small private rooms become interactions between members, marked mediated when the bot had
// invited the actor to the problem under discussion.
import type { InboundMessage } from '../inbound.js';
import type { InteractionKind, Member, Problem } from '../store/index.js';
import type { MemberId } from '../types.js';
import { isBot, memberOf, type ConciergeContext } from './context.js';

export interface MessageContext {
  author: Member;
  /** Author of the message this one replies to. */
  repliedAuthorId: MemberId | null;
  /** The problem discussed in this thread, if any. */
  problem: Problem | null;
  /** True when the bot invited the author to that problem. */
  invited: boolean;
}

export async function recordConnections(ctx: ConciergeContext, e: InboundMessage, m: MessageContext): Promise<void> {
  const targets: { to: MemberId; kind: InteractionKind }[] = [];
  if (m.repliedAuthorId !== null) targets.push({ to: m.repliedAuthorId, kind: 'reply' });
  for (const actor of e.mentions) {
    if (isBot(ctx, actor)) continue;
    targets.push({ to: (await memberOf(ctx, actor)).id, kind: 'mention' });
  }
  if (m.problem && e.inThread) targets.push({ to: m.problem.originatorId, kind: 'answer' });
  if (e.conversation === 'small') {
    for (const actor of e.participants ?? []) {
      if (!isBot(ctx, actor)) targets.push({ to: (await memberOf(ctx, actor)).id, kind: 'direct-message' });
    }
  }
  for (const t of targets) {
    if (t.to === m.author.id) continue;
    await ctx.store.interactions.record({
      fromMemberId: m.author.id,
      toMemberId: t.to,
      kind: t.kind,
      platform: e.platform,
      mediated: m.invited && m.problem !== null && t.kind !== 'direct-message',
      problemId: m.problem?.id ?? null,
      sourceEventId: e.eventId,
      occurredAt: e.createdAt,
    });
  }
}
