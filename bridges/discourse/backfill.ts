// The first start reads the forum's latest topics with all their posts as history (learned from,
// never answered). It runs in the background at the lowest priority of the request budget, so
// live requests are answered meanwhile; it says how far it got, and a restart resumes where it
// stopped (the plan and the progress are kept in the store).
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { DiscourseApiError, type DiscourseClient, type TopicViewPost } from './api/index.js';
import { toInbox } from './catch-up.js';
import type { ForumChange } from './queue-payload.js';

interface Plan {
  topics: number[];
  done: number;
  posts: number;
}

const PLAN = 'backfill-plan';
const DONE = 'backfilled';
/** A progress line at most this often (and at the end). */
const PROGRESS_EVERY_MS = 30_000;

const idOf = (p: unknown): number | undefined => {
  const id = (p as { id?: unknown } | null)?.id;
  return typeof id === 'number' ? id : undefined;
};

export interface BackfillOptions {
  client: DiscourseClient;
  store: Store;
  topics: number;
  logger: Logger;
  /** Wakes the queue's worker after a batch was queued. */
  onQueued: () => void;
  signal?: AbortSignal | undefined;
  now?: () => number;
}

/** Returns the posts queued as history (0 when history was read before). */
export async function backfill(options: BackfillOptions): Promise<number> {
  const { client, store, logger, signal } = options;
  const now = options.now ?? (() => Date.now());
  if (options.topics === 0 || (await store.cursors.get('discourse', DONE))) return 0;
  const plan = (await loadPlan(store)) ?? (await makePlan(client, store, options.topics));
  const began = now();
  let reported = began;
  let queued = 0;
  const total = plan.topics.length;
  logger.info({ topics: total, done: plan.done }, plan.done > 0 ? 'resuming reading the forum history' : 'reading the forum history in the background');
  while (plan.done < total) {
    signal?.throwIfAborted();
    const topicId = plan.topics[plan.done]!;
    const posts = await topicPosts(client, topicId, logger);
    queued += await store.inbox.enqueue('discourse', toInbox(posts.map((post): ForumChange => ({ kind: 'post', post, historic: true }))));
    plan.done += 1;
    plan.posts += posts.length;
    await store.cursors.set('discourse', PLAN, JSON.stringify(plan));
    options.onQueued();
    if (now() - reported >= PROGRESS_EVERY_MS && plan.done < total) {
      reported = now();
      const perTopic = (now() - began) / Math.max(1, plan.done);
      logger.info(
        { topics: plan.done, of: total, posts: plan.posts, etaSeconds: Math.round((perTopic * (total - plan.done)) / 1000) },
        `reading forum history: ${plan.done}/${total} topics (${Math.round((100 * plan.done) / total)}%)`,
      );
    }
  }
  await store.cursors.set('discourse', DONE, new Date().toISOString());
  logger.info(
    {
      topics: total,
      posts: plan.posts,
      queued,
      seconds: Math.round((now() - began) / 1000),
      requests: client.counts.sent,
      rateLimited: client.counts.rateLimited,
    },
    'read forum history',
  );
  return queued;
}

async function loadPlan(store: Store): Promise<Plan | undefined> {
  const saved = await store.cursors.get('discourse', PLAN);
  if (!saved) return undefined;
  try {
    const plan = JSON.parse(saved) as Plan;
    return Array.isArray(plan.topics) && typeof plan.done === 'number' ? { topics: plan.topics, done: plan.done, posts: plan.posts ?? 0 } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * On the very first start, where live catch-up begins: after the forum's newest post. What came
 * before is history (learned by the backfill, if any), never answered as if it were new. Runs
 * before the first catch-up round; later starts keep the cursor they have.
 */
export async function markLiveStart(client: DiscourseClient, store: Store): Promise<void> {
  if ((await store.cursors.get('discourse', 'last-post-id')) !== null) return;
  const { latest_posts: head = [] } = await client.latestPosts();
  await store.cursors.set('discourse', 'last-post-id', String(Math.max(0, ...head.map(idOf).filter((id): id is number => id !== undefined))));
}

/** Which topics to read. */
async function makePlan(client: DiscourseClient, store: Store, topics: number): Promise<Plan> {
  const ids: number[] = [];
  for (let page = 0; ids.length < topics; page++) {
    const list = await client.latestTopics({ page });
    const found = (list.topic_list?.topics ?? []).map((t) => t.id).filter((id): id is number => typeof id === 'number');
    const fresh = found.filter((id) => !ids.includes(id));
    if (fresh.length === 0) break;
    ids.push(...fresh);
  }
  const plan = { topics: ids.slice(0, topics), done: 0, posts: 0 };
  await store.cursors.set('discourse', PLAN, JSON.stringify(plan));
  return plan;
}

/**
 * A topic's posts with raw, the ones beyond the first chunk 20 ids at a time; none if the forum
 * refuses it for good (gone, not visible). Anything else (an outage, shutting down) stops the
 * backfill where it is, to resume later.
 */
async function topicPosts(client: DiscourseClient, topicId: number, logger: Logger): Promise<unknown[]> {
  try {
    const view = await client.topic(topicId, { includeRaw: true });
    const loaded = view.post_stream.posts;
    // A mega topic (10,000+ posts) lists no stream: its first chunk is history enough.
    const missing = (view.post_stream.stream ?? []).filter((id) => !loaded.some((p) => p.id === id));
    const more: TopicViewPost[] = missing.length > 0 ? await client.topicPosts(topicId, missing, { includeRaw: true }) : [];
    // Topic views lack the topic's title and category on each post; the first post needs them.
    return [...loaded, ...more].map((p) => ({
      ...p,
      topic_title: view.title,
      topic_slug: view.slug,
      category_id: view.category_id,
      topic_archetype: view.archetype,
    }));
  } catch (error) {
    if (!(error instanceof DiscourseApiError) || error.retryable) throw error;
    logger.warn({ topicId, error: error.message }, 'could not read a topic for history; skipped');
    return [];
  }
}
