// The JSON shapes the fake serves, one builder per spec schema. Several endpoints describe
// the "same" post or topic with different closed (additionalProperties: false) schemas, so
// each variant lists exactly the fields its schema allows; extras (like discourse-solved's
// accepted_answer) appear only where the schema is open. Webhook payloads follow Discourse's
// WebHookPostSerializer / WebHookTopicViewSerializer / WebHookLikeSerializer.
import { excerpt } from './cook.js';
import {
  NOTIFICATION_TYPES,
  type CategoryRecord,
  type ForumState,
  type JsonObject,
  type NotificationRecord,
  type PendingPostRecord,
  type PostRecord,
  type TopicRecord,
  type UserRecord,
} from './state.js';

const iso = (d: Date): string => d.toISOString();
const COLORS = ['8e7dd6', 'e47c59', '5e99b9', 'a87137', '3ab54a', 'bc79bd', '9de0ad', 'ed207b'];

export function avatarTemplate(user: UserRecord): string {
  if (user.id < 0) return '/images/discourse-logo-sketch-small.png';
  const color = COLORS[user.id % COLORS.length] ?? '8e7dd6';
  return `/letter_avatar_proxy/v4/letter/${user.username[0]?.toLowerCase() ?? 'x'}/${color}/{size}.png`;
}

export const basicUser = (user: UserRecord): JsonObject => ({ id: user.id, username: user.username, name: user.name, avatar_template: avatarTemplate(user) });

const staff = (u: UserRecord | undefined): boolean => !!u && (u.admin || u.moderator);

export class Serializers {
  constructor(
    private readonly state: ForumState,
    private readonly baseUrl: () => string,
  ) {}

  private topicOf(post: PostRecord): TopicRecord {
    return this.state.topics.get(post.topicId) as TopicRecord;
  }

  private likeCount(topic: TopicRecord): number {
    return this.state.livePosts(topic.id).reduce((n, p) => n + p.likedBy.length, 0);
  }

  private postUrl(post: PostRecord): string {
    const topic = this.topicOf(post);
    return `/t/${topic.slug}/${topic.id}/${post.postNumber}`;
  }

  /** Fields every post schema in the spec shares. */
  private postCore(post: PostRecord, viewer: UserRecord | undefined): JsonObject {
    const author = this.state.user(post.userId);
    const topic = this.topicOf(post);
    const mine = viewer?.id === post.userId;
    const replies = this.state.livePosts(topic.id).filter((p) => p.replyToPostNumber === post.postNumber).length;
    return {
      id: post.id,
      name: author.name,
      username: author.username,
      avatar_template: avatarTemplate(author),
      created_at: iso(post.createdAt),
      cooked: post.cooked,
      post_number: post.postNumber,
      post_type: 1,
      updated_at: iso(post.updatedAt),
      reply_count: replies,
      reply_to_post_number: post.replyToPostNumber,
      quote_count: 0,
      incoming_link_count: 0,
      reads: 1,
      readers_count: 0,
      score: post.likedBy.length * 15 + replies * 5,
      yours: mine,
      topic_id: topic.id,
      topic_slug: topic.slug,
      display_username: author.name,
      primary_group_name: null,
      flair_name: null,
      flair_url: null,
      flair_bg_color: null,
      flair_color: null,
      version: post.version,
      can_edit: !post.deletedAt && (mine || staff(viewer)),
      can_delete: !post.deletedAt && (mine || staff(viewer)),
      can_recover: !!post.deletedAt && staff(viewer),
      can_wiki: staff(viewer),
      user_title: null,
      bookmarked: false,
      moderator: author.moderator,
      admin: author.admin,
      staff: author.admin || author.moderator,
      user_id: author.id,
      hidden: false,
      trust_level: author.trustLevel,
      deleted_at: post.deletedAt ? iso(post.deletedAt) : null,
      user_deleted: false,
      edit_reason: post.editReason,
      can_view_edit_history: true,
      wiki: false,
      reviewable_score_count: 0,
      reviewable_score_pending_count: 0,
    };
  }

  /** actions_summary where the schema allows only {id, can_act}. */
  private shortActions(post: PostRecord, viewer: UserRecord | undefined): JsonObject[] {
    return [{ id: 2, can_act: !!viewer && viewer.id !== post.userId && !post.likedBy.includes(viewer.id) }];
  }

  /** actions_summary with counts (GET /posts/{id}.json, POST /post_actions.json). */
  private fullActions(post: PostRecord, viewer: UserRecord | undefined): JsonObject[] {
    const acted = !!viewer && post.likedBy.includes(viewer.id);
    const like: JsonObject = { id: 2, can_act: !!viewer && viewer.id !== post.userId && !acted };
    if (post.likedBy.length > 0) like['count'] = post.likedBy.length;
    if (acted) Object.assign(like, { acted: true, can_undo: true });
    return [like];
  }

  private solvedFields(post: PostRecord): JsonObject {
    const topic = this.topicOf(post);
    const out: JsonObject = {};
    if (topic.acceptedAnswerPostId === post.id) out['accepted_answer'] = true;
    if (topic.acceptedAnswerPostId !== null) out['topic_accepted_answer'] = true;
    return out;
  }

  /**
   * A post inside GET /t/{id}.json and GET /t/{id}/posts.json; `raw` with include_raw=true
   * (TopicViewSerializer's include_raw), and discourse-solved's accepted_answer.
   */
  topicViewPost(post: PostRecord, viewer: UserRecord | undefined, includeRaw = false): JsonObject {
    const out: JsonObject = {
      ...this.postCore(post, viewer),
      can_see_hidden_post: staff(viewer),
      link_counts: [],
      read: true,
      actions_summary: this.shortActions(post, viewer),
      reviewable_id: 0,
    };
    if (includeRaw) out['raw'] = post.raw;
    if (this.topicOf(post).acceptedAnswerPostId === post.id) out['accepted_answer'] = true;
    return out;
  }

  /** GET /posts/{id}.json (open schema: discourse-solved fields included). */
  singlePost(post: PostRecord, viewer: UserRecord | undefined): JsonObject {
    const topic = this.topicOf(post);
    return {
      ...this.postCore(post, viewer),
      posts_count: this.state.livePosts(topic.id).length,
      flair_group_id: null,
      can_see_hidden_post: staff(viewer),
      raw: post.raw,
      actions_summary: this.fullActions(post, viewer),
      reviewable_id: null,
      post_url: this.postUrl(post),
      mentioned_users: [],
      ...this.solvedFields(post),
    };
  }

  /** POST /posts.json and the `post` of PUT /posts/{id}.json (closed schemas). */
  createdPost(post: PostRecord, viewer: UserRecord | undefined): JsonObject {
    const topic = this.topicOf(post);
    return {
      ...this.postCore(post, viewer),
      posts_count: this.state.livePosts(topic.id).length,
      raw: post.raw,
      flair_group_id: null,
      badges_granted: [],
      can_see_hidden_post: staff(viewer),
      actions_summary: this.shortActions(post, viewer),
      draft_sequence: 0,
      reviewable_id: null,
      post_url: this.postUrl(post),
      mentioned_users: [],
      post_localizations: [],
    };
  }

  /** POST /post_actions.json (open schema). */
  actedPost(post: PostRecord, viewer: UserRecord | undefined): JsonObject {
    const topic = this.topicOf(post);
    return {
      ...this.postCore(post, viewer),
      posts_count: this.state.livePosts(topic.id).length,
      flair_group_id: null,
      badges_granted: [],
      can_see_hidden_post: staff(viewer),
      actions_summary: this.fullActions(post, viewer),
      reviewable_id: null,
      post_url: this.postUrl(post),
    };
  }

  /** An entry of GET /posts.json latest_posts (closed schema). */
  latestPost(post: PostRecord, viewer: UserRecord | undefined): JsonObject {
    const topic = this.topicOf(post);
    const ex = excerpt(post.cooked);
    return {
      ...this.postCore(post, viewer),
      posts_count: this.state.livePosts(topic.id).length,
      topic_title: topic.title,
      topic_html_title: topic.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'),
      category_id: topic.categoryId ?? this.state.uncategorizedId,
      flair_group_id: null,
      badges_granted: [],
      can_see_hidden_post: staff(viewer),
      raw: post.raw,
      actions_summary: this.shortActions(post, viewer),
      excerpt: ex.text,
      truncated: ex.truncated,
      reviewable_id: null,
      post_url: this.postUrl(post),
    };
  }

  /** WebHookPostSerializer: the single-post fields minus viewer-specific ones, plus topic fields. */
  webhookPost(post: PostRecord): JsonObject {
    const topic = this.topicOf(post);
    const full = this.singlePost(post, undefined);
    for (const key of Object.keys(full)) {
      if (key === 'actions_summary' || key === 'mentioned_users' || key === 'yours' || key.startsWith('can_')) delete full[key];
    }
    const category = this.state.category(topic.categoryId);
    return {
      ...full,
      topic_title: topic.title,
      category_id: topic.categoryId,
      category_slug: category?.slug ?? null,
      topic_posts_count: this.state.livePosts(topic.id).length,
      topic_filtered_posts_count: this.state.livePosts(topic.id).length,
      topic_archetype: topic.archetype,
    };
  }

  // ---- topics -----------------------------------------------------------------------------

  private tagObjects(topic: TopicRecord): JsonObject[] {
    return topic.tags.map((name) => ({ id: this.state.tags.get(name) ?? 0, name, slug: name }));
  }

  private lastPoster(topic: TopicRecord): UserRecord {
    const posts = this.state.livePosts(topic.id);
    const last = posts.at(-1) ?? this.state.firstPost(topic.id);
    return this.state.user(last?.userId ?? topic.userId);
  }

  /** Fields of the topic view shared by GET /t/{id}.json and the webhook topic. */
  private topicViewCore(topic: TopicRecord, viewer: UserRecord | undefined): JsonObject {
    const posts = this.state.livePosts(topic.id);
    const last = posts.at(-1);
    const participants = new Set(posts.map((p) => p.userId));
    return {
      tags: this.tagObjects(topic),
      tags_descriptions: {},
      id: topic.id,
      title: topic.title,
      fancy_title: topic.title,
      posts_count: posts.length,
      created_at: iso(topic.createdAt),
      views: topic.views,
      reply_count: Math.max(0, posts.length - 1),
      like_count: this.likeCount(topic),
      last_posted_at: last ? iso(last.createdAt) : null,
      visible: true,
      closed: false,
      archived: false,
      has_summary: false,
      archetype: topic.archetype,
      slug: topic.slug,
      category_id: topic.categoryId,
      word_count: posts.reduce((n, p) => n + p.raw.split(/\s+/).filter(Boolean).length, 0),
      deleted_at: topic.deletedAt ? iso(topic.deletedAt) : null,
      user_id: topic.userId,
      featured_link: null,
      pinned_globally: false,
      pinned_at: null,
      pinned_until: null,
      image_url: null,
      slow_mode_seconds: 0,
      unpinned: null,
      pinned: false,
      current_post_number: 1,
      highest_post_number: topic.highestPostNumber,
      deleted_by: null,
      has_deleted: this.state.topicPosts(topic.id, viewer).some((p) => p.deletedAt !== null),
      actions_summary: [4, 8, 10, 7].map((id) => ({ id, count: 0, hidden: false, can_act: !!viewer })),
      chunk_size: 20,
      bookmarked: false,
      bookmarks: [],
      topic_timer: null,
      message_bus_last_id: 0,
      participant_count: participants.size,
      show_read_indicator: false,
      thumbnails: null,
      slow_mode_enabled_until: null,
    };
  }

  /**
   * GET /t/{id}.json: the first 20 posts and every post id in `stream` (not for mega topics:
   * TopicView leaves `stream` out from MEGA_TOPIC_POSTS posts on). Private messages list their
   * recipients in details.allowed_users / allowed_groups; a solved topic carries accepted_answer.
   */
  topicView(topic: TopicRecord, viewer: UserRecord | undefined, opts: { includeRaw?: boolean; megaTopicPosts: number }): JsonObject {
    const all = this.state.topicPosts(topic.id, viewer);
    const creator = this.state.user(topic.userId);
    const posters = new Map<number, number>();
    for (const p of this.state.livePosts(topic.id)) posters.set(p.userId, (posters.get(p.userId) ?? 0) + 1);
    const mine = viewer?.id === topic.userId;
    const stream = all.length >= opts.megaTopicPosts ? {} : { stream: all.map((p) => p.id) };
    const accepted = topic.acceptedAnswerPostId !== null ? this.state.posts.get(topic.acceptedAnswerPostId) : undefined;
    const pm =
      topic.archetype === 'private_message' ? { allowed_users: topic.allowedUserIds.map((id) => basicUser(this.state.user(id))), allowed_groups: [] } : {};
    return {
      post_stream: { posts: all.slice(0, 20).map((p) => this.topicViewPost(p, viewer, opts.includeRaw)), ...stream },
      timeline_lookup: [[1, 0]],
      suggested_topics: [],
      ...this.topicViewCore(topic, viewer),
      draft: null,
      draft_key: `topic_${topic.id}`,
      draft_sequence: 0,
      details: {
        can_edit: mine || staff(viewer),
        notification_level: 1,
        can_move_posts: staff(viewer),
        can_delete: staff(viewer),
        can_remove_allowed_users: staff(viewer),
        can_create_post: !!viewer,
        can_reply_as_new_topic: !!viewer,
        can_invite_to: !!viewer,
        can_flag_topic: !!viewer,
        can_convert_topic: staff(viewer),
        can_review_topic: staff(viewer),
        can_close_topic: staff(viewer),
        can_archive_topic: staff(viewer),
        can_split_merge_topic: staff(viewer),
        can_edit_staff_notes: staff(viewer),
        can_toggle_topic_visibility: staff(viewer),
        can_pin_unpin_topic: staff(viewer),
        can_moderate_category: staff(viewer),
        can_remove_self_id: viewer?.id ?? 0,
        participants: [...posters].map(([id, count]) => {
          const u = this.state.user(id);
          return {
            ...basicUser(u),
            post_count: count,
            primary_group_name: null,
            flair_name: null,
            flair_url: null,
            flair_color: null,
            flair_bg_color: null,
            flair_group_id: null,
            admin: u.admin,
            moderator: u.moderator,
            trust_level: u.trustLevel,
          };
        }),
        created_by: basicUser(creator),
        last_poster: basicUser(this.lastPoster(topic)),
        ...pm,
      },
      ...(accepted ? { accepted_answer: this.acceptedAnswer(accepted) } : {}),
    };
  }

  /** WebHookTopicViewSerializer: the topic view without streams and details, plus users. */
  webhookTopic(topic: TopicRecord): JsonObject {
    const out: JsonObject = {
      ...this.topicViewCore(topic, undefined),
      created_by: basicUser(this.state.user(topic.userId)),
      last_poster: basicUser(this.lastPoster(topic)),
    };
    const accepted = topic.acceptedAnswerPostId !== null ? this.state.posts.get(topic.acceptedAnswerPostId) : undefined;
    if (accepted) out['accepted_answer'] = this.acceptedAnswer(accepted);
    return out;
  }

  /** discourse-solved's topic `accepted_answer`. */
  acceptedAnswer(post: PostRecord): JsonObject {
    const author = this.state.user(post.userId);
    return { post_number: post.postNumber, username: author.username, name: author.name, excerpt: excerpt(post.cooked).text };
  }

  /** GET /t/{id}/posts.json. */
  topicPostsView(topic: TopicRecord, posts: PostRecord[], viewer: UserRecord | undefined, includeRaw = false): JsonObject {
    return { post_stream: { posts: posts.map((p) => this.topicViewPost(p, viewer, includeRaw)) }, id: topic.id };
  }

  /** One item of GET /user_actions.json for a like `liker` gave (action_type 1). */
  userActionLike(like: { at: Date }, post: PostRecord, liker: UserRecord): JsonObject {
    const topic = this.topicOf(post);
    const author = this.state.user(post.userId);
    return {
      excerpt: excerpt(post.cooked).text,
      action_type: 1,
      created_at: iso(like.at),
      avatar_template: avatarTemplate(author),
      acting_avatar_template: avatarTemplate(liker),
      slug: topic.slug,
      topic_id: topic.id,
      target_user_id: author.id,
      target_name: author.name,
      target_username: author.username,
      post_number: post.postNumber,
      post_id: String(post.id),
      username: author.username,
      name: author.name,
      user_id: author.id,
      acting_username: liker.username,
      acting_name: liker.name,
      acting_user_id: liker.id,
      title: topic.title,
      deleted: false,
      hidden: null,
      post_type: null,
      action_code: null,
      category_id: topic.categoryId ?? this.state.uncategorizedId,
      closed: false,
      archived: false,
    };
  }

  /** POST /posts.json for a post held for approval (NewPostResultSerializer, action "enqueued"). */
  enqueued(pending: PendingPostRecord): JsonObject {
    return {
      action: 'enqueued',
      pending_post: { id: pending.id, raw: pending.raw, created_at: iso(pending.createdAt) },
      pending_count: [...this.state.pendingPosts.values()].filter((p) => p.userId === pending.userId).length,
      success: true,
    };
  }

  private posters(topic: TopicRecord): JsonObject[] {
    const posts = this.state.livePosts(topic.id);
    const ids = [...new Set(posts.map((p) => p.userId))];
    const lastId = posts.at(-1)?.userId;
    return ids.slice(0, 5).map((id, i) => ({
      extras: id === lastId ? 'latest' : '',
      description:
        i === 0 ? (id === lastId ? 'Original Poster, Most Recent Poster' : 'Original Poster') : id === lastId ? 'Most Recent Poster' : 'Frequent Poster',
      user_id: id,
      primary_group_id: null,
    }));
  }

  /**
   * A topic list item. `variant` picks the schema: 'latest' (open: tags, excerpt and
   * has_accepted_answer included), 'category' (closed), 'pm' (open, with participants).
   */
  topicListItem(topic: TopicRecord, viewer: UserRecord | undefined, variant: 'latest' | 'category' | 'pm'): JsonObject {
    const posts = this.state.livePosts(topic.id);
    const first = posts[0];
    const last = posts.at(-1);
    const liked = !!viewer && posts.some((p) => p.likedBy.includes(viewer.id));
    const item: JsonObject = {
      id: topic.id,
      title: topic.title,
      fancy_title: topic.title,
      slug: topic.slug,
      posts_count: posts.length,
      reply_count: Math.max(0, posts.length - 1),
      highest_post_number: topic.highestPostNumber,
      created_at: iso(topic.createdAt),
      last_posted_at: iso(last?.createdAt ?? topic.createdAt),
      bumped: true,
      bumped_at: iso(topic.bumpedAt),
      archetype: topic.archetype,
      unseen: false,
      pinned: false,
      unpinned: null,
      visible: true,
      closed: false,
      archived: false,
      bookmarked: variant === 'category' ? null : false,
      liked: variant === 'category' ? null : liked,
      views: topic.views,
      like_count: this.likeCount(topic),
      has_summary: false,
      last_poster_username: this.lastPoster(topic).username,
      category_id: topic.categoryId,
      pinned_globally: false,
      featured_link: null,
      posters: this.posters(topic),
    };
    if (variant === 'category') return { ...item, image_url: null, excerpt: first ? excerpt(first.cooked).text : '' };
    Object.assign(item, { last_read_post_number: topic.highestPostNumber, unread_posts: 0, notification_level: 1 });
    if (variant === 'latest') {
      return {
        ...item,
        op_like_count: first?.likedBy.length ?? 0,
        tags: [...topic.tags],
        has_accepted_answer: topic.acceptedAnswerPostId !== null,
        excerpt: first ? excerpt(first.cooked).text : '',
      };
    }
    return {
      ...item,
      image_url: null,
      category_id: null,
      allowed_user_count: topic.allowedUserIds.length,
      participants: topic.allowedUserIds.map((id) => ({ extras: id === last?.userId ? 'latest' : '', description: null, user_id: id, primary_group_id: null })),
    };
  }

  /** A topic list response: `users` holds everyone the items reference. */
  topicList(topics: TopicRecord[], viewer: UserRecord | undefined, variant: 'latest' | 'category' | 'pm', extra: JsonObject = {}): JsonObject {
    const items = topics.map((t) => this.topicListItem(t, viewer, variant));
    const ids = new Set<number>();
    for (const item of items) {
      for (const p of item['posters'] as { user_id: number }[]) ids.add(p.user_id);
      for (const p of (item['participants'] as { user_id: number }[] | undefined) ?? []) ids.add(p.user_id);
    }
    const users = [...ids].map((id) => basicUser(this.state.user(id)));
    const topicList: JsonObject = { can_create_topic: !!viewer, per_page: 30, ...extra, topics: items };
    if (variant !== 'category') Object.assign(topicList, { draft: null, draft_key: 'new_topic', draft_sequence: 0 });
    return { users, primary_groups: [], topic_list: topicList };
  }

  // ---- site, categories, tags, users --------------------------------------------------------

  basicInfo(): JsonObject {
    return {
      logo_url: '/images/discourse-logo-sketch.png',
      logo_small_url: '/images/discourse-logo-sketch-small.png',
      apple_touch_icon_url: '/images/default-apple-touch-icon.png',
      favicon_url: '/images/default-favicon.ico',
      title: this.state.title,
      description: 'A fake Discourse forum for tests',
      header_primary_color: '333333',
      header_background_color: 'ffffff',
      login_required: true,
      locale: 'en',
      include_in_discourse_discover: false,
      mobile_logo_url: '',
    };
  }

  private categoryCounts(id: number): { topics: number; posts: number } {
    const topics = [...this.state.topics.values()].filter((t) => t.categoryId === id && !t.deletedAt);
    return { topics: topics.length, posts: topics.reduce((n, t) => n + this.state.livePosts(t.id).length, 0) };
  }

  private children(id: number): CategoryRecord[] {
    return [...this.state.categories.values()].filter((c) => c.parentCategoryId === id);
  }

  /** Fields every category schema shares; `permission` is the viewer's: 1 create, 2 reply. */
  private categoryCommon(id: number, viewer: UserRecord | undefined): JsonObject {
    const c = this.state.categories.get(id);
    if (!c) throw new Error(`no category ${id}`);
    const counts = this.categoryCounts(id);
    const children = this.children(id);
    return {
      id: c.id,
      name: c.name,
      color: c.color,
      text_color: c.textColor,
      slug: c.slug,
      topic_count: counts.topics,
      post_count: counts.posts,
      position: c.position,
      description: c.description,
      description_text: c.description,
      description_excerpt: c.description,
      topic_url: `/t/about-the-${c.slug}-category/${c.id}`,
      read_restricted: false,
      permission: this.state.canCreateTopicIn(viewer, c) ? 1 : 2,
      notification_level: 1,
      topic_template: null,
      topic_title_placeholder: null,
      has_children: children.length > 0,
      subcategory_count: children.length > 0 ? children.length : null,
      sort_order: null,
      sort_ascending: null,
      show_subcategory_list: false,
      num_featured_topics: 3,
      default_view: null,
      subcategory_list_style: 'rows_with_featured_topics',
      default_top_period: 'all',
      default_list_filter: 'all',
      minimum_required_tags: 0,
      navigate_to_first_post_after_read: false,
      uploaded_logo: null,
      uploaded_logo_dark: null,
      uploaded_background: null,
      uploaded_background_dark: null,
    };
  }

  /**
   * GET /categories.json: top-level categories only, their children as `subcategory_ids`, and
   * nested in `subcategory_list` with include_subcategories=true (CategoryList).
   */
  categoryList(viewer: UserRecord | undefined, includeSubcategories = false): JsonObject {
    const entry = (id: number, nested: boolean): JsonObject => {
      const counts = this.categoryCounts(id);
      const children = this.children(id);
      return {
        ...this.categoryCommon(id, viewer),
        style_type: 'square',
        emoji: null,
        icon: null,
        can_edit: staff(viewer),
        topics_day: 0,
        topics_week: counts.topics,
        topics_month: counts.topics,
        topics_year: counts.topics,
        topics_all_time: counts.topics,
        is_uncategorized: id === this.state.uncategorizedId,
        subcategory_ids: children.map((c) => c.id),
        ...(nested && children.length > 0 ? { subcategory_list: children.map((c) => entry(c.id, false)) } : {}),
      };
    };
    return {
      category_list: {
        can_create_category: staff(viewer),
        can_create_topic: !!viewer,
        categories: [...this.state.categories.values()].filter((c) => c.parentCategoryId === null).map((c) => entry(c.id, includeSubcategories)),
      },
    };
  }

  site(viewer: UserRecord | undefined): JsonObject {
    const tags = [...this.state.tags].map(([name, id]) => ({ id, name, slug: name }));
    const actionType = (id: number, key: string, name: string, isFlag: boolean): JsonObject => ({
      id,
      name_key: key,
      name,
      description: name,
      short_description: name,
      is_flag: isFlag,
      require_message: false,
      enabled: true,
      applies_to: ['Post', 'Chat::Message'],
      is_used: false,
      position: id,
      auto_action_type: !isFlag,
      system: true,
    });
    return {
      default_archetype: 'regular',
      notification_types: { ...NOTIFICATION_TYPES },
      post_types: { regular: 1, moderator_action: 2, small_action: 3, whisper: 4 },
      trust_levels: { newuser: 0, basic: 1, member: 2, regular: 3, leader: 4 },
      groups: [{ id: 1, name: 'admins', flair_url: null, flair_bg_color: null, flair_color: null, automatic: true }],
      filters: ['latest', 'unread', 'new', 'top'],
      homepage_choices: [],
      periods: ['all', 'yearly', 'quarterly', 'monthly', 'weekly', 'daily'],
      top_menu_items: ['latest', 'new', 'unread', 'top', 'categories'],
      anonymous_top_menu_items: ['latest', 'top', 'categories'],
      uncategorized_category_id: this.state.uncategorizedId,
      user_field_max_length: 2048,
      post_action_types: [
        actionType(2, 'like', 'Like', false),
        actionType(3, 'off_topic', 'Off-Topic', true),
        actionType(4, 'inappropriate', 'Inappropriate', true),
      ],
      topic_flag_types: [actionType(4, 'inappropriate', 'Inappropriate', true)],
      can_create_tag: this.state.canCreateTags(viewer),
      can_tag_topics: !!viewer,
      can_tag_pms: staff(viewer),
      tags_filter_regexp: '[/\\?#\\[\\]@!\\$&\'\\(\\)\\*\\+,;=\\.%\\\\`^\\s|\\{\\}"<>]+',
      top_tags: tags,
      email_configured: false,
      topic_featured_link_allowed_category_ids: [],
      user_themes: [{ theme_id: 1, name: 'Default', default: true, color_scheme_id: null }],
      user_color_schemes: [],
      default_light_color_scheme: null,
      default_dark_color_scheme: null,
      censored_regexp: [],
      custom_emoji_translation: {},
      watched_words_replace: null,
      watched_words_link: null,
      // Flat, subcategories included, each with parent_category_id (SiteSerializer).
      categories: [...this.state.categories.values()].map((c) => ({
        ...this.categoryCommon(c.id, viewer),
        topic_url: `/t/about-the-${c.slug}-category/${c.id}`,
        allow_global_tags: false,
        required_tag_groups: [],
        read_only_banner: null,
        can_edit: staff(viewer),
        ...(c.parentCategoryId !== null ? { parent_category_id: c.parentCategoryId } : {}),
      })),
      archetypes: [{ id: 'regular', name: 'Regular Topic', options: [] }],
      user_fields: [],
      auth_providers: [],
      full_name_required_for_signup: false,
      full_name_visible_in_signup: true,
    };
  }

  tagList(): JsonObject {
    const count = (name: string, pm: boolean) =>
      [...this.state.topics.values()].filter((t) => !t.deletedAt && t.tags.includes(name) && (t.archetype === 'private_message') === pm).length;
    return {
      tags: [...this.state.tags].map(([name, id]) => ({ id, text: name, name, count: count(name, false), pm_count: count(name, true), target_tag: null })),
      extras: { categories: [] },
    };
  }

  userProfile(user: UserRecord, viewer: UserRecord | undefined): JsonObject {
    const posts = [...this.state.posts.values()].filter((p) => p.userId === user.id && !p.deletedAt);
    const topics = [...this.state.topics.values()].filter((t) => t.userId === user.id && !t.deletedAt && t.archetype === 'regular');
    const last = posts.reduce<Date | null>((d, p) => (!d || p.createdAt > d ? p.createdAt : d), null);
    const featured = topics.at(-1);
    const self = viewer?.id === user.id;
    const schedule: JsonObject = { enabled: false };
    for (let d = 0; d < 7; d++) Object.assign(schedule, { [`day_${d}_start_time`]: 480, [`day_${d}_end_time`]: 1020 });
    return {
      user_badges: [],
      user: {
        ...basicUser(user),
        last_posted_at: last ? iso(last) : null,
        last_seen_at: null,
        created_at: iso(user.createdAt),
        ignored: false,
        muted: false,
        can_ignore_user: !self,
        can_mute_user: !self,
        can_send_private_messages: !!viewer,
        can_send_private_message_to_user: !!viewer && !self,
        trust_level: user.trustLevel,
        moderator: user.moderator,
        admin: user.admin,
        title: null,
        badge_count: 0,
        custom_fields: {},
        time_read: 0,
        recent_time_read: 0,
        primary_group_id: null,
        primary_group_name: null,
        flair_group_id: null,
        flair_name: null,
        flair_url: null,
        flair_bg_color: null,
        flair_color: null,
        featured_topic: featured
          ? { id: featured.id, title: featured.title, fancy_title: featured.title, slug: featured.slug, posts_count: this.state.livePosts(featured.id).length }
          : null,
        staged: false,
        can_edit: self || staff(viewer),
        can_edit_username: self || staff(viewer),
        can_edit_email: self || staff(viewer),
        can_edit_name: self || staff(viewer),
        uploaded_avatar_id: null,
        has_title_badges: false,
        pending_count: 0,
        profile_view_count: 0,
        second_factor_enabled: false,
        can_upload_profile_header: self,
        can_upload_user_card_background: self,
        post_count: posts.length,
        topic_count: topics.length,
        can_be_deleted: staff(viewer) && !self,
        can_delete_all_posts: staff(viewer),
        locale: null,
        muted_category_ids: [],
        regular_category_ids: [],
        watched_tags: [],
        watching_first_post_tags: [],
        tracked_tags: [],
        muted_tags: [],
        tracked_category_ids: [],
        watched_category_ids: [],
        watched_first_post_category_ids: [],
        system_avatar_upload_id: null,
        system_avatar_template: avatarTemplate(user),
        muted_usernames: [],
        ignored_usernames: [],
        allowed_pm_usernames: [],
        mailing_list_posts_per_day: 0,
        can_change_bio: self,
        can_change_location: self,
        can_change_website: self,
        can_change_tracking_preferences: self,
        user_api_keys: null,
        user_auth_tokens: [],
        user_notification_schedule: schedule,
        use_logo_small_as_avatar: false,
        featured_user_badge_ids: [],
        invited_by: null,
        groups: [],
        group_users: [],
        user_option: {
          user_id: user.id,
          mailing_list_mode: false,
          mailing_list_mode_frequency: 1,
          email_digests: true,
          email_level: 1,
          email_messages_level: 0,
          external_links_in_new_tab: false,
          color_scheme_id: null,
          dark_scheme_id: null,
          dynamic_favicon: false,
          enable_quoting: true,
          enable_smart_lists: true,
          enable_markdown_monospace_font: false,
          digest_after_minutes: 10080,
          automatically_unpin_topics: true,
          auto_track_topics_after_msecs: 240000,
          notification_level_when_replying: 2,
          new_topic_duration_minutes: 2880,
          email_previous_replies: 2,
          email_in_reply_to: true,
          like_notification_frequency: 1,
          notify_on_linked_posts: true,
          push_notification_level: 'always',
          enable_upcoming_change_available_notifications: false,
          include_tl0_in_digests: false,
          theme_ids: [1],
          theme_key_seq: 0,
          allow_private_messages: true,
          enable_allowed_pm_users: false,
          homepage_id: null,
          hide_profile_and_presence: false,
          hide_profile: false,
          hide_presence: false,
          text_size: 'normal',
          text_size_seq: 0,
          title_count_mode: 'notifications',
          timezone: null,
          skip_new_user_tips: false,
          topics_unread_when_closed: true,
          interface_color_mode: 0,
          automatically_translate: false,
          understood_languages: [],
          show_original_content: false,
          send_shortcut: 'ctrl_enter',
        },
      },
    };
  }

  adminUser(user: UserRecord): JsonObject {
    const posts = [...this.state.posts.values()].filter((p) => p.userId === user.id && !p.deletedAt).length;
    return {
      ...basicUser(user),
      active: true,
      admin: user.admin,
      moderator: user.moderator,
      last_seen_at: null,
      last_emailed_at: null,
      created_at: iso(user.createdAt),
      last_seen_age: null,
      last_emailed_age: null,
      created_at_age: (Date.now() - user.createdAt.getTime()) / 1000,
      trust_level: user.trustLevel,
      manual_locked_trust_level: null,
      title: null,
      time_read: 0,
      staged: false,
      days_visited: 0,
      posts_read_count: 0,
      topics_entered: 0,
      post_count: posts,
    };
  }

  notification(n: NotificationRecord): JsonObject {
    const topic = n.topicId !== null ? this.state.topics.get(n.topicId) : undefined;
    return {
      id: n.id,
      user_id: n.userId,
      notification_type: n.type,
      read: n.read,
      high_priority: false,
      created_at: iso(n.createdAt),
      post_number: n.postNumber,
      topic_id: n.topicId,
      fancy_title: topic?.title,
      slug: topic?.slug ?? null,
      data: n.data,
    };
  }

  instanceUrl(): string {
    return this.baseUrl();
  }
}
