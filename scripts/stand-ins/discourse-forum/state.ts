// The model of the fake forum: users and API keys, categories (nested), tags, topics (regular
// and private messages), posts, likes, accepted answers, invitations, notifications and posts
// waiting for approval. Every change goes through here, from HTTP and the in-process API alike,
// with a stock Discourse's rules (content-rules.ts, member-limits.ts, site-settings.ts), and
// announces itself through `emit` (the webhook dispatcher listens).
import { randomBytes } from 'node:crypto';
import { checkRaw, checkTagCount, checkTitle, cleanTagName, titleTaken, type PostKind } from './content-rules.js';
import { cook } from './cook.js';
import type { ForumTime } from './forum-time.js';
import { MemberLimits, type NewPostKind } from './member-limits.js';
import type { SiteSettings } from './site-settings.js';
import { badParameter, invalidAccess, notFound, unprocessable, type JsonObject } from './state-errors.js';

export { ForumError, badParameter, invalidAccess, invalidKey, notFound, unprocessable, type JsonObject } from './state-errors.js';

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

export interface CategoryRecord {
  id: number;
  name: string;
  slug: string;
  description: string | null;
  color: string;
  textColor: string;
  position: number;
  parentCategoryId: number | null;
  /** Category settings: new topics / replies by non-staff wait for a moderator. */
  requireTopicApproval: boolean;
  requireReplyApproval: boolean;
  /** Only staff may open topics here (permission "reply" for everyone else). */
  staffOnlyTopics: boolean;
}

export interface CategoryOptions {
  slug?: string;
  description?: string;
  color?: string;
  /** Parent category id: this one becomes a subcategory. */
  parent?: number;
  requireTopicApproval?: boolean;
  requireReplyApproval?: boolean;
  staffOnlyTopics?: boolean;
}

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

export interface Invitation {
  topicId: number;
  username: string;
  by: string;
}

/** A post held for approval (Discourse's ReviewableQueuedPost): not a post until approved. */
export interface PendingPostRecord {
  id: number;
  userId: number;
  raw: string;
  createdAt: Date;
  /** A reply's topic, or the new topic's title, category and tags. */
  topicId: number | null;
  title: string | null;
  categoryId: number | null;
  tags: string[];
  replyToPostNumber: number | null;
}

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
  mentioned: 1,
  replied: 2,
  quoted: 3,
  edited: 4,
  liked: 5,
  private_message: 6,
  invited_to_private_message: 7,
  invitee_accepted: 8,
  posted: 9,
  moved_post: 10,
  linked: 11,
  granted_badge: 12,
  invited_to_topic: 13,
  custom: 14,
  group_mentioned: 15,
  group_message_summary: 16,
  watching_first_post: 17,
  topic_reminder: 18,
  liked_consolidated: 19,
  post_approved: 20,
  code_review_commit_approved: 21,
  membership_request_accepted: 22,
  membership_request_consolidated: 23,
  bookmark_reminder: 24,
  reaction: 25,
  votes_released: 26,
  event_reminder: 27,
  event_invitation: 28,
  chat_mention: 29,
  chat_message: 30,
  chat_invitation: 31,
  chat_group_mention: 32,
  linked_consolidated: 36,
  watching_category_or_tag: 39,
} as const;

/** What changed, for the webhook dispatcher (Discourse's event type and event name). */
export type ForumEvent =
  | { type: 'post'; name: 'post_created' | 'post_edited' | 'post_destroyed' | 'post_recovered'; postId: number }
  | { type: 'topic'; name: 'topic_created' | 'topic_edited' | 'topic_destroyed' | 'topic_recovered'; topicId: number }
  | { type: 'like'; name: 'post_liked'; postId: number; userId: number }
  | { type: 'solved'; name: 'accepted_solution' | 'unaccepted_solution'; postId: number };

export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'topic';
}

export class ForumState {
  readonly users = new Map<number, UserRecord>();
  readonly categories = new Map<number, CategoryRecord>();
  /** Tag name -> id. */
  readonly tags = new Map<string, number>();
  readonly topics = new Map<number, TopicRecord>();
  readonly posts = new Map<number, PostRecord>();
  readonly pendingPosts = new Map<number, PendingPostRecord>();
  readonly invitations: Invitation[] = [];
  /** Every like, for GET /user_actions.json (UserAction LIKE). */
  readonly likes: { postId: number; userId: number; at: Date }[] = [];
  readonly notifications: NotificationRecord[] = [];
  readonly adminApiKey = `admin-${randomBytes(12).toString('hex')}`;
  readonly uncategorizedId: number;
  readonly limits: MemberLimits;
  private nextUserId = 1;
  private nextCategoryId = 1;
  private nextTagId = 1;
  private nextTopicId = 1;
  private nextPostId = 1;
  private nextPendingId = 1;
  private nextNotificationId = 1;

  constructor(
    readonly title: string,
    readonly settings: SiteSettings,
    readonly time: ForumTime,
    private readonly emit: (event: ForumEvent) => void,
    firstContentId = 1,
  ) {
    this.nextTopicId = firstContentId;
    this.nextPostId = firstContentId;
    this.limits = new MemberLimits(time, settings);
    // Every Discourse site has the system user (id -1) and the Uncategorized category.
    this.users.set(-1, { id: -1, username: 'system', name: 'system', admin: true, moderator: true, trustLevel: 4, createdAt: new Date(), email: 'no_email' });
    this.uncategorizedId = this.createCategory('Uncategorized', {
      slug: 'uncategorized',
      description: "Topics that don't need a category, or don't fit into any other existing category.",
    });
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

  /** Whether `viewer` may see the topic (deleted topics: staff only; PMs: allowed users and admins). */
  canSee(viewer: UserRecord | undefined, topic: TopicRecord): boolean {
    const staff = isStaff(viewer);
    if (topic.deletedAt && !staff) return false;
    if (topic.archetype === 'private_message') return !!viewer && (viewer.admin || topic.allowedUserIds.includes(viewer.id));
    return true;
  }

  /** The topic as `viewer` may see it: 404 when missing or deleted, 403 for others' PMs. */
  visibleTopic(viewer: UserRecord | undefined, topicId: number): TopicRecord {
    const topic = this.topics.get(topicId);
    if (!topic || (topic.deletedAt && !isStaff(viewer))) throw notFound();
    if (!this.canSee(viewer, topic)) throw invalidAccess();
    return topic;
  }

  visiblePost(viewer: UserRecord | undefined, postId: number): PostRecord {
    const post = this.posts.get(postId);
    if (!post) throw notFound();
    if (post.deletedAt && !isStaff(viewer)) throw notFound();
    this.visibleTopic(viewer, post.topicId);
    return post;
  }

  /** Posts of a topic in post-number order; deleted ones only for staff. */
  topicPosts(topicId: number, viewer?: UserRecord): PostRecord[] {
    const staff = isStaff(viewer);
    return [...this.posts.values()].filter((p) => p.topicId === topicId && (staff || !p.deletedAt)).sort((a, b) => a.postNumber - b.postNumber);
  }

  livePosts(topicId: number): PostRecord[] {
    return this.topicPosts(topicId).filter((p) => !p.deletedAt);
  }

  firstPost(topicId: number): PostRecord | undefined {
    return [...this.posts.values()].find((p) => p.topicId === topicId && p.postNumber === 1);
  }

  /** Whether `user` may create tags (staff, or trust level min_trust_to_create_tag and up). */
  canCreateTags(user: UserRecord | undefined): boolean {
    return !!user && (isStaff(user) || user.trustLevel >= this.settings.min_trust_to_create_tag);
  }

  /** Whether `user` may open topics in the category (site.json `permission` 1, else 2). */
  canCreateTopicIn(user: UserRecord | undefined, category: CategoryRecord): boolean {
    return !!user && (isStaff(user) || !category.staffOnlyTopics);
  }

  private userExists = (name: string): boolean => this.userByName(name) !== undefined;

  // ---- setup ------------------------------------------------------------------------------

  createUser(username: string, opts: { name?: string; admin?: boolean; moderator?: boolean; trustLevel?: number; email?: string } = {}): UserRecord {
    if (!/^[A-Za-z0-9_][\w.-]*$/.test(username) || username.length > 60)
      throw unprocessable(`Username must only include numbers, letters, dashes, dots, and underscores: ${username}`);
    if (this.userByName(username)) throw unprocessable('Username must be unique');
    const user: UserRecord = {
      id: this.nextUserId++,
      username,
      name: opts.name ?? username,
      admin: !!opts.admin,
      moderator: !!opts.moderator,
      trustLevel: opts.trustLevel ?? (opts.admin ? 4 : 1),
      createdAt: new Date(),
      apiKey: `user-${randomBytes(12).toString('hex')}`,
      // Every Discourse account has a confirmed e-mail; made up unless given.
      email: opts.email ?? `${username.toLowerCase()}@forum.invalid`,
    };
    this.users.set(user.id, user);
    return user;
  }

  createCategory(name: string, opts: CategoryOptions = {}): number {
    const slug = opts.slug ?? slugify(name);
    const parent = opts.parent === undefined ? null : this.categories.get(opts.parent);
    if (parent === undefined) throw unprocessable('Parent category is invalid');
    // Discourse's max_category_nesting defaults to 2: a subcategory cannot have children.
    if (parent && parent.parentCategoryId !== null) throw unprocessable('Nesting too deep: subcategories cannot have subcategories.');
    const siblings = [...this.categories.values()].filter((c) => c.parentCategoryId === (parent?.id ?? null));
    if (siblings.some((c) => c.slug === slug || c.name.toLowerCase() === name.toLowerCase())) throw unprocessable('Category Name has already been taken');
    const id = this.nextCategoryId++;
    this.categories.set(id, {
      id,
      name,
      slug,
      description: opts.description ?? null,
      color: opts.color ?? '0088CC',
      textColor: 'FFFFFF',
      position: id - 1,
      parentCategoryId: parent?.id ?? null,
      requireTopicApproval: !!opts.requireTopicApproval,
      requireReplyApproval: !!opts.requireReplyApproval,
      staffOnlyTopics: !!opts.staffOnlyTopics,
    });
    return id;
  }

  /** Creates a tag (as an admin would in the UI); returns its stored name (cleaned, cut to max_tag_length). */
  createTag(name: string): string {
    const clean = cleanTagName(name, this.settings);
    if (!clean) throw unprocessable('Tag name is invalid');
    if (!this.tags.has(clean)) this.tags.set(clean, this.nextTagId++);
    return clean;
  }

  // ---- rules ------------------------------------------------------------------------------

  /**
   * Tags as DiscourseTagging saves them: cleaned and de-duplicated, at most max_tags_per_topic,
   * unknown ones created by those who may and silently dropped for everyone else.
   */
  private tagsFor(actor: UserRecord, tags: readonly string[]): string[] {
    const names = [...new Set(tags.map((t) => cleanTagName(String(t), this.settings)).filter(Boolean))];
    checkTagCount(names, this.settings);
    const mayCreate = this.canCreateTags(actor);
    return names.filter((t) => {
      if (this.tags.has(t)) return true;
      if (mayCreate) this.createTag(t);
      return mayCreate;
    });
  }

  /** allow_duplicate_topic_titles is off: a title must be unique among live regular topics. */
  private checkTitleUnique(title: string, except?: number): void {
    if (this.settings.allow_duplicate_topic_titles) return;
    const lower = title.toLowerCase();
    for (const t of this.topics.values()) {
      if (t.id !== except && t.archetype === 'regular' && !t.deletedAt && t.title.toLowerCase() === lower) throw titleTaken();
    }
  }

  /** Topic#category_id: must exist, and (allow_uncategorized_topics off) not be Uncategorized. */
  private checkCategory(actor: UserRecord, categoryId: number | undefined): CategoryRecord {
    const id = categoryId ?? this.uncategorizedId;
    const category = this.categories.get(id);
    if (!category) throw unprocessable('Category is invalid');
    if (id === this.uncategorizedId && !this.settings.allow_uncategorized_topics) throw unprocessable("Category can't be blank");
    if (!this.canCreateTopicIn(actor, category)) throw invalidAccess('You are not permitted to create a topic in that category.');
    return category;
  }

  /** Mentions of existing users outside code and quotes (for trust level 0's limit). */
  private mentionCount(raw: string): number {
    return cook(raw, this.userExists).mentions.length;
  }

  /** How many of the topic's last posts are `user`'s, back to back (max_consecutive_replies). */
  private trailingPostsBy(topicId: number, userId: number): number {
    const posts = this.livePosts(topicId);
    let n = 0;
    for (let i = posts.length - 1; i >= 0 && posts[i]?.userId === userId; i--) n++;
    return n;
  }

  /** NewPostManager: non-staff posts below approve_unless_trust_level, or in an approval category, wait. */
  private needsApproval(actor: UserRecord, kind: NewPostKind, category: CategoryRecord | undefined): boolean {
    if (isStaff(actor) || kind === 'private') return false;
    if (actor.trustLevel < this.settings.approve_unless_trust_level) return true;
    return kind === 'topic' ? !!category?.requireTopicApproval : !!category?.requireReplyApproval;
  }

  /** The member limits, unless this is an import of dated history (createdAt given in-process). */
  private admit(actor: UserRecord, kind: NewPostKind, raw: string, consecutive: number, importing: boolean): void {
    if (!importing) this.limits.admit(actor, kind, raw, this.mentionCount(raw), consecutive);
  }

  private notify(userId: number, type: number, topic: TopicRecord, postNumber: number | null, data: JsonObject): void {
    this.notifications.push({
      id: this.nextNotificationId++,
      userId,
      type,
      topicId: topic.id,
      postNumber,
      createdAt: new Date(),
      read: false,
      data: { topic_title: topic.title, ...data },
    });
  }

  private addPost(actor: UserRecord, topic: TopicRecord, raw: string, replyTo: number | null, createdAt: Date): PostRecord {
    const cooked = cook(raw, this.userExists);
    const post: PostRecord = {
      id: this.nextPostId++,
      topicId: topic.id,
      postNumber: ++topic.highestPostNumber,
      userId: actor.id,
      raw,
      cooked: cooked.html,
      createdAt,
      updatedAt: createdAt,
      replyToPostNumber: replyTo,
      deletedAt: null,
      version: 1,
      editReason: null,
      likedBy: [],
    };
    this.posts.set(post.id, post);
    if (createdAt > topic.bumpedAt) topic.bumpedAt = createdAt;
    // Notifications: mentions (only of those who can see the topic), the replied-to author, PM recipients.
    const notified = new Set<number>([actor.id]);
    const base = { original_username: actor.username, display_username: actor.username };
    for (const name of cooked.mentions) {
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

  private hold(actor: UserRecord, fields: Omit<PendingPostRecord, 'id' | 'userId' | 'createdAt'>): PendingPostRecord {
    const pending: PendingPostRecord = { id: this.nextPendingId++, userId: actor.id, createdAt: new Date(), ...fields };
    this.pendingPosts.set(pending.id, pending);
    return pending;
  }

  // ---- actions ----------------------------------------------------------------------------

  createTopic(
    actor: UserRecord,
    opts: { title: unknown; raw: unknown; category?: number; tags?: string[]; createdAt?: Date },
  ): { topic: TopicRecord; post: PostRecord } | { pending: PendingPostRecord } {
    const title = checkTitle(opts.title, false, this.settings);
    this.checkTitleUnique(title);
    const raw = checkRaw(opts.raw, 'first', this.settings);
    const category = this.checkCategory(actor, opts.category);
    const tags = this.tagsFor(actor, opts.tags ?? []);
    this.admit(actor, 'topic', raw, 0, opts.createdAt !== undefined);
    if (this.needsApproval(actor, 'topic', category)) {
      return { pending: this.hold(actor, { raw, topicId: null, title, categoryId: category.id, tags, replyToPostNumber: null }) };
    }
    return this.openTopic(actor, title, raw, category.id, tags, opts.createdAt ?? new Date());
  }

  private openTopic(
    actor: UserRecord,
    title: string,
    raw: string,
    categoryId: number,
    tags: string[],
    createdAt: Date,
  ): { topic: TopicRecord; post: PostRecord } {
    const topic: TopicRecord = {
      id: this.nextTopicId++,
      title,
      slug: slugify(title),
      categoryId,
      tags,
      archetype: 'regular',
      userId: actor.id,
      createdAt,
      bumpedAt: createdAt,
      deletedAt: null,
      allowedUserIds: [],
      views: 0,
      acceptedAnswerPostId: null,
      highestPostNumber: 0,
    };
    this.topics.set(topic.id, topic);
    const post = this.addPost(actor, topic, raw, null, createdAt);
    // Discourse enqueues topic_created before post_created.
    this.emit({ type: 'topic', name: 'topic_created', topicId: topic.id });
    this.emit({ type: 'post', name: 'post_created', postId: post.id });
    return { topic, post };
  }

  createPrivateMessage(actor: UserRecord, recipients: string[], title: unknown, raw: unknown): { topic: TopicRecord; post: PostRecord } {
    const cleanTitle = checkTitle(title, true, this.settings);
    const cleanRaw = checkRaw(raw, 'private', this.settings);
    const names = recipients.map((r) => r.trim()).filter(Boolean);
    if (names.length === 0) throw unprocessable('You must choose a valid user.');
    const invalid = names.filter((n) => !this.userByName(n));
    if (invalid.length > 0) throw unprocessable(`The following usernames are invalid: ${invalid.join(', ')}`);
    this.admit(actor, 'private', cleanRaw, 0, false);
    const allowed = [...new Set([actor.id, ...names.map((n) => this.mustUser(n).id)])];
    const createdAt = new Date();
    const topic: TopicRecord = {
      id: this.nextTopicId++,
      title: cleanTitle,
      slug: slugify(cleanTitle),
      categoryId: null,
      tags: [],
      archetype: 'private_message',
      userId: actor.id,
      createdAt,
      bumpedAt: createdAt,
      deletedAt: null,
      allowedUserIds: allowed,
      views: 0,
      acceptedAnswerPostId: null,
      highestPostNumber: 0,
    };
    this.topics.set(topic.id, topic);
    const post = this.addPost(actor, topic, cleanRaw, null, createdAt);
    this.emit({ type: 'topic', name: 'topic_created', topicId: topic.id });
    this.emit({ type: 'post', name: 'post_created', postId: post.id });
    return { topic, post };
  }

  reply(
    actor: UserRecord,
    topicId: number,
    raw: unknown,
    opts: { replyToPostNumber?: number | null; createdAt?: Date } = {},
  ): PostRecord | { pending: PendingPostRecord } {
    const topic = this.visibleTopic(actor, topicId);
    if (topic.deletedAt) throw unprocessable('Topic has been deleted');
    const kind: PostKind = topic.archetype === 'private_message' ? 'private' : 'reply';
    const clean = checkRaw(raw, kind, this.settings);
    let replyTo = opts.replyToPostNumber ?? null;
    // Discourse drops a reply_to_post_number that does not exist in the topic.
    if (replyTo !== null && !this.livePosts(topicId).some((p) => p.postNumber === replyTo)) replyTo = null;
    const newKind: NewPostKind = kind === 'private' ? 'private' : 'reply';
    // PM replies are not counted against the daily PM limit (that limit is on new messages).
    this.admit(
      actor,
      newKind === 'private' ? 'reply' : newKind,
      clean,
      kind === 'reply' ? this.trailingPostsBy(topicId, actor.id) : 0,
      opts.createdAt !== undefined,
    );
    if (this.needsApproval(actor, newKind, this.category(topic.categoryId))) {
      return { pending: this.hold(actor, { raw: clean, topicId, title: null, categoryId: null, tags: [], replyToPostNumber: replyTo }) };
    }
    const post = this.addPost(actor, topic, clean, replyTo, opts.createdAt ?? new Date());
    this.emit({ type: 'post', name: 'post_created', postId: post.id });
    return post;
  }

  /** A moderator approves a held post: it is created now (and announced like any new post). */
  approvePending(pendingId: number): PostRecord {
    const pending = this.pendingPosts.get(pendingId);
    if (!pending) throw notFound();
    this.pendingPosts.delete(pendingId);
    const author = this.user(pending.userId);
    if (pending.topicId === null) {
      return this.openTopic(author, pending.title ?? '', pending.raw, pending.categoryId ?? this.uncategorizedId, pending.tags, new Date()).post;
    }
    const topic = this.visibleTopic(author, pending.topicId);
    const post = this.addPost(author, topic, pending.raw, pending.replyToPostNumber, new Date());
    this.emit({ type: 'post', name: 'post_created', postId: post.id });
    return post;
  }

  private editable(actor: UserRecord, postId: number): PostRecord {
    const post = this.visiblePost(actor, postId);
    if (post.userId !== actor.id && !isStaff(actor)) throw invalidAccess();
    return post;
  }

  editPost(actor: UserRecord, postId: number, raw: unknown, editReason?: string): PostRecord {
    const post = this.editable(actor, postId);
    if (post.deletedAt) throw invalidAccess();
    const topic = this.topics.get(post.topicId) as TopicRecord;
    const clean = checkRaw(raw, topic.archetype === 'private_message' ? 'private' : post.postNumber === 1 ? 'first' : 'reply', this.settings);
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

  /**
   * The composer saving a first post together with a new title (PostRevisor): one revision,
   * announced by topic_edited only (no post_edited), as Discourse does.
   */
  editFirstPostAndTitle(actor: UserRecord, topicId: number, title: unknown, raw: unknown): void {
    const topic = this.visibleTopic(actor, topicId);
    const first = this.firstPost(topicId);
    if (!first) throw notFound();
    const post = this.editable(actor, first.id);
    const cleanTitle = checkTitle(title, topic.archetype === 'private_message', this.settings);
    if (topic.archetype === 'regular') this.checkTitleUnique(cleanTitle, topic.id);
    const clean = checkRaw(raw, topic.archetype === 'private_message' ? 'private' : 'first', this.settings);
    topic.title = cleanTitle;
    topic.slug = slugify(cleanTitle);
    post.raw = clean;
    post.cooked = cook(clean, this.userExists).html;
    post.version += 1;
    post.updatedAt = new Date();
    this.emit({ type: 'topic', name: 'topic_edited', topicId });
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
    if (topic.userId !== actor.id && !isStaff(actor)) throw invalidAccess();
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
    if (topic.userId !== actor.id && !isStaff(actor)) throw invalidAccess();
    const pm = topic.archetype === 'private_message';
    const title = changes.title === undefined ? undefined : checkTitle(changes.title, pm, this.settings);
    if (title !== undefined && !pm) this.checkTitleUnique(title, topic.id);
    let categoryId: number | undefined;
    if (changes.categoryId !== undefined) {
      if (pm) throw unprocessable('Private messages cannot have a category');
      if (typeof changes.categoryId !== 'number' || !this.categories.has(changes.categoryId)) throw unprocessable('Category is invalid');
      categoryId = this.checkCategory(actor, changes.categoryId).id;
    }
    let tags: string[] | undefined;
    if (changes.tags !== undefined) {
      if (!Array.isArray(changes.tags) || !changes.tags.every((t) => typeof t === 'string')) throw unprocessable('Tags are invalid');
      tags = this.tagsFor(actor, changes.tags as string[]);
    }
    if (title !== undefined) {
      topic.title = title;
      topic.slug = slugify(title);
    }
    if (categoryId !== undefined) topic.categoryId = categoryId;
    if (tags !== undefined) topic.tags = tags;
    this.emit({ type: 'topic', name: 'topic_edited', topicId });
    return topic;
  }

  like(actor: UserRecord, postId: number): PostRecord {
    const post = this.visiblePost(actor, postId);
    if (post.deletedAt) throw notFound();
    // Discourse refuses to like your own post or to like twice (PostActionCreator).
    if (post.userId === actor.id || post.likedBy.includes(actor.id)) throw invalidAccess();
    post.likedBy.push(actor.id);
    this.likes.push({ postId, userId: actor.id, at: new Date() });
    const topic = this.topics.get(post.topicId) as TopicRecord;
    this.notify(post.userId, NOTIFICATION_TYPES.liked, topic, post.postNumber, { original_username: actor.username, display_username: actor.username });
    this.emit({ type: 'like', name: 'post_liked', postId, userId: actor.id });
    return post;
  }

  /** discourse-solved: the topic's owner, staff (and TL4) may accept; one accepted answer per topic. */
  acceptAnswer(actor: UserRecord, postId: number): void {
    const post = this.visiblePost(actor, postId);
    const topic = this.topics.get(post.topicId) as TopicRecord;
    if (topic.userId !== actor.id && !isStaff(actor) && actor.trustLevel < 4) throw invalidAccess();
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

  /** discourse-solved: takes the accepted answer back (`unaccepted_solution`). */
  unacceptAnswer(actor: UserRecord, postId: number): void {
    const post = this.visiblePost(actor, postId);
    const topic = this.topics.get(post.topicId) as TopicRecord;
    if (topic.userId !== actor.id && !isStaff(actor) && actor.trustLevel < 4) throw invalidAccess();
    if (topic.acceptedAnswerPostId !== postId) throw unprocessable('This post is not the accepted answer.');
    topic.acceptedAnswerPostId = null;
    this.emit({ type: 'solved', name: 'unaccepted_solution', postId });
  }

  /** TopicsController#invite: private messages only since October 2022 (topic_invite.not_pm). */
  invite(actor: UserRecord, topicId: number, username: unknown): UserRecord {
    const topic = this.visibleTopic(actor, topicId);
    if (topic.archetype !== 'private_message') throw unprocessable('You can only invite users to private messages.');
    if (typeof username !== 'string' || username.trim() === '') throw badParameter('user');
    const user = this.userByName(username.trim());
    if (!user) throw unprocessable('The user could not be found.');
    if (topic.allowedUserIds.includes(user.id)) throw unprocessable(`${user.username} has already been invited.`);
    topic.allowedUserIds.push(user.id);
    this.invitations.push({ topicId, username: user.username, by: actor.username });
    this.notify(user.id, NOTIFICATION_TYPES.invited_to_private_message, topic, 1, { original_username: actor.username, display_username: actor.username });
    return user;
  }
}

export const isStaff = (u: UserRecord | undefined): boolean => !!u && (u.admin || u.moderator);
