// Finding a post an earlier, unanswered attempt may have created (see marker.ts for the marker).
// Only `raw` carries the marker (the rendered `cooked` HTML has comments stripped), and in the
// spec only GET /posts/{id}.json and GET /posts.json return raw, so each lookup first narrows the
// candidates to recent posts by the acting user, then reads their raw:
//  - replies: the tail of the topic's post stream (GET /t/{id}.json gives all post ids, GET
//    /t/{id}/posts.json the authors of the tail), then GET /posts/{id}.json per own post. Scanning
//    the topic rather than the site-wide feed keeps the search bounded however busy the forum is.
//    A mega topic (10,000+ posts) has no stream: then the site-wide feed, as for new topics.
//  - new topics: GET /posts.json (site-wide newest posts, with raw) looking for an own first post,
//    a couple of pages back. There is no topic id to narrow by yet.
//  - private messages: they never appear in GET /posts.json, so the acting user's sent-messages
//    list (GET /topics/private-messages-sent/{username}.json), newest first, then each one's
//    first post.
// The lookups send once (no retry loop of their own): a failed lookup fails that attempt, and the
// write's retry loop looks again before it would send.
import { hasMarker } from './marker.js';
import type { Send } from './http.js';
import type { Post } from './types.js';

export interface LookupLimits {
  /** How many of a topic's newest posts a reply lookup examines. */
  topicTailPosts: number;
  /** How many pages (about 50 posts each) of GET /posts.json a new-topic lookup examines. */
  latestPostsPages: number;
  /** How many of the newest sent private messages a message lookup examines. */
  sentMessages: number;
}

export const DEFAULT_LOOKUP_LIMITS: LookupLimits = { topicTailPosts: 30, latestPostsPages: 2, sentMessages: 5 };

export interface LookupContext {
  send: Send;
  /** The acting Api-Username: only their posts can be ours. */
  username: string;
  key: string;
  limits: LookupLimits;
}

const sameUser = (a: string | undefined, b: string): boolean => a !== undefined && a.toLowerCase() === b.toLowerCase();

async function readPost(ctx: LookupContext, id: number): Promise<Post> {
  return ctx.send({ method: 'get', path: '/posts/{id}.json', params: { id }, username: ctx.username });
}

/** The first of `ids` (in order) whose raw carries the marker. */
async function firstMarked(ctx: LookupContext, ids: readonly number[]): Promise<Post | undefined> {
  for (const id of ids) {
    const post = await readPost(ctx, id);
    if (hasMarker(post.raw, ctx.key)) return post;
  }
  return undefined;
}

export async function findReply(ctx: LookupContext, topicId: number): Promise<Post | undefined> {
  const topic = await ctx.send({ method: 'get', path: '/t/{id}.json', params: { id: topicId }, username: ctx.username });
  const streamIds = (topic.post_stream as { stream?: unknown[] }).stream;
  if (streamIds === undefined) return findInLatest(ctx, (p) => p.topic_id === topicId && p.post_number > 1);
  const stream = streamIds.filter((id): id is number => typeof id === 'number');
  const loaded = new Map(topic.post_stream.posts.map((p) => [p.id, p.username] as const));
  const tail = (stream.length > 0 ? stream : [...loaded.keys()]).slice(-ctx.limits.topicTailPosts);
  const authors = new Map<number, string | undefined>(loaded);
  const missing = tail.filter((id) => !authors.has(id));
  if (missing.length > 0) {
    const page = await ctx.send({
      method: 'get',
      path: '/t/{id}/posts.json',
      params: { id: topicId },
      query: { 'post_ids[]': missing },
      username: ctx.username,
    });
    for (const p of page.post_stream?.posts ?? []) if (p.id !== undefined) authors.set(p.id, p.username);
  }
  const own = tail.filter((id) => sameUser(authors.get(id), ctx.username)).reverse(); // newest first
  return firstMarked(ctx, own);
}

export function findTopic(ctx: LookupContext): Promise<Post | undefined> {
  return findInLatest(ctx, (p) => p.post_number === 1);
}

/** The acting user's newest marked post among the site's latest posts that `wanted` accepts. */
async function findInLatest(ctx: LookupContext, wanted: (p: { topic_id: number; post_number: number }) => boolean): Promise<Post | undefined> {
  let before: number | undefined;
  for (let page = 0; page < ctx.limits.latestPostsPages; page++) {
    const { latest_posts: posts } = await ctx.send({
      method: 'get',
      path: '/posts.json',
      query: { before },
      username: ctx.username,
    });
    for (const p of posts) {
      if (wanted(p) && sameUser(p.username, ctx.username) && hasMarker(p.raw, ctx.key)) {
        return readPost(ctx, p.id); // the full post, the same shape every lookup returns
      }
    }
    if (posts.length === 0) return undefined;
    // `before` is inclusive on some Discourse versions: the next page may repeat this post, harmlessly.
    before = Math.min(...posts.map((p) => p.id));
  }
  return undefined;
}

export async function findPrivateMessage(ctx: LookupContext): Promise<Post | undefined> {
  const list = await ctx.send({
    method: 'get',
    path: '/topics/private-messages-sent/{username}.json',
    params: { username: ctx.username },
    username: ctx.username,
  });
  const topicIds = (list.topic_list?.topics ?? [])
    .map((t) => t.id)
    .filter((id): id is number => typeof id === 'number')
    .slice(0, ctx.limits.sentMessages);
  for (const topicId of topicIds) {
    const topic = await ctx.send({ method: 'get', path: '/t/{id}.json', params: { id: topicId }, username: ctx.username });
    const first = topic.post_stream.posts.find((p) => p.post_number === 1);
    if (first === undefined || !sameUser(first.username, ctx.username)) continue;
    const found = await firstMarked(ctx, [first.id]);
    if (found !== undefined) return found;
  }
  return undefined;
}
