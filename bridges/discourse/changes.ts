// A queued forum change to core events. What a webhook claims is checked with the forum where it
// matters: a deletion closes a request or forgets a document only once the API shows the post or
// topic gone (the signature covers the body, not the event name, so a captured body replayed as
// "post_destroyed" must not close a live request); which answer is accepted is asked, not read
// from the body; a private message's text is read only when the bot is one of its recipients.
import type { ActorRef, ConversationKind, InboundEvent } from '../../core/inbound.js';
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { DiscourseApiError, type DiscourseClient, type TopicView, type TopicViewPost } from './api/index.js';
import { accessFromView, recallAccess, rememberAccess, type PmAccess } from './pm-access.js';
import { postRef, readPost, type ForumPost } from './posts.js';
import type { ForumChange } from './queue-payload.js';
import { translatePost } from './translate.js';

export interface ChangeDeps {
  /** At catch-up priority: the member is not waiting on these reads, but they are live. */
  client: DiscourseClient;
  store: Store;
  log: Logger;
  bot: ActorRef;
  baseUrl: string;
  helpCategoryIds: () => ReadonlySet<number>;
  /** Members' private messages to each other count as contacts (metadata only). */
  privateMessages: boolean;
}

/** Events for the concierge, and what to remember once it has them. */
export interface Handled {
  events: InboundEvent[];
  commit?: (() => Promise<void>) | undefined;
}

/** A PM among more people than this (the bot included) is a group conversation, not a small room. */
const SMALL_PM = 6;
const NOTHING: Handled = { events: [] };

const isGone = (error: unknown): boolean => error instanceof DiscourseApiError && (error.status === 404 || error.status === 410);

export async function handleChange(deps: ChangeDeps, change: ForumChange, key: string): Promise<Handled> {
  switch (change.kind) {
    case 'post':
    case 'pm-post':
      return postEvents(deps, change.post, change.kind === 'post' && change.historic, key);
    case 'edit':
      return editEvents(deps, change.post, key);
    case 'topic-edited':
      return topicEditedEvents(deps, change.topicId, change.title, key);
    case 'destroy':
      return destroyEvents(deps, change.post, change.confirmed === true, key);
    case 'topic-destroyed':
      return topicDestroyedEvents(deps, change.topicId, change.confirmed === true, key);
    case 'like':
      return likeEvents(deps, change.post, change.user, key);
    case 'solved':
      return solvedEvents(deps, change.topicId, change.acceptedPostNumber, key);
  }
}

function read(deps: ChangeDeps, value: unknown, key: string): ForumPost | undefined {
  const r = readPost(value);
  if (!r.ok) deps.log.warn({ eventId: key, reason: r.reason }, 'malformed forum post skipped');
  return r.ok ? r.post : undefined;
}

// --- posts ------------------------------------------------------------------------------------

async function postEvents(deps: ChangeDeps, value: unknown, historic: boolean, key: string): Promise<Handled> {
  const post = read(deps, value, key);
  if (!post) return NOTHING;
  if (post.privateMessage) return privateMessageEvents(deps, post, key);
  const t = translatePost(post, {
    baseUrl: deps.baseUrl,
    botUsername: deps.bot.externalId,
    conversation: 'room',
    historic,
    helpCategoryIds: deps.helpCategoryIds(),
  });
  return 'ignored' in t ? NOTHING : { events: [t] };
}

/** Who may read a PM: remembered, or asked (the view is kept: it holds the posts' raw too). */
async function pmAccess(deps: ChangeDeps, topicId: number): Promise<{ access: PmAccess; view?: TopicView }> {
  const known = await recallAccess(deps.store, topicId);
  if (known) return { access: known };
  const view = await deps.client.topic(topicId, { includeRaw: true });
  const access = accessFromView(view, deps.bot.externalId);
  await rememberAccess(deps.store, topicId, access);
  return { access, view };
}

/** A PM post with its raw, read from the forum when the queue holds only its metadata. */
async function withText(deps: ChangeDeps, post: ForumPost, view: TopicView | undefined): Promise<ForumPost | undefined> {
  if (post.raw !== undefined) return post;
  let found: TopicViewPost | undefined = view?.post_stream.posts.find((p) => p.id === post.id);
  found ??= (await deps.client.topicPosts(post.topicId, [post.id], { includeRaw: true }))[0];
  if (!found) return undefined;
  const r = readPost({ ...found, topic_archetype: 'private_message', topic_title: view?.title });
  return r.ok ? r.post : undefined;
}

async function privateMessageEvents(deps: ChangeDeps, post: ForumPost, key: string): Promise<Handled> {
  const { access, view } = await pmAccess(deps, post.topicId);
  const author = post.username.toLowerCase();
  const seen = async () => {
    const cursor = `pm-seen:${post.topicId}`;
    if (post.postNumber > Number((await deps.store.cursors.get('discourse', cursor)) ?? 0))
      await deps.store.cursors.set('discourse', cursor, String(post.postNumber));
  };
  if (!access.bot) {
    // Members talking to each other: at most a contact, from the metadata; never read, never answered.
    const others = access.members.filter((m) => m !== author);
    if (!deps.privateMessages || others.length === 0 || author === deps.bot.externalId) return NOTHING;
    return {
      events: [
        {
          kind: 'contact',
          platform: 'discourse',
          eventId: `pm:${post.topicId}:${post.postNumber}`,
          containerId: String(post.topicId),
          author: { platform: 'discourse', externalId: author },
          createdAt: post.createdAt,
          historic: false,
          participants: others.map((u): ActorRef => ({ platform: 'discourse', externalId: u })),
        },
      ],
    };
  }
  const full = await withText(deps, post, view);
  if (!full) {
    deps.log.warn({ eventId: key, topicId: post.topicId }, 'private message to the bot could not be read; skipped');
    return { events: [], commit: seen };
  }
  const others = access.members.filter((m) => m !== author);
  const conversation: ConversationKind = others.length === 0 ? 'direct' : access.members.length + 1 <= SMALL_PM ? 'small' : 'room';
  const t = translatePost(full, {
    baseUrl: deps.baseUrl,
    botUsername: deps.bot.externalId,
    conversation,
    historic: false,
    helpCategoryIds: new Set(),
    participants: others.length > 0 ? others.map((u): ActorRef => ({ platform: 'discourse', externalId: u })) : undefined,
  });
  return { events: 'ignored' in t ? [] : [t], commit: seen };
}

// --- edits ------------------------------------------------------------------------------------

async function editEvents(deps: ChangeDeps, value: unknown, key: string): Promise<Handled> {
  let post = read(deps, value, key);
  if (!post) return NOTHING;
  if (post.privateMessage) {
    const { access, view } = await pmAccess(deps, post.topicId);
    if (!access.bot) return NOTHING;
    post = await withText(deps, post, view);
    if (!post) return NOTHING;
  }
  // A first post's payload names its topic's title too: a changed title comes along.
  return editOf(deps, post, key, post.postNumber === 1 ? post.topicTitle : undefined);
}

function editOf(deps: ChangeDeps, post: ForumPost, key: string, title: string | undefined): Handled {
  const t = translatePost(post, { baseUrl: deps.baseUrl, botUsername: deps.bot.externalId, conversation: 'room', historic: false, helpCategoryIds: new Set() });
  if ('ignored' in t) return NOTHING;
  const author: ActorRef = { platform: 'discourse', externalId: post.username.toLowerCase(), displayName: post.name || post.username };
  return {
    events: [
      {
        kind: 'edit',
        platform: 'discourse',
        eventId: key,
        containerId: t.containerId,
        author,
        createdAt: new Date(post.updatedAt ?? Date.now()),
        historic: false,
        targetId: t.eventId,
        text: t.text,
        html: t.html,
        mentions: t.mentions,
        mentionsBot: t.mentionsBot,
        title,
      },
    ],
  };
}

/**
 * A combined save of title and first post arrives as topic_edited alone: read the first post,
 * when the title of a topic the bot learned changed. Tags and category changes (the bot's own
 * tagging among them) cost nothing; a first post edited with its tags alone is found by the
 * catch-up of open requests.
 */
async function topicEditedEvents(deps: ChangeDeps, topicId: number, title: string | undefined, key: string): Promise<Handled> {
  const known = await deps.store.documents.find('discourse', postRef(topicId, 1));
  if (!known || (title !== undefined && known.title === title)) return NOTHING;
  const view = await deps.client.topic(topicId, { includeRaw: true }).catch((error: unknown) => {
    if (isGone(error)) return undefined;
    throw error;
  });
  if (!view) return NOTHING;
  if (view.archetype === 'private_message' && !accessFromView(view, deps.bot.externalId).bot) return NOTHING;
  const first = view.post_stream.posts.find((p) => p.post_number === 1);
  const post = first && read(deps, { ...first, topic_title: view.title, category_id: view.category_id, topic_archetype: view.archetype }, key);
  if (!post) return NOTHING;
  // The same event id as the post_edited of this revision, if one also came.
  return editOf(deps, post, `edit:${post.id}:${post.updatedAt ?? ''}`, view.title);
}

// --- deletions --------------------------------------------------------------------------------

function redaction(key: string, topicId: number, postNumber: number, author: ActorRef): Handled {
  return {
    events: [
      {
        kind: 'redaction',
        platform: 'discourse',
        eventId: key,
        containerId: String(topicId),
        author,
        createdAt: new Date(),
        historic: false,
        targetId: postRef(topicId, postNumber),
      },
    ],
  };
}

async function destroyEvents(deps: ChangeDeps, value: unknown, confirmed: boolean, key: string): Promise<Handled> {
  const post = read(deps, value, key);
  if (!post) return NOTHING;
  if (!confirmed) {
    // Gone for the bot (404), deleted (staff still see it, with deleted_at) or hidden: confirmed.
    const live = await deps.client.post(post.id).catch((error: unknown) => {
      if (isGone(error)) return undefined;
      throw error;
    });
    const p = live as { deleted_at?: unknown; hidden?: unknown } | undefined;
    if (p && !p.deleted_at && p.hidden !== true) {
      deps.log.warn({ eventId: key, postId: post.id }, 'post_destroyed for a post the forum still shows: ignored (a replayed or forged delivery?)');
      return NOTHING;
    }
  }
  return redaction(key, post.topicId, post.postNumber, { platform: 'discourse', externalId: post.username.toLowerCase() });
}

async function topicDestroyedEvents(deps: ChangeDeps, topicId: number, confirmed: boolean, key: string): Promise<Handled> {
  if (!confirmed) {
    const view = await deps.client.topic(topicId).catch((error: unknown) => {
      if (isGone(error)) return undefined;
      throw error;
    });
    if (view && !(view as { deleted_at?: unknown }).deleted_at) {
      deps.log.warn({ eventId: key, topicId }, 'topic_destroyed for a topic the forum still shows: ignored (a replayed or forged delivery?)');
      return NOTHING;
    }
  }
  return redaction(key, topicId, 1, deps.bot);
}

// --- likes and solutions ----------------------------------------------------------------------

function likeEvents(deps: ChangeDeps, value: unknown, user: unknown, key: string): Handled {
  const post = read(deps, value, key);
  const username = (user as { username?: unknown } | null)?.username;
  // Likes inside private messages are not the concierge's business.
  if (!post || post.privateMessage || typeof username !== 'string') return NOTHING;
  return {
    events: [
      {
        kind: 'reaction',
        platform: 'discourse',
        eventId: key,
        containerId: String(post.topicId),
        author: { platform: 'discourse', externalId: username.toLowerCase() },
        createdAt: new Date(),
        historic: false,
        targetId: postRef(post.topicId, post.postNumber),
        key: 'like',
      },
    ],
  };
}

/**
 * The accepted answer as the forum has it now, against what the bridge knew: a newly accepted
 * answer is the asker's ✅ (whoever clicked: the owner, staff or TL4), one taken back undoes it.
 * Repeats and forged deliveries change nothing, because the forum's answer decides.
 */
async function solvedEvents(deps: ChangeDeps, topicId: number, known: number | null | undefined, key: string): Promise<Handled> {
  const view = await deps.client.topic(topicId).catch((error: unknown) => {
    if (isGone(error)) return undefined;
    throw error;
  });
  if (!view) return NOTHING;
  const now = known !== undefined ? known : (view.accepted_answer?.post_number ?? null);
  const cursor = `accepted:${topicId}`;
  const saved = await deps.store.cursors.get('discourse', cursor);
  const [before, round] = saved ? (saved.split(':').map(Number) as [number, number]) : [0, 0];
  const previous = before > 0 ? before : null;
  const owner = view.details?.created_by?.username;
  if (now === previous || typeof owner !== 'string') return NOTHING;
  const author: ActorRef = { platform: 'discourse', externalId: owner.toLowerCase() };
  const at = new Date();
  const events: InboundEvent[] = [];
  if (previous !== null) {
    events.push({
      kind: 'reaction',
      platform: 'discourse',
      eventId: `unsolved:${topicId}:${previous}:${round}`,
      containerId: String(topicId),
      author,
      createdAt: at,
      historic: false,
      targetId: postRef(topicId, previous),
      key: '✅',
      removed: true,
    });
  }
  if (now !== null) {
    events.push({
      kind: 'reaction',
      platform: 'discourse',
      eventId: `solved:${topicId}:${now}:${round}`,
      containerId: String(topicId),
      author,
      createdAt: at,
      historic: false,
      targetId: postRef(topicId, now),
      key: '✅',
    });
  }
  deps.log.info({ eventId: key, topicId, accepted: now, before: previous }, 'the accepted answer changed');
  return { events, commit: () => deps.store.cursors.set('discourse', cursor, `${now ?? 0}:${round + 1}`) };
}
