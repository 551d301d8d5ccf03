// The typed Discourse API client the bridge uses. Request bodies and responses are the generated
// spec types (types.ts); every call takes a slot of the shared budget at the client's priority
// (budget.ts), runs in the retry loop (retry.ts) and fails with a DiscourseApiError (errors.ts).
// Writes that create posts carry an idempotency marker and look for an earlier attempt's post
// before re-sending (marker.ts, idempotency.ts), but only when one may already have gone out.
import type { Logger } from '../../../core/logging.js';
import type { Priority, RequestBudget } from './budget.js';
import { DiscourseApiError } from './errors.js';
import { DiscourseTransport, type ApiRequest, type Method, type PathWith, type ResponseOf, type Send } from './http.js';
import { DEFAULT_LOOKUP_LIMITS, findPrivateMessage, findReply, findTopic, type LookupContext, type LookupLimits } from './idempotency.js';
import { DISCOURSE_MAX_RAW_LENGTH, withMarker } from './marker.js';
import { DEFAULT_RETRY_POLICY, SINGLE_TRY, realSleep, withRetry, type RetryPolicy } from './retry.js';
import {
  POST_ACTION_LIKE,
  USER_ACTION_LIKE,
  type CategoryList,
  type CreatePostBody,
  type CreatedPost,
  type EnqueuedPost,
  type InviteToTopicBody,
  type InviteToTopicResult,
  type LatestPosts,
  type LatestTopics,
  type Post,
  type PostActionBody,
  type PostActionResult,
  type PrivateMessageList,
  type SentPrivateMessageList,
  type Site,
  type SiteBasicInfo,
  type TagList,
  type TopicPosts,
  type TopicView,
  type TopicViewPost,
  type UpdateTopicBody,
  type UpdatedTopic,
  type User,
  type UserActions,
  type UserEmails,
} from './types.js';

export const DEFAULT_TIMEOUT_MS = 15_000;

export interface DiscourseClientOptions {
  /** e.g. https://forum.example.org (no trailing path needed). */
  baseUrl: string;
  /** The caller reads these from the environment (DISCOURSE_API_KEY / DISCOURSE_API_USERNAME). */
  apiKey: string;
  apiUsername: string;
  /** Per request; default 15 s. */
  timeoutMs?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  lookup?: Partial<LookupLimits> | undefined;
  /** The forum's `max_post_length` if it differs from Discourse's default 32,000. */
  maxRawLength?: number | undefined;
  logger?: Logger | undefined;
  /** Injectable for tests: waits without real time, jitter without randomness. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  random?: (() => number) | undefined;
  /** The budget every request of this client (and its views) takes a slot of. */
  budget?: RequestBudget | undefined;
  /** Who waits for this client's calls (default catch-up); see withPriority(). */
  priority?: Priority | undefined;
}

/** Discourse's own client asks for at most this many post ids per /t/{id}/posts.json. */
export const POST_IDS_PER_REQUEST = 20;

/** Options shared by the writes that create a post. */
export interface WriteOptions {
  /** Stable across retries and restarts (the executor's action key). */
  idempotencyKey: string;
  /**
   * Set when an earlier run may already have sent this write (resuming after a crash): the
   * client looks for the post before the first attempt, not only after ambiguous failures.
   */
  mayExist?: boolean | undefined;
}

export interface CreatePostInput extends WriteOptions {
  topicId: number;
  raw: string;
  replyToPostNumber?: number | undefined;
}

export interface CreateTopicInput extends WriteOptions {
  title: string;
  raw: string;
  category: number;
  tags?: readonly string[] | undefined;
}

export interface PrivateMessageInput extends WriteOptions {
  title: string;
  raw: string;
  recipients: readonly string[];
}

/**
 * What a write returns: the post it created, the post an earlier attempt had already created
 * (found by its marker), or a post the forum holds for a moderator's approval (not a post yet).
 */
export type WriteResult = { created: true; post: CreatedPost } | { created: false; post: Post } | { enqueued: true; pendingPostId: number };

export type PostedResult = Exclude<WriteResult, { enqueued: true }>;

/** Whether the write made (or found) a post, rather than one held for approval. */
export const isPosted = (result: WriteResult): result is PostedResult => 'post' in result;

/**
 * POST /posts.json also takes `tags` for a new topic (Discourse's PostsController passes it to
 * the topic creator); the spec body omits it, so it is added here.
 */
type CreateTopicBody = CreatePostBody & { tags?: string[] };

export class DiscourseClient {
  readonly username: string;
  private readonly options: DiscourseClientOptions;
  private readonly transport: DiscourseTransport;
  private readonly policy: RetryPolicy;
  private readonly limits: LookupLimits;

  readonly priority: Priority;

  constructor(options: DiscourseClientOptions, transport?: DiscourseTransport) {
    if (options.apiKey === '' || options.apiUsername === '') throw new TypeError('Discourse apiKey and apiUsername are required');
    this.options = options;
    this.username = options.apiUsername;
    this.priority = options.priority ?? 'catch-up';
    this.transport =
      transport ??
      new DiscourseTransport({
        baseUrl: options.baseUrl,
        apiKey: options.apiKey,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        budget: options.budget,
      });
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.limits = { ...DEFAULT_LOOKUP_LIMITS, ...options.lookup };
  }

  /**
   * The same client acting as another user (admin keys may set any Api-Username), e.g. to like
   * or reply as a member's delegate. Shares the connection settings.
   */
  actAs(username: string): DiscourseClient {
    return new DiscourseClient({ ...this.options, apiUsername: username }, this.transport);
  }

  /** The same client whose calls wait at another priority (replies, catch-up, backfill). */
  withPriority(priority: Priority): DiscourseClient {
    return new DiscourseClient({ ...this.options, priority }, this.transport);
  }

  /**
   * The same client making one try per call (lookups before a write included): for a caller that
   * owns the retrying itself, as the executor does for its actions (core/retry.ts).
   */
  singleTry(): DiscourseClient {
    return new DiscourseClient({ ...this.options, retry: { ...this.options.retry, ...SINGLE_TRY } }, this.transport);
  }

  /** Requests sent and 429s received through this client's transport (shared by its views). */
  get counts(): Readonly<{ sent: number; rateLimited: number }> {
    return this.transport.counts;
  }

  /** Why the forum's last answer was not usable, if it was not (readiness). */
  get connectionProblem(): string | undefined {
    return this.transport.connectionProblem;
  }

  // --- reads ----------------------------------------------------------------------------------

  siteBasicInfo(): Promise<SiteBasicInfo> {
    return this.call({ method: 'get', path: '/site/basic-info.json' });
  }

  /** Site settings the bridge needs, with every category (including subcategories). */
  site(): Promise<Site> {
    return this.call({ method: 'get', path: '/site.json' });
  }

  categories(options: { includeSubcategories?: boolean } = {}): Promise<CategoryList> {
    return this.call({ method: 'get', path: '/categories.json', query: { include_subcategories: options.includeSubcategories } });
  }

  tags(): Promise<TagList> {
    return this.call({ method: 'get', path: '/tags.json' });
  }

  /**
   * Newest-bumped topics. `page` (0-based) is not in the spec's parameter list but is how
   * Discourse paginates topic lists (its `more_topics_url` carries it).
   */
  latestTopics(options: { page?: number; perPage?: number } = {}): Promise<LatestTopics> {
    return this.call({ method: 'get', path: '/latest.json', query: { page: options.page, per_page: options.perPage } });
  }

  /**
   * A topic with its first chunk of posts and `post_stream.stream`, the ids of all its posts
   * (absent for mega topics). `includeRaw` adds each post's Markdown.
   */
  async topic(id: number, options: { includeRaw?: boolean } = {}): Promise<TopicView> {
    const view = await this.call({ method: 'get', path: '/t/{id}.json', params: { id }, query: { include_raw: options.includeRaw ? 'true' : undefined } });
    return view as unknown as TopicView;
  }

  /**
   * Specific posts of a topic, e.g. the ones `topic().post_stream.stream` listed but didn't
   * load, POST_IDS_PER_REQUEST ids per request as Discourse's own client asks.
   */
  async topicPosts(id: number, postIds: readonly number[], options: { includeRaw?: boolean } = {}): Promise<TopicViewPost[]> {
    const posts: TopicViewPost[] = [];
    for (let at = 0; at < postIds.length; at += POST_IDS_PER_REQUEST) {
      const page: TopicPosts = await this.call({
        method: 'get',
        path: '/t/{id}/posts.json',
        params: { id },
        query: { 'post_ids[]': postIds.slice(at, at + POST_IDS_PER_REQUEST), include_raw: options.includeRaw ? 'true' : undefined },
      });
      posts.push(...((page.post_stream?.posts ?? []) as TopicViewPost[]));
    }
    return posts;
  }

  /**
   * Site-wide posts, newest first, with raw. For catch-up polling: pass `before` = the lowest id
   * of the previous page to go further back; stop at the last post id already seen.
   */
  latestPosts(options: { before?: number } = {}): Promise<LatestPosts> {
    return this.call({ method: 'get', path: '/posts.json', query: { before: options.before } });
  }

  post(id: number): Promise<Post> {
    return this.call({ method: 'get', path: '/posts/{id}.json', params: { id } });
  }

  user(username: string): Promise<User> {
    return this.call({ method: 'get', path: '/u/{username}.json', params: { username } });
  }

  /** An account's e-mail addresses: staff only (an admin key); Discourse logs each look-up as a staff action. */
  userEmails(username: string): Promise<UserEmails> {
    return this.call({ method: 'get', path: '/u/{username}/emails.json', params: { username } });
  }

  /**
   * Messages in `username`'s inbox, most recently active first, 30 a page (admin keys can read
   * anyone's: contact metadata). `page` is how Discourse pages topic lists (its more_topics_url).
   */
  listPrivateMessages(username: string, page = 0): Promise<PrivateMessageList> {
    return this.call({ method: 'get', path: '/topics/private-messages/{username}.json', params: { username }, query: { page: page > 0 ? page : undefined } });
  }

  /** Likes `username` gave, newest first (GET /user_actions.json, filter 1). */
  likesGivenBy(username: string): Promise<UserActions> {
    return this.call({ method: 'get', path: '/user_actions.json', query: { username, filter: USER_ACTION_LIKE, offset: 0 } });
  }

  listSentPrivateMessages(username: string): Promise<SentPrivateMessageList> {
    return this.call({ method: 'get', path: '/topics/private-messages-sent/{username}.json', params: { username } });
  }

  // --- writes that create posts (idempotent via the marker) -----------------------------------

  async createPost(input: CreatePostInput): Promise<WriteResult> {
    const body: CreatePostBody = {
      topic_id: input.topicId,
      raw: this.mark(input.raw, input.idempotencyKey),
      ...(input.replyToPostNumber !== undefined ? { reply_to_post_number: input.replyToPostNumber } : {}),
    };
    return this.write(body, input, (ctx) => findReply(ctx, input.topicId));
  }

  async createTopic(input: CreateTopicInput): Promise<WriteResult> {
    const body: CreateTopicBody = {
      title: input.title,
      raw: this.mark(input.raw, input.idempotencyKey),
      category: input.category,
      ...(input.tags !== undefined && input.tags.length > 0 ? { tags: [...input.tags] } : {}),
    };
    return this.write(body, input, (ctx) => findTopic(ctx));
  }

  async sendPrivateMessage(input: PrivateMessageInput): Promise<WriteResult> {
    if (input.recipients.length === 0) throw new TypeError('a private message needs at least one recipient');
    if (input.recipients.some((r) => r.includes(',') || r.trim() === '')) throw new TypeError('recipient names must be non-empty and contain no commas');
    const body: CreatePostBody = {
      title: input.title,
      raw: this.mark(input.raw, input.idempotencyKey),
      archetype: 'private_message',
      // The spec's field is one comma-separated string.
      target_recipients: input.recipients.join(','),
    };
    return this.write(body, input, (ctx) => findPrivateMessage(ctx));
  }

  // --- other writes (repeating them is harmless, so no marker) --------------------------------

  inviteToTopic(topicId: number, username: string): Promise<InviteToTopicResult> {
    const body: InviteToTopicBody = { user: username };
    return this.call({ method: 'post', path: '/t/{id}/invite.json', params: { id: topicId }, body });
  }

  /** Replaces the topic's tags (an empty list removes them all); the answer lists the tags kept. */
  async updateTopicTags(topicId: number, tags: readonly string[]): Promise<UpdatedTopic> {
    const body: UpdateTopicBody = { tags: [...tags] };
    return (await this.call({ method: 'put', path: '/t/-/{id}.json', params: { id: topicId }, body })) as UpdatedTopic;
  }

  likePost(postId: number): Promise<PostActionResult> {
    const body: PostActionBody = { id: postId, post_action_type_id: POST_ACTION_LIKE };
    return this.call({ method: 'post', path: '/post_actions.json', body });
  }

  // --- plumbing -------------------------------------------------------------------------------

  private mark(raw: string, key: string): string {
    return withMarker(raw, key, this.options.maxRawLength ?? DISCOURSE_MAX_RAW_LENGTH);
  }

  /** Sends once, as this client's user, at its priority. */
  private readonly once: Send = (request) => this.transport.send({ ...request, username: this.username, priority: this.priority });

  /** One request in the retry loop. */
  private call<M extends Method, P extends PathWith<M>>(request: Omit<ApiRequest<M, P>, 'username'>): Promise<ResponseOf<M, P>> {
    const full = { ...request, username: this.username, priority: this.priority } as ApiRequest<M, P>;
    return withRetry(() => this.transport.send(full), this.policy, this.retryDeps());
  }

  /** POST /posts.json with the duplicate check wired into the retry loop. */
  private async write(body: CreatePostBody, options: WriteOptions, find: (ctx: LookupContext) => Promise<Post | undefined>): Promise<WriteResult> {
    const ctx: LookupContext = { send: this.once, username: this.username, key: options.idempotencyKey, limits: this.limits };
    return withRetry<WriteResult>(
      async () => {
        const answer: unknown = await this.once({ method: 'post', path: '/posts.json', body, username: this.username });
        // A post held for approval is not a post yet: say so, never pass it off as created.
        const held = answer as Partial<EnqueuedPost>;
        if (held.action === 'enqueued' && typeof held.pending_post?.id === 'number') return { enqueued: true, pendingPostId: held.pending_post.id };
        return { created: true, post: answer as CreatedPost };
      },
      this.policy,
      this.retryDeps(),
      {
        checkFirst: options.mayExist === true,
        findExisting: async () => {
          const post = await find(ctx);
          if (post === undefined) return undefined;
          this.options.logger?.info({ postId: post.id, topicId: post.topic_id }, 'discourse: found the post of an earlier attempt, not posting again');
          return { created: false, post };
        },
      },
    );
  }

  private retryDeps() {
    const logger = this.options.logger;
    return {
      sleep: this.options.sleep ?? realSleep,
      random: this.options.random ?? Math.random,
      // Only fields chosen here are logged, never the request: its headers hold the key.
      onRetry: (error: DiscourseApiError, attempt: number, delayMs: number) =>
        logger?.warn(
          { method: error.method, path: error.path, status: error.status, code: error.code, errorType: error.errorType, attempt, delayMs },
          `discourse: ${error.message}; retrying in ${delayMs} ms`,
        ),
    };
  }
}
