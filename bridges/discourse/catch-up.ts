// Nothing missed: on start and every few minutes the bridge reads what webhooks may not have
// delivered (a stock forum does not retry them), and queues it; the inbox key makes the overlap
// with webhooks harmless.
//  - Public posts: /posts.json back to the last post seen (it never lists private messages).
//  - Private messages to the bot: its inbox, newest activity first; a conversation with posts
//    beyond the last one seen is read with include_raw.
//  - Members' private messages to each other (privateMessages: true): one member's message list
//    per round, as contact metadata.
import type { ActorRef } from '../../core/inbound.js';
import type { Logger } from '../../core/logging.js';
import type { NewInboxEvent, Store } from '../../core/store/index.js';
import type { DiscourseClient, TopicViewPost } from './api/index.js';
import { accessFromView, metadataOnly, rememberAccess } from './pm-access.js';
import { changeKey, queuedChange, type ForumChange } from './queue-payload.js';

const CURSOR = 'last-post-id';
/** Pages of /posts.json read per catch-up at most. */
const MAX_PAGES = 20;
/** Inbox pages (30 conversations each) read per catch-up at most. */
const MAX_INBOX_PAGES = 3;

const idOf = (p: unknown): number | undefined => {
  const id = (p as { id?: unknown } | null)?.id;
  return typeof id === 'number' ? id : undefined;
};

export function toInbox(changes: readonly ForumChange[]): NewInboxEvent[] {
  const out: NewInboxEvent[] = [];
  for (const change of changes) {
    const key = changeKey(change);
    if (key) out.push(queuedChange(change, key));
  }
  return out;
}

/** Queues public posts newer than the last one seen; returns how many were new to the queue. */
export async function catchUpPosts(client: DiscourseClient, store: Store, logger: Logger): Promise<number> {
  const last = Number((await store.cursors.get('discourse', CURSOR)) ?? '0');
  const fresh = new Map<number, unknown>();
  let before: number | undefined;
  let newest = last;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { latest_posts: posts = [] } = await client.latestPosts(before === undefined ? {} : { before });
    const ids = posts.map(idOf).filter((id): id is number => id !== undefined);
    if (ids.length === 0) break;
    newest = Math.max(newest, ...ids);
    for (const p of posts) if ((idOf(p) ?? 0) > last) fresh.set(idOf(p)!, p);
    const oldest = Math.min(...ids);
    // `before` is inclusive on some Discourse versions (a page may start with it again): stop
    // when a page brings nothing older.
    if (oldest <= last || oldest === before) break;
    before = oldest;
  }
  const posts = [...fresh.values()].sort((a, b) => (idOf(a) ?? 0) - (idOf(b) ?? 0));
  const added = await store.inbox.enqueue('discourse', toInbox(posts.map((post) => ({ kind: 'post', post, historic: false }))));
  if (newest > last) await store.cursors.set('discourse', CURSOR, String(newest));
  if (added > 0) logger.info({ posts: posts.length, queued: added }, 'caught up on forum posts');
  return added;
}

interface InboxTopic {
  id?: unknown;
  highest_post_number?: unknown;
}

/**
 * Queues new posts in the bot's private conversations. The very first round only notes where
 * each conversation stands: old messages are not answered as if they were new.
 */
export async function catchUpPrivateMessages(client: DiscourseClient, store: Store, bot: string, logger: Logger): Promise<number> {
  const first = !(await store.cursors.get('discourse', 'pm-inbox-ready'));
  let added = 0;
  for (let page = 0; page < MAX_INBOX_PAGES; page++) {
    const list = await client.listPrivateMessages(bot, page);
    const topics = (list.topic_list?.topics ?? []) as InboxTopic[];
    let changed = 0;
    for (const t of topics) {
      if (typeof t.id !== 'number' || typeof t.highest_post_number !== 'number') continue;
      const seen = Number((await store.cursors.get('discourse', `pm-seen:${t.id}`)) ?? 0);
      if (t.highest_post_number <= seen) continue;
      changed += 1;
      if (!first) added += await queueConversation(client, store, t.id, seen, bot);
      await store.cursors.set('discourse', `pm-seen:${t.id}`, String(t.highest_post_number));
    }
    // Conversations are listed by latest activity: a page with nothing new ends the search.
    if (changed === 0 || topics.length < 30) break;
  }
  if (first) await store.cursors.set('discourse', 'pm-inbox-ready', new Date().toISOString());
  if (added > 0) logger.info({ queued: added }, 'caught up on private messages to the bot');
  return added;
}

/** Queues a conversation's posts after `seen`, with text only where the bot is a recipient. */
async function queueConversation(client: DiscourseClient, store: Store, topicId: number, seen: number, bot: string): Promise<number> {
  const view = await client.topic(topicId, { includeRaw: true });
  const access = accessFromView(view, bot);
  await rememberAccess(store, topicId, access);
  const loaded = view.post_stream.posts;
  const missing = (view.post_stream.stream ?? []).filter((id) => !loaded.some((p) => p.id === id));
  const rest = missing.length > 0 ? await client.topicPosts(topicId, missing, { includeRaw: true }) : [];
  const posts: TopicViewPost[] = [...loaded, ...rest].filter((p) => p.post_number > seen);
  const changes: ForumChange[] = posts.map((p) => {
    const post = { ...p, topic_archetype: 'private_message', topic_title: view.title };
    return access.bot ? { kind: 'post', post, historic: false } : { kind: 'pm-post', post: metadataOnly(post) };
  });
  return store.inbox.enqueue('discourse', toInbox(changes));
}

/**
 * Contacts from one member's private messages (metadata: who wrote to whom), for conversations
 * the webhooks did not bring; conversations with the bot are handled above. Returns contacts.
 */
export async function memberConversations(
  client: DiscourseClient,
  username: string,
  bot: string,
): Promise<{ topicId: number; from: ActorRef; to: ActorRef[]; at: Date }[]> {
  const list = await client.listPrivateMessages(username);
  const users = new Map((list.users ?? []).map((u) => [u.id, String(u.username).toLowerCase()]));
  const out: { topicId: number; from: ActorRef; to: ActorRef[]; at: Date }[] = [];
  for (const topic of list.topic_list?.topics ?? []) {
    const people = [...new Set((topic.participants ?? topic.posters ?? []).map((p) => users.get(p.user_id ?? -1)).filter((u): u is string => !!u))];
    if (typeof topic.id !== 'number' || people.includes(bot) || people.length < 2) continue;
    const [creator, ...rest] = people;
    out.push({
      topicId: topic.id,
      from: { platform: 'discourse', externalId: creator! },
      to: rest.map((u) => ({ platform: 'discourse', externalId: u })),
      at: new Date(String(topic.created_at ?? Date.now())),
    });
  }
  return out;
}
