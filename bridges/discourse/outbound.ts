// The forum side of the executor: replies in topics, private messages, invitations into private
// messages, new topics and tags, made to pass a stock forum's rules (20 visible characters, a
// title of 15 that is not taken, at most 5 tags, lower-case and 20 characters each). Every
// refusal gets a precise log line and comes back as a failure with the forum's own words; a post
// held for approval comes back as held, never as posted. New posts carry the outbox key as a
// hidden marker; only when an earlier attempt may have gone out (noted in the store before
// sending) does the client look for it before posting again. Each perform is one try: the
// executor retries, with the wait the forum names on a 429.
import type { DeliveryError, OutboundAction, PlatformOutbound } from '../../core/concierge/actions.js';
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { err, ok, type Result } from '../../core/types.js';
import { isPosted, type DiscourseClient, type WriteResult } from './api/index.js';
import { rememberAccess } from './pm-access.js';
import { describeRefusal, refusalOf } from './refusals.js';
import { renderMarkdown } from './render.js';
import { fitTitle, fitBody, forumTagName, STOCK_MAX_TAGS } from './stock-limits.js';

export interface ForumResult {
  url?: string;
  topicId?: number;
  postId?: number;
  postNumber?: number;
  /** The forum holds the post for a moderator: nobody sees it yet. */
  heldForApproval?: boolean;
  pendingPostId?: number;
}

const postNumberOf = (ref: string | undefined): number | undefined => {
  const n = ref ? Number(ref.split('/')[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

export interface OutboundOptions {
  /** At reply priority: a member is waiting for these. */
  client: DiscourseClient;
  store: Store;
  logger: Logger;
  baseUrl: string;
  /** Category for mirrored topics (resolved at start). */
  mirrorCategory: () => number | undefined;
}

export class DiscourseOutbound implements PlatformOutbound {
  readonly platform = 'discourse' as const;
  readonly #o: OutboundOptions;

  constructor(options: OutboundOptions) {
    // The executor owns retrying actions (core/retry.ts): one try per perform here, so a write is
    // not retried again inside each of the executor's tries.
    this.#o = { ...options, client: options.client.singleTry() };
  }

  async perform(action: OutboundAction, key: string): Promise<Result<ForumResult, DeliveryError>> {
    try {
      return ok(await this.#perform(action, key));
    } catch (error) {
      const refusal = refusalOf(error);
      const where = 'containerId' in action ? ` in topic ${action.containerId}` : '';
      this.#o.logger.warn({ key, kind: action.kind, refusal: refusal.kind, retryable: refusal.retryable }, describeRefusal(`${action.kind}${where}`, refusal));
      return err({
        message: describeRefusal(action.kind, refusal),
        retryable: refusal.retryable,
        retryAfterMs: refusal.retryAfterMs,
        reason: refusal.forumSays,
      });
    }
  }

  async #perform(action: OutboundAction, key: string): Promise<ForumResult> {
    const { client } = this.#o;
    switch (action.kind) {
      case 'post': {
        const replyTo = postNumberOf(action.replyToId);
        const raw = fitBody(renderMarkdown(action.body));
        return this.#written(
          key,
          await client.createPost({
            topicId: Number(action.containerId),
            raw,
            ...(replyTo && replyTo > 1 ? { replyToPostNumber: replyTo } : {}),
            idempotencyKey: key,
            mayExist: await this.#mayHaveSent(key),
          }),
        );
      }
      case 'direct':
        return this.#privateMessage(key, action.title ?? 'Co-Agent: a member could use your help', renderMarkdown(action.body), [action.to.externalId]);
      case 'open-room':
        // A private message to both is the forum's small room.
        return this.#privateMessage(
          key,
          action.name,
          renderMarkdown(action.body),
          action.with.map((a) => a.externalId),
        );
      case 'invite':
        // Discourse takes topic invitations for private messages only (topic_invite.not_pm); a refusal is a failure.
        await client.inviteToTopic(Number(action.containerId), action.to.externalId);
        return { topicId: Number(action.containerId) };
      case 'create-topic':
        return this.#createTopic(action, key);
      case 'set-tags':
        return this.#setTags(Number(action.containerId), action.tags, key);
    }
  }

  async #privateMessage(key: string, title: string, body: string, recipients: string[]): Promise<ForumResult> {
    const written = await this.#o.client.sendPrivateMessage({
      title,
      raw: fitBody(body),
      recipients,
      idempotencyKey: key,
      mayExist: await this.#mayHaveSent(key),
    });
    const result = this.#written(key, written);
    // The bot is a recipient of its own messages: their replies may be read and kept.
    if (result.topicId !== undefined) await rememberAccess(this.#o.store, result.topicId, { bot: true, members: recipients.map((r) => r.toLowerCase()) });
    return result;
  }

  async #createTopic(action: Extract<OutboundAction, { kind: 'create-topic' }>, key: string): Promise<ForumResult> {
    const category = this.#o.mirrorCategory();
    // The config requires a category for mirroring; Uncategorized is refused on a stock forum.
    if (category === undefined) throw new Error('no category for mirrored topics (discourse.mirrorCategory)');
    const raw = fitBody(renderMarkdown(action.body));
    const create = async (title: string, mayExist: boolean) =>
      this.#o.client.createTopic({ title: fitTitle(title), raw, category, idempotencyKey: key, mayExist });
    let written: WriteResult;
    try {
      written = await create(action.title, await this.#mayHaveSent(key));
    } catch (error) {
      // Titles are unique on a stock forum: the same question asked twice gets the request number.
      if (refusalOf(error).kind !== 'title-taken' || action.problemId === undefined) throw error;
      this.#o.logger.info({ key }, `a topic titled "${fitTitle(action.title)}" exists: posting as request ${action.problemId}`);
      written = await create(`${fitTitle(action.title)} (request ${action.problemId})`, false);
    }
    const result = this.#written(key, written);
    const slug = isPosted(written) ? (written.post.topic_slug ?? '-') : '-';
    return result.topicId === undefined ? result : { ...result, url: `${this.#o.baseUrl.replace(/\/$/, '')}/t/${slug}/${result.topicId}` };
  }

  /** Adds tags the forum's way: cleaned, merged with the topic's, at most STOCK_MAX_TAGS; says what it dropped. */
  async #setTags(topicId: number, wanted: readonly string[], key: string): Promise<ForumResult> {
    const topic = await this.#o.client.topic(topicId);
    const existing = (topic.tags ?? []).map((t) => (typeof t === 'string' ? t : String((t as { name?: unknown }).name ?? ''))).filter(Boolean);
    const room = Math.max(0, STOCK_MAX_TAGS - existing.length);
    const added = [...new Set(wanted.map(forumTagName).filter((t) => t !== '' && !existing.includes(t)))];
    const tags = [...existing, ...added.slice(0, room)];
    if (added.length > room)
      this.#o.logger.info({ key, topicId, left: added.slice(room) }, `the topic keeps at most ${STOCK_MAX_TAGS} tags: some suggested tags were not added`);
    if (tags.length === existing.length) return { topicId };
    const updated = await this.#o.client.updateTopicTags(topicId, tags);
    const kept = new Set((updated.tags ?? []).map((t) => t.name));
    const dropped = updated.tags ? tags.filter((t) => !kept.has(t)) : [];
    // A stock forum silently drops tags the bot may not create: say so, it is not a success.
    if (dropped.length > 0)
      this.#o.logger.warn({ key, topicId, dropped }, 'the forum dropped tags that do not exist there (create them, or let the bot create tags)');
    return { topicId };
  }

  /** The durable note that this action may already have reached the forum. */
  async #mayHaveSent(key: string): Promise<boolean> {
    const note = `sent:${key}`;
    if (await this.#o.store.events.isProcessed('discourse', note)) return true;
    await this.#o.store.events.markProcessed('discourse', note);
    return false;
  }

  #written(key: string, written: WriteResult): ForumResult {
    if (!isPosted(written)) {
      this.#o.logger.warn({ key, pendingPostId: written.pendingPostId }, "Discourse holds the post for a moderator's approval: it is not visible yet");
      return { heldForApproval: true, pendingPostId: written.pendingPostId };
    }
    const { post } = written;
    return { topicId: post.topic_id, postId: post.id, postNumber: post.post_number };
  }
}
