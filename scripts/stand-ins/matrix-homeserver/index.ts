// A fake Matrix homeserver on loopback for end-to-end tests: the real matrix-bot-sdk talks
// to it over HTTP while the test drives and inspects it in-process. See README.md.
import { buildRoutes } from './routes.js';
import { KeyStore } from './keys.js';
import { instrumentation } from '../http/instrumentation.js';
// schemas.ts needs ajv, a dev dependency: loaded only when validating (tests), never by the sandbox.
import type { SpecValidator } from './schemas.js';
import { startHttpServer, type Fault, type RequestLogEntry, type Rewrite, type Stall } from './server.js';
import { MessageRateLimiter, type RateLimitOptions } from './rules.js';
import { HomeserverState, toClientEvent, type CreateRoomRequest, type JsonObject, type RoomEvent, type StoredEvent } from './state.js';

export { MatrixHttpError, type ClientEvent, type RoomEvent } from './state.js';
export type { RequestLogEntry } from './server.js';
export type { SpecValidator } from './schemas.js';

export interface FakeHomeserverOptions {
  /** Server name in ids (@u:NAME, !r:NAME). Default 'localhost'. */
  serverName?: string;
  /** Port on 127.0.0.1; 0 (default) picks a free one. */
  port?: number;
  /** Check events, requests and responses against the spec's schemas. Default true. */
  validate?: boolean;
  /** Upper bound for /sync long-poll waits, whatever timeout the client asks for. */
  syncTimeoutCapMs?: number;
  /** Directory holding the spec's api/ and event-schemas/ (default $MATRIX_SPEC_DIR or ../shared/specs/matrix/data beside the project). */
  specDir?: string;
  /** Synapse's default message rate limit (0.2/s, burst 10) is on unless `enabled: false`. */
  rateLimit?: RateLimitOptions;
}

export interface CreateRoomOptions {
  name?: string;
  topic?: string;
  /** Alias localpart: 'lobby' gives #lobby:serverName. */
  alias?: string;
  /** Creates a space (m.room.create content.type = 'm.space'). */
  space?: boolean;
  /** Adds m.room.encryption (megolm). The fake does not encrypt anything. */
  encrypted?: boolean;
  invite?: string[];
  /** Marks the invites as direct (is_direct in the member events). */
  isDirect?: boolean;
  /** join_rule public (preset public_chat); otherwise invite-only. */
  public?: boolean;
  /** join_rule restricted: members of these rooms (spaces) may join without an invite. */
  restrictedTo?: string[];
}

export interface FakeHomeserver {
  url: string;
  serverName: string;
  close(): Promise<void>;
  registerUser(localpart: string, opts?: { displayName?: string; password?: string; admin?: boolean }): { userId: string; accessToken: string };
  /** What an admin does with `POST /_synapse/admin/v1/users/{userId}/override_ratelimit` and 0/0: no message limit for the user. */
  overrideRatelimit(userId: string): void;
  createRoom(creator: string, opts?: CreateRoomOptions): string;
  addSpaceChild(spaceId: string, roomId: string, by: string): void;
  removeSpaceChild(spaceId: string, roomId: string, by: string): void;
  join(userId: string, roomIdOrAlias: string): string;
  invite(by: string, roomId: string, userId: string, opts?: { isDirect?: boolean }): void;
  leave(userId: string, roomId: string): void;
  send(userId: string, roomId: string, type: string, content: object): string;
  sendText(userId: string, roomId: string, body: string, extra?: object): string;
  setState(userId: string, roomId: string, type: string, stateKey: string, content: object): string;
  redact(userId: string, roomId: string, eventId: string, reason?: string): string;
  timeline(roomId: string): RoomEvent[];
  eventsBy(userId: string): RoomEvent[];
  waitForEvent(predicate: (e: RoomEvent) => boolean, timeoutMs?: number): Promise<RoomEvent>;
  failNext(match: { method?: string; path: RegExp }, response: Fault['response'], times?: number): void;
  /**
   * The next matching request takes effect but is never answered (until close): for tests
   * that kill a client while it waits. Resolves when that request's effects are done.
   */
  stallNext(match: { method?: string; path: RegExp }): Promise<void>;
  /** The next matching successful responses that `rewrite` changes (returns a body for) go out changed. */
  rewriteNext(match: { method?: string; path: RegExp }, rewrite: Rewrite['rewrite'], times?: number): void;
  requests: RequestLogEntry[];
  violations: string[];
  joinedMembers(roomId: string): string[];
  /** Rooms the user is invited to and has not joined yet. */
  invitedRooms(userId: string): string[];
  /**
   * True once the user's client has asked /sync for what came after everything stored so far,
   * that is, it has received (and, for a careful client, persisted) every event.
   */
  caughtUp(userId: string): boolean;
  /** The stream position of the latest change (event, membership, account data). */
  streamPosition(): number;
  accountData(userId: string, type: string, roomId?: string): unknown;
  /** Device ids of the user that uploaded device keys (end-to-end encryption). */
  devicesWithKeys(userId: string): string[];
  /** To-device messages for the user are held back until `releaseToDevice` (keys that come late). */
  holdToDevice(userId: string): void;
  /** Delivers the held messages; returns how many. */
  releaseToDevice(userId: string): number;
  /** Delivers every to-device message the user already received once more; returns how many. */
  replayToDevice(userId: string): number;
  /** How many times the user's cross-signing keys were (re)placed by keys/device_signing/upload. */
  signingKeyUploads(userId: string): number;
}

export async function startFakeHomeserver(options: FakeHomeserverOptions = {}): Promise<FakeHomeserver> {
  const serverName = options.serverName ?? 'localhost';
  const validator: SpecValidator | undefined = options.validate === false ? undefined : (await import('./schemas.js')).sharedValidator(options.specDir);
  const { violations, requests, faults, stalls, report } = instrumentation<RequestLogEntry, Fault, Stall>('fake-homeserver');

  const hs = new HomeserverState(serverName, (event) => validator && report(validator.validateEvent(event)));
  const rewrites: Rewrite[] = [];
  const rateLimiter = new MessageRateLimiter(options.rateLimit);
  const keys = new KeyStore(hs);
  const http = await startHttpServer(
    hs,
    buildRoutes(hs, { syncTimeoutCapMs: options.syncTimeoutCapMs, rateLimiter, keys }),
    { validator, report, requests, faults, stalls, rewrites },
    options.port ?? 0,
  );
  // Every in-process call accepts a localpart ('alice') or a full user id.
  const uid = (user: string) => hs.userId(user);
  const client = (e: StoredEvent) => toClientEvent(e, { withRoomId: true, now: Date.now() }) as RoomEvent;

  return {
    url: http.url,
    serverName,
    close: () => http.close(),
    registerUser(localpart, opts) {
      const session = hs.registerUser(localpart, opts);
      return { userId: session.userId, accessToken: session.token };
    },
    createRoom(creator, opts = {}) {
      const initialState: NonNullable<CreateRoomRequest['initial_state']> = [];
      if (opts.encrypted) initialState.push({ type: 'm.room.encryption', content: { algorithm: 'm.megolm.v1.aes-sha2' } });
      if (opts.restrictedTo) {
        initialState.push({
          type: 'm.room.join_rules',
          content: { join_rule: 'restricted', allow: opts.restrictedTo.map((room_id) => ({ type: 'm.room_membership', room_id })) },
        });
      }
      return hs.createRoom(uid(creator), {
        name: opts.name,
        topic: opts.topic,
        room_alias_name: opts.alias,
        preset: opts.public ? 'public_chat' : 'private_chat',
        creation_content: opts.space ? { type: 'm.space' } : undefined,
        initial_state: initialState,
        invite: opts.invite?.map(uid),
        is_direct: opts.isDirect,
      });
    },
    addSpaceChild(spaceId, roomId, by) {
      hs.setState(uid(by), spaceId, 'm.space.child', roomId, { via: [serverName] });
    },
    removeSpaceChild(spaceId, roomId, by) {
      hs.setState(uid(by), spaceId, 'm.space.child', roomId, {});
    },
    join: (userId, roomIdOrAlias) => hs.join(uid(userId), roomIdOrAlias),
    invite: (by, roomId, userId, opts) => hs.invite(uid(by), roomId, uid(userId), opts),
    leave: (userId, roomId) => hs.leave(uid(userId), roomId),
    send: (userId, roomId, type, content) => hs.sendEvent(uid(userId), roomId, type, content as JsonObject),
    sendText: (userId, roomId, body, extra = {}) => hs.sendEvent(uid(userId), roomId, 'm.room.message', { msgtype: 'm.text', body, ...extra }),
    setState: (userId, roomId, type, stateKey, content) => hs.setState(uid(userId), roomId, type, stateKey, content as JsonObject),
    redact: (userId, roomId, eventId, reason) => hs.redact(uid(userId), roomId, eventId, reason),
    timeline: (roomId) => hs.room(roomId).events.map(client),
    eventsBy: (userId) => hs.allEvents.filter((e) => e.sender === uid(userId)).map(client),
    waitForEvent(predicate, timeoutMs = 5000) {
      const existing = hs.allEvents.map(client).find(predicate);
      if (existing) return Promise.resolve(existing);
      return new Promise<RoomEvent>((resolve, reject) => {
        const timer = setTimeout(() => {
          unsubscribe();
          reject(new Error(`waitForEvent: no matching event within ${timeoutMs} ms`));
        }, timeoutMs);
        const unsubscribe = hs.subscribe((stored) => {
          const event = stored && client(stored);
          if (event && predicate(event)) {
            clearTimeout(timer);
            unsubscribe();
            resolve(event);
          }
        });
      });
    },
    failNext(match, response, times = 1) {
      faults.push({ method: match.method, path: match.path, response, remaining: times });
    },
    stallNext(match) {
      return new Promise<void>((resolve) => stalls.push({ method: match.method, path: match.path, remaining: 1, onStalled: resolve }));
    },
    overrideRatelimit(userId) {
      rateLimiter.overrides.set(hs.user(uid(userId)).id, { perSecond: 0, burst: 0 });
    },
    rewriteNext(match, rewrite, times = 1) {
      rewrites.push({ method: match.method, path: match.path, rewrite, remaining: times });
    },
    requests,
    violations,
    joinedMembers: (roomId) => hs.members(roomId, 'join'),
    invitedRooms: (userId) => [...hs.rooms.keys()].filter((roomId) => hs.membership(roomId, uid(userId)) === 'invite'),
    streamPosition: () => hs.streamPosition,
    caughtUp: (userId) => (hs.syncedTo.get(uid(userId)) ?? -1) >= hs.streamPosition,
    accountData: (userId, type, roomId) => hs.getAccountData(uid(userId), roomId, type),
    devicesWithKeys: (userId) => [...(keys.deviceKeys.get(uid(userId))?.keys() ?? [])],
    holdToDevice: (userId) => keys.hold(uid(userId)),
    releaseToDevice: (userId) => keys.release(uid(userId)),
    replayToDevice: (userId) => keys.replay(uid(userId)),
    signingKeyUploads: (userId) => keys.signingKeyUploads.get(uid(userId)) ?? 0,
  };
}
