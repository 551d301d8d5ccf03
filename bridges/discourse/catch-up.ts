// Nothing missed: on start and every few minutes the bridge reads the forum's newest posts back
// to the last one it saw, so posts whose webhooks never came (downtime, a lost delivery) are
// queued all the same (the inbox key makes the overlap harmless). On the very first start it
// reads the latest topics with all their posts as history.
import type { Logger } from '../../core/logging.js';
import type { NewInboxEvent, Store } from '../../core/store/index.js';
import type { DiscourseClient } from './api/index.js';
import { changeKey, queuedChange } from './queue-payload.js';

const CURSOR = 'last-post-id';
/** Pages of /posts.json read per catch-up at most (the first start reads history instead). */
const MAX_PAGES = 20;

const idOf = (p: unknown): number | undefined => {
  const id = (p as { id?: unknown } | null)?.id;
  return typeof id === 'number' ? id : undefined;
};

function toInbox(posts: readonly unknown[], historic: boolean): NewInboxEvent[] {
  const out: NewInboxEvent[] = [];
  for (const post of posts) {
    const change = { kind: 'post' as const, post, historic };
    const key = changeKey(change);
    if (key) out.push(queuedChange(change, key));
  }
  return out;
}

/** Queues posts newer than the last one seen; returns how many were new to the queue. */
export async function catchUp(client: DiscourseClient, store: Store, logger: Logger): Promise<number> {
  const last = Number((await store.cursors.get('discourse', CURSOR)) ?? '0');
  const fresh: unknown[] = [];
  let before: number | undefined;
  let newest = last;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { latest_posts: posts = [] } = await client.latestPosts(before === undefined ? {} : { before });
    const ids = posts.map(idOf).filter((id): id is number => id !== undefined);
    if (ids.length === 0) break;
    newest = Math.max(newest, ...ids);
    fresh.push(...posts.filter((p) => (idOf(p) ?? 0) > last));
    const oldest = Math.min(...ids);
    if (oldest <= last || oldest === before) break;
    before = oldest;
  }
  fresh.sort((a, b) => (idOf(a) ?? 0) - (idOf(b) ?? 0));
  const added = await store.inbox.enqueue('discourse', toInbox(fresh, false));
  if (newest > last) await store.cursors.set('discourse', CURSOR, String(newest));
  if (added > 0) logger.info({ posts: fresh.length, queued: added }, 'caught up on forum posts');
  return added;
}

/** First start: the latest topics with their posts, queued as history, oldest first. */
export async function backfill(client: DiscourseClient, store: Store, topics: number, logger: Logger): Promise<number> {
  if (topics === 0 || (await store.cursors.get('discourse', 'backfilled'))) return 0;
  // Where live catch-up starts: everything up to now is history.
  const { latest_posts: head = [] } = await client.latestPosts();
  const ids: number[] = [];
  for (let page = 0; ids.length < topics; page++) {
    const list = await client.latestTopics({ page });
    const found = (list.topic_list?.topics ?? []).map((t) => t.id).filter((id): id is number => typeof id === 'number');
    if (found.length === 0) break;
    ids.push(...found.filter((id) => !ids.includes(id)));
  }
  const posts: unknown[] = [];
  for (const id of ids.slice(0, topics)) {
    try {
      const topic = await client.topic(id);
      const loaded = topic.post_stream?.posts ?? [];
      const stream = (topic.post_stream?.stream ?? []).filter((pid): pid is number => typeof pid === 'number');
      const missing = stream.filter((pid) => !loaded.some((p) => p.id === pid));
      const more = missing.length > 0 ? ((await client.topicPosts(id, missing)).post_stream?.posts ?? []) : [];
      // Topic views lack the topic's title and category on each post; the first post needs them.
      for (const p of [...loaded, ...more]) posts.push({ ...p, topic_title: topic.title, topic_slug: topic.slug, category_id: topic.category_id, topic_archetype: topic.archetype });
    } catch (error) {
      logger.warn({ topicId: id, error: error instanceof Error ? error.message : String(error) }, 'could not read a topic for history; skipped');
    }
  }
  posts.sort((a, b) => (idOf(a) ?? 0) - (idOf(b) ?? 0));
  const added = await store.inbox.enqueue('discourse', toInbox(posts, true));
  const newest = Math.max(0, ...head.map(idOf).filter((id): id is number => id !== undefined), ...posts.map(idOf).filter((id): id is number => id !== undefined));
  await store.cursors.set('discourse', CURSOR, String(newest));
  await store.cursors.set('discourse', 'backfilled', new Date().toISOString());
  logger.info({ topics: ids.length, posts: posts.length, queued: added }, 'read forum history');
  return added;
}
