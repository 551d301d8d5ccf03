// The Discourse bridge: the bot user on the forum. Webhooks and catch-up rounds feed the durable
// queue; each queued change is checked with the forum where needed, translated and handed to the
// concierge; sending goes through DiscourseOutbound (the executor's port). Every API call shares
// one budget (api/budget.ts): replies first, then catch-up, then the history read in background.
import type { Router } from 'express';
import type { BridgeConsumer } from '../../core/concierge/actions.js';
import type { ActorRef } from '../../core/inbound.js';
import type { Logger } from '../../core/logging.js';
import { InboxWorker } from '../../core/queue/inbox-worker.js';
import { retry, UNTIL_DONE_POLICY, type RetryPolicy } from '../../core/retry.js';
import type { InboxItem, Store } from '../../core/store/index.js';
import { DiscourseApiError, DiscourseClient, RequestBudget, describeDiscourseError } from './api/index.js';
import { backfill, markLiveStart } from './backfill.js';
import { categoriesOf, describeLookup, findCategory } from './categories.js';
import { catchUpPosts, catchUpPrivateMessages, memberConversations } from './catch-up.js';
import { handleChange, type ChangeDeps } from './changes.js';
import { DiscourseOutbound } from './outbound.js';
import { readQueuedChange } from './queue-payload.js';
import { sweepOpenRequests } from './sweep.js';
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
  /** Requests per rolling minute for everything the bot does on the forum. */
  apiRequestsPerMinute: number;
  /** Against a stand-in forum on a faster clock (sandbox, tests): the budget's minute scaled alike. */
  clockScale?: number | undefined;
}

/** Every this many catch-up rounds (and at start), the open requests' topics are read again. */
export const SWEEP_EVERY_ROUNDS = 10;

/** Waiting for the forum at start: 2 s doubling with jitter up to 30 s, for as long as it takes. */
const WAIT_FOR_FORUM: RetryPolicy = { maxAttempts: Infinity, baseDelayMs: 2000, maxDelayMs: 30_000, maxTotalWaitMs: Infinity };

export class DiscourseBridge {
  readonly identity: ActorRef;
  readonly outbound: DiscourseOutbound;
  readonly #log: Logger;
  readonly #budget: RequestBudget;
  /** Views of one client at the three priorities of the budget. */
  readonly #catchUp: DiscourseClient;
  readonly #history: DiscourseClient;
  #worker: InboxWorker | undefined;
  #consumer: BridgeConsumer | undefined;
  #helpCategoryIds = new Set<number>();
  #mirrorCategoryId: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #backfilling: Promise<void> | undefined;
  readonly #stopping = new AbortController();
  #rounds = 0;
  #memberCursor = 0;

  private constructor(
    readonly client: DiscourseClient,
    budget: RequestBudget,
    private readonly settings: DiscourseSettings,
    private readonly store: Store,
    logger: Logger,
  ) {
    this.#log = logger;
    this.#budget = budget;
    this.#catchUp = client.withPriority('catch-up');
    this.#history = client.withPriority('backfill');
    this.identity = { platform: 'discourse', externalId: settings.apiUsername.toLowerCase(), displayName: settings.apiUsername };
    this.outbound = new DiscourseOutbound({
      client: client.withPriority('reply'),
      store,
      logger,
      baseUrl: settings.baseUrl,
      mirrorCategory: () => this.#mirrorCategoryId,
    });
  }

  /** Checks that the forum answers and the key works, waiting while the forum is unreachable. Nothing is read yet. */
  static async connect(settings: DiscourseSettings, store: Store, logger: Logger): Promise<DiscourseBridge> {
    const log = logger.child({ component: 'discourse' });
    const budget = new RequestBudget({ perMinute: settings.apiRequestsPerMinute, windowMs: 60_000 * (settings.clockScale ?? 1) });
    const client = new DiscourseClient({
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey,
      apiUsername: settings.apiUsername,
      logger: log,
      budget,
      priority: 'reply',
    });
    // This loop owns the retrying while the forum is away (without end: a service outlives
    // outages), so each check is a single try, not the client's own five.
    const check = client.singleTry();
    try {
      await retry(() => check.user(settings.apiUsername), {
        policy: WAIT_FOR_FORUM,
        classify: describeDiscourseError,
        onRetry: (error, attempt, delayMs) =>
          log.warn({ error: describeDiscourseError(error).message, attempt, retryInMs: delayMs }, 'forum not answering yet; will keep trying'),
      });
    } catch (error) {
      budget.close();
      throw new Error(`Discourse refused the bot's API key (${describeDiscourseError(error).message}): check DISCOURSE_API_KEY and DISCOURSE_API_USERNAME`, {
        cause: error,
      });
    }
    log.info({ baseUrl: settings.baseUrl, username: settings.apiUsername, requestsPerMinute: settings.apiRequestsPerMinute }, 'connected to Discourse');
    return new DiscourseBridge(client, budget, settings, store, log);
  }

  /** The webhook route (mounted by the HTTP server); deliveries before start() wait in the queue. */
  router(): Router {
    return DiscourseBridge.webhooks(this.settings, this.store, this.#log, () => this.queued());
  }

  /**
   * The webhook route without a connected bridge: a standby instance (failover) queues deliveries
   * in the shared database for the active one, whose worker also polls the queue every second.
   */
  static webhooks(settings: Pick<DiscourseSettings, 'webhookSecret'>, store: Store, logger: Logger, onQueued: () => void): Router {
    return webhookRouter({ store, secret: settings.webhookSecret, logger, onQueued });
  }

  /** Something was queued: handle it now rather than at the next poll of the queue. */
  queued(): void {
    this.#worker?.kick();
  }

  async start(consumer: BridgeConsumer): Promise<void> {
    this.#consumer = consumer;
    await this.#resolveCategories();
    this.#worker = new InboxWorker({ store: this.store, platform: 'discourse', logger: this.#log, handle: (item) => this.#handle(item) });
    this.#worker.start();
    await markLiveStart(this.#catchUp, this.store);
    // History in the background, at the budget's lowest priority: live requests go first.
    this.#backfilling = this.#readHistory();
    await this.#poll();
    this.#timer = setInterval(() => void this.#poll(), this.settings.pollSeconds * 1000);
    this.#log.info({ helpCategories: [...this.#helpCategoryIds], mirrorCategory: this.#mirrorCategoryId }, 'following the forum');
  }

  /**
   * Reads the forum's history (resumable: it goes on where it stopped), trying again after a
   * failure until it is read or the bridge stops: nothing else would try before the next start.
   * A permanent refusal (the key may not read) ends it, logged.
   */
  async #readHistory(): Promise<void> {
    const signal = this.#stopping.signal;
    try {
      await retry(
        () =>
          backfill({
            client: this.#history,
            store: this.store,
            topics: this.settings.backfillTopics,
            logger: this.#log,
            onQueued: () => this.#worker?.kick(),
            signal,
          }),
        {
          policy: UNTIL_DONE_POLICY,
          classify: describeDiscourseError,
          signal,
          onRetry: (error, attempt, delayMs) =>
            this.#log.warn(
              { error: describeDiscourseError(error).message, attempt, retryInMs: Math.round(delayMs) },
              'reading forum history failed: trying again',
            ),
        },
      );
    } catch (error) {
      if (!signal.aborted) this.#log.error({ error: describeDiscourseError(error).message }, 'reading forum history stopped; it resumes at the next start');
    }
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    clearInterval(this.#timer);
    this.#budget.close();
    await this.#polling;
    await this.#backfilling;
    await this.#worker?.stop();
  }

  /** Resolves when the queue is empty and no catch-up or history read is running. */
  async idle(): Promise<void> {
    await this.#polling;
    await this.#backfilling;
    await this.#worker?.idle();
  }

  /** One catch-up round now (also used by tests instead of waiting for the timer). */
  poll(): Promise<void> {
    return this.#poll();
  }

  /** Why the forum is not usable right now (its last answer), or undefined (readiness). */
  get connectionProblem(): string | undefined {
    return this.client.connectionProblem;
  }

  /** Requests sent and 429s received so far (progress logs, benchmarks). */
  get requestCounts(): Readonly<{ sent: number; rateLimited: number }> {
    return this.client.counts;
  }

  #poll(): Promise<void> {
    if (this.#stopping.signal.aborted) return Promise.resolve();
    this.#polling ??= (async () => {
      try {
        let queued = await catchUpPosts(this.#catchUp, this.store, this.#log);
        queued += await catchUpPrivateMessages(this.#catchUp, this.store, this.identity.externalId, this.#log);
        if (this.#rounds % SWEEP_EVERY_ROUNDS === 0)
          queued += await sweepOpenRequests({ client: this.#catchUp, store: this.store, logger: this.#log, bot: this.identity.externalId });
        if (queued > 0) this.#worker?.kick();
        if (this.settings.privateMessages) await this.#memberContacts();
      } catch (error) {
        if (!this.#stopping.signal.aborted) this.#log.warn({ error: describeDiscourseError(error).message }, 'catch-up failed; will try again');
      } finally {
        this.#rounds += 1;
        this.#polling = undefined;
      }
    })();
    return this.#polling;
  }

  async #resolveCategories(): Promise<void> {
    const { helpCategories, mirrorCategory } = this.settings;
    if (helpCategories.length === 0 && mirrorCategory === undefined) return;
    const all = categoriesOf(await this.#catchUp.site());
    for (const wanted of helpCategories) {
      const lookup = findCategory(all, wanted);
      if ('found' in lookup) this.#helpCategoryIds.add(lookup.found.id);
      else this.#log.warn({ category: wanted }, `help category ignored: ${describeLookup(wanted, lookup, all)}`);
    }
    if (mirrorCategory !== undefined) {
      const lookup = findCategory(all, mirrorCategory);
      if ('found' in lookup) this.#mirrorCategoryId = lookup.found.id;
      else this.#log.warn({ category: mirrorCategory }, `mirror category not found, mirroring will fail: ${describeLookup(mirrorCategory, lookup, all)}`);
    }
  }

  // --- handling a queued change -------------------------------------------------------------

  #deps(): ChangeDeps {
    return {
      client: this.#catchUp,
      store: this.store,
      log: this.#log,
      bot: this.identity,
      baseUrl: this.settings.baseUrl,
      helpCategoryIds: () => this.#helpCategoryIds,
      privateMessages: this.settings.privateMessages,
    };
  }

  async #handle(item: InboxItem): Promise<void> {
    const change = readQueuedChange(item.payload);
    if (!change) {
      this.#log.warn({ eventId: item.eventId }, 'queued change is not readable; skipped');
      return;
    }
    const handled = await handleChange(this.#deps(), change, item.eventId).catch((error: unknown) => {
      // A topic or post that no longer exists (or the bot may not see) is nothing to do; other failures are retried.
      if (error instanceof DiscourseApiError && (error.status === 404 || error.status === 403)) return null;
      throw error;
    });
    if (!handled) return;
    for (const event of handled.events) await this.#consumer!.receive(event);
    await handled.commit?.();
  }

  /**
   * Members' private messages to each other (metadata only, admin key): one member's list per
   * round, in turn, for conversations the webhooks did not bring. One request per round.
   */
  async #memberContacts(): Promise<void> {
    const members = await this.store.members.list();
    const names = members
      .flatMap((m) => m.identities.filter((i) => i.platform === 'discourse').map((i) => i.externalId))
      .filter((u) => u !== this.identity.externalId);
    if (names.length === 0) return;
    const username = names[this.#memberCursor++ % names.length]!;
    const contacts = await memberConversations(this.#history, username, this.identity.externalId).catch(() => []);
    for (const c of contacts) {
      await this.#consumer!.receive({
        kind: 'contact',
        platform: 'discourse',
        eventId: `pm:${c.topicId}:1`,
        containerId: String(c.topicId),
        author: c.from,
        createdAt: c.at,
        historic: false,
        participants: c.to,
      });
    }
  }
}
