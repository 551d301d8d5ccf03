// Never a silent failure: when a post the member is waiting for could not be made (the platform
// refused it for good) or is held for a moderator's approval, the bot tells that member, through
// another path, what happened and what happens next. Notices are direct messages (or, for a
// request mirrored from another platform, a reply in the original thread); a notice that fails
// itself is only logged, so notices never beget notices.
import { platformProfile } from '../platforms.js';
import type { Member, Problem } from '../store/index.js';
import type { DeliveryError, KeyedAction, OutboundAction } from './actions.js';
import { isBot, type ConciergeContext } from './context.js';
import type { RichText } from './rich-text.js';

/** What the bridge reports for a post the platform holds for approval. */
export const isHeldForApproval = (result: unknown): boolean =>
  typeof result === 'object' && result !== null && (result as { heldForApproval?: unknown }).heldForApproval === true;

/** Notices for an action that failed for good. */
export async function failureNotices(ctx: ConciergeContext, action: OutboundAction, key: string, error: DeliveryError): Promise<KeyedAction[]> {
  const why = error.reason ?? error.message;
  if (action.kind === 'create-topic' && action.problemId !== undefined) {
    const problem = await ctx.store.problems.get(action.problemId as Problem['id']);
    if (!problem?.containerId || !problem.threadId) return [];
    return [
      {
        key: `${problem.platform}:notice:${key}`,
        action: {
          kind: 'post',
          platform: problem.platform,
          containerId: problem.containerId,
          threadId: problem.threadId,
          body: [
            [`I could not post this request on the forum: the forum said "${why}".`],
            ['Your request stays open here; people can still answer in this thread.'],
          ],
        },
      },
    ];
  }
  if (action.kind !== 'post') return [];
  return direct(ctx, action, key, [
    [`I could not post my reply to your request on ${platformProfile(action.platform).place}: it said "${why}".`],
    ['Your request stays open: members can still answer in your topic, and I keep collecting their answers for your digest.'],
  ]);
}

/** Notices for an action that went through but waits for a moderator. */
export async function heldNotices(ctx: ConciergeContext, action: OutboundAction, key: string): Promise<KeyedAction[]> {
  if (action.kind !== 'post') return [];
  return direct(ctx, action, key, [
    ["My reply to your request is waiting for a moderator's approval on the forum; it appears in your topic once approved."],
    ['Your request stays open meanwhile.'],
  ]);
}

/** A direct message to the member waiting in the post's conversation (the request's originator). */
async function direct(ctx: ConciergeContext, action: Extract<OutboundAction, { kind: 'post' }>, key: string, body: RichText): Promise<KeyedAction[]> {
  const member = await waitingMember(ctx, action);
  const identity = member?.identities.find((i) => i.platform === action.platform) ?? member?.identities[0];
  if (!member || !identity || isBot(ctx, { platform: identity.platform, externalId: identity.externalId })) return [];
  return [
    {
      key: `${identity.platform}:notice:${key}`,
      action: { kind: 'direct', platform: identity.platform, to: { platform: identity.platform, externalId: identity.externalId }, body },
    },
  ];
}

async function waitingMember(ctx: ConciergeContext, action: Extract<OutboundAction, { kind: 'post' }>): Promise<Member | null> {
  const { store } = ctx;
  const problem = await store.problems.findByThread(action.platform, action.threadId ?? action.containerId);
  if (problem) return store.members.get(problem.originatorId);
  const answered = action.replyToId ? await store.documents.find(action.platform, action.replyToId) : null;
  return answered?.authorId !== undefined && answered?.authorId !== null ? store.members.get(answered.authorId) : null;
}
