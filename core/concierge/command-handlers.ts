// What each command does and says. Every handler is safe to run twice for the same event (a
// replay after a crash): state changes are idempotent and replies are keyed by the event.
import type { Problem } from '../store/index.js';
import type { KeyedAction } from './actions.js';
import { replyTo, type CommandContext } from './command-reply.js';
import { ADMIN_USAGE, linkCommandsHint, type Command } from './commands.js';
import { changeTags, describeProposals, isAdmin, TagRefusal, type TagChange } from './tag-admin.js';
import { accountOn, isBot, memberOf, type ConciergeContext } from './context.js';
import { advance } from './advance.js';
import { answerOfferByText } from '../identity/answers.js';
import { redeemLinkCode, requestLinkCode } from '../identity/link-codes.js';
import { budgetWindowStart, memberStanding } from './eligibility.js';
import { digestFor } from './digest.js';
import { acceptIntroduction, offerIntroductions } from './introductions.js';
import { OPEN_STATUSES } from './lifecycle.js';
import { mirrorAction, mirrorSummaries } from './mirror.js';
import { relayCommand } from './private-answers.js';
import { statusReply, solvedReply, textReply, usageReply, type Invitee } from './replies.js';
import type { RichText } from './rich-text.js';

/** Runs a command (other than help, which is a button press) and decides the reply. */
export async function handleCommand(ctx: ConciergeContext, c: CommandContext, command: Exclude<Command, { name: 'help' }>): Promise<KeyedAction[]> {
  // Answered before the author is recorded (data-rights.ts); never reaches here.
  if (command.name === 'my-data' || command.name === 'forget-me') return [];
  if (command.name === 'mirror') return mirrorCommand(ctx, c);
  if (command.name === 'digest') return digestCommand(ctx, c);
  if (command.name === 'decline' || command.name === 'refer') return declineOrRefer(ctx, c, command.name === 'refer');
  if (command.name === 'relay') return relayCommand(ctx, c);
  if (command.name === 'tags') return [replyTo(c, await tagsCommand(ctx, c, command.change))];
  if (command.name === 'introduce') {
    const { reply, actions } = await acceptIntroduction(ctx, c.author, c.event.eventId);
    return [...actions, replyTo(c, textReply(reply))];
  }
  const body = await run(
    ctx,
    c,
    command as Exclude<Command, { name: 'help' | 'mirror' | 'digest' | 'decline' | 'refer' | 'introduce' | 'relay' | 'my-data' | 'forget-me' | 'tags' }>,
  );
  return body ? [replyTo(c, body)] : [];
}

async function mirrorCommand(ctx: ConciergeContext, c: CommandContext): Promise<KeyedAction[]> {
  const problem = c.problem;
  if (!problem) return [replyTo(c, textReply('Use this in the thread of a request, and I will post that request on the forum.'))];
  const asker = (await ctx.store.members.get(problem.originatorId))?.displayName ?? 'A member';
  const source = problem.sourceEventId ? await ctx.store.documents.find(problem.platform, problem.sourceEventId) : null;
  const mirror = mirrorAction(ctx, problem, asker, source?.url);
  if (!mirror)
    return [
      replyTo(
        c,
        textReply(
          ctx.settings.mirror?.mode === 'off'
            ? 'Posting requests to the forum is switched off here.'
            : 'This request is already on the forum, or no forum is connected.',
        ),
      ),
    ];
  return [mirror];
}

async function digestCommand(ctx: ConciergeContext, c: CommandContext): Promise<KeyedAction[]> {
  const problem =
    c.problem && c.problem.originatorId === c.author.id
      ? c.problem
      : (await ctx.store.problems.listByOriginator(c.author.id, ['invited', 'answered', 'digested', 'acknowledged', 'opened', 'stale']))[0];
  if (!problem) {
    return [replyTo(c, textReply(c.problem ? 'Digests go to the person who asked; this request is not yours.' : "I don't see an open request of yours."))];
  }
  const body = await digestFor(ctx, problem);
  if (!body) return [replyTo(c, textReply('No answers yet; I will send the digest as soon as there are some.'))];
  await advance(ctx, problem, 'digest-sent', `digest asked for by ${c.author.displayName}`, ctx.now(), c.event.eventId);
  return [replyTo(c, body)];
}

/** An invited member says no, or passes the invitation to someone else. */
async function declineOrRefer(ctx: ConciergeContext, c: CommandContext, refer: boolean): Promise<KeyedAction[]> {
  const { store } = ctx;
  const now = ctx.now();
  // The invitation this is about: this thread's problem, else the member's latest open one.
  let invitation = c.problem ? await store.invitations.find(c.problem.id, c.author.id) : null;
  if (!invitation) {
    invitation = (await store.invitations.listForMember(c.author.id, 10)).find((i) => i.status === 'sent' || i.status === 'pending') ?? null;
  }
  if (!invitation) return [replyTo(c, textReply("I don't see an invitation of yours to decline."))];
  const problem = (await store.problems.get(invitation.problemId))!;
  if (invitation.status === 'sent' || invitation.status === 'pending') await store.invitations.updateStatus(invitation.id, 'declined', now);
  if (!refer) return [replyTo(c, textReply('No problem, thanks for letting me know. I will ask someone else next time.'))];

  const referred = c.event.mentions.find((m) => !isBot(ctx, m) && m.externalId !== c.event.author.externalId);
  if (!referred) return [replyTo(c, textReply('Whom should I ask instead? Mention them, e.g. "!coagent refer @alice".'))];
  const member = await memberOf(ctx, referred);
  const [counts] = await Promise.all([store.invitations.countsSince(budgetWindowStart(now))]);
  const standing = memberStanding(member, counts.get(member.id) ?? 0, ctx.settings.weeklyBudget, now);
  if (member.id === problem.originatorId) return [replyTo(c, textReply('That is the person who asked; I need someone else.'))];
  if (standing.ineligible === 'left') {
    return [replyTo(c, textReply(`${member.displayName} has left the community, so I can't ask them. Whom else could I ask? Say "!coagent refer @someone".`))];
  }
  if (standing.ineligible) {
    return [
      replyTo(
        c,
        textReply(
          `Thanks! ${member.displayName} can't be asked right now (${standing.ineligible.replace('-', ' ')}); you could mention them yourself if it's urgent.`,
        ),
      ),
    ];
  }
  await store.invitations
    .create({ problemId: problem.id, memberId: member.id, reason: `${c.author.displayName} suggested you`, score: 0, createdAt: now })
    .then(({ value }) => store.invitations.updateStatus(value.id, 'sent', now));
  const actor = accountOn(member, problem.platform) ?? referred;
  const where = problem.containerId && problem.threadId ? { containerId: problem.containerId, threadId: problem.threadId } : null;
  const body: RichText = [
    [{ mention: actor, name: member.displayName }, `, ${c.author.displayName} thinks you can help with this request. Could you take a look?`],
  ];
  return [
    where
      ? { key: `${problem.platform}:${c.event.eventId}:referral`, action: { kind: 'post', platform: problem.platform, ...where, body } }
      : { key: `${problem.platform}:${c.event.eventId}:referral`, action: { kind: 'direct', platform: problem.platform, to: actor, body } },
    replyTo(c, textReply(`Thanks! I've asked ${member.displayName} instead.`)),
  ];
}

async function run(
  ctx: ConciergeContext,
  c: CommandContext,
  command: Exclude<Command, { name: 'help' | 'mirror' | 'digest' | 'decline' | 'refer' | 'introduce' | 'relay' | 'my-data' | 'forget-me' | 'tags' }>,
): Promise<RichText | null> {
  const { store } = ctx;
  const now = ctx.now();
  const { author } = c;
  switch (command.name) {
    case 'usage':
      return usageReply();
    case 'outcome': {
      // "yes" / "no" may answer a link offer, when that is what the bot asked last.
      const offer = command.value === 'partly' ? null : await answerOfferByText(ctx, c.event, author, command.value === 'yes', false);
      if (offer) return offer;
      const asked = [];
      for (const p of await store.problems.listByOriginator(author.id, ['solved'])) {
        if (await store.outbox.get(`${p.platform}:follow-up:${p.id}`)) asked.push(p);
      }
      const problem = asked[0];
      if (!problem) return textReply("Thanks! I wasn't waiting for an answer from you, though.");
      const value = { yes: 2, partly: 1, no: 0 }[command.value];
      await store.feedback.record({ problemId: problem.id, fromMemberId: author.id, kind: 'outcome', value, sourceEventId: c.event.eventId, createdAt: now });
      return textReply(command.value === 'no' ? 'Thanks for telling me; that helps me do better next time.' : 'Thanks! Glad the community could help.');
    }
    case 'solved':
      return markSolved(ctx, c);
    case 'thanks': {
      const thanked = c.event.mentions.filter((m) => !isBot(ctx, m) && m.externalId !== c.event.author.externalId);
      if (thanked.length === 0) return textReply('Whom should I thank? Mention them, e.g. "!coagent thanks @alice".');
      const names: string[] = [];
      const gone: string[] = [];
      for (const actor of thanked) {
        const member = await memberOf(ctx, actor);
        // Thanks for past help still count, even when the helper has left since.
        await store.feedback.record({
          problemId: c.problem?.id ?? null,
          fromMemberId: author.id,
          toMemberId: member.id,
          kind: 'thanks',
          sourceEventId: c.event.eventId,
          createdAt: now,
        });
        (member.leftAt ? gone : names).push(member.displayName);
      }
      if (names.length === 0) return textReply(`${gone.join(', ')} left the community, so they won't see it, but I've noted your thanks all the same.`);
      return textReply(
        `Thanks noted for ${names.join(', ')}. It helps me ask the right people next time.`,
        ...(gone.length > 0 ? [`(${gone.join(', ')} left the community; noted all the same.)`] : []),
      );
    }
    case 'optout': {
      await store.members.setOptOut(author.id, true);
      const erased = await store.documents.eraseByAuthor(author.id, now);
      for (const id of erased) ctx.engine.removeDocument(id);
      await store.members.setInterests(author.id, null);
      await ctx.engine.setInterests(author.id, '');
      return textReply(
        "Done: I won't invite you to help, and I've stopped learning from your messages (I forgot the ones I had).",
        'Say "!coagent optin" any time to come back.',
      );
    }
    case 'recognition':
      await store.members.setRecognitionDigest(author.id, command.on);
      return command.on
        ? textReply(
            'Done: each Monday I\'ll send you a short note of whose problems you helped with the week before. Say "!coagent recognition off" to stop it.',
          )
        : textReply('Done: no more weekly notes. Say "!coagent recognition on" if you\'d like them back.');
    case 'interests': {
      if (command.text === undefined) {
        return author.interests
          ? textReply(`You told me you can help with: "${author.interests}". Say "!coagent interests off" to forget it, or send new ones.`)
          : textReply('Tell me what you can help with, e.g. "!coagent interests hiring engineers, equity splits", and I will ask you about it.');
      }
      await store.members.setInterests(author.id, command.text);
      // Opted-out members are never invited, so the engine need not know.
      if (!author.optedOut) await ctx.engine.setInterests(author.id, command.text ?? '');
      return command.text === null
        ? textReply('Done: I forgot your interests.')
        : textReply(`Thanks: I will think of you for problems about "${command.text}".`);
    }
    case 'optin':
      await store.members.setOptOut(author.id, false);
      return textReply("Welcome back: I may invite you again when a problem matches what you know, and I'll learn from your messages from now on.");
    case 'pause': {
      const until = command.days === null ? null : new Date(now.getTime() + command.days * 86_400_000);
      await store.members.setPausedUntil(author.id, until);
      return until
        ? textReply(`Paused: no invitations until ${until.toISOString().slice(0, 16).replace('T', ' ')} UTC. Say "!coagent pause off" to resume earlier.`)
        : textReply('Resumed: I may invite you again.');
    }
    case 'status': {
      const [count, open] = await Promise.all([
        store.invitations.countSince(author.id, budgetWindowStart(now)),
        store.problems.listByOriginator(author.id, ['opened', 'invited', 'answered']),
      ]);
      return statusReply(author, { invitationsThisWeek: count, budget: author.weeklyBudget ?? ctx.settings.weeklyBudget, openProblems: open.length, now });
    }
    case 'link':
      return requestLinkCode(ctx, author, c.event.author, { platform: command.platform, externalId: command.account });
    case 'redeem':
      return redeemLinkCode(ctx, c.event.author, command.code);
    case 'link-answer': {
      const hint = linkCommandsHint();
      return (
        (await answerOfferByText(ctx, c.event, author, command.accept, true)) ??
        textReply(
          command.accept
            ? `I have not asked you about another account.${hint ? ` To link one yourself, say ${hint}.` : ''}`
            : 'I have not asked you about another account, so there is nothing to refuse.',
        )
      );
    }
  }
}

/**
 * The admins' tag command: the list (proposals first), or a change made as on the console. A
 * replay of the same message finds the change made and says so, changing nothing twice.
 */
async function tagsCommand(ctx: ConciergeContext, c: CommandContext, change: TagChange | null): Promise<RichText> {
  if (!isAdmin(ctx, c.event.author)) {
    return textReply("Only the community's admins (concierge.admins in my configuration) can review tags. The community team can also do it on the dashboard.");
  }
  if (change) {
    try {
      return textReply(await changeTags(ctx, change));
    } catch (error) {
      if (error instanceof TagRefusal) return textReply(error.message);
      throw error;
    }
  }
  const [proposed, active] = [await ctx.store.tags.list('proposed'), await ctx.store.tags.list('active')];
  return textReply(
    ...(proposed.length > 0
      ? ["Tags I propose from the community's messages:", ...describeProposals(proposed).map((line) => `• ${line}`)]
      : ['No tags are waiting for approval.']),
    active.length > 0 ? `In use: ${active.map((t) => t.name).join(', ')}.` : 'No tags are in use yet.',
    ...ADMIN_USAGE,
  );
}

async function markSolved(ctx: ConciergeContext, c: CommandContext): Promise<RichText> {
  const { store } = ctx;
  const now = ctx.now();
  // In a request's thread the command is about that request, and only its originator decides.
  if (c.problem) {
    if (c.problem.originatorId !== c.author.id) {
      const asker = (await store.members.get(c.problem.originatorId))?.displayName ?? 'the person who asked';
      return textReply(`Only ${asker}, who asked, can mark this request solved. If an answer helped you too, react 👍 to it.`);
    }
    if (c.problem.status === 'solved') return textReply('This request is already marked solved.');
    if (c.problem.status === 'closed') return textReply('This request was closed, so there is nothing to mark solved.');
    return solveProblem(ctx, c.problem, c.event.eventId, now, `"solved" from ${c.author.displayName}`);
  }
  // Elsewhere (a direct chat), it is about their latest open request.
  const problem = (await store.problems.listByOriginator(c.author.id, OPEN_STATUSES))[0];
  if (!problem) return textReply("I don't see an open request of yours to mark solved.");
  return solveProblem(ctx, problem, c.event.eventId, now, `"solved" from ${c.author.displayName}`);
}

/** Marks a problem solved, credits everyone who answered, and says thank you by name. */
export async function solveProblem(ctx: ConciergeContext, problem: Problem, sourceEventId: string, now: Date, cause: string): Promise<RichText> {
  const { store } = ctx;
  await advance(ctx, problem, 'solved', cause, now, sourceEventId);
  const responses = await store.responses.listForProblem(problem.id);
  const helpers: Invitee[] = [];
  const helperMembers = [];
  for (const memberId of new Set(responses.map((r) => r.memberId))) {
    if (memberId === problem.originatorId) continue;
    await store.feedback.record({
      problemId: problem.id,
      fromMemberId: problem.originatorId,
      toMemberId: memberId,
      kind: 'solved',
      sourceEventId,
      createdAt: now,
    });
    const member = await store.members.get(memberId);
    const identity = member?.identities.find((i) => i.platform === problem.platform);
    if (member && identity) {
      helpers.push({ actor: { platform: identity.platform, externalId: identity.externalId }, name: member.displayName, reason: '' });
      helperMembers.push(member);
    }
  }
  await ctx.submit(
    await mirrorSummaries(
      ctx,
      problem,
      helpers.map((h) => h.name),
    ),
  );
  // A solved problem is a good exchange: offer to connect the people directly.
  return [...solvedReply(helpers), ...(await offerIntroductions(ctx, problem, helperMembers, now))];
}
