// Review mode (concierge.mode: review): the bot's proposed invitations wait, as pending
// invitations, for the community team to approve, edit or skip on the console; those nobody
// looked at go out as proposed after concierge.reviewMinutes. What staff choose feeds routing
// back: a chosen helper counts like a helpful answer, a skipped one like an ignored invitation.
import type { Invitation, Problem } from '../store/index.js';
import type { MemberId } from '../types.js';
import type { KeyedAction } from './actions.js';
import { advance } from './advance.js';
import { accountOn, inviteModeFor, type ConciergeContext } from './context.js';
import type { Track } from './eligibility.js';
import { isOpen } from './lifecycle.js';
import { invitationMessage } from './replies.js';
import type { RichText } from './rich-text.js';

export const DEFAULT_REVIEW_MINUTES = 60;
/** How far back staff choices count for routing (as ignored invitations do). */
const CHOICES_DAYS = 30;

export const inReview = (ctx: ConciergeContext): boolean => ctx.settings.mode === 'review';

/**
 * Sends one proposed invitation (once: it must still be pending, and its key is the
 * invitation's). `note` is the team's edit of the message; `by` who approved it.
 */
export async function sendProposal(
  ctx: ConciergeContext,
  invitation: Invitation,
  problem: Problem,
  now: Date,
  edit: { note?: string; by?: string } = {},
): Promise<KeyedAction[]> {
  const { store } = ctx;
  if (invitation.status !== 'pending' || !isOpen(problem.status)) return [];
  const member = await store.members.get(invitation.memberId);
  const to = member ? accountOn(member, problem.platform) : null;
  if (!member || !to || member.leftAt || member.optedOut) {
    await store.invitations.updateStatus(invitation.id, 'declined', now);
    return [];
  }
  await store.invitations.updateStatus(invitation.id, 'sent', now);
  await advance(
    ctx,
    problem,
    'invited',
    `${member.displayName} asked to help${edit.by ? ` (approved by ${edit.by})` : ' (proposal not reviewed in time)'}`,
    now,
  );
  const note: RichText = edit.note?.trim()
    ? edit.note
        .split(/\n{2,}/)
        .map((p) => p.trim())
        .filter(Boolean)
        .map((p) => [p])
    : [];
  const key = `${problem.platform}:review:${invitation.id}`;
  const mode = inviteModeFor(ctx, problem.platform);
  if (mode === 'direct' || !problem.containerId || !problem.threadId) {
    const asker = (await store.members.get(problem.originatorId))?.displayName ?? 'A member';
    return [
      {
        key,
        action: { kind: 'direct', platform: problem.platform, to, body: [...invitationMessage(asker, problem.text, undefined, invitation.reason), ...note] },
      },
    ];
  }
  if (mode === 'invite') return [{ key, action: { kind: 'invite', platform: problem.platform, containerId: problem.containerId, to } }];
  return [
    {
      key,
      action: {
        kind: 'post',
        platform: problem.platform,
        containerId: problem.containerId,
        threadId: problem.threadId,
        body: [[{ mention: to, name: member.displayName }, `, could you help with this? I thought of you because you ${invitation.reason}.`], ...note],
      },
    },
  ];
}

/** Proposals nobody reviewed in time go out as proposed (run by the scheduler). */
export async function reviewTimeouts(ctx: ConciergeContext, now: Date): Promise<KeyedAction[]> {
  if (!inReview(ctx)) return [];
  const due = now.getTime() - (ctx.settings.reviewMinutes ?? DEFAULT_REVIEW_MINUTES) * 60_000;
  const actions: KeyedAction[] = [];
  for (const problem of await ctx.store.problems.listByStatus(['opened', 'acknowledged', 'invited', 'answered', 'digested', 'stale'])) {
    for (const invitation of await ctx.store.invitations.listForProblem(problem.id)) {
      if (invitation.status === 'pending' && invitation.createdAt.getTime() <= due) actions.push(...(await sendProposal(ctx, invitation, problem, now)));
    }
  }
  return actions;
}

/** Routing's feedback with the team's choices added: chosen like a helpful answer, skipped like an ignored invitation. */
export async function withStaffChoices(ctx: ConciergeContext, now: Date, track: Required<Track>): Promise<Required<Track>> {
  const { chosen, skipped } = await ctx.store.consoleActions.choiceCounts(new Date(now.getTime() - CHOICES_DAYS * 86_400_000));
  const add = (base: ReadonlyMap<MemberId, number>, extra: ReadonlyMap<number, number>) => {
    const out = new Map(base);
    for (const [id, n] of extra) out.set(id as MemberId, (out.get(id as MemberId) ?? 0) + n);
    return out;
  };
  return { helpful: add(track.helpful, chosen), ignored: add(track.ignored, skipped) };
}
