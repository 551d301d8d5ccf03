// Answers in a direct conversation with the bot. An invited member who writes the bot privately
// (not a command) is answering the request they were asked about. Nothing leaves the chat
// without their consent: the bot keeps the answer (durably) and asks; on "relay" it posts the
// answer in the request's thread, attributed to them, and counts it as a response.
import type { InboundMessage } from '../inbound.js';
import type { Member, Problem } from '../store/index.js';
import type { KeyedAction } from './actions.js';
import { advance } from './advance.js';
import { replyTo, type CommandContext } from './command-reply.js';
import { accountOn, type ConciergeContext } from './context.js';
import { textReply } from './replies.js';
import type { RichText } from './rich-text.js';

/** A consent passes on answers given this recently; older ones stay private. */
const CONSENT_WINDOW_MS = 7 * 86_400_000;
/** How many of the member's latest invitations are looked at. */
const RECENT_INVITATIONS = 20;

const short = (text: string, max: number): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
};

/** Problems the member was invited to and may still answer, most recent invitation first. */
async function openRequestsFor(ctx: ConciergeContext, member: Member): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const invitation of await ctx.store.invitations.listForMember(member.id, RECENT_INVITATIONS)) {
    if (invitation.status === 'declined') continue;
    const problem = await ctx.store.problems.get(invitation.problemId);
    if (problem && problem.status !== 'solved' && problem.status !== 'closed' && problem.originatorId !== member.id) problems.push(problem);
  }
  return problems;
}

/** A plain direct message: if the author has an open invitation, keep it and ask to pass it on. */
export async function offerRelay(ctx: ConciergeContext, e: InboundMessage, author: Member): Promise<KeyedAction[]> {
  if (e.text.trim() === '') return [];
  const open = await openRequestsFor(ctx, author);
  const problem = open[0];
  if (!problem) return [];
  await ctx.store.responses.proposePrivate({
    platform: e.platform,
    sourceEventId: e.eventId,
    memberId: author.id,
    problemId: problem.id,
    text: e.text,
    createdAt: e.createdAt,
  });
  const originator = (await ctx.store.members.get(problem.originatorId))?.displayName ?? 'the person who asked';
  return [
    replyTo(
      { event: e, threadId: e.threadId },
      textReply(
        `Shall I pass this on to ${originator} with your name? Say "!coagent relay" (or just "relay") to send it, or ignore this to keep it private.`,
        // Several requests could be meant: say which one it would answer.
        ...(open.length > 1 ? [`It would answer their request "${short(problem.text, 100)}", the most recent one I asked you about.`] : []),
      ),
      'relay-offer',
    ),
  ];
}

/** "relay": posts the member's waiting private answers where their requests are discussed. */
export async function relayCommand(ctx: ConciergeContext, c: CommandContext): Promise<KeyedAction[]> {
  const { store } = ctx;
  const now = ctx.now();
  const { author } = c;
  const answers = await store.responses.listPrivateForConsent(author.id, c.event.eventId, new Date(now.getTime() - CONSENT_WINDOW_MS));
  const actions: KeyedAction[] = [];
  const to = new Set<string>();
  for (const answer of answers) {
    const problem = await store.problems.get(answer.problemId);
    const originator = problem ? await store.members.get(problem.originatorId) : null;
    if (!problem || !originator) continue;
    await store.responses.relayPrivate(answer.id, c.event.eventId, now);
    const invitation = await store.invitations.find(problem.id, author.id);
    if (invitation && invitation.status !== 'answered') await store.invitations.updateStatus(invitation.id, 'answered', now);
    await store.interactions.record({
      fromMemberId: author.id,
      toMemberId: originator.id,
      kind: 'answer',
      platform: problem.platform,
      mediated: true,
      problemId: problem.id,
      sourceEventId: answer.sourceEventId,
      occurredAt: answer.createdAt,
    });
    await advance(ctx, problem, 'response', `${author.displayName} answered privately; relayed with consent`, now, c.event.eventId);
    // Attributed by name, mentioning nobody: the thread sees who said it, no one is pinged.
    const body: RichText = [[{ bold: author.displayName }, ` answered privately: ${answer.text}`]];
    const key = `${problem.platform}:relay:${answer.id}`;
    const recipient = accountOn(originator, problem.platform);
    if (problem.containerId && problem.threadId) {
      actions.push({ key, action: { kind: 'post', platform: problem.platform, containerId: problem.containerId, threadId: problem.threadId, body } });
    } else if (recipient) {
      actions.push({ key, action: { kind: 'direct', platform: problem.platform, to: recipient, body } });
    }
    to.add(originator.displayName);
  }
  if (to.size === 0) {
    return [
      replyTo(
        c,
        textReply("I have nothing of yours waiting to be passed on. When I've asked you to help with a request, answer me here and I'll offer to pass it on."),
      ),
    ];
  }
  return [...actions, replyTo(c, textReply(`Passed on to ${[...to].join(' and ')} with your name. Thank you for helping!`))];
}
