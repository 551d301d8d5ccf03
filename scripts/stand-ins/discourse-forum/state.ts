// The model of the fake forum: users and API keys, categories, tags, topics (regular and
// private messages), posts, likes, accepted answers, invitations and notifications. Every
// change goes through here, from HTTP and the in-process API alike, with the same rules, and
// announces itself through `emit` (the webhook dispatcher listens).
import { randomBytes } from 'node:crypto';
import { cook } from './cook.js';

export type JsonObject = Record<string, unknown>;

/** An error Discourse would answer with: `{"errors": [...], "error_type": ...}`. */
export class ForumError extends Error {
  constructor(readonly status: number, readonly errors: string[], readonly errorType?: string, readonly extras?: JsonObject) {
    super(`${status}: ${errors.join('; ')}`);
  }

  get body(): JsonObject {
    const body: JsonObject = { errors: this.errors };
    if (this.errorType) body['error_type'] = this.errorType;
    if (this.extras) body['extras'] = this.extras;
    return body;
  }
}

export const notFound = (): ForumError => new ForumError(404, ['The requested URL or resource could not be found.'], 'not_found');
export const invalidAccess = (message = 'You are not permitted to view the requested resource.'): ForumError =>
  new ForumError(403, [message], 'invalid_access');
export const invalidKey = (): ForumError => invalidAccess('You are not permitted to view the requested resource. The API username or key is invalid.');
export const unprocessable = (...errors: string[]): ForumError => new ForumError(422, errors);
export const badParameter = (name: string): ForumError => new ForumError(400, [`param is missing or the value is empty: ${name}`], 'invalid_parameters');

export interface UserRecord {
  id: number;
  username: string;
  name: string;
  admin: boolean;
  moderator: boolean;
  trustLevel: number;
  createdAt: Date;
  /** The user's single-user API key (the system user has none). */
  apiKey?: string;
  email: string;
}

export interface CategoryRecord { id: number; name: string; slug: string; description: string | null; color: string; textColor: string; position: number }

export interface TopicRecord {
  id: number;
  title: string;
  slug: string;
  /** null for private messages. */
  categoryId: number | null;
  tags: string[];
  archetype: 'regular' | 'private_message';
  userId: number;
  createdAt: Date;
  bumpedAt: Date;
  deletedAt: Date | null;
  /** Private messages: who may see the topic (author, recipients, invitees). */
  allowedUserIds: number[];
  views: number;
  acceptedAnswerPostId: number | null;
  highestPostNumber: number;
}

export interface PostRecord {
  id: number;
  topicId: number;
  postNumber: number;
  userId: number;
  raw: string;
  cooked: string;
  createdAt: Date;
  updatedAt: Date;
  replyToPostNumber: number | null;
  deletedAt: Date | null;
  version: number;
  editReason: string | null;
  likedBy: number[];
}

export interface Invitation { topicId: number; username: string; by: string }

export interface NotificationRecord {
  id: number;
  userId: number;
  /** Discourse notification type ids (Notification.types). */
  type: number;
  topicId: number | null;
  postNumber: number | null;
  createdAt: Date;
  read: boolean;
  data: JsonObject;
}

export const NOTIFICATION_TYPES = {
  mentioned: 1, replied: 2, quoted: 3, edited: 4, liked: 5, private_message: 6, invited_to_private_message: 7,
  invitee_accepted: 8, posted: 9, moved_post: 10, linked: 11, granted_badge: 12, invited_to_topic: 13, custom: 14,
  group_mentioned: 15, group_message_summary: 16, watching_first_post: 17, topic_reminder: 18, liked_consolidated: 19,
  post_approved: 20, code_review_commit_approved: 21, membership_request_accepted: 22, membership_request_consolidated: 23,
  bookmark_reminder: 24, reaction: 25, votes_released: 26, event_reminder: 27, event_invitation: 28, chat_mention: 29,
  chat_message: 30, chat_invitation: 31, chat_group_mention: 32, linked_consolidated: 36, watching_category_or_tag: 39,
} as const;

/** What changed, for the webhook dispatcher (Discourse's event type and event name). */
export type ForumEvent =
  | { type: 'post'; name: 'post_created' | 'post_edited' | 'post_destroyed' | 'post_recovered'; postId: number }
  | { type: 'topic'; name: 'topic_created' | 'topic_edited' | 'topic_destroyed' | 'topic_recovered'; topicId: number }
  | { type: 'like'; name: 'post_liked'; postId: number; userId: number }
  | { type: 'solved'; name: 'accepted_solution' | 'unaccepted_solution'; postId: number };

export interface ForumLimits {
  /** Discourse's max_post_length (default 32000). */
  maxPostLength: number;
  /** min_post_length (Discourse defaults to 20; the fake to 1). */
  minPostLength: number;
  /** min_topic_title_length (Discourse defaults to 15; the fake to 1). */
  minTitleLength: number;
}

export const DEFAULT_LIMITS: ForumLimits = { maxPostLength: 32000, minPostLength: 1, minTitleLength: 1 };

export function slugify(title: string): string {
  const slug = title.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return slug || 'topic';
}

export class ForumState {
  readonly users = new Map<number, UserRecord>();
  readonly categories = new Map<number, CategoryRecord>();
  /** Tag name -> id. */
  readonly tags = new Map<string, number>();
  readonly topics = new Map<number, TopicRecord>();
  readonly posts = new Map<number, PostRecord>();
  readonly invitations: Invitation[] = [];
  readonly notifications: NotificationRecord[] = [];
  readonly adminApiKey = `admin-${randomBytes(12).toString('hex')}`;
  readonly uncategorizedId: number;
  private nextUserId = 1;
  private nextCategoryId = 1;
  private nextTagId = 1;
  private nextTopicId = 1;
  private nextPostId = 1;
  private nextNotificationId = 1;

  constructor(readonly title: string, readonly limits: ForumLimits, private readonly emit: (event: ForumEvent) => void, firstContentId = 1) {
    this.nextTopicId = firstContentId;
    this.nextPostId = firstContentId;
    // Every Discourse site has the system user (id -1) and the Uncategorized category.
    this.users.set(-1, { id: -1, username: 'system', name: 'system', admin: true, moderator: true, trustLevel: 4, createdAt: new Date(), email: 'no_email' });
    this.uncategorizedId = this.createCategory('Uncategorized', { slug: 'uncategorized', description: "Topics that don't need a category, or don't fit into any other existing category." });
  }

  // ---- lookups ----------------------------------------------------------------------------

  userByName(username: string): UserRecord | undefined {
    const lower = username.toLowerCase();
    for (const u of this.users.values()) if (u.username.toLowerCase() === lower) return u;
    return undefined;
  }

  mustUser(username: string): UserRecord {
    const user = this.userByName(username);
    if (!user) throw notFound();
    return user;
  }

  user(id: number): UserRecord {
    const user = this.users.get(id);
    if (!user) throw new Error(`no user ${id}`);
    return user;
  }

  userByKey(key: string): UserRecord | undefined {
    for (const u of this.users.values()) if (u.apiKey === key) return u;
    return undefined;
  }

  category(id: number | null): CategoryRecord | undefined {
    return id === null ? undefined : this.categories.get(id);
  }

  /** Whether `viewer` may see the topic (deleted topics: staff only; PMs: participants and admins). */
  canSee(viewer: UserRecord | undefined, topic: TopicRecord): boolean {
    const staff = !!viewer && (viewer.admin || viewer.moderator);
    if (topic.deletedAt && !staff) return false;
    if (topic.archetype === 'private_message') return !!viewer && (viewer.admin || topic.allowedUserIds.includes(viewer.id));
    return true;
  }

  /** The topic as `viewer` may see it: 404 when missing or deleted, 403 for others' PMs. */
  visibleTopic(viewer: UserRecord | undefined, topicId: number): TopicRecord {
    const topic = this.topics.get(topicId);
    if (!topic || (topic.deletedAt && !(viewer?.admin || viewer?.moderator))) throw notFound();
    if (!this.canSee(viewer, topic)) throw invalidAccess();
    return topic;
  }

  visiblePost(viewer: UserRecord | undefined, postId: number): PostRecord {
    const post = this.posts.get(postId);
    if (!post) throw notFound();
    const staff = !!viewer && (viewer.admin || viewer.moderator);
    if (post.deletedAt && !staff) throw notFound();
    this.visibleTopic(viewer, post.topicId);
    return post;
  }

  /** Posts of a topic in post-number order; deleted ones only for staff. */
  topicPosts(topicId: number, viewer?: UserRecord): PostRecord[] {
    const staff = !!viewer && (viewer.admin || viewer.moderator);
    return [...this.posts.values()].filter((p) => p.topicId === topicId && (staff || !p.deletedAt)).sort((a, b) => a.postNumber - b.postNumber);
  }

  livePosts(topicId: number): PostRecord[] {
    return this.topicPosts(topicId).filter((p) => !p.deletedAt);
  }

  firstPost(topicId: number): PostRecord | undefined {
    return [...this.posts.values()].find((p) => p.topicId === topicId && p.postNumber === 1);
  }

  private userExists = (name: string): boolean => this.userByName(name) !== undefined;

  // ---- setup ------------------------------------------------------------------------------

  createUser(username: string, opts: { name?: string; admin?: boolean; moderator?: boolean; trustLevel?: number; email?: string } = {}): UserRecord {
    if (!/^[A-Za-z0-9_][\w.-]*$/.test(username) || username.length > 60) throw unprocessable(`Username must only include numbers, letters, dashes, dots, and underscores: ${username}`);
    if (this.userByName(username)) throw unprocessable('Username must be unique');
    const user: UserRecord = {
      id: this.nextUserId++, username, name: opts.name ?? username, admin: !!opts.admin, moderator: !!opts.moderator,
      trustLevel: opts.trustLevel ?? (opts.admin ? 4 : 1), createdAt: new Date(), apiKey: `user-${randomBytes(12).toString('hex')}`,
      // Every Discourse account has a confirmed e-mail; made up unless given.
      email: opts.email ?? `${username.toLowerCase()}@forum.invalid`,
    };
    this.users.set(user.id, user);
    return user;
  }

  createCategory(name: string, opts: { slug?: string; description?: string; color?: string } = {}): number {
    const slug = opts.slug ?? slugify(name);
    if ([...this.categories.values()].some((c) => c.slug === slug || c.name.toLowerCase() === name.toLowerCase())) throw unprocessable('Category Name has already been taken');
    const id = this.nextCategoryId++;
    this.categories.set(id, { id, name, slug, description: opts.description ?? null, color: opts.color ?? '0088CC', textColor: 'FFFFFF', position: id - 1 });
    return id;
  }

  createTag(name: string): void {
    const clean = name.trim().toLowerCase().replace(/\s+/g, '-');
    if (!clean) throw unprocessable('Tag name is invalid');
    if (!this.tags.has(clean)) this.tags.set(clean, this.nextTagId++);
  }

  // ---- rules ------------------------------------------------------------------------------

  private checkRaw(raw: unknown): string {
    if (typeof raw !== 'string' || raw.trim() === '') throw unprocessable("Body can't be blank");
    if (raw.length > this.limits.maxPostLength) throw unprocessable(`Body is limited to ${this.limits.maxPostLength} characters; you entered ${raw.length}.`);
    if (raw.trim().length < this.limits.minPostLength) throw unprocessable(`Body is too short (minimum is ${this.limits.minPostLength} characters)`);
    return raw;
  }

  private checkTitle(title: unknown): string {
    if (typeof title !== 'string' || title.trim() === '') throw unprocessable("Title can't be blank");
    if (title.trim().length < this.limits.minTitleLength) throw unprocessable(`Title is too short (minimum is ${this.limits.minTitleLength} characters)`);
    if (title.length > 255) throw unprocessable('Title is too long (maximum is 255 characters)');
    return title.trim();
  }

  /** Tag names as Discourse stores them; staff create unknown tags, others may not. */
  private checkTags(actor: UserRecord, tags: string[]): string[] {
    const names = [...new Set(tags.map((t) => t.trim().toLowerCase().replace(/\s+/g, '-')).filter(Boolean))];
    const unknown = names.filter((t) => !this.tags.has(t));
    if (unknown.length > 0 && !(actor.admin || actor.moderator)) throw unprocessable(`You can’t create these tags: ${unknown.join(', ')}`);
    for (const t of unknown) this.createTag(t);
    return names;
  }

  private notify(userId: number, type: number, topic: TopicRecord, postNumber: number | null, data: JsonObject): void {
    this.notifications.push({
      id: this.nextNotificationId++, userId, type, topicId: topic.id, postNumber, createdAt: new Date(), read: false,
      data: { topic_title: topic.title, ...data },
    });
  }

  private addPost(actor: UserRecord, topic: TopicRecord, raw: string, replyTo: number | null, createdAt: Date): PostRecord {
    const post: PostRecord = {
      id: this.nextPostId++, topicId: topic.id, postNumber: ++topic.highestPostNumber, userId: actor.id, raw,
      cooked: cook(raw, this.userExists).html, createdAt, updatedAt: createdAt, replyToPostNumber: replyTo,
      deletedAt: null, version: 1, editReason: null, likedBy: [],
    };
    this.posts.set(post.id, post);
    if (createdAt > topic.bumpedAt) topic.bumpedAt = createdAt;
    // Notifications: mentions, the replied-to author, PM recipients.
    const notified = new Set<number>([actor.id]);
    const base = { original_username: actor.username, display_username: actor.username };
    for (const name of cook(raw, this.userExists).mentions) {
      const user = this.userByName(name);
      if (user && !notified.has(user.id) && this.canSee(user, topic)) {
        notified.add(user.id);
        this.notify(user.id, NOTIFICATION_TYPES.mentioned, topic, post.postNumber, base);
      }
    }
    if (post.postNumber > 1) {
      const target = replyTo !== null ? this.topicPosts(topic.id).find((p) => p.postNumber === replyTo) : this.firstPost(topic.id);
      if (target && !notified.has(target.userId) && target.userId > 0) {
        notified.add(target.userId);
        this.notify(target.userId, NOTIFICATION_TYPES.replied, topic, post.postNumber, base);
      }
    }
    if (topic.archetype === 'private_message') {
      for (const id of topic.allowedUserIds) if (!notified.has(id)) this.notify(id, NOTIFICATION_TYPES.private_message, topic, post.postNumber, base);
    }
    return post;
  }

  // ---- actions ----------------------------------------------------------------------------

  createTopic(actor: UserRecord, opts: { title: unknown; raw: unknown; category?: number; tags?: string[]; createdAt?: Date }): { topic: TopicRecord; post: PostRecord } {
    const title = this.checkTitle(opts.title);
    const raw = this.checkRaw(opts.raw);
    const categoryId = opts.category ?? this.uncategorizedId;
    if (!this.categories.has(categoryId)) throw unprocessable('Category is invalid');
    const tags = this.checkTags(actor, opts.tags ?? []);
    const createdAt = opts.createdAt ?? new Date();
    const topic: TopicRecord = {
      id: this.nextTopicId++, title, slug: slugify(title), categoryId, tags, archetype: 'regular', userId: actor.id,
      createdAt, bumpedAt: createdAt, deletedAt: null, allowedUserIds: [], views: 0, acceptedAnswerPostId: null, highestPostNumber: 0,
    };
    this.topics.set(topic.id, topic);
    const post = this.addPost(actor, topic, raw, null, createdAt);
    // Discourse enqueues topic_created before post_created.
    this.emit({ type: 'topic', name: 'topic_created', topicId: topic.id });
    this.emit({ type: 'post', name: 'post_created', postId: post.id });
    return { topic, post };
  }

  createPrivateMessage(actor: UserRecord, recipients: string[], title: unknown, raw: unknown): { topic: TopicRecord; post: PostRecord } {
    const cleanTitle = this.checkTitle(title);
    const cleanRaw = this.checkRaw(raw);
    const names = recipients.map((r) => r.trim()).filter(Boolean);
    if (names.length === 0) throw unprocessable('You must choose a valid user.');
    const invalid = names.filter((n) => !this.userByName(n));
    if (invalid.length > 0) throw unprocessable(`The following usernames are invalid: ${invalid.join(', ')}`);
    const allowed = [...new Set([actor.id, ...names.map((n) => this.mustUser(n).id)])];
    const createdAt = new Date();
    const topic: TopicRecord = {
      id: this.nextTopicId++, title: cleanTitle, slug: slugify(cleanTitle), categoryId: null, tags: [], archetype: 'private_message', userId: actor.id,
      createdAt, bumpedAt: createdAt, deletedAt: null, allowedUserIds: allowed, views: 0, acceptedAnswerPostId: null, highestPostNumber: 0,
    };
    this.topics.set(topic.id, topic);
    const post = this.addPost(actor, topic, cleanRaw, null, createdAt);
    this.emit({ type: 'topic', name: 'topic_created', topicId: topic.id });
    this.emit({ type: 'post', name: 'post_created', postId: post.id });
    return { topic, post };
  }

  reply(actor: UserRecord, topicId: number, raw: unknown, opts: { replyToPostNumber?: number | null; createdAt?: Date } = {}): PostRecord {
    const topic = this.visibleTopic(actor, topicId);
    if (topic.deletedAt) throw unprocessable('Topic has been deleted');
    const clean = this.checkRaw(raw);
    let replyTo = opts.replyToPostNumber ?? null;
    // Discourse drops a reply_to_post_number that does not exist in the topic.
    if (replyTo !== null && !this.livePosts(topicId).some((p) => p.postNumber === replyTo)) replyTo = null;
    const post = this.addPost(actor, topic, clean, replyTo, opts.createdAt ?? new Date());
    this.emit({ type: 'post', name: 'post_created', postId: post.id });
    return post;
  }

  private editable(actor: UserRecord, postId: number): PostRecord {
    const post = this.visiblePost(actor, postId);
    if (post.userId !== actor.id && !(actor.admin || actor.moderator)) throw invalidAccess();
    return post;
  }

  editPost(actor: UserRecord, postId: number, raw: unknown, editReason?: string): PostRecord {
    const post = this.editable(actor, postId);
    if (post.deletedAt) throw invalidAccess();
    const clean = this.checkRaw(raw);
    if (clean === post.raw) return post;
    post.raw = clean;
    post.cooked = cook(clean, this.userExists).html;
    post.version += 1;
    post.editReason = editReason ?? null;
    post.updatedAt = new Date();
    this.emit({ type: 'post', name: 'post_edited', postId: post.id });
    if (post.postNumber === 1) this.emit({ type: 'topic', name: 'topic_edited', topicId: post.topicId });
    return post;
  }

  deletePost(actor: UserRecord, postId: number): void {
    const post = this.editable(actor, postId);
    if (post.deletedAt) return;
    if (post.postNumber === 1) {
      this.deleteTopic(actor, post.topicId);
      return;
    }
    post.deletedAt = new Date();
    this.emit({ type: 'post', name: 'post_destroyed', postId: post.id });
  }

  deleteTopic(actor: UserRecord, topicId: number): void {
    const topic = this.visibleTopic(actor, topicId);
    if (topic.userId !== actor.id && !(actor.admin || actor.moderator)) throw invalidAccess();
    if (topic.deletedAt) return;
    const now = new Date();
    topic.deletedAt = now;
    const first = this.firstPost(topicId);
    if (first && !first.deletedAt) {
      first.deletedAt = now;
      this.emit({ type: 'post', name: 'post_destroyed', postId: first.id });
    }
    this.emit({ type: 'topic', name: 'topic_destroyed', topicId });
  }

  updateTopic(actor: UserRecord, topicId: number, changes: { title?: unknown; categoryId?: unknown; tags?: unknown }): TopicRecord {
    const topic = this.visibleTopic(actor, topicId);
    if (topic.userId !== actor.id && !(actor.admin || actor.moderator)) throw invalidAccess();
    if (changes.title !== undefined) topic.title = this.checkTitle(changes.title);
    if (changes.title !== undefined) topic.slug = slugify(topic.title);
    if (changes.categoryId !== undefined) {
      if (topic.archetype === 'private_message') throw unprocessable('Private messages cannot have a category');
      if (typeof changes.categoryId !== 'number' || !this.categories.has(changes.categoryId)) throw unprocessable('Category is invalid');
      topic.categoryId = changes.categoryId;
    }
    if (changes.tags !== undefined) {
      if (!Array.isArray(changes.tags) || !changes.tags.every((t) => typeof t === 'string')) throw unprocessable('Tags are invalid');
      topic.tags = this.checkTags(actor, changes.tags as string[]);
    }
    this.emit({ type: 'topic', name: 'topic_edited', topicId });
    return topic;
  }

  like(actor: UserRecord, postId: number): PostRecord {
    const post = this.visiblePost(actor, postId);
    if (post.deletedAt) throw notFound();
    // Discourse refuses to like your own post or to like twice (PostActionCreator).
    if (post.userId === actor.id || post.likedBy.includes(actor.id)) throw invalidAccess();
    post.likedBy.push(actor.id);
    const topic = this.topics.get(post.topicId) as TopicRecord;
    this.notify(post.userId, NOTIFICATION_TYPES.liked, topic, post.postNumber, { original_username: actor.username, display_username: actor.username });
    this.emit({ type: 'like', name: 'post_liked', postId, userId: actor.id });
    return post;
  }

  acceptAnswer(actor: UserRecord, postId: number): void {
    const post = this.visiblePost(actor, postId);
    const topic = this.topics.get(post.topicId) as TopicRecord;
    if (topic.userId !== actor.id && !(actor.admin || actor.moderator)) throw invalidAccess();
    if (post.postNumber === 1 || post.deletedAt || topic.archetype === 'private_message') throw invalidAccess();
    const previous = topic.acceptedAnswerPostId;
    if (previous === postId) return;
    if (previous !== null) {
      topic.acceptedAnswerPostId = null;
      this.emit({ type: 'solved', name: 'unaccepted_solution', postId: previous });
    }
    topic.acceptedAnswerPostId = postId;
    this.emit({ type: 'solved', name: 'accepted_solution', postId });
  }

  invite(actor: UserRecord, topicId: number, username: unknown): UserRecord {
    const topic = this.visibleTopic(actor, topicId);
    if (typeof username !== 'string' || username.trim() === '') throw badParameter('user');
    const user = this.userByName(username.trim());
    if (!user) throw unprocessable('The user could not be found.');
    if (topic.archetype === 'private_message') {
      if (!topic.allowedUserIds.includes(user.id)) topic.allowedUserIds.push(user.id);
    }
    this.invitations.push({ topicId, username: user.username, by: actor.username });
    const type = topic.archetype === 'private_message' ? NOTIFICATION_TYPES.invited_to_private_message : NOTIFICATION_TYPES.invited_to_topic;
    this.notify(user.id, type, topic, 1, { original_username: actor.username, display_username: actor.username });
    return user;
  }
}
