// The concierge's entry point: `receive(event)` takes one platform-neutral event and does what
// it means: learn from the message, record who interacted with whom, run a command or a button
// press, take feedback. Decisions become keyed actions handed to the executor. Every step is
// idempotent, so the same event received twice (a replay after a crash) changes nothing more.
import { documentText } from '../engine/engine.js';
import { EDIT_ASKS_WITHIN_MINUTES, editMention } from './edit-mention.js';
import type { InboundContact, InboundEdit, InboundEvent, InboundMessage, InboundReaction, InboundRedaction } from '../inbound.js';
import type { Member, Problem } from '../store/index.js';
import type { DeliveryError, KeyedAction, OutboundAction } from './actions.js';
import type { AttentionSettings } from './attention.js';
import { createConsole, type ConciergeConsole } from './console.js';
import { failureNotices, heldNotices, isHeldForApproval } from './delivery-notices.js';
import { afterAction } from './mirror.js';
import { answerOfferByReaction, rememberOfferMessage } from '../identity/answers.js';
import { tick } from './schedule.js';
import { advance } from './advance.js';
import { handleCommand, solveProblem } from './command-handlers.js';
import { replyTo } from './command-reply.js';
import { parseCommand } from './commands.js';
import { dataRightsCommand } from './data-rights.js';
import { recordConnections } from './connections.js';
import { isBot, memberOf, type ConciergeContext } from './context.js';
import { handleHelpRequest } from './help-request.js';
import { applyMembership } from './membership.js';
import { offerRelay } from './private-answers.js';
import { notBefore, withBelievableTime } from './event-time.js';
import { stripBotMention, wordCount } from './mentions.js';
import { textReply } from './replies.js';

/** Reactions that say "this helped" (skin tones and variation selectors are ignored). */
const HELPFUL = new Set(['✅', '✔', '☑', '👍', '🙏', '+1', 'like', ':+1:', 'heart', '❤']);
const SOLVED = new Set(['✅', '✔', '☑']);
const normaliseKey = (key: string): string =>
  key
    .replace(/\uFE0F/g, '')
    .replace(/[\u{1F3FB}-\u{1F3FF}]/gu, '')
    .trim()
    .toLowerCase();

/** A reply "help with this" points at another message when the request itself is this short. */
const POINTING_WORDS = 6;

export class Concierge {
  constructor(private readonly ctx: ConciergeContext) {}

  /** The community team's console on the dashboard: what needs attention, and acting on it. */
  console(settings?: Partial<AttentionSettings>): ConciergeConsole {
    return createConsole(this.ctx, settings);
  }

  /** The time-driven steps (digests, stale requests, ignored invitations, follow-ups). */
  tick(now: Date = this.ctx.now()): Promise<void> {
    return tick(this.ctx, now);
  }

  /**
   * Follow-up once the executor performed an action: links a mirrored topic to its problem,
   * remembers a sent link offer, and tells the member when the platform holds the post for a moderator.
   */
  async afterAction(action: OutboundAction, result: unknown, key = ''): Promise<void> {
    await rememberOfferMessage(this.ctx, action, result);
    if (isHeldForApproval(result)) await this.ctx.submit(await heldNotices(this.ctx, action, key));
    return afterAction(this.ctx, action, result);
  }

  /** An action failed for good: the member waiting for it is told, never left guessing. */
  async afterFailure(action: OutboundAction, key: string, error: DeliveryError): Promise<void> {
    await this.ctx.submit(await failureNotices(this.ctx, action, key, error));
  }

  async receive(received: InboundEvent): Promise<void> {
    if (isBot(this.ctx, received.author)) return;
    const event = withBelievableTime(received, this.ctx.now());
    switch (event.kind) {
      case 'message':
        return this.#message(event);
      case 'edit':
        return this.#edit(event);
      case 'redaction':
        return this.#redaction(event);
      case 'reaction':
        return this.#reaction(event);
      case 'contact':
        return this.#contact(event);
      case 'membership':
        return applyMembership(this.ctx, event);
    }
  }

  async #message(e: InboundMessage): Promise<void> {
    const { store } = this.ctx;
    // my-data and forget-me are answered before the author is recorded (data-rights.ts).
    const rights = await dataRightsCommand(this.ctx, e);
    if (rights) return this.ctx.submit(rights);
    const author = await memberOf(this.ctx, e.author);
    const bot = this.ctx.bots.get(e.platform);
    const replied = e.replyToId ? await store.documents.find(e.platform, e.replyToId) : null;
    // A rich reply outside a thread continues the conversation of the message it answers.
    const threadId = !e.inThread && replied ? replied.threadId : e.threadId;
    const problem = await store.problems.findByThread(e.platform, threadId);
    // Answers in a mirror of the request (another platform's topic) were relayed by the bot.
    const mirrored = problem !== null && problem.platform !== e.platform;
    const invited = problem ? mirrored || (await store.invitations.find(problem.id, author.id)) !== null : false;
    const request = e.mentionsBot && bot ? stripBotMention(e.text, bot) : e.text;
    const addressed = e.mentionsBot || e.conversation === 'direct';
    const command = parseCommand(request, addressed);

    // First learn from what people say in the community's rooms (not from private chats, not
    // from commands, not from members who opted out). A problem's analysis excludes its own
    // thread, so learning the request first does not make it its own related topic.
    if (e.conversation === 'room' && !author.optedOut && (!command || command.name === 'help')) {
      const text = command?.name === 'help' ? command.problem : request;
      if (text.trim() !== '') await this.#learn(e, author, text, threadId);
    }

    await recordConnections(this.ctx, e, {
      author,
      repliedAuthorId: replied?.authorId ?? null,
      problem: problem && problem.originatorId !== author.id ? problem : null,
      invited,
    });
    if (problem && e.inThread && problem.originatorId !== author.id && !command) await this.#recordResponse(e, problem, author);

    const actions: KeyedAction[] = [];
    if (!e.historic && command) {
      const c = { event: e, author, threadId, problem };
      if (command.name === 'help' || (command.name === 'usage' && e.mentionsBot && request === '' && replied)) {
        actions.push(...(await this.#help(e, author, command.name === 'help' ? command.problem : '', replied, threadId)));
      } else if (command.name === 'unknown') {
        actions.push(
          replyTo(c, textReply(`I don't know the command "${command.word}". Say "!coagent help <your problem>", or "!coagent usage" for everything I can do.`)),
        );
      } else if (command.name === 'invalid') {
        actions.push(replyTo(c, textReply(command.reason)));
      } else {
        actions.push(...(await handleCommand(this.ctx, c, command)));
      }
    } else if (!e.historic && (e.mentionsBot || e.asksForHelp)) {
      actions.push(...(await this.#help(e, author, request, replied, threadId)));
    } else if (!e.historic && e.conversation === 'direct') {
      // Prose to the bot alone: an invited member answering privately.
      actions.push(...(await offerRelay(this.ctx, e, author)));
    }

    await this.ctx.submit(actions);
  }

  async #help(
    e: InboundMessage,
    presser: Member,
    request: string,
    replied: Awaited<ReturnType<ConciergeContext['store']['documents']['find']>>,
    threadId: string,
  ): Promise<KeyedAction[]> {
    // "@bot" (or "@bot can you help?") in reply to a message means: help with that message.
    const pointing = replied && wordCount(request) <= POINTING_WORDS;
    const originator = pointing && replied.authorId ? ((await this.ctx.store.members.get(replied.authorId)) ?? presser) : presser;
    const text = pointing ? [documentText(replied), request].filter((t) => t.trim()).join('\n\n') : documentText({ title: e.title, text: request });
    if (text.trim() === '') {
      return [
        replyTo(
          { event: e, threadId },
          textReply('How can I help? Tell me the problem in a sentence or two, e.g. "!coagent help how do we onboard remote hires?"'),
        ),
      ];
    }
    return handleHelpRequest(this.ctx, { event: e, originator, presser, text, threadId: pointing ? replied.threadId : threadId });
  }

  async #recordResponse(e: InboundMessage, problem: Problem, author: Member): Promise<void> {
    const { store } = this.ctx;
    const doc = await store.documents.find(e.platform, e.eventId);
    const at = notBefore(e.createdAt, problem.createdAt);
    await store.responses.record({
      problemId: problem.id,
      memberId: author.id,
      documentId: doc?.id ?? null,
      platform: e.platform,
      text: e.text,
      createdAt: at,
    });
    const invitation = await store.invitations.find(problem.id, author.id);
    if (invitation && invitation.status !== 'answered') await store.invitations.updateStatus(invitation.id, 'answered', at);
    await advance(this.ctx, problem, 'response', `${author.displayName} answered on ${e.platform}`, at, e.eventId);
  }

  async #learn(e: InboundMessage, author: Member, text: string, threadId: string): Promise<void> {
    const { store, engine } = this.ctx;
    const stored = await store.documents.upsert({
      platform: e.platform,
      externalId: e.eventId,
      threadId,
      containerId: e.containerId,
      replyToId: e.replyToId ?? null,
      kind: 'message',
      title: e.title ?? null,
      text,
      url: e.url ?? null,
      authorId: author.id,
      createdAt: e.createdAt,
    });
    if (!stored.created) return;
    await engine.addDocuments([
      {
        id: stored.id,
        platform: e.platform,
        threadId,
        kind: 'message',
        title: e.title,
        text,
        url: e.url,
        authorId: author.id,
        createdAt: e.createdAt,
        tags: [],
        accepted: false,
        score: 0,
      },
    ]);
  }

  async #edit(e: InboundEdit): Promise<void> {
    const { store, engine, logger } = this.ctx;
    const doc = await store.documents.find(e.platform, e.targetId);
    if (!doc || doc.deletedAt || doc.authorId === undefined) {
      // Never seen, never learned (a command, a private chat) or deleted: nothing to update.
      logger.info({ platform: e.platform, eventId: e.eventId, targetId: e.targetId }, 'edit of a message the bot has not learned; skipped');
      return;
    }
    // Only the author may edit.
    const author = await store.members.findByIdentity(e.author);
    if (!author || author.id !== doc.authorId || author.optedOut) return;
    const bot = this.ctx.bots.get(e.platform);
    const request = e.mentionsBot && bot ? stripBotMention(e.text, bot) : e.text;
    const title = e.title ?? doc.title;
    if (request.trim() !== '' && (request !== doc.text || title !== doc.title)) {
      await store.documents.upsert({
        platform: doc.platform,
        externalId: doc.externalId,
        threadId: doc.threadId,
        containerId: doc.containerId,
        replyToId: doc.replyToId,
        kind: doc.kind,
        title: title ?? null,
        text: request,
        url: doc.url ?? null,
        authorId: doc.authorId,
        createdAt: doc.createdAt,
      });
      engine.removeDocument(doc.id);
      await engine.addDocuments([{ ...doc, title, text: request }]);
    }
    // A mention added by an edit asks only soon after the message (edit-mention.ts).
    const asked = editMention(e, doc, request);
    if (asked.kind === 'too-old') {
      logger.info(
        { platform: e.platform, eventId: e.eventId, targetId: e.targetId, ageMinutes: asked.ageMinutes },
        `edit names the bot in a message older than ${EDIT_ASKS_WITHIN_MINUTES} minutes: learned, not answered`,
      );
    } else if (asked.kind === 'asks') {
      const m = asked.message;
      const replied = m.replyToId ? await store.documents.find(m.platform, m.replyToId) : null;
      await this.ctx.submit(await this.#help(m, author, request, replied, m.threadId));
    }
  }

  async #redaction(e: InboundRedaction): Promise<void> {
    const { store, engine } = this.ctx;
    const doc = await store.documents.find(e.platform, e.targetId);
    if (doc && !doc.deletedAt) {
      await store.documents.markDeleted(e.platform, e.targetId, e.createdAt);
      engine.removeDocument(doc.id);
    }
    // A request whose message was removed is closed: nobody should keep answering it.
    const problem = await store.problems.findBySourceEvent(e.platform, e.targetId);
    if (problem) await advance(this.ctx, problem, 'closed', 'the request was deleted', e.createdAt, e.eventId);
    if (!doc && !problem)
      this.ctx.logger.info(
        { platform: e.platform, eventId: e.eventId, targetId: e.targetId },
        'redaction of a message the bot has not learned; nothing to forget',
      );
  }

  /** Members talked privately (metadata only): direct contacts, never mediated. */
  async #contact(e: InboundContact): Promise<void> {
    const author = await memberOf(this.ctx, e.author);
    for (const actor of e.participants) {
      if (isBot(this.ctx, actor) || actor.externalId === e.author.externalId) continue;
      const other = await memberOf(this.ctx, actor);
      await this.ctx.store.interactions.record({
        fromMemberId: author.id,
        toMemberId: other.id,
        kind: 'direct-message',
        platform: e.platform,
        mediated: false,
        problemId: null,
        sourceEventId: e.eventId,
        occurredAt: e.createdAt,
      });
    }
  }

  async #reaction(e: InboundReaction): Promise<void> {
    const { store } = this.ctx;
    // A 👍 or 👎 on the bot's link offer answers it.
    if (await answerOfferByReaction(this.ctx, e)) return;
    const target = await store.documents.find(e.platform, e.targetId);
    if (!target || target.authorId === undefined) {
      // The bot's own messages, private chats, commands, or a message it never saw: a ✅ on
      // one of them solves nothing.
      this.ctx.logger.info({ platform: e.platform, eventId: e.eventId, targetId: e.targetId }, 'reaction to a message the bot has not learned; skipped');
      return;
    }
    const reactor = await memberOf(this.ctx, e.author);
    if (reactor.id === target.authorId) return;
    const problem = await store.problems.findByThread(e.platform, target.threadId);
    if (e.removed) {
      // A solution taken back (the forum's accepted answer unaccepted) opens the request again.
      if (problem && reactor.id === problem.originatorId && SOLVED.has(normaliseKey(e.key)) && problem.status === 'solved') {
        await advance(this.ctx, problem, 'reopened', `${e.key} taken back by the originator`, e.createdAt, e.eventId);
      }
      return;
    }
    const invited = problem ? (await store.invitations.find(problem.id, reactor.id)) !== null : false;
    await store.interactions.record({
      fromMemberId: reactor.id,
      toMemberId: target.authorId,
      kind: 'reaction',
      platform: e.platform,
      mediated: invited,
      problemId: problem?.id ?? null,
      sourceEventId: e.eventId,
      occurredAt: e.createdAt,
    });
    const key = normaliseKey(e.key);
    if (!problem || reactor.id !== problem.originatorId || !HELPFUL.has(key)) return;

    // The originator says an answer helped: that is feedback for its author.
    const { value: response } = await store.responses.record({
      problemId: problem.id,
      memberId: target.authorId,
      documentId: target.id,
      platform: e.platform,
      text: target.text,
      createdAt: target.createdAt,
    });
    await store.feedback.record({
      problemId: problem.id,
      responseId: response.id,
      fromMemberId: reactor.id,
      toMemberId: target.authorId,
      kind: 'reaction',
      sourceEventId: e.eventId,
      createdAt: e.createdAt,
    });
    if (SOLVED.has(key) && problem.status !== 'solved' && problem.status !== 'closed') {
      const body = await solveProblem(this.ctx, problem, e.eventId, e.createdAt, `${e.key} on an answer from the originator`);
      await this.ctx.submit([
        {
          key: `${e.platform}:${e.eventId}:solved`,
          action: { kind: 'post', platform: e.platform, containerId: e.containerId, threadId: problem.threadId ?? target.threadId, body },
        },
      ]);
    }
  }
}
