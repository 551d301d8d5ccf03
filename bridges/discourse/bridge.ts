// The Discourse bridge: the bot user on the forum. Webhooks and a catch-up poll feed the durable
// queue; each queued change is read, translated and handed to the concierge; sending goes
// through DiscourseOutbound (the executor's port).
import type { Router } from 'express';
import type { BridgeConsumer } from '../../core/concierge/actions.js';
import type { ActorRef, ConversationKind, InboundEvent } from '../../core/inbound.js';
import type { Logger } from '../../core/logging.js';
import { InboxWorker } from '../../core/queue/inbox-worker.js';
import type { InboxItem, Store } from '../../core/store/index.js';
import { DiscourseApiError, DiscourseClient, describeDiscourseError } from './api/index.js';
import { backfill, catchUp } from './catch-up.js';
import { DiscourseOutbound } from './outbound.js';
import { postRef, readPost, type ForumPost } from './posts.js';
import { readQueuedChange } from './queue-payload.js';
import { translatePost } from './translate.js';
import { webhookRouter } from './webhook.js';

export interface DiscourseSettings {
  baseUrl: string;
  apiKey: string;
  apiUsername: string;
  webhookSecret?: string | undefined;
  helpCategories: readonly (string | number)[];
  mirrorCategory?: string | number | undefined;
  backfillTopics: number;
  pollSeconds: number;
  privateMessages: boolean;
}

const SMALL_PM = 6;
/** Members whose private-message lists are read per poll. */
const PM_MEMBERS_PER_POLL = 25;

export class DiscourseBridge {
  readonly identity: ActorRef;
  readonly outbound: DiscourseOutbound;
  readonly #log: Logger;
  #worker: InboxWorker | undefined;
  #consumer: BridgeConsumer | undefined;
  #helpCategoryIds = new Set<number>();
  #mirrorCategoryId: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #stopping = false;
  #pmCursor = 0;

  private constructor(readonly client: DiscourseClient, private readonly settings: DiscourseSettings, private readonly store: Store, logger: Logger) {
    this.#log = logger;
    this.identity = { platform: 'discourse', externalId: settings.apiUsername.toLowerCase(), displayName: settings.apiUsername };
    this.outbound = new DiscourseOutbound(client, logger, settings.baseUrl, () => this.#mirrorCategoryId);
  }

  /** Checks that the forum answers and the key works. Nothing is read yet. */
  static async connect(settings: DiscourseSettings, store: Store, logger: Logger): Promise<DiscourseBridge> {
    const log = logger.child({ component: 'discourse' });
    const client = new DiscourseClient({ baseUrl: settings.baseUrl, apiKey: settings.apiKey, apiUsername: settings.apiUsername, logger: log });
    for (let attempt = 1; ; attempt++) {
      try {
        await client.user(settings.apiUsername);
        break;
      } catch (error) {
        const d = describeDiscourseError(error);
        if (!d.retryable) throw new Error(`Discourse refused the bot's API key (${d.message}): check DISCOURSE_API_KEY and DISCOURSE_API_USERNAME`, { cause: error });
        const wait = Math.min(30_000, 1000 * 2 ** Math.min(attempt, 5));
        log.warn({ error: d.message, attempt, retryInMs: wait }, 'forum not answering yet; will keep trying');
        await new Promise((r) => setTimeout(r, wait));
      }
    }
    log.info({ baseUrl: settings.baseUrl, username: settings.apiUsername }, 'connected to Discourse');
    return new DiscourseBridge(client, settings, store, log);
  }

  /** The webhook route (mounted by the HTTP server); deliveries before start() wait in the queue. */
  router(): Router {
    return webhookRouter({ store: this.store, secret: this.settings.webhookSecret, logger: this.#log, onQueued: () => this.#worker?.kick() });
  }

  async start(consumer: BridgeConsumer): Promise<void> {
    this.#consumer = consumer;
    this.#helpCategoryIds = await this.#resolveCategories(this.settings.helpCategories);
    if (this.settings.mirrorCategory !== undefined) [this.#mirrorCategoryId] = await this.#resolveCategories([this.settings.mirrorCategory]);
    this.#worker = new InboxWorker({ store: this.store, platform: 'discourse', logger: this.#log, handle: (item) => this.#handle(item) });
    this.#worker.start();
    await backfill(this.client, this.store, this.settings.backfillTopics, this.#log).catch((error: unknown) =>
      this.#log.error({ error: describeDiscourseError(error).message }, 'reading forum history failed; will catch up from now'));
    await this.#poll();
    this.#timer = setInterval(() => void this.#poll(), this.settings.pollSeconds * 1000);
    this.#log.info({ helpCategories: [...this.#helpCategoryIds] }, 'following the forum');
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearInterval(this.#timer);
    await this.#polling;
    await this.#worker?.stop();
  }

  async idle(): Promise<void> {
    await this.#polling;
    await this.#worker?.idle();
  }

  /** One catch-up round now (also used by tests instead of waiting for the timer). */
  poll(): Promise<void> {
    return this.#poll();
  }

  #poll(): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    this.#polling ??= (async () => {
      try {
        if ((await catchUp(this.client, this.store, this.#log)) > 0) this.#worker?.kick();
        if (this.settings.privateMessages) await this.#privateMessageContacts();
      } catch (error) {
        this.#log.warn({ error: describeDiscourseError(error).message }, 'catch-up failed; will try again');
      } finally {
        this.#polling = undefined;
      }
    })();
    return this.#polling;
  }

  async #resolveCategories(wanted: readonly (string | number)[]): Promise<Set<number>> {
    if (wanted.length === 0) return new Set();
    const list = await this.client.categories({ includeSubcategories: true });
    const ids = new Set<number>();
    for (const w of wanted) {
      const found = (list.category_list?.categories ?? []).find((c) => c.id === Number(w) || c.slug === String(w));
      if (found) ids.add(found.id);
      else this.#log.warn({ category: w }, 'category not found on the forum; ignored');
    }
    return ids;
  }

  // --- handling a queued change -------------------------------------------------------------

  async #handle(item: InboxItem): Promise<void> {
    const change = readQueuedChange(item.payload);
    if (!change) {
      this.#log.warn({ eventId: item.eventId }, 'queued change is not readable; skipped');
      return;
    }
    const event = await this.#toEvent(change, item.eventId).catch((error: unknown) => {
      // A topic that no longer exists is nothing to do; other API failures are retried.
      if (error instanceof DiscourseApiError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    });
    if (event) await this.#consumer!.receive(event);
  }

  async #toEvent(change: NonNullable<ReturnType<typeof readQueuedChange>>, key: string): Promise<InboundEvent | null> {
    if (change.kind === 'topic-destroyed') {
      return this.#redaction(key, String(change.topicId), postRef(change.topicId, 1), this.identity, new Date());
    }
    const read = readPost(change.post);
    if (!read.ok) {
      this.#log.warn({ eventId: key, reason: read.reason }, 'malformed forum post skipped');
      return null;
    }
    const post = read.post;
    const author: ActorRef = { platform: 'discourse', externalId: post.username.toLowerCase(), displayName: post.name || post.username };
    switch (change.kind) {
      case 'post': {
        const { conversation, participants } = post.privateMessage ? await this.#privateConversation(post) : { conversation: 'room' as const, participants: undefined };
        const t = translatePost(post, {
          baseUrl: this.settings.baseUrl, botUsername: this.settings.apiUsername, conversation, participants,
          historic: change.historic, helpCategoryIds: this.#helpCategoryIds,
        });
        return 'ignored' in t ? null : t;
      }
      case 'edit': {
        const t = translatePost(post, { baseUrl: this.settings.baseUrl, botUsername: this.settings.apiUsername, conversation: 'room', historic: false, helpCategoryIds: new Set() });
        if ('ignored' in t) return null;
        return { kind: 'edit', platform: 'discourse', eventId: key, containerId: t.containerId, author, createdAt: new Date(post.updatedAt ?? Date.now()), historic: false, targetId: t.eventId, text: t.text, html: t.html, mentions: t.mentions, mentionsBot: t.mentionsBot };
      }
      case 'destroy':
        return this.#redaction(key, String(post.topicId), postRef(post.topicId, post.postNumber), author, new Date());
      case 'like': {
        const username = (change.user as { username?: unknown } | null)?.username;
        if (typeof username !== 'string') return null;
        return { kind: 'reaction', platform: 'discourse', eventId: key, containerId: String(post.topicId), author: { platform: 'discourse', externalId: username.toLowerCase() }, createdAt: new Date(), historic: false, targetId: postRef(post.topicId, post.postNumber), key: 'like' };
      }
      case 'solved': {
        // The accepted answer is the asker's ✅; the payload does not say who accepted it.
        const topic = await this.client.topic(post.topicId);
        const owner = topic.details?.created_by?.username;
        if (!owner) return null;
        return { kind: 'reaction', platform: 'discourse', eventId: key, containerId: String(post.topicId), author: { platform: 'discourse', externalId: owner.toLowerCase() }, createdAt: new Date(), historic: false, targetId: postRef(post.topicId, post.postNumber), key: '✅' };
      }
    }
  }

  #redaction(key: string, containerId: string, targetId: string, author: ActorRef, at: Date): InboundEvent {
    return { kind: 'redaction', platform: 'discourse', eventId: key, containerId, author, createdAt: at, historic: false, targetId };
  }

  /** A private message with the bot alone is a direct conversation; with a few members, a small room. */
  async #privateConversation(post: ForumPost): Promise<{ conversation: ConversationKind; participants: ActorRef[] | undefined }> {
    const topic = await this.client.topic(post.topicId);
    const names = new Set((topic.details?.participants ?? []).map((p) => String(p.username).toLowerCase()));
    names.add(post.username.toLowerCase());
    names.delete(this.identity.externalId);
    const others = [...names].filter((n) => n !== post.username.toLowerCase()).map((n): ActorRef => ({ platform: 'discourse', externalId: n }));
    if (others.length === 0) return { conversation: 'direct', participants: undefined };
    return { conversation: names.size <= SMALL_PM ? 'small' : 'room', participants: others };
  }

  /**
   * Private-message topics between members (metadata only, admin key): direct contacts. Each
   * round reads a slice of the members, in turn, so a large forum costs a bounded number of API
   * calls per poll rather than one per member every time.
   */
  async #privateMessageContacts(): Promise<void> {
    const members = await this.store.members.list();
    const all = members.flatMap((m) => m.identities.filter((i) => i.platform === 'discourse').map((i) => i.externalId)).filter((u) => u !== this.identity.externalId);
    const start = all.length === 0 ? 0 : this.#pmCursor % all.length;
    const usernames = [...all, ...all].slice(start, start + Math.min(PM_MEMBERS_PER_POLL, all.length));
    this.#pmCursor = start + usernames.length;
    for (const username of usernames) {
      const list = await this.client.listPrivateMessages(username).catch(() => null);
      if (!list) continue;
      const users = new Map((list.users ?? []).map((u) => [u.id, String(u.username).toLowerCase()]));
      for (const topic of list.topic_list?.topics ?? []) {
        const people = [...new Set((topic.participants ?? topic.posters ?? []).map((p) => users.get(p.user_id ?? -1)).filter((u): u is string => !!u))];
        if (people.includes(this.identity.externalId) || people.length < 2 || typeof topic.id !== 'number') continue;
        const [creator, ...rest] = people;
        await this.#consumer!.receive({
          kind: 'contact', platform: 'discourse', eventId: `pm:${topic.id}`, containerId: String(topic.id),
          author: { platform: 'discourse', externalId: creator! }, createdAt: new Date(String(topic.created_at ?? Date.now())), historic: false,
          participants: rest.map((u) => ({ platform: 'discourse', externalId: u })),
        });
      }
    }
  }
}
