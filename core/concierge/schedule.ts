// The time-driven half of the workflow, run every minute: digests when enough answers came in,
// stale requests, invitations nobody answered (and pausing members who keep ignoring them),
// the follow-up a week after a problem was solved, offers to link accounts that look like one
// person's (core/identity), the weekly step (weekly.ts) and tag proposals (tag-suggestions.ts). Like
// receive(), it decides keyed actions and records state idempotently, so running it twice (or
// after a crash) repeats nothing.
import { platformIds } from '../platforms.js';
import type { Member, Problem } from '../store/index.js';
import type { KeyedAction } from './actions.js';
import { advance } from './advance.js';
import { accountOn, timingOf, type ConciergeContext } from './context.js';
import { digestAction } from './digest.js';
import { textReply } from './replies.js';
import { reviewTimeouts } from './review.js';
import { suggestTagsIfDue } from './tag-suggestions.js';
import { weeklyStep } from './weekly.js';
import { collectEmailHashes } from '../identity/emails.js';
import { syncEngineAuthors } from '../identity/engine-sync.js';
import { linkOfferRound } from '../identity/offers.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How long after coming due a follow-up is still sent (covers a service that was down). */
const FOLLOW_UP_WINDOW_DAYS = 7;

export async function tick(ctx: ConciergeContext, now: Date): Promise<void> {
  // Merges and splits made elsewhere (`npm run member`) reach routing before anything is decided.
  await syncEngineAuthors(ctx);
  await collectEmailHashes(ctx, now);
  const actions = [
    ...(await ignoredInvitations(ctx, now)),
    ...(await digestsAndStale(ctx, now)),
    ...(await followUps(ctx, now)),
    ...(await linkOfferRound(ctx, now)),
    ...(await reviewTimeouts(ctx, now)),
  ];
  await ctx.submit(actions);
  await weeklyStep(ctx, now);
  // Last, and on its own: a failure to cluster must not hold up the steps people wait for.
  await suggestTagsIfDue(ctx).catch((error: unknown) => ctx.logger.error({ err: error }, 'looking for tag themes failed'));
}

async function ignoredInvitations(ctx: ConciergeContext, now: Date): Promise<KeyedAction[]> {
  const { store } = ctx;
  const t = timingOf(ctx);
  const actions: KeyedAction[] = [];
  for (const inv of await store.invitations.listUnansweredSentBefore(new Date(now.getTime() - t.ignoredAfterHours * HOUR))) {
    await store.invitations.updateStatus(inv.id, 'ignored', now);
    const latest = await store.invitations.listForMember(inv.memberId, t.pauseAfterIgnored);
    const member = await store.members.get(inv.memberId);
    if (!member || latest.length < t.pauseAfterIgnored || !latest.every((i) => i.status === 'ignored')) continue;
    if (member.pausedUntil && member.pausedUntil > now) continue;
    const until = new Date(now.getTime() + t.pauseDays * DAY);
    await store.members.setPausedUntil(member.id, until);
    const problem = await store.problems.get(inv.problemId);
    // Where the problem was asked, else the first registered platform (Matrix), else any account.
    const preferred = problem?.platform ?? platformIds()[0];
    const to = (preferred ? accountOn(member, preferred) : null) ?? (member.identities[0] ? accountOn(member, member.identities[0].platform) : null);
    if (to) {
      actions.push({
        key: `${to.platform}:auto-pause:${member.id}:${inv.id}`,
        action: {
          kind: 'direct',
          platform: to.platform,
          to,
          body: textReply(
            `Hi ${member.displayName}, you haven't had time for my last ${t.pauseAfterIgnored} invitations, which is fine: I've paused them for ${t.pauseDays} days so I don't keep bothering you.`,
            'Say "!coagent pause off" to me when you want them back, or "!coagent optout" to stop them for good.',
          ),
        },
      });
    }
    ctx.logger.info({ memberId: member.id, until }, 'paused a member who ignored several invitations');
  }
  return actions;
}

async function digestsAndStale(ctx: ConciergeContext, now: Date): Promise<KeyedAction[]> {
  const { store } = ctx;
  const t = timingOf(ctx);
  const actions: KeyedAction[] = [];
  for (const problem of await store.problems.listByStatus(['opened', 'acknowledged', 'invited', 'answered'])) {
    const responses = (await store.responses.listForProblem(problem.id)).filter((r) => r.memberId !== problem.originatorId);
    if (problem.status === 'answered' && responses.length > 0) {
      const first = Math.min(...responses.map((r) => r.createdAt.getTime()));
      if (responses.length >= t.digestAfterResponses || now.getTime() - first >= t.digestAfterHours * HOUR) {
        const digest = await digestAction(ctx, problem);
        if (digest) actions.push(digest);
        await advance(ctx, problem, 'digest-sent', `${responses.length} answer(s) curated for the originator`, now);
      }
    } else if (responses.length === 0 && now.getTime() - problem.createdAt.getTime() >= t.staleAfterDays * DAY) {
      await advance(ctx, problem, 'stale', `no answer in ${t.staleAfterDays} days`, now);
      if (problem.containerId && problem.threadId) {
        actions.push({
          key: `${problem.platform}:stale:${problem.id}`,
          action: { kind: 'post', platform: problem.platform, containerId: problem.containerId, threadId: problem.threadId, body: staleText(ctx, problem) },
        });
      }
    }
  }
  return actions;
}

function staleText(ctx: ConciergeContext, problem: Problem) {
  const forum = ctx.settings.mirror && ctx.settings.mirror.mode !== 'off' && problem.platform !== ctx.settings.mirror.platform;
  return textReply(
    "Nobody has answered this yet, sorry. It may help to add a detail or two (what you tried, what is at stake), and I'll keep it open.",
    ...(forum ? ['You can also post it on the forum with "!coagent post-to-forum", where more people will see it.'] : []),
  );
}

async function followUps(ctx: ConciergeContext, now: Date): Promise<KeyedAction[]> {
  const { store } = ctx;
  const t = timingOf(ctx);
  const actions: KeyedAction[] = [];
  // Only problems that just came due: older ones were asked (or missed) already, and looking
  // them up again every minute would grow with the community's whole history.
  const dueBefore = new Date(now.getTime() - t.followUpAfterDays * DAY);
  const dueAfter = new Date(dueBefore.getTime() - FOLLOW_UP_WINDOW_DAYS * DAY);
  for (const problem of await store.problems.listSolvedBetween(dueAfter, new Date(dueBefore.getTime() + 1))) {
    const originator: Member | null = await store.members.get(problem.originatorId);
    const to = originator ? accountOn(originator, problem.platform) : null;
    if (!originator || !to || originator.optedOut) continue;
    const key = `${problem.platform}:follow-up:${problem.id}`;
    if (await store.outbox.get(key)) continue;
    actions.push({
      key,
      action: {
        kind: 'direct',
        platform: problem.platform,
        to,
        body: textReply(
          `Hi ${originator.displayName}, a week ago your request "${problem.text.slice(0, 120)}" was solved.`,
          'Did the help change what you did? Answer me here with "yes", "partly" or "no".',
        ),
      },
    });
  }
  return actions;
}
