// The Matrix bridge: makes the bot a member of the community's Space, keeps its rooms in view,
// queues every event from them durably, and hands each, translated, to the concierge. Sending
// goes through MatrixOutbound (the executor's port).
import { LogService, LogLevel, MatrixClient } from 'matrix-bot-sdk';
import type { BridgeConsumer } from '../../core/concierge/actions.js';
import { textReply } from '../../core/concierge/replies.js';
import type { ActorRef } from '../../core/inbound.js';
import type { Logger } from '../../core/logging.js';
import { InboxWorker } from '../../core/queue/inbox-worker.js';
import type { InboxItem, NewInboxEvent, Store } from '../../core/store/index.js';
import { backfillRoom } from './backfill.js';
import { BridgeCrypto, cryptoStorage, cryptoUnavailable } from './encryption.js';
import { retry, UNTIL_DONE_POLICY } from '../../core/retry.js';
import { MATRIX_RETRY_POLICY, describeMatrixError, withRetry } from './errors.js';
import { MatrixOutbound } from './outbound.js';
import { fillGap } from './gap.js';
import { isOwnJoin } from './own-join.js';
import { inboxKey, queuedEvent, readQueuedEvent, type QueuedMatrixEvent } from './queue-payload.js';
import { RoomDirectory } from './rooms.js';
import { CleanMatrixClient, SyncLoop, type SyncResponse } from './sync-client.js';
import { translateMatrixEvent } from './translate.js';

/** Missed events fetched per room to fill a gap, and passed over to find the bot's join (matrix.catchUpLimit's default). */
const DEFAULT_CATCH_UP_LIMIT = 2000;

export interface MatrixSettings {
  homeserverUrl: string;
  space: string;
  userId?: string | undefined;
  accessToken?: string | undefined;
  password?: string | undefined;
  allowRooms: readonly string[];
  backfill: number;
  /** Missed events fetched per room to fill a limited sync's gap (default 2000). */
  catchUpLimit?: number | undefined;
  smallRoomMaxMembers: number;
  /** End-to-end encryption: read and answer in encrypted rooms (false: stay out of them). */
  encryption?: boolean | undefined;
  /** Directory of the crypto store (crypto-store.sqlite and the SDK's bot-sdk.json). */
  cryptoStoreDir?: string | undefined;
  /** MATRIX_CRYPTO_STORE_PASSPHRASE: the crypto store's records are sealed with it. */
  cryptoStorePassphrase?: string | undefined;
  /** MATRIX_CROSS_SIGNING_KEYS: an export of the account's private cross-signing keys. */
  crossSigningKeys?: string | undefined;
}

/** Nesting deeper than this is no message from a person; such an event is parked on its own. */
const MAX_EVENT_DEPTH = 64;
const SYNC_TOKEN = 'sync-token';
const lastSeenKey = (roomId: string) => `room-last:${roomId}`;
/** Encrypted events whose room key has not arrived, by Megolm session id (a cursor row, saved with next_batch). */
const WAITING_FOR_KEYS = 'megolm-waiting';
/** At most this many events wait for room keys; beyond it the oldest are given up (logged). */
const MAX_WAITING = 2000;
type Waiting = Record<string, QueuedMatrixEvent[]>;

// Events per sync and room: a larger window means fewer gaps after a long downtime.
const SYNC_FILTER = { room: { timeline: { limit: 100 } }, presence: { types: [] as string[] } };

/**
 * Routes the SDK's logging into ours. It logs every non-2xx answer as an error, including the
 * 404s that are normal (no encryption state, no DM list yet), and the bridge reports the
 * failures that matter itself; so only its sync loop's trouble is a warning, the rest is debug.
 */
function adoptSdkLogging(logger: Logger): void {
  const log = logger.child({ component: 'matrix-bot-sdk' });
  const text = (parts: unknown[]) => parts.map((p) => (typeof p === 'string' ? p : p instanceof Error ? p.message : JSON.stringify(p))).join(' ');
  const report = (module: string, parts: unknown[]) => {
    // (The SDK's storage is unused: the bridge keeps its sync token in the database itself.)
    if (module === 'MatrixClientLite' && !text(parts).includes('with a memory store')) log.warn({ module }, text(parts));
    else log.debug({ module }, text(parts));
  };
  LogService.setLogger({
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (module: string, ...parts: unknown[]) => report(module, parts),
    error: (module: string, ...parts: unknown[]) => report(module, parts),
  });
  LogService.setLevel(LogLevel.WARN);
}

async function obtainAccessToken(settings: MatrixSettings, store: Store, logger: Logger): Promise<string> {
  if (settings.accessToken) return settings.accessToken;
  const stored = await store.cursors.get('matrix', `access-token:${settings.userId}`);
  if (stored) {
    try {
      const check = new MatrixClient(settings.homeserverUrl, stored);
      await withRetry(() => check.getWhoAmI(), { attempts: Infinity, maxMs: 30_000 });
      return stored;
    } catch (error) {
      if (describeMatrixError(error).retryable) throw error;
      logger.warn('stored Matrix access token no longer works; logging in again');
    }
  }
  const anonymous = new MatrixClient(settings.homeserverUrl, '');
  let response: { access_token?: unknown };
  try {
    response = (await withRetry(
      () =>
        anonymous.doRequest('POST', '/_matrix/client/v3/login', null, {
          type: 'm.login.password',
          identifier: { type: 'm.id.user', user: settings.userId },
          password: settings.password,
          initial_device_display_name: 'Co-Agent',
        }),
      { attempts: Infinity, maxMs: 30_000, onRetry: (e) => logger.warn({ error: e.message }, 'homeserver not answering the login yet; will keep trying') },
    )) as { access_token?: unknown };
  } catch (error) {
    throw new Error(`Matrix login as ${settings.userId} failed (${describeMatrixError(error).message}): check MATRIX_PASSWORD and matrix.userId`, {
      cause: error,
    });
  }
  if (typeof response?.access_token !== 'string') throw new Error('Matrix login answered without an access token');
  await store.cursors.set('matrix', `access-token:${settings.userId}`, response.access_token);
  logger.info({ userId: settings.userId }, 'logged in to Matrix with the password; token kept in the database');
  return response.access_token;
}

export class MatrixBridge {
  readonly identity: ActorRef;
  readonly outbound: MatrixOutbound;
  readonly #log: Logger;
  readonly #rooms: RoomDirectory;
  readonly #background = new Set<Promise<unknown>>();
  #worker: InboxWorker | undefined;
  #consumer: BridgeConsumer | undefined;
  #spaceId = '';
  /**
   * On a first start (no sync token yet) events older than this are history: learned from,
   * never answered. With a stored token everything new is live, including what came in while
   * the service was down.
   */
  #historyBefore = 0;
  #stopping = false;
  /** Aborted by stop(): ends the waits of background work that tries until it is done. */
  readonly #stopped = new AbortController();
  #spaceRefresh: Promise<void> | undefined;
  #crypto: BridgeCrypto | undefined;
  /** The first sync after a start retries every waiting event (a key may have come just before a crash). */
  #retryAllWaiting = true;

  readonly #sync: SyncLoop;

  private constructor(
    private readonly client: MatrixClient,
    private readonly settings: MatrixSettings,
    private readonly store: Store,
    logger: Logger,
    identity: ActorRef,
  ) {
    this.#log = logger;
    this.identity = identity;
    this.#rooms = new RoomDirectory(identity.externalId, settings.smallRoomMaxMembers);
    this.outbound = new MatrixOutbound(client, logger, store, () => this.#crypto);
    this.#sync = new SyncLoop({
      client,
      filter: SYNC_FILTER,
      logger,
      readToken: async () => (await store.cursors.get('matrix', SYNC_TOKEN)) || null,
      process: (response, since) => this.#process(response, since),
    });
  }

  /** Logs in (or checks the token) and learns who the bot is. Nothing is read or joined yet. */
  static async connect(configured: MatrixSettings, store: Store, logger: Logger): Promise<MatrixBridge> {
    const log = logger.child({ component: 'matrix' });
    adoptSdkLogging(log);
    const settings = { ...configured, encryption: configured.encryption ?? true };
    if (settings.encryption) {
      // On by default, as long as this installation can do it: otherwise today's behaviour.
      const problem = await cryptoUnavailable();
      if (problem) {
        log.error(
          { error: problem },
          'the end-to-end encryption package could not load: running without encryption (as with matrix.encryption: false): in encrypted rooms the bot says once that it cannot read them',
        );
        settings.encryption = false;
      }
    }
    const token = await obtainAccessToken(settings, store, log);
    if (settings.encryption && !settings.cryptoStoreDir) throw new Error('matrix.encryption needs a directory for the crypto store');
    const client = settings.encryption
      ? new CleanMatrixClient(settings.homeserverUrl, token, undefined, cryptoStorage(settings.cryptoStoreDir as string, settings.cryptoStorePassphrase))
      : new CleanMatrixClient(settings.homeserverUrl, token);
    // A homeserver that is down or unreachable is waited for (a service outlives outages); a
    // rejected token is a configuration error and stops the start with a clear message.
    let userId: string;
    try {
      userId = await withRetry(() => client.getUserId(), {
        attempts: Infinity,
        maxMs: 30_000,
        onRetry: (e, n, ms) => log.warn({ error: e.message, attempt: n, retryInMs: ms }, 'homeserver not answering yet; will keep trying'),
      });
    } catch (error) {
      throw new Error(
        `Matrix refused the bot's credentials (${describeMatrixError(error).message}): check MATRIX_ACCESS_TOKEN, or MATRIX_PASSWORD and matrix.userId`,
        { cause: error },
      );
    }
    const profile = (await client.getUserProfile(userId).catch(() => ({}))) as { displayname?: unknown };
    const identity: ActorRef = {
      platform: 'matrix',
      externalId: userId,
      ...(typeof profile.displayname === 'string' ? { displayName: profile.displayname } : {}),
    };
    const bridge = new MatrixBridge(client, settings, store, log, identity);
    log.info({ userId, homeserver: settings.homeserverUrl }, 'connected to Matrix');
    return bridge;
  }

  /** Joins the Space and its rooms, reads history of new rooms, then follows the rooms live. */
  async start(consumer: BridgeConsumer): Promise<void> {
    this.#consumer = consumer;
    const allowed = await Promise.all(this.settings.allowRooms.map((r) => withRetry(() => this.client.resolveRoom(r))));
    this.#rooms.allow(allowed);
    this.#spaceId = await withRetry(() => this.client.resolveRoom(this.settings.space));
    await this.#refreshSpace();
    // Private rooms the bot is already in (DMs with members) need their members known too.
    const joinedRooms = await withRetry(() => this.client.getJoinedRooms());
    for (const roomId of joinedRooms) {
      if (!this.#rooms.known(roomId)) await this.#loadRoom(roomId);
    }
    if (this.settings.encryption) {
      try {
        this.#crypto = await BridgeCrypto.open(this.client, this.#log, joinedRooms);
        await this.#crypto.crossSign({ userId: this.identity.externalId, password: this.settings.password, keys: this.settings.crossSigningKeys });
        await this.#crypto.track(joinedRooms.filter((r) => this.#rooms.isEncrypted(r)).flatMap((r) => [...this.#rooms.others(r), this.identity.externalId]));
      } catch (error) {
        // A damaged or locked crypto store costs the encrypted rooms only: the others are served.
        this.#crypto = undefined;
        this.#log.error(
          { error: error instanceof Error ? error.message : String(error) },
          'end-to-end encryption could not start: encrypted rooms are not read until this is fixed (see npm run doctor)',
        );
      }
    }
    this.#worker = new InboxWorker({ store: this.store, platform: 'matrix', logger: this.#log, handle: (item) => this.#handle(item) });
    this.#worker.start();
    if (!(await this.store.cursors.get('matrix', SYNC_TOKEN))) this.#historyBefore = Date.now();
    this.#sync.start();
    this.#log.info({ space: this.#spaceId, rooms: this.#rooms.sharedRooms().length }, 'following the Space');
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    this.#stopped.abort();
    await this.#sync.stop();
    await this.#worker?.stop();
    await Promise.allSettled([...this.#background]);
  }

  /**
   * Closes the crypto store, once nothing more is sent (after the executor stopped: a reply
   * in an encrypted room is encrypted when it goes out). Undelivered replies stay in the outbox.
   */
  closeCrypto(): void {
    const crypto = this.#crypto;
    this.#crypto = undefined;
    try {
      crypto?.close();
    } catch (error) {
      this.#log.warn({ error: error instanceof Error ? error.message : String(error) }, 'closing the crypto store failed');
    }
  }

  /** Resolves when queued events are handled and background joins are done (tests). */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
    await this.#worker?.idle();
  }

  #inBackground(work: Promise<unknown>, what: string): void {
    const p = work
      .catch((error: unknown) => this.#log.error({ error: describeMatrixError(error).message }, `${what} failed`))
      .finally(() => this.#background.delete(p));
    this.#background.add(p);
  }

  // --- the Space ------------------------------------------------------------------------

  async #hierarchy(): Promise<{ spaces: string[]; rooms: string[] }> {
    const spaces = [this.#spaceId];
    const rooms: string[] = [];
    let from: string | undefined;
    do {
      const page = (await withRetry(() =>
        this.client.doRequest('GET', `/_matrix/client/v1/rooms/${encodeURIComponent(this.#spaceId)}/hierarchy`, { limit: 100, ...(from ? { from } : {}) }),
      )) as { rooms?: { room_id?: unknown; room_type?: unknown }[]; next_batch?: unknown } | null;
      for (const r of page?.rooms ?? []) {
        if (typeof r.room_id !== 'string' || r.room_id === this.#spaceId) continue;
        (r.room_type === 'm.space' ? spaces : rooms).push(r.room_id);
      }
      from = typeof page?.next_batch === 'string' ? page.next_batch : undefined;
    } while (from);
    return { spaces, rooms };
  }

  /** Re-reads the Space: joins rooms added to it, leaves rooms taken out of it. */
  async #refreshSpace(): Promise<void> {
    await withRetry(() => this.client.joinRoom(this.#spaceId));
    const before = new Set(this.#rooms.sharedRooms());
    const { spaces, rooms } = await this.#hierarchy();
    this.#rooms.setSpace(spaces, rooms);
    const after = new Set(this.#rooms.sharedRooms());
    const joined = new Set(await withRetry(() => this.client.getJoinedRooms()));
    for (const roomId of after) {
      if (!joined.has(roomId)) {
        try {
          await withRetry(() => this.client.joinRoom(roomId));
        } catch (error) {
          this.#log.warn({ roomId, error: describeMatrixError(error).message }, 'could not join a room of the Space');
          continue;
        }
      }
      if (!this.#rooms.known(roomId)) await this.#loadRoom(roomId);
      if (!spaces.includes(roomId))
        this.#inBackground(
          this.#readHistory(roomId).then(() => this.#worker?.kick()),
          'reading room history',
        );
    }
    for (const roomId of before) {
      if (after.has(roomId)) continue;
      this.#log.info({ roomId }, 'room left the Space; leaving it');
      this.#rooms.forget(roomId);
      await withRetry(() => this.client.leaveRoom(roomId)).catch(() => undefined);
    }
  }

  /**
   * Reads a room's history, trying again until it is read or the bridge stops: a read that failed
   * (homeserver down longer than one call's retries, a lost database answer) is not tried again by
   * anything else, and the room's history would stay unlearned until a restart. A permanent
   * refusal (forbidden) ends it.
   */
  async #readHistory(roomId: string): Promise<void> {
    const limits = { depth: this.settings.backfill, afterJoin: this.settings.catchUpLimit ?? DEFAULT_CATCH_UP_LIMIT };
    try {
      await retry(() => backfillRoom(this.client, this.store, roomId, limits, this.#log), {
        policy: UNTIL_DONE_POLICY,
        classify: describeMatrixError,
        signal: this.#stopped.signal,
        onRetry: (error, attempt, delayMs) =>
          this.#log.warn(
            { roomId, error: describeMatrixError(error).message, attempt, retryInMs: Math.round(delayMs) },
            'reading room history failed: trying again',
          ),
      });
    } catch (error) {
      // Stopping ends the tries quietly; a permanent refusal is reported by #inBackground.
      if (!this.#stopping) throw error;
    }
  }

  #scheduleSpaceRefresh(): void {
    if (this.#spaceRefresh) return;
    this.#spaceRefresh = this.#refreshSpace().finally(() => (this.#spaceRefresh = undefined));
    this.#inBackground(this.#spaceRefresh, 'refreshing the Space');
  }

  /** `attempts` 1 inside the sync loop, which owns the retrying there (it asks for the same position again). */
  async #loadRoom(roomId: string, attempts = MATRIX_RETRY_POLICY.maxAttempts): Promise<void> {
    const profiles = (await withRetry(() => this.client.getJoinedRoomMembersWithProfiles(roomId), { attempts })) as Record<string, { display_name?: string }>;
    const members = new Map(Object.entries(profiles ?? {}).map(([id, p]) => [id, typeof p?.display_name === 'string' ? p.display_name : undefined]));
    let encrypted = false;
    try {
      await this.client.getRoomStateEvent(roomId, 'm.room.encryption', '');
      encrypted = true;
    } catch (error) {
      if (describeMatrixError(error).retryable) throw error;
    }
    this.#rooms.load(roomId, members, encrypted);
    if (encrypted && this.#crypto) await this.#crypto.track(members.keys());
    if (encrypted && !this.settings.encryption && this.#rooms.conversation(roomId)) await this.#announceEncrypted(roomId);
  }

  /** Says once per room (the outbox key makes it once, even across restarts) why it is silent. */
  async #announceEncrypted(roomId: string): Promise<void> {
    this.#log.warn({ roomId }, 'room is encrypted: staying quiet there');
    await this.#consumer?.submit([
      {
        key: `matrix:encrypted-notice:${roomId}`,
        action: {
          kind: 'post',
          platform: 'matrix',
          containerId: roomId,
          body: textReply(
            "This room is end-to-end encrypted and I can't read encrypted messages, so I'll stay quiet here. Mention me in an unencrypted room of the community to get help.",
          ),
        },
      },
    ]);
  }

  /** Says once per room (outbox key) that its earlier, encrypted messages cannot be read. */
  async #announceUnreadableHistory(roomId: string): Promise<void> {
    await this.#consumer?.submit([
      {
        key: `matrix:unreadable-history:${roomId}`,
        action: {
          kind: 'post',
          platform: 'matrix',
          containerId: roomId,
          body: textReply("I can't read this room's encrypted messages from before I joined (their keys were never shared with me). New messages are fine."),
        },
      },
    ]);
  }

  /**
   * Invitations: rooms of the Space (or allowed) are joined, and so is a direct chat a
   * community member opens with the bot (left again if it turns out to be a larger room).
   * Everything else, group rooms outside the Space included, is declined. Small rooms of
   * members come into view when the bot opens them itself (introductions).
   */
  async #onInvite(roomId: string, invite: Record<string, unknown>): Promise<void> {
    const inviter = typeof invite.sender === 'string' ? invite.sender : '';
    const direct = (invite.content as { is_direct?: unknown } | undefined)?.is_direct === true;
    if (!this.#rooms.isShared(roomId)) await this.#refreshSpace();
    const shared = this.#rooms.isShared(roomId);
    if (!shared && !(direct && this.#rooms.isCommunityMember(inviter))) {
      this.#log.info({ roomId, inviter }, 'declined an invitation from outside the Space');
      await withRetry(() => this.client.leaveRoom(roomId));
      return;
    }
    await withRetry(() => this.client.joinRoom(roomId));
    await this.#loadRoom(roomId);
    if (!shared && this.#rooms.conversation(roomId) === null) {
      this.#log.info({ roomId, inviter }, 'left a "direct" room that is not a private chat of community members');
      this.#rooms.forget(roomId);
      await withRetry(() => this.client.leaveRoom(roomId));
      return;
    }
    this.#log.info({ roomId, inviter, kind: this.#rooms.conversation(roomId) }, 'accepted an invitation');
  }

  // --- the sync stream --------------------------------------------------------------------

  /**
   * One /sync response: every event of the community's rooms goes into the inbox, in order,
   * together with the new sync token and each room's last seen event, in one transaction.
   * Anything that fails here throws, and the same position is requested again.
   */
  async #process(response: SyncResponse, since: string | null): Promise<void> {
    if (this.#stopping) throw new Error('the Matrix bridge is stopping');
    const rooms = record(response['rooms']);
    const join = record(rooms['join']);
    const unreadable = new Set<string>();
    for (const roomId of Object.keys(join)) {
      if (this.#rooms.known(roomId)) continue;
      try {
        await this.#loadRoom(roomId, 1);
      } catch (error) {
        const d = describeMatrixError(error);
        if (d.retryable) throw error;
        // A room the homeserver lists but will not describe: its events cannot be placed.
        unreadable.add(roomId);
        this.#log.warn({ roomId, error: d.message }, 'a room in the sync cannot be read; its events are skipped');
      }
    }
    const queued: NewInboxEvent[] = [];
    const cursors: Record<string, string> = { [SYNC_TOKEN]: response.next_batch };
    // Encryption first: the response's to-device messages (room keys), device lists and key
    // counts go into the crypto store before any of its room events is decrypted.
    let crypto = this.#crypto;
    let waiting: Waiting | undefined;
    let arrived: { roomId: string; sessionId: string }[] = [];
    if (crypto) {
      try {
        await this.#trackMembers(crypto, join);
        arrived = await crypto.absorb(response);
      } catch (error) {
        // The crypto store cannot save any more (disk, damage): give up encryption, not the sync.
        if (!(error instanceof Error && error.name === 'CryptoStoreError')) throw error;
        this.#log.error({ error: error.message }, 'the crypto store failed: encrypted rooms are not read any more until a restart (see npm run doctor)');
        this.#crypto = crypto = undefined;
      }
    }
    if (crypto) {
      waiting = await this.#readWaiting();
      const retry = this.#retryAllWaiting ? Object.keys(waiting) : [...new Set(arrived.map((k) => k.sessionId))];
      for (const sessionId of retry) {
        const list = waiting[sessionId];
        if (!list) continue;
        const still: QueuedMatrixEvent[] = [];
        for (const item of list) {
          const d = await crypto.decrypt(item.roomId, item.event);
          if (d.kind === 'clear') queued.push(queuedEvent(item.roomId, d.event, item.historic));
          else if (d.kind === 'missing-key') still.push(item);
          else this.#log.warn({ roomId: item.roomId, eventId: item.event['event_id'], reason: d.reason }, 'encrypted event cannot be decrypted; not answered');
        }
        if (still.length > 0) waiting[sessionId] = still;
        else delete waiting[sessionId];
        if (still.length < list.length)
          this.#log.info(
            { sessionId, decrypted: list.length - still.length, stillWaiting: still.length },
            'room key arrived: waiting encrypted events decrypted',
          );
      }
    }
    for (const [roomId, room] of Object.entries(join)) {
      if (unreadable.has(roomId)) continue;
      const r = record(room);
      for (const e of eventsOf(r['state'])) {
        this.#rooms.observe(roomId, e);
        if (crypto && (e['type'] === 'm.room.encryption' || e['type'] === 'm.room.history_visibility')) await crypto.observeState(roomId, e);
      }
      const timeline = record(r['timeline']);
      const live = eventsOf(timeline);
      let events = live;
      if (timeline['limited'] === true && since !== null && typeof timeline['prev_batch'] === 'string') {
        const lastSeen = await this.store.cursors.get('matrix', lastSeenKey(roomId));
        // A room first seen with the bot's join in its timeline (the usual newly joined room):
        // all before the join is history, the backfill's business; there is no gap to fill.
        const joinInTimeline = lastSeen === null && live.some((e) => isOwnJoin(e, this.identity.externalId));
        const gap = joinInTimeline
          ? []
          : await fillGap(
              this.client,
              roomId,
              timeline['prev_batch'],
              lastSeen,
              this.settings.catchUpLimit ?? DEFAULT_CATCH_UP_LIMIT,
              this.#log,
              this.identity.externalId,
            );
        events = [...gap, ...live];
      }
      // A room joined in this response comes with its latest events from before the join
      // (Synapse syncs a newly joined room without a since token): those are history. So are
      // the ones before the join in a gap filled back to it (joined, then stopped before a sync).
      const joinedAt = events.findIndex((e) => isOwnJoin(e, this.identity.externalId));
      for (const [i, event] of events.entries()) {
        let clear = event;
        if (crypto && event['type'] === 'm.room.encryption') await crypto.observeState(roomId, event);
        if (crypto && waiting && event['type'] === 'm.room.encrypted' && this.#rooms.conversation(roomId)) {
          const d = await crypto.decrypt(roomId, event);
          if (d.kind === 'clear') {
            clear = d.event;
          } else {
            crypto.undecryptable++;
            const historic = i < joinedAt || (typeof event['origin_server_ts'] === 'number' && event['origin_server_ts'] < this.#historyBefore);
            if (d.kind === 'missing-key') {
              this.#log.warn(
                { roomId, eventId: event['event_id'], sessionId: d.sessionId, undecryptable: crypto.undecryptable },
                'encrypted event without its room key yet; kept until the key arrives',
              );
              (waiting[d.sessionId] ??= []).push({ roomId, event, historic });
              continue;
            }
            this.#log.warn(
              { roomId, eventId: event['event_id'], reason: d.reason, undecryptable: crypto.undecryptable },
              'encrypted event cannot be decrypted; not answered',
            );
            continue;
          }
        }
        const entry = this.#entryFor(roomId, clear, i < joinedAt);
        if (entry) queued.push(entry);
      }
      const last = live.at(-1)?.['event_id'];
      if (typeof last === 'string') cursors[lastSeenKey(roomId)] = last;
    }
    for (const [roomId, room] of Object.entries(record(rooms['invite']))) {
      const invite = eventsOf(record(room)['invite_state']).find((e) => e['type'] === 'm.room.member' && e['state_key'] === this.identity.externalId);
      if (invite) this.#inBackground(this.#onInvite(roomId, invite), 'answering an invitation');
    }
    for (const [roomId, room] of Object.entries(record(rooms['leave']))) {
      const unread = eventsOf(record(record(room)['timeline'])).length;
      if (this.#rooms.known(roomId)) this.#log.info({ roomId, eventsNotRead: unread }, 'the bot is no longer in a room; its last events are not read');
      this.#rooms.forget(roomId);
    }
    if (this.#stopping) throw new Error('the Matrix bridge is stopping');
    if (waiting) cursors[WAITING_FOR_KEYS] = JSON.stringify(capWaiting(waiting, this.#log));
    await this.store.inbox.enqueue('matrix', queued, cursors);
    this.#retryAllWaiting = false;
    if (queued.length > 0) this.#worker?.kick();
  }

  async #readWaiting(): Promise<Waiting> {
    const raw = await this.store.cursors.get('matrix', WAITING_FOR_KEYS);
    if (!raw) return {};
    try {
      const parsed = JSON.parse(raw) as unknown;
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Waiting) : {};
    } catch {
      this.#log.warn('the list of encrypted events waiting for keys is unreadable; starting a new one');
      return {};
    }
  }

  /** Members joining (or invited to) encrypted rooms: the machine must know their devices. */
  async #trackMembers(crypto: BridgeCrypto, join: Json): Promise<void> {
    const users = new Set<string>();
    for (const [roomId, room] of Object.entries(join)) {
      const r = record(room);
      const events = [...eventsOf(r['state']), ...eventsOf(record(r['timeline']))];
      const encrypted = this.#rooms.isEncrypted(roomId) || events.some((e) => e['type'] === 'm.room.encryption');
      if (!encrypted) continue;
      for (const e of events) {
        const membership = record(e['content'])['membership'];
        if (e['type'] === 'm.room.member' && typeof e['state_key'] === 'string' && (membership === 'join' || membership === 'invite'))
          users.add(e['state_key']);
      }
      if (events.some((e) => e['type'] === 'm.room.encryption')) for (const u of this.#rooms.others(roomId)) users.add(u);
    }
    await crypto.track(users);
  }

  /** The inbox row for one timeline event, or undefined when it is not the bridge's business. */
  #entryFor(roomId: string, event: Record<string, unknown>, beforeJoin: boolean): NewInboxEvent | undefined {
    if (this.#rooms.observe(roomId, event) === 'encrypted' && !this.settings.encryption && this.#rooms.conversation(roomId))
      this.#inBackground(this.#announceEncrypted(roomId), 'announcing an encrypted room');
    if (event['type'] === 'm.space.child' && this.#rooms.isSpace(roomId)) this.#scheduleSpaceRefresh();
    // Nothing from rooms outside the community is stored.
    if (this.#rooms.conversation(roomId) === null) return undefined;
    const eventId = event['event_id'];
    if (typeof eventId !== 'string' || eventId === '' || eventId.length > 255) {
      this.#log.warn({ roomId, type: String(event['type']).slice(0, 100) }, 'event without a usable event_id skipped');
      return undefined;
    }
    const ts = typeof event['origin_server_ts'] === 'number' ? event['origin_server_ts'] : Date.now();
    const historic = beforeJoin || ts < this.#historyBefore;
    // A bad event is parked alone, with its error; it never holds up the rest of its batch.
    const parked = (error: string): NewInboxEvent => ({
      eventId: inboxKey(roomId, eventId),
      payload: JSON.stringify({
        roomId,
        event: { event_id: eventId, type: String(event['type']).slice(0, 255), sender: String(event['sender']).slice(0, 255) },
        historic,
      }),
      failed: error,
    });
    if (depthExceeds(event, MAX_EVENT_DEPTH)) {
      this.#log.warn({ roomId, eventId }, `event nested deeper than ${MAX_EVENT_DEPTH} levels parked`);
      return parked(`event nested deeper than ${MAX_EVENT_DEPTH} levels`);
    }
    try {
      return queuedEvent(roomId, event, historic);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#log.warn({ roomId, eventId, error: message }, 'event cannot be stored; parked');
      return parked(message);
    }
  }

  // --- handling a queued event --------------------------------------------------------------

  async #handle(item: InboxItem): Promise<void> {
    const queued = readQueuedEvent(item.payload);
    if (!queued) {
      this.#log.warn({ eventId: item.eventId }, 'queued event is not readable; skipped');
      return;
    }
    const { roomId, historic } = queued;
    let { event } = queued;
    const conversation = this.#rooms.conversation(roomId);
    if (!conversation || (this.#rooms.isEncrypted(roomId) && !this.#crypto)) {
      this.#log.info({ eventId: item.eventId, roomId }, 'event from a room the bot left or cannot read skipped');
      return;
    }
    if (event['type'] === 'm.room.encrypted' && this.#crypto) {
      // History read on joining (the sync decrypts what it brings): usually from before the
      // bot's device was in the room, so no key was ever shared with it.
      const d = await this.#crypto.decrypt(roomId, event);
      if (d.kind !== 'clear') {
        this.#crypto.undecryptable++;
        this.#log.info(
          { eventId: item.eventId, roomId, reason: d.reason, undecryptable: this.#crypto.undecryptable },
          'encrypted event cannot be decrypted; not answered',
        );
        if (historic && d.kind === 'missing-key') await this.#announceUnreadableHistory(roomId);
        return;
      }
      event = d.event;
    }
    const t = translateMatrixEvent(event, {
      botUserId: this.identity.externalId,
      ...(this.identity.displayName ? { botDisplayName: this.identity.displayName } : {}),
      roomId,
      conversation,
      historic,
      space: this.#rooms.isSpace(roomId),
    });
    if (t.kind === 'invalid') {
      this.#log.warn({ eventId: item.eventId, roomId, reason: t.reason }, 'malformed Matrix event skipped');
      return;
    }
    if (t.kind === 'ignored') {
      this.#log.debug({ eventId: item.eventId, roomId, reason: t.reason }, 'Matrix event not for the concierge');
      return;
    }
    const e = t.event;
    // History of the first sync is queued behind live events, so a join from before can be
    // handled after a live leave: whichever membership event comes, report where the member
    // stands now (the sync already updated the room's members).
    if (e.kind === 'membership') e.membership = this.#rooms.isIn(roomId, e.member.externalId) ? 'joined' : 'left';
    e.author = { ...e.author, displayName: e.author.displayName ?? this.#rooms.displayName(e.author.externalId, roomId) };
    if (e.kind === 'message') {
      e.mentions = e.mentions.map((m) => ({ ...m, displayName: m.displayName ?? this.#rooms.displayName(m.externalId) }));
      if (conversation === 'small') {
        e.participants = this.#rooms
          .others(roomId)
          .filter((u) => u !== e.author.externalId)
          .map((u) => ({ platform: 'matrix' as const, externalId: u, displayName: this.#rooms.displayName(u, roomId) }));
      }
    }
    await this.#consumer!.receive(e);
  }
}

type Json = Record<string, unknown>;

/** Keeps the newest MAX_WAITING waiting events. */
function capWaiting(waiting: Waiting, log: Logger): Waiting {
  const all = Object.entries(waiting).flatMap(([sessionId, list]) => list.map((item) => ({ sessionId, item })));
  if (all.length <= MAX_WAITING) return waiting;
  const ts = (e: { item: QueuedMatrixEvent }) => (typeof e.item.event['origin_server_ts'] === 'number' ? e.item.event['origin_server_ts'] : 0);
  all.sort((a, b) => ts(a) - ts(b));
  log.warn({ givenUp: all.length - MAX_WAITING }, 'too many encrypted events waiting for room keys; the oldest are given up');
  const kept: Waiting = {};
  for (const { sessionId, item } of all.slice(-MAX_WAITING)) (kept[sessionId] ??= []).push(item);
  return kept;
}

function record(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

/** The event objects of a `{ events: [...] }` section; anything else in it is dropped. */
function eventsOf(section: unknown): Json[] {
  const events = record(section)['events'];
  return Array.isArray(events)
    ? events.filter((e): e is Json => typeof e === 'object' && e !== null && !Array.isArray(e) && typeof (e as Json)['type'] === 'string')
    : [];
}

/** Whether a JSON value nests deeper than `max` (iterative: a deep value cannot overflow the stack). */
function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth >= max) return true;
    for (const child of Object.values(v)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}
