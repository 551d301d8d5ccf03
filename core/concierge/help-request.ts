// The button press: a member asks for help. The engine tags the problem, finds related past
// topics and ranks members; this module opens the problem (once per platform event), records
// the invitations within each member's budget, and decides the reply and the invitations.
import { excludedThreads } from '../engine/thread-exclusion.js';
import type { InboundMessage } from '../inbound.js';
import type { Invitation, Member, Problem } from '../store/index.js';
import type { KeyedAction } from './actions.js';
import { advance } from './advance.js';
import { accountOn, inviteModeFor, type ConciergeContext } from './context.js';
import { budgetWindowStart, standings } from './eligibility.js';
import { mirrorAction } from './mirror.js';
import { inReview, withStaffChoices } from './review.js';
import { helpReply, invitationMessage, textReply, type Invitee, type RelatedTopic } from './replies.js';
import { platformProfile } from '../platforms.js';

export interface HelpRequest {
  event: InboundMessage;
  /** Whose problem it is (the presser, or the author of the message they pointed at). */
  originator: Member;
  presser: Member;
  text: string;
  /** Thread the conversation happens in (its root's event id). */
  threadId: string;
}

/**
 * When a member's request may be answered: at most `maxRequests` answers in any window, in the
 * order asked. Computed from the member's recorded requests alone, so a replay after a crash
 * finds the same time. `current` is the request being decided when it is recorded already.
 */
async function answerSlot(ctx: ConciergeContext, presser: Member, createdAt: Date, current: Problem | null): Promise<Date> {
  const { maxRequests, windowMinutes } = ctx.settings.flood;
  const windowMs = windowMinutes * 60_000;
  const earlier = (await ctx.store.problems.listByOriginator(presser.id))
    .filter(
      (p) =>
        p.id !== current?.id &&
        (current === null ||
          p.createdAt.getTime() < current.createdAt.getTime() ||
          (p.createdAt.getTime() === current.createdAt.getTime() && p.id < current.id)),
    )
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id - b.id);
  const slots: number[] = [];
  const slotOf = (at: number) => Math.max(at, slots.length >= maxRequests ? slots[slots.length - maxRequests]! + windowMs : 0);
  for (const p of earlier) slots.push(slotOf(p.createdAt.getTime()));
  return new Date(slotOf(createdAt.getTime()));
}

const clock = (at: Date) => `${at.toISOString().slice(11, 16)} UTC`;

/** Decides the reply (and invitations) for a help request; records the problem on the way. */
export async function handleHelpRequest(ctx: ConciergeContext, req: HelpRequest): Promise<KeyedAction[]> {
  const { event: e, originator } = req;
  const { store } = ctx;
  const now = ctx.now();
  const where = { platform: e.platform, containerId: e.containerId, threadId: req.threadId, replyToId: e.eventId };

  // A replay after a crash finds the problem it opened and repeats the same decision.
  const existing = await store.problems.findBySourceEvent(e.platform, e.eventId);
  // Beyond the flood guard's limit a request is still recorded, and answered in order later.
  const slot = await answerSlot(ctx, req.presser, existing?.createdAt ?? now, existing);
  const deferred = slot.getTime() > (existing?.createdAt ?? now).getTime();
  const notice: KeyedAction[] = [];
  if (deferred && !existing) {
    const window = Math.floor(now.getTime() / (ctx.settings.flood.windowMinutes * 60_000));
    notice.push({
      key: `${e.platform}:flood:${req.presser.id}:${window}`,
      action: {
        kind: 'post',
        ...where,
        body: textReply(
          `You've asked me for help several times in the last ${ctx.settings.flood.windowMinutes} minutes, so I'll give people a moment to answer the earlier ones. I've noted this request and will answer it here at ${clock(slot)}, and any further ones in order after it.`,
        ),
      },
    });
  }

  const problem = existing ?? (await openProblem(ctx, req, now));
  const invitations = await store.invitations.listForProblem(problem.id);
  // In review mode proposals are not named until the team approved them.
  const invitees = await inviteesOf(
    ctx,
    invitations.filter((i) => i.status !== 'pending'),
    e.platform,
  );
  const related = await relatedTopics(ctx, problem);
  const mode = inviteModeFor(ctx, e.platform, e.conversation);

  const later = deferred ? { notBefore: slot } : {};
  const actions: KeyedAction[] = [
    ...notice,
    {
      ...later,
      key: `${e.platform}:${e.eventId}:reply`,
      action: {
        kind: 'post',
        ...where,
        body: helpReply({
          ...(req.presser.id !== originator.id ? { requestedBy: req.presser.displayName } : {}),
          tags: problem.tags.map((t) => t.name),
          related,
          invitees,
          invitedPrivately: mode === 'direct',
          invitedByPlatform: mode === 'invite',
          forumOnRequest: ctx.settings.mirror?.mode === 'on-request' && ctx.settings.mirror.platform !== e.platform,
          reviewing: invitations.some((i) => i.status === 'pending'),
        }),
      },
    },
  ];
  for (const i of mode === 'thread' ? [] : invitees) {
    actions.push({
      ...later,
      key: `${e.platform}:${e.eventId}:invite:${i.actor.externalId}`,
      action:
        mode === 'direct'
          ? { kind: 'direct', platform: e.platform, to: i.actor, body: invitationMessage(originator.displayName, req.text, e.url, i.reason) }
          : { kind: 'invite', platform: e.platform, containerId: e.containerId, to: i.actor },
    });
  }
  if (ctx.settings.mirror?.mode === 'always') {
    const mirror = mirrorAction(ctx, problem, originator.displayName, e.url);
    if (mirror) actions.push({ ...mirror, ...later });
  }
  // A topic can carry the tags itself where the platform has tags and the bot may set them (first post only).
  if (
    platformProfile(e.platform).capabilities.tags &&
    ctx.settings.platforms?.[e.platform]?.setTags &&
    problem.tags.length > 0 &&
    !e.inThread &&
    req.threadId === e.threadId
  ) {
    actions.push({
      ...later,
      key: `${e.platform}:${e.eventId}:tags`,
      action: { kind: 'set-tags', platform: e.platform, containerId: e.containerId, tags: problem.tags.map((t) => t.name) },
    });
  }
  return actions;
}

async function openProblem(ctx: ConciergeContext, req: HelpRequest, now: Date): Promise<Problem> {
  const { store, engine, settings } = ctx;
  const e = req.event;
  const [members, counts, helpful, ignored] = await Promise.all([
    store.members.list(),
    store.invitations.countsSince(budgetWindowStart(now)),
    store.feedback.countsReceived(['solved', 'thanks', 'reaction']),
    store.invitations.countsSince(new Date(now.getTime() - 30 * 86_400_000), { statuses: ['ignored'] }),
  ]);
  // The feedback loop: what members' past help earned, and what they ignored, shapes routing.
  const standing = standings(members, counts, settings.weeklyBudget, now, await withStaffChoices(ctx, now, { helpful, ignored }));
  const analysis = await engine.analyze({
    text: req.text,
    mentionsBot: true,
    originatorId: req.originator.id,
    // Its own thread (and the one it points at) is where the request itself was learned.
    excludeThreads: excludedThreads({ platform: e.platform, threadId: req.threadId }, { platform: e.platform, threadId: e.threadId }),
    now,
    standing: (m) => standing.get(m),
  });
  const { value: problem } = await store.problems.open({
    originatorId: req.originator.id,
    platform: e.platform,
    sourceEventId: e.eventId,
    containerId: e.containerId,
    threadId: req.threadId,
    text: req.text,
    tags: analysis.tags.map((t) => ({ name: t.tag, confidence: t.confidence })),
    createdAt: now,
  });
  await store.similarity.replace(
    problem.id,
    analysis.similar.map((s, i) => ({ documentId: s.documentId, score: s.score, rank: i + 1 })),
  );
  const byId = new Map(members.map((m) => [m.id, m]));
  let invited = 0;
  for (const r of analysis.members.recommended) {
    // Only members reachable on this platform can be asked here.
    const member = byId.get(r.memberId);
    if (!member || !accountOn(member, e.platform)) continue;
    const { value: invitation } = await store.invitations.create({
      problemId: problem.id,
      memberId: r.memberId,
      reason: r.reason,
      score: r.score,
      createdAt: now,
    });
    // The outbox delivers what is decided, so the invitation counts as sent from here; in review
    // mode it stays pending (a proposal) until the team approves it or its time runs out.
    if (inReview(ctx)) continue;
    await store.invitations.updateStatus(invitation.id, 'sent', now);
    invited++;
  }
  let current = await advance(ctx, problem, 'acknowledged', 'the bot replied with tags and related topics', now, e.eventId);
  if (invited > 0) current = await advance(ctx, current, 'invited', `${invited} member${invited > 1 ? 's' : ''} asked to help`, now, e.eventId);
  ctx.logger.info(
    { problemId: problem.id, tags: problem.tags.length, related: analysis.similar.length, invited, skipped: analysis.members.skipped.length },
    'problem opened',
  );
  return current;
}

async function inviteesOf(ctx: ConciergeContext, invitations: readonly Invitation[], platform: InboundMessage['platform']): Promise<Invitee[]> {
  const out: Invitee[] = [];
  for (const inv of invitations) {
    const member = await ctx.store.members.get(inv.memberId);
    const actor = member ? accountOn(member, platform) : null;
    if (member && actor) out.push({ actor, name: member.displayName, reason: inv.reason });
  }
  return out;
}

async function relatedTopics(ctx: ConciergeContext, problem: Problem): Promise<RelatedTopic[]> {
  const links = await ctx.store.similarity.list(problem.id);
  const out: RelatedTopic[] = [];
  for (const link of links) {
    const doc = ctx.engine.kb.get(link.documentId);
    if (doc) out.push({ title: doc.title ?? doc.text, url: doc.url, score: link.score });
  }
  return out;
}
