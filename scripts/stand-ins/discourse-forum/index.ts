// A Discourse forum on loopback for end-to-end tests and the sandbox, with a stock forum's
// default rules: the bot talks to it over HTTP (REST API + signed webhooks) while the test
// drives and inspects it in-process. See README.md.
import { instrumentation } from '../http/instrumentation.js';
import { forumTime } from './forum-time.js';
import { SlidingWindowLimiter } from './rate-limiter.js';
import { buildRoutes } from './routes.js';
// schemas.ts needs ajv, a dev dependency: loaded only when validating (tests), never by the sandbox.
import type { SpecValidator } from './schemas.js';
import { basicUser, Serializers } from './serializers.js';
import { startHttpServer, type Fault, type FaultResponse, type RequestLogEntry, type RequestMatch, type Stall } from './server.js';
import { ADMIN_API_REQS_PER_MINUTE, MEGA_TOPIC_POSTS, STOCK_SITE_SETTINGS, WEBHOOK_RETRY_MINUTES, type SiteSettings } from './site-settings.js';
import {
  ForumState,
  type CategoryOptions,
  type ForumEvent,
  type Invitation,
  type NotificationRecord,
  type PendingPostRecord,
  type PostRecord,
  type TopicRecord,
  type UserRecord,
} from './state.js';
import { WebhookDispatcher, type Delivery } from './webhooks.js';

export {
  ForumError,
  type CategoryOptions,
  type ForumEvent,
  type Invitation,
  type NotificationRecord,
  type PendingPostRecord,
  type PostRecord,
  type TopicRecord,
  type UserRecord,
} from './state.js';
export { ADMIN_API_REQS_PER_MINUTE, MEGA_TOPIC_POSTS, STOCK_SITE_SETTINGS, WEBHOOK_RETRY_MINUTES, type SiteSettings } from './site-settings.js';
export type { Delivery } from './webhooks.js';
export { sign } from './webhooks.js';
export type { FaultResponse, RequestLogEntry, RequestMatch } from './server.js';
export type { SpecValidator } from './schemas.js';
export { ADMIN_API_LIMIT_CODE, RATE_LIMIT_BODY } from './server.js';

export interface FakeForumOptions {
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Check requests, responses and webhook bodies against the spec's schemas. Default true. */
  validate?: boolean;
  /** Site title (/site/basic-info.json). Default 'Fake Forum'. */
  title?: string;
  /** First topic, post and webhook event id (default 1): a forum that must not reuse ids a client has seen. */
  firstContentId?: number;
  /**
   * Every duration in the forum's rules (the API limit's minute, 5 s between posts, webhook
   * retries after 1-125 minutes, a day of topics) times this: 1 (default) is real time; tests
   * use e.g. 0.01 to run the same rules 100 times faster.
   */
  timeScale?: number;
  /** Site settings that differ from a stock forum's (a test that loosens one says why). */
  siteSettings?: Partial<SiteSettings>;
  /** Requests with an API key allowed per (scaled) minute, site-wide (DISCOURSE_MAX_ADMIN_API_REQS_PER_MINUTE; default 60). */
  adminApiRequestsPerMinute?: number;
  /** Posts from which a topic counts as a mega topic (no post_stream.stream). Default 10,000, as in Discourse. */
  megaTopicPosts?: number;
  /** Per-attempt webhook timeout. Default 5000 ms. */
  webhookTimeoutMs?: number;
  /** Path of openapi.json (default $DISCOURSE_SPEC_FILE or ../shared/specs/discourse/openapi.json beside the project). */
  specFile?: string;
}

export interface FakeForum {
  url: string;
  close(): Promise<void>;
  /** An all-users admin API key: acts as whatever Api-Username says. */
  adminApiKey: string;
  /** Creates a user with its own single-user API key. */
  createUser(
    username: string,
    opts?: { name?: string; admin?: boolean; moderator?: boolean; trustLevel?: number; email?: string },
  ): { id: number; username: string; apiKey: string };
  /** A category (a subcategory with `parent`); returns its id. */
  createCategory(name: string, opts?: CategoryOptions): number;
  /** Creates a tag; returns the name the forum stored (lower-cased, cut to max_tag_length). */
  createTag(name: string): string;
  /**
   * A member's new topic. With `createdAt` it is imported history: dated, and exempt from the
   * per-member rate limits (as Discourse's import scripts are). Throws if it is held for approval.
   */
  createTopic(
    username: string,
    opts: { title: string; raw: string; category?: number; tags?: string[]; createdAt?: Date },
  ): { topicId: number; postId: number };
  /** A reply (same rules; `createdAt` as for topics). Throws if it is held for approval. */
  reply(username: string, topicId: number, raw: string, opts?: { replyToPostNumber?: number; createdAt?: Date }): { postId: number; postNumber: number };
  sendPrivateMessage(from: string, to: string[], title: string, raw: string): { topicId: number; postId: number };
  editPost(username: string, postId: number, raw: string, editReason?: string): void;
  /** Edits the first post and the title in one save: Discourse sends only topic_edited. */
  editFirstPostAndTitle(username: string, topicId: number, title: string, raw: string): void;
  deletePost(username: string, postId: number): void;
  deleteTopic(username: string, topicId: number): void;
  updateTopic(username: string, topicId: number, changes: { title?: string; categoryId?: number; tags?: string[] }): void;
  like(username: string, postId: number): void;
  acceptAnswer(username: string, postId: number): void;
  unacceptAnswer(username: string, postId: number): void;
  /** Posts held for approval (approve_unless_trust_level, category approval settings). */
  pendingPosts(): PendingPostRecord[];
  /** A moderator approves a held post: it becomes a post (and post_created is sent). */
  approvePending(pendingId: number): { postId: number; topicId: number };
  invite(by: string, topicId: number, username: string): void;
  /** Registers a webhook; returns its id. `events`: types ('post') or names ('post_created'); default all. */
  addWebhook(opts: { url: string; secret: string; events?: string[] }): number;
  /** Sends Discourse's ping event ({"ping":"OK"}) to one webhook. */
  pingWebhook(webhookId: number): void;
  /** Every delivery (one per event and webhook; retries are attempts of the same delivery). */
  deliveries: Delivery[];
  /** Re-sends the attempt that carried this X-Discourse-Event-Id, with the same id and body. */
  redeliver(eventId: number): Promise<void>;
  /** Holds deliveries (receiver downtime); events still queue, in order. */
  pauseWebhooks(): void;
  /** Releases held deliveries and resolves once they are all done. */
  resumeWebhooks(): Promise<void>;
  /** Resolves when no delivery is being sent or queued (held ones don't count while paused). */
  settle(): Promise<void>;
  /** The next `times` requests matching get `response` instead (or are delayed, without `status`). */
  failNext(match: RequestMatch, response: FaultResponse, times?: number): void;
  /** The next matching request takes effect but is never answered; resolves when its effects are done. */
  stallNext(match: RequestMatch): Promise<void>;
  /** Every request: method, decoded path without query, status, acting username. */
  requests: RequestLogEntry[];
  /** Posts (of a topic, or all) in id order, deleted ones included (see deletedAt). */
  posts(topicId?: number): PostRecord[];
  topic(id: number): TopicRecord | undefined;
  user(username: string): UserRecord | undefined;
  invitations: Invitation[];
  notifications(username: string): NotificationRecord[];
  /** Schema violations (`where: pointer message`), also written to stderr. Tests assert it is empty. */
  violations: string[];
  /** The site settings in force. */
  readonly siteSettings: Readonly<SiteSettings>;
  /** The time scale the rules run at (see options). */
  readonly timeScale: number;
  /** Waits `seconds` of forum time (scaled), e.g. a member waiting out "5 s between posts". */
  wait(seconds: number): Promise<void>;
}

export async function startFakeForum(options: FakeForumOptions = {}): Promise<FakeForum> {
  const validator: SpecValidator | undefined = options.validate === false ? undefined : (await import('./schemas.js')).sharedValidator(options.specFile);
  const { violations, requests, faults, stalls, report } = instrumentation<RequestLogEntry, Fault, Stall>('fake-forum');
  const time = forumTime(options.timeScale ?? 1);
  const settings: SiteSettings = { ...STOCK_SITE_SETTINGS, ...options.siteSettings };

  let baseUrl = 'http://127.0.0.1';
  const webhooks = new WebhookDispatcher({
    instance: () => baseUrl,
    retryDelaysMs: () => (settings.retry_web_hook_events ? WEBHOOK_RETRY_MINUTES.map((m) => time.ms(m * 60_000)) : []),
    timeoutMs: options.webhookTimeoutMs ?? 5000,
    validate: validator && ((type, event, body) => validator.validateWebhook(type, event, body)),
    report,
    firstEventId: options.firstContentId,
  });
  // Payloads are serialized when the event happens (as Discourse does when it enqueues the job).
  const onEvent = (event: ForumEvent): void => {
    if (event.type === 'topic') {
      webhooks.emit('topic', event.name, serializers.webhookTopic(state.topics.get(event.topicId) as TopicRecord));
    } else if (event.type === 'like') {
      const post = state.posts.get(event.postId) as PostRecord;
      webhooks.emit('like', event.name, { post: serializers.webhookPost(post), user: basicUser(state.user(event.userId)) });
    } else {
      webhooks.emit(event.type, event.name, serializers.webhookPost(state.posts.get(event.postId) as PostRecord));
    }
  };
  const state = new ForumState(options.title ?? 'Fake Forum', settings, time, onEvent, options.firstContentId);
  const serializers = new Serializers(state, () => baseUrl);
  // One limiter for every request made with an API key, on the monotonic clock (Discourse's "admin_api_min").
  const apiLimiter = new SlidingWindowLimiter(options.adminApiRequestsPerMinute ?? ADMIN_API_REQS_PER_MINUTE, time.ms(60_000), () => time.monotonic());
  const routes = buildRoutes(state, serializers, { megaTopicPosts: options.megaTopicPosts ?? MEGA_TOPIC_POSTS });
  const http = await startHttpServer(state, routes, { validator, report, requests, faults, stalls, apiLimiter }, options.port ?? 0);
  baseUrl = http.url;

  const as = (username: string): UserRecord => {
    const user = state.userByName(username);
    if (!user) throw new Error(`fake forum: no user ${username}`);
    return user;
  };

  return {
    url: http.url,
    adminApiKey: state.adminApiKey,
    async close() {
      webhooks.close();
      await http.close();
    },
    createUser(username, opts) {
      const user = state.createUser(username, opts);
      return { id: user.id, username: user.username, apiKey: user.apiKey as string };
    },
    createCategory: (name, opts) => state.createCategory(name, opts),
    createTag: (name) => state.createTag(name),
    createTopic(username, opts) {
      const created = state.createTopic(as(username), opts);
      if ('pending' in created) throw new Error(`fake forum: ${username}'s topic is held for approval (pending post ${created.pending.id})`);
      return { topicId: created.topic.id, postId: created.post.id };
    },
    reply(username, topicId, raw, opts = {}) {
      const post = state.reply(as(username), topicId, raw, opts);
      if ('pending' in post) throw new Error(`fake forum: ${username}'s reply is held for approval (pending post ${post.pending.id})`);
      return { postId: post.id, postNumber: post.postNumber };
    },
    sendPrivateMessage(from, to, title, raw) {
      const { topic, post } = state.createPrivateMessage(as(from), to, title, raw);
      return { topicId: topic.id, postId: post.id };
    },
    editPost: (username, postId, raw, editReason) => void state.editPost(as(username), postId, raw, editReason),
    editFirstPostAndTitle: (username, topicId, title, raw) => state.editFirstPostAndTitle(as(username), topicId, title, raw),
    deletePost: (username, postId) => state.deletePost(as(username), postId),
    deleteTopic: (username, topicId) => state.deleteTopic(as(username), topicId),
    updateTopic: (username, topicId, changes) => void state.updateTopic(as(username), topicId, changes),
    like: (username, postId) => void state.like(as(username), postId),
    acceptAnswer: (username, postId) => state.acceptAnswer(as(username), postId),
    unacceptAnswer: (username, postId) => state.unacceptAnswer(as(username), postId),
    pendingPosts: () => [...state.pendingPosts.values()],
    approvePending(pendingId) {
      const post = state.approvePending(pendingId);
      return { postId: post.id, topicId: post.topicId };
    },
    invite: (by, topicId, username) => void state.invite(as(by), topicId, username),
    addWebhook: (opts) => webhooks.add(opts),
    pingWebhook: (id) => webhooks.ping(id),
    deliveries: webhooks.deliveries,
    redeliver: (eventId) => webhooks.redeliver(eventId),
    pauseWebhooks: () => webhooks.pause(),
    resumeWebhooks: () => webhooks.resume(),
    settle: () => webhooks.settle(),
    failNext(match, response, times = 1) {
      faults.push({ method: match.method, path: match.path, response, remaining: times });
    },
    stallNext(match) {
      return new Promise<void>((resolve) => stalls.push({ method: match.method, path: match.path, remaining: 1, onStalled: resolve }));
    },
    requests,
    posts: (topicId) => [...state.posts.values()].filter((p) => topicId === undefined || p.topicId === topicId).sort((a, b) => a.id - b.id),
    topic: (id) => state.topics.get(id),
    user: (username) => state.userByName(username),
    invitations: state.invitations,
    notifications(username) {
      const user = as(username);
      return state.notifications.filter((n) => n.userId === user.id);
    },
    violations,
    siteSettings: settings,
    timeScale: time.scale,
    wait: async (seconds) => {
      // Until the forum's clock has moved on that far: a timer can fire early by the clock's
      // reading (the event loop's cached time lags under load), and a scaled wait is often under
      // a millisecond, so a limit window measured in Date.now() would not have passed yet.
      const until = time.now() + time.ms(seconds * 1000);
      do await new Promise((resolve) => setTimeout(resolve, Math.max(1, until - time.now())));
      while (time.now() < until);
    },
  };
}
