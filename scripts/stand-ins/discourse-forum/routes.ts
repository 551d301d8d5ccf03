// The endpoints: each maps a spec path template (as written in openapi.json, so responses
// are validated by the same key) onto the model. Handlers return the JSON body, or a Reply
// for an empty body or another status.
import { basicUser, type Serializers } from './serializers.js';
import {
  badParameter,
  ForumError,
  invalidAccess,
  notFound,
  unprocessable,
  type ForumState,
  type JsonObject,
  type PendingPostRecord,
  type PostRecord,
  type TopicRecord,
  type UserRecord,
} from './state.js';

export interface RequestContext {
  params: Record<string, string>;
  query: URLSearchParams;
  body: JsonObject;
  /** The acting user (Api-Username under an admin key, or the key's own user). */
  user?: UserRecord;
}

/** A response other than a 200 JSON body. */
export class Reply {
  constructor(
    readonly status: number,
    readonly body?: unknown,
  ) {}
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path as in the spec (validation key). */
  template: string;
  /** The path served when it differs from the template (e.g. /t/{slug}/{id}.json). */
  path?: string;
  auth: 'required' | 'none';
  handle(ctx: RequestContext): unknown;
}

const actor = (ctx: RequestContext): UserRecord => {
  if (!ctx.user) throw invalidAccess();
  return ctx.user;
};

const staff = (u: UserRecord | undefined): boolean => !!u && (u.admin || u.moderator);

/** A path id: digits only, else the resource cannot exist. */
function idParam(ctx: RequestContext, name = 'id'): number {
  const value = ctx.params[name] ?? '';
  if (!/^\d+$/.test(value)) throw notFound();
  return Number(value);
}

/** An integer from JSON (number) or a form body (numeric string). */
function intField(body: JsonObject, key: string): number | undefined {
  const v = body[key];
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw new ForumError(400, [`${key} must be an integer`], 'invalid_parameters');
  return n;
}

function stringList(value: unknown): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string')
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  if (Array.isArray(value)) return value.map(String);
  throw new ForumError(400, ['tags must be a list of names'], 'invalid_parameters');
}

function page(query: URLSearchParams, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = query.get(name);
  if (raw === null || !/^\d+$/.test(raw)) return fallback;
  return Math.min(Number(raw), max);
}

/** Query flags Discourse reads as booleans (`include_raw=true`, `include_subcategories=1`). */
const flag = (query: URLSearchParams, name: string): boolean => ['true', '1'].includes(query.get(name) ?? '');

export function buildRoutes(state: ForumState, s: Serializers, opts: { megaTopicPosts: number }): Route[] {
  const pmsOf = (ctx: RequestContext, sentOnly: boolean): JsonObject => {
    const viewer = actor(ctx);
    const target = state.mustUser(ctx.params['username'] ?? '');
    if (target.id !== viewer.id && !viewer.admin) throw invalidAccess();
    const topics = [...state.topics.values()]
      .filter((t) => t.archetype === 'private_message' && !t.deletedAt && (sentOnly ? t.userId === target.id : t.allowedUserIds.includes(target.id)))
      .sort((a, b) => b.bumpedAt.getTime() - a.bumpedAt.getTime() || b.id - a.id);
    const p = page(ctx.query, 'page', 0);
    const extra: JsonObject = topics.length > (p + 1) * 30 ? { more_topics_url: `/topics/private-messages/${target.username}?page=${p + 1}` } : {};
    return s.topicList(topics.slice(p * 30, (p + 1) * 30), viewer, 'pm', extra);
  };

  const visibleRegular = (viewer: UserRecord | undefined) => (t: TopicRecord) => t.archetype === 'regular' && !t.deletedAt && state.canSee(viewer, t);
  const byBump = (a: TopicRecord, b: TopicRecord) => b.bumpedAt.getTime() - a.bumpedAt.getTime() || b.id - a.id;

  const topicView = (ctx: RequestContext): JsonObject => {
    const topic = state.visibleTopic(ctx.user, idParam(ctx));
    topic.views += 1;
    return s.topicView(topic, ctx.user, { includeRaw: flag(ctx.query, 'include_raw'), megaTopicPosts: opts.megaTopicPosts });
  };

  return [
    { method: 'GET', template: '/site/basic-info.json', auth: 'none', handle: () => s.basicInfo() },
    { method: 'GET', template: '/site.json', auth: 'required', handle: (ctx) => s.site(ctx.user) },
    { method: 'GET', template: '/categories.json', auth: 'required', handle: (ctx) => s.categoryList(ctx.user, flag(ctx.query, 'include_subcategories')) },
    {
      method: 'GET',
      template: '/c/{slug}/{id}.json',
      auth: 'required',
      handle(ctx) {
        const id = idParam(ctx);
        if (!state.categories.has(id)) throw notFound();
        const topics = [...state.topics.values()].filter((t) => t.categoryId === id && visibleRegular(ctx.user)(t)).sort(byBump);
        const perPage = 30;
        const p = page(ctx.query, 'page', 0);
        return s.topicList(topics.slice(p * perPage, (p + 1) * perPage), ctx.user, 'category', { per_page: perPage });
      },
    },
    { method: 'GET', template: '/tags.json', auth: 'required', handle: () => s.tagList() },
    {
      method: 'GET',
      template: '/latest.json',
      auth: 'required',
      handle(ctx) {
        const perPage = Math.max(1, page(ctx.query, 'per_page', 30, 100));
        const p = page(ctx.query, 'page', 0);
        const topics = [...state.topics.values()].filter(visibleRegular(ctx.user)).sort(byBump);
        const extra: JsonObject = { per_page: perPage };
        if (topics.length > (p + 1) * perPage) extra['more_topics_url'] = `/latest?page=${p + 1}${ctx.query.has('per_page') ? `&per_page=${perPage}` : ''}`;
        return s.topicList(topics.slice(p * perPage, (p + 1) * perPage), ctx.user, 'latest', extra);
      },
    },
    { method: 'GET', template: '/t/{id}.json', auth: 'required', handle: (ctx) => topicView(ctx) },
    {
      method: 'DELETE',
      template: '/t/{id}.json',
      auth: 'required',
      handle(ctx) {
        state.deleteTopic(actor(ctx), idParam(ctx));
        return new Reply(200);
      },
    },
    {
      method: 'GET',
      template: '/t/{id}/posts.json',
      auth: 'required',
      handle(ctx) {
        const topic = state.visibleTopic(ctx.user, idParam(ctx));
        const all = state.topicPosts(topic.id, ctx.user);
        const wanted = [...ctx.query.getAll('post_ids[]'), ...ctx.query.getAll('post_ids')].flatMap((v) => v.split(','));
        if (wanted.some((v) => !/^\d+$/.test(v.trim()))) throw new ForumError(400, ['post_ids must be integers'], 'invalid_parameters');
        const ids = new Set(wanted.map((v) => Number(v)));
        const posts = ids.size > 0 ? all.filter((p) => ids.has(p.id)) : all.slice(0, 20);
        return s.topicPostsView(topic, posts, ctx.user, flag(ctx.query, 'include_raw'));
      },
    },
    {
      method: 'PUT',
      template: '/t/-/{id}.json',
      auth: 'required',
      handle(ctx) {
        const changes = ctx.body['topic'] !== undefined ? ctx.body['topic'] : ctx.body;
        if (typeof changes !== 'object' || changes === null || Array.isArray(changes)) throw badParameter('topic');
        const c = changes as JsonObject;
        const topic = state.updateTopic(actor(ctx), idParam(ctx), {
          title: c['title'],
          categoryId: c['category_id'] === undefined ? undefined : intField(c, 'category_id'),
          tags: c['tags'] === undefined ? undefined : (stringList(c['tags']) ?? []),
        });
        const basic = {
          basic_topic: { id: topic.id, title: topic.title, fancy_title: topic.title, slug: topic.slug, posts_count: state.livePosts(topic.id).length },
        };
        // With tags submitted, TopicsController#update answers with the tags it kept (render_topic_with_tags).
        return c['tags'] === undefined ? basic : { ...basic, tags: topic.tags.map((name) => ({ id: state.tags.get(name) ?? 0, name, slug: name })) };
      },
    },
    {
      method: 'POST',
      template: '/t/{id}/invite.json',
      auth: 'required',
      handle(ctx) {
        if (ctx.body['email'] !== undefined && ctx.body['user'] === undefined) throw unprocessable('Email invitations are not supported by the fake forum.');
        const user = state.invite(actor(ctx), idParam(ctx), ctx.body['user']);
        return { user: basicUser(user) };
      },
    },
    {
      method: 'GET',
      template: '/posts.json',
      auth: 'required',
      handle(ctx) {
        // PostsController#latest: public regular posts with id <= before, newest first, 50 a page.
        const before = page(ctx.query, 'before', Number.MAX_SAFE_INTEGER);
        const posts = [...state.posts.values()]
          .filter((p) => p.id <= before && !p.deletedAt)
          .filter((p) => visibleRegular(ctx.user)(state.topics.get(p.topicId) as TopicRecord))
          .sort((a, b) => b.id - a.id)
          .slice(0, 50);
        return { latest_posts: posts.map((p) => s.latestPost(p, ctx.user)) };
      },
    },
    {
      method: 'POST',
      template: '/posts.json',
      auth: 'required',
      handle(ctx) {
        const user = actor(ctx);
        const b = ctx.body;
        if (b['raw'] === undefined) throw badParameter('raw');
        const createdAt =
          typeof b['created_at'] === 'string' && staff(user) && !Number.isNaN(Date.parse(b['created_at'])) ? new Date(b['created_at']) : undefined;
        const topicId = intField(b, 'topic_id');
        let made: PostRecord | { pending: PendingPostRecord };
        if (topicId !== undefined) {
          made = state.reply(user, topicId, b['raw'], { replyToPostNumber: intField(b, 'reply_to_post_number') ?? null, createdAt });
        } else if (b['archetype'] === 'private_message') {
          const recipients = b['target_recipients'] ?? b['target_usernames'];
          made = state.createPrivateMessage(user, typeof recipients === 'string' ? recipients.split(',') : [], b['title'], b['raw']).post;
        } else {
          const created = state.createTopic(user, {
            title: b['title'],
            raw: b['raw'],
            category: intField(b, 'category'),
            tags: stringList(b['tags']),
            createdAt,
          });
          made = 'pending' in created ? created : created.post;
        }
        // A post held for approval is not a post yet: 200 with action "enqueued" (NewPostManager).
        return 'pending' in made ? s.enqueued(made.pending) : s.createdPost(made, user);
      },
    },
    { method: 'GET', template: '/posts/{id}.json', auth: 'required', handle: (ctx) => s.singlePost(state.visiblePost(ctx.user, idParam(ctx)), ctx.user) },
    {
      method: 'PUT',
      template: '/posts/{id}.json',
      auth: 'required',
      handle(ctx) {
        const post = ctx.body['post'];
        if (typeof post !== 'object' || post === null || Array.isArray(post)) throw badParameter('post');
        const p = post as JsonObject;
        if (p['raw'] === undefined) throw badParameter('post[raw]');
        const reason = typeof p['edit_reason'] === 'string' ? p['edit_reason'] : undefined;
        const edited = state.editPost(actor(ctx), idParam(ctx), p['raw'], reason);
        return { post: s.createdPost(edited, ctx.user) };
      },
    },
    {
      method: 'DELETE',
      template: '/posts/{id}.json',
      auth: 'required',
      handle(ctx) {
        state.deletePost(actor(ctx), idParam(ctx));
        return new Reply(200);
      },
    },
    {
      method: 'POST',
      template: '/post_actions.json',
      auth: 'required',
      handle(ctx) {
        const id = intField(ctx.body, 'id');
        const type = intField(ctx.body, 'post_action_type_id');
        if (id === undefined) throw badParameter('id');
        if (type === undefined) throw badParameter('post_action_type_id');
        if (type !== 2) throw unprocessable('Only likes (post_action_type_id 2) are supported by the fake forum.');
        const post = state.like(actor(ctx), id);
        return s.actedPost(post, ctx.user);
      },
    },
    { method: 'GET', template: '/u/{username}.json', auth: 'required', handle: (ctx) => s.userProfile(state.mustUser(ctx.params['username'] ?? ''), ctx.user) },
    {
      // Staff may read anyone's e-mails (Discourse's can_check_emails); others only their own.
      method: 'GET',
      template: '/u/{username}/emails.json',
      auth: 'required',
      handle(ctx) {
        const user = state.mustUser(ctx.params['username'] ?? '');
        if (!staff(ctx.user) && ctx.user?.id !== user.id) throw invalidAccess();
        return { email: user.email, secondary_emails: [], unconfirmed_emails: [], associated_accounts: [] };
      },
    },
    {
      method: 'GET',
      template: '/admin/users/list/{flag}.json',
      auth: 'required',
      handle(ctx) {
        // Admin routes do not exist for non-staff (Discourse's AdminConstraint): 404.
        if (!staff(ctx.user)) throw notFound();
        const users = [...state.users.values()].filter((u) => u.id > 0);
        const pick: Record<string, (u: UserRecord) => boolean> = {
          active: () => true,
          new: (u) => u.trustLevel === 0,
          staff: (u) => u.admin || u.moderator,
          suspended: () => false,
          blocked: () => false,
          suspect: () => false,
        };
        const filter = pick[ctx.params['flag'] ?? ''];
        if (!filter) throw notFound();
        return users.filter(filter).map((u) => s.adminUser(u));
      },
    },
    {
      // UserAction filter 1 (likes given), newest first, 30 a page; private messages left out.
      method: 'GET',
      template: '/user_actions.json',
      auth: 'required',
      handle(ctx) {
        const target = state.mustUser(ctx.query.get('username') ?? '');
        if ((ctx.query.get('filter') ?? '') !== '1') return { user_actions: [] };
        const offset = page(ctx.query, 'offset', 0);
        const items = state.likes
          .filter((l) => l.userId === target.id)
          .map((l) => ({ like: l, post: state.posts.get(l.postId) as PostRecord }))
          .filter(({ post }) => !post.deletedAt && visibleRegular(ctx.user)(state.topics.get(post.topicId) as TopicRecord))
          .reverse()
          .slice(offset, offset + 30);
        return { user_actions: items.map(({ like, post }) => s.userActionLike(like, post, target)) };
      },
    },
    { method: 'GET', template: '/topics/private-messages/{username}.json', auth: 'required', handle: (ctx) => pmsOf(ctx, false) },
    { method: 'GET', template: '/topics/private-messages-sent/{username}.json', auth: 'required', handle: (ctx) => pmsOf(ctx, true) },
    {
      method: 'GET',
      template: '/notifications.json',
      auth: 'required',
      handle(ctx) {
        const user = actor(ctx);
        const mine = state.notifications.filter((n) => n.userId === user.id).sort((a, b) => b.id - a.id);
        return {
          notifications: mine.slice(0, 60).map((n) => s.notification(n)),
          total_rows_notifications: mine.length,
          seen_notification_id: 0,
          load_more_notifications: `/notifications?offset=60&username=${encodeURIComponent(user.username)}`,
        };
      },
    },
    // Last: /t/{slug}/{id}.json would also match /t/{id}/posts.json.
    { method: 'GET', template: '/t/{id}.json', path: '/t/{slug}/{id}.json', auth: 'required', handle: (ctx) => topicView(ctx) },
  ];
}
