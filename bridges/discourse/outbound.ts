// The forum side of the executor: replies in topics, private messages, topic invitations and
// tags. New posts carry the outbox key as a hidden marker, and the client looks for it before
// posting again, so a retry after a crash or a timeout never posts twice.
import type { DeliveryError, OutboundAction, PlatformOutbound } from '../../core/concierge/actions.js';
import type { Logger } from '../../core/logging.js';
import { err, ok, type Result } from '../../core/types.js';
import { DiscourseApiError, describeDiscourseError, type DiscourseClient } from './api/index.js';
import { renderMarkdown } from './render.js';

export interface ForumResult {
  url?: string;
  topicId?: number;
  postId?: number;
  postNumber?: number;
}

const postNumberOf = (ref: string | undefined): number | undefined => {
  const n = ref ? Number(ref.split('/')[1]) : NaN;
  return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};

export class DiscourseOutbound implements PlatformOutbound {
  readonly platform = 'discourse' as const;

  constructor(
    private readonly client: DiscourseClient,
    private readonly logger: Logger,
    private readonly baseUrl: string,
    /** Category for mirrored topics (resolved at start). */
    private readonly mirrorCategory: () => number | undefined = () => undefined,
  ) {}

  async perform(action: OutboundAction, key: string): Promise<Result<ForumResult, DeliveryError>> {
    try {
      switch (action.kind) {
        case 'post': {
          const replyTo = postNumberOf(action.replyToId);
          const { post } = await this.client.createPost({
            topicId: Number(action.containerId),
            raw: renderMarkdown(action.body),
            ...(replyTo && replyTo > 1 ? { replyToPostNumber: replyTo } : {}),
            idempotencyKey: key,
            // An earlier attempt may have posted before failing: look before posting.
            mayExist: true,
          });
          return ok({ topicId: post.topic_id, postId: post.id, postNumber: post.post_number });
        }
        case 'direct': {
          const { post } = await this.client.sendPrivateMessage({
            title: action.title ?? 'Co-Agent: a member could use your help',
            raw: renderMarkdown(action.body),
            recipients: [action.to.externalId],
            idempotencyKey: key,
            mayExist: true,
          });
          return ok({ topicId: post.topic_id, postId: post.id, postNumber: post.post_number });
        }
        case 'invite':
          await this.client.inviteToTopic(Number(action.containerId), action.to.externalId).catch((error: unknown) => {
            // Inviting someone who is already in the topic is not a failure.
            if (error instanceof DiscourseApiError && error.status === 422) return undefined;
            throw error;
          });
          return ok({ topicId: Number(action.containerId) });
        case 'create-topic': {
          const { post } = await this.client.createTopic({
            title: action.title,
            raw: renderMarkdown(action.body),
            category: this.mirrorCategory() ?? 1,
            idempotencyKey: key,
            mayExist: true,
          });
          return ok({ topicId: post.topic_id, postId: post.id, postNumber: post.post_number, url: `${this.baseUrl.replace(/\/$/, '')}/t/${post.topic_slug ?? '-'}/${post.topic_id}` });
        }
        case 'open-room': {
          // A private message to both is the forum's small room.
          const { post } = await this.client.sendPrivateMessage({
            title: action.name, raw: renderMarkdown(action.body), recipients: action.with.map((a) => a.externalId), idempotencyKey: key, mayExist: true,
          });
          return ok({ topicId: post.topic_id, postId: post.id });
        }
        case 'set-tags': {
          const topic = await this.client.topic(Number(action.containerId));
          const existing = (topic.tags ?? []).map((t) => (typeof t === 'string' ? t : String((t as { name?: unknown }).name ?? ''))).filter(Boolean);
          const tags = [...new Set([...existing, ...action.tags])];
          if (tags.length > existing.length) await this.client.updateTopicTags(Number(action.containerId), tags);
          return ok({ topicId: Number(action.containerId) });
        }
      }
    } catch (error) {
      const d = describeDiscourseError(error);
      this.logger.warn({ key, kind: action.kind, error: d.message }, 'Discourse call failed');
      return err(d);
    }
  }
}
