// What webhooks can miss besides new posts, for the requests where it matters: the topics of
// open (and recently solved) requests are read again, and edits, deletions, a changed accepted
// answer and the asker's likes are queued like the webhook would have. Bounded: the most
// recently active requests only, one topic view each (plus 20 post ids per further request for
// long topics) and one list of likes per asker.
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { OPEN_STATUSES } from '../../core/concierge/lifecycle.js';
import { DiscourseApiError, type DiscourseClient, type TopicViewPost } from './api/index.js';
import { changeKey, queuedChange, type ForumChange } from './queue-payload.js';

/** Requests looked at per sweep, most recently active first. */
export const SWEEP_REQUESTS = 20;
/** Solved requests stay in the sweep this long (an accepted answer may be taken back). */
const SOLVED_FOR_MS = 14 * 86_400_000;
/** Posts of one topic read at most (the newest ones): requests are conversations, not archives. */
const POSTS_PER_TOPIC = 200;

export interface SweepOptions {
  client: DiscourseClient;
  store: Store;
  logger: Logger;
  bot: string;
}

/** Queues what changed on the open requests' topics; returns how many changes were new to the queue. */
export async function sweepOpenRequests({ client, store, logger, bot }: SweepOptions): Promise<number> {
  const since = Date.now() - SOLVED_FOR_MS;
  const problems = (await store.problems.listByStatus([...OPEN_STATUSES, 'solved']))
    .filter((p) => p.status !== 'solved' || (p.solvedAt?.getTime() ?? 0) >= since)
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())
    .slice(0, SWEEP_REQUESTS);
  const topics = new Map<number, string | undefined>();
  for (const p of problems) {
    const threads = [
      ...(p.platform === 'discourse' && p.threadId ? [{ platform: p.platform, threadId: p.threadId }] : []),
      ...(await store.problems.listThreads(p.id)),
    ];
    const originator = (await store.members.get(p.originatorId))?.identities.find((i) => i.platform === 'discourse')?.externalId;
    for (const t of threads) if (t.platform === 'discourse' && /^\d+$/.test(t.threadId)) topics.set(Number(t.threadId), originator);
  }
  const round = `sweep-${Date.now()}`;
  const changes: { change: ForumChange; key: string | null }[] = [];
  const likesOf = new Map<string, Awaited<ReturnType<DiscourseClient['likesGivenBy']>> | null>();
  for (const [topicId, asker] of topics) {
    changes.push(...(await topicChanges(client, store, topicId)).map((change) => ({ change, key: changeKey(change, round) })));
    if (asker && asker !== bot) {
      if (!likesOf.has(asker)) likesOf.set(asker, await client.likesGivenBy(asker).catch(() => null));
      for (const a of likesOf.get(asker)?.user_actions ?? []) {
        const postId = Number(a.post_id);
        if (a.topic_id !== topicId || !Number.isSafeInteger(postId)) continue;
        const change: ForumChange = {
          kind: 'like',
          post: { id: postId, topic_id: a.topic_id, post_number: a.post_number, username: a.username, created_at: a.created_at },
          user: { username: asker },
        };
        changes.push({ change, key: changeKey(change) });
      }
    }
  }
  const added = await store.inbox.enqueue(
    'discourse',
    changes.flatMap(({ change, key }) => (key ? [queuedChange(change, key)] : [])),
  );
  if (added > 0) logger.info({ requests: topics.size, queued: added }, 'caught up on edits, deletions, solutions and likes of open requests');
  return added;
}

/** One topic's changes: gone, edited or deleted posts, and its accepted answer if it moved. */
async function topicChanges(client: DiscourseClient, store: Store, topicId: number): Promise<ForumChange[]> {
  const view = await client.topic(topicId, { includeRaw: true }).catch((error: unknown) => {
    if (error instanceof DiscourseApiError && (error.status === 404 || error.status === 410)) return undefined;
    throw error;
  });
  if (!view || (view as { deleted_at?: unknown }).deleted_at) return [{ kind: 'topic-destroyed', topicId, confirmed: true }];
  const loaded = view.post_stream.posts;
  const tail = (view.post_stream.stream ?? []).slice(-POSTS_PER_TOPIC).filter((id) => !loaded.some((p) => p.id === id));
  const posts: TopicViewPost[] = [...loaded, ...(tail.length > 0 ? await client.topicPosts(topicId, tail, { includeRaw: true }) : [])];
  const out: ForumChange[] = [];
  for (const p of posts) {
    const post = { ...p, topic_title: view.title, category_id: view.category_id, topic_archetype: view.archetype };
    if (p.deleted_at || p.hidden) out.push({ kind: 'destroy', post, confirmed: true });
    else if (p.version > 1) out.push({ kind: 'edit', post });
  }
  const accepted = view.accepted_answer?.post_number ?? null;
  const saved = Number((await store.cursors.get('discourse', `accepted:${topicId}`))?.split(':')[0] ?? 0);
  if ((accepted ?? 0) !== saved) out.push({ kind: 'solved', topicId, acceptedPostNumber: accepted });
  return out;
}
