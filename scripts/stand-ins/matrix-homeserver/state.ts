// The homeserver's data model: users, sessions, rooms and their events, account data. No HTTP
// here; both the HTTP routes and the in-process test API call these methods, so the two can
// never disagree. Failures throw MatrixHttpError, which the server turns into {errcode, error}.
//
// Every change (event or account data) takes the next position in one global stream; sync
// tokens and pagination tokens are "s<position>", which keeps /sync, /messages and /relations
// tokens interchangeable, as the spec allows.
import { cloneJson } from './deep-json.js';
import { randomBytes } from 'node:crypto';

export type JsonObject = Record<string, unknown>;

/** An event as the client-server API returns it (ClientEvent; room_id absent in /sync). */
export interface ClientEvent {
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  content: JsonObject;
  state_key?: string;
  redacts?: string;
  room_id?: string;
  unsigned?: JsonObject;
}
export type RoomEvent = ClientEvent & { room_id: string };

export class MatrixHttpError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
    readonly extra: JsonObject = {},
  ) {
    super(`${errcode}: ${message}`);
  }
  get body(): JsonObject {
    return { errcode: this.errcode, error: this.message.slice(this.errcode.length + 2), ...this.extra };
  }
}
export const forbidden = (why: string) => new MatrixHttpError(403, 'M_FORBIDDEN', why);
export const notFound = (why: string) => new MatrixHttpError(404, 'M_NOT_FOUND', why);

export interface StoredEvent {
  pos: number;
  roomId: string;
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  content: JsonObject;
  state_key?: string;
  redacts?: string;
  /** Content of the state event this one replaced (unsigned.prev_content). */
  prevContent?: JsonObject;
  /** Who sent it with which transaction id (for unsigned.transaction_id). */
  txn?: { token: string; txnId: string };
  redactedBy?: StoredEvent;
}

export interface Room {
  id: string;
  version: string;
  events: StoredEvent[];
  /** Current state, keyed by stateKey(type, state_key). */
  state: Map<string, StoredEvent>;
}

interface Versioned {
  content: JsonObject;
  pos: number;
}

export interface User {
  id: string;
  password: string;
  displayName?: string;
  avatarUrl?: string;
  /** A server admin (Synapse's admin API). */
  admin?: boolean;
  accountData: Map<string, Versioned>;
  roomAccountData: Map<string, Map<string, Versioned>>;
  filters: JsonObject[];
}

export interface Session {
  token: string;
  userId: string;
  deviceId: string;
}

/** The createRoom request body (spec names), also used by the in-process API. */
export interface CreateRoomRequest {
  name?: string;
  topic?: string;
  preset?: 'private_chat' | 'public_chat' | 'trusted_private_chat';
  visibility?: 'public' | 'private';
  room_alias_name?: string;
  is_direct?: boolean;
  invite?: string[];
  initial_state?: { type: string; state_key?: string; content: JsonObject }[];
  creation_content?: JsonObject;
  power_level_content_override?: JsonObject;
  room_version?: string;
}

const ROOM_VERSION = '10';
const stateKey = (type: string, key: string) => `${type}\u0000${key}`;
const randomId = (bytes: number) => randomBytes(bytes).toString('base64url');

/** Content keys that survive redaction in room version 10 (spec "Redactions" algorithm). */
const KEPT_CONTENT: Record<string, string[]> = {
  'm.room.member': ['membership', 'join_authorised_via_users_server'],
  'm.room.create': ['creator'],
  'm.room.join_rules': ['join_rule', 'allow'],
  'm.room.power_levels': ['ban', 'events', 'events_default', 'kick', 'redact', 'state_default', 'users', 'users_default'],
  'm.room.history_visibility': ['history_visibility'],
};

export class HomeserverState {
  readonly users = new Map<string, User>();
  readonly rooms = new Map<string, Room>();
  readonly aliases = new Map<string, string>();
  private readonly sessions = new Map<string, Session>();
  private readonly txns = new Map<string, string>();
  private readonly listeners = new Set<(event?: StoredEvent) => void>();
  private readonly eventIndex = new Map<string, StoredEvent>();
  /** All events of all rooms in stream order. */
  readonly allEvents: StoredEvent[] = [];
  private position = 0;
  private lastTs = 0;
  /** Per user, the highest position a /sync said it had already seen (its `since`). */
  readonly syncedTo = new Map<string, number>();

  /** `onStored` sees every event and account data item as stored (the hook for validation). */
  constructor(
    readonly serverName: string,
    private readonly onStored: (item: ClientEvent | { type: string; content: JsonObject }) => void = () => {},
  ) {}

  get streamPosition(): number {
    return this.position;
  }

  /** Called after every change; with the event when the change is an event. */
  subscribe(listener: (event?: StoredEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Takes a stream position for a change that is no room event (to-device, device keys) and wakes long-polls. */
  tick(): number {
    const position = ++this.position;
    this.advance();
    return position;
  }

  private advance(event?: StoredEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  // ---- users and sessions ----

  userId(localpartOrId: string): string {
    return localpartOrId.startsWith('@') ? localpartOrId : `@${localpartOrId}:${this.serverName}`;
  }

  user(userId: string): User {
    const user = this.users.get(userId);
    if (!user) throw notFound(`Unknown user ${userId}`);
    return user;
  }

  registerUser(localpart: string, opts: { displayName?: string; password?: string; admin?: boolean } = {}): Session {
    const id = this.userId(localpart);
    if (this.users.has(id)) throw new MatrixHttpError(400, 'M_USER_IN_USE', `${id} is already registered`);
    this.users.set(id, {
      id,
      password: opts.password ?? 'password',
      displayName: opts.displayName ?? id.slice(1).split(':')[0],
      accountData: new Map(),
      roomAccountData: new Map(),
      filters: [],
      ...(opts.admin ? { admin: true } : {}),
    });
    return this.newSession(id);
  }

  newSession(userId: string, deviceId?: string): Session {
    const session = { token: `syt_${randomId(24)}`, userId, deviceId: deviceId ?? randomId(6).toUpperCase() };
    this.sessions.set(session.token, session);
    return session;
  }

  login(user: string, password: string, deviceId?: string): Session {
    const found = this.users.get(this.userId(user));
    if (!found || found.password !== password) throw forbidden('Invalid username or password');
    return this.newSession(found.id, deviceId);
  }

  session(token: string): Session | undefined {
    return this.sessions.get(token);
  }

  // ---- events ----

  room(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (!room) throw notFound(`Unknown room ${roomId}`);
    return room;
  }

  event(roomId: string, eventId: string): StoredEvent {
    const event = this.eventIndex.get(eventId);
    if (!event || event.roomId !== roomId) throw notFound(`Event ${eventId} not found`);
    return event;
  }

  stateEvent(roomId: string, type: string, key = ''): StoredEvent | undefined {
    return this.room(roomId).state.get(stateKey(type, key));
  }

  membership(roomId: string, userId: string): string | undefined {
    return this.stateEvent(roomId, 'm.room.member', userId)?.content['membership'] as string | undefined;
  }

  members(roomId: string, membership = 'join'): string[] {
    return [...this.room(roomId).state.values()]
      .filter((e) => e.type === 'm.room.member' && e.content['membership'] === membership)
      .map((e) => e.state_key as string);
  }

  /** Appends an event without permission checks: the single place events are created. */
  private append(roomId: string, sender: string, type: string, content: JsonObject, extra: Partial<StoredEvent> = {}): StoredEvent {
    const room = this.room(roomId);
    this.lastTs = Math.max(Date.now(), this.lastTs + 1); // strictly increasing, so order is visible
    const event: StoredEvent = {
      pos: ++this.position,
      roomId,
      event_id: `$${randomId(32)}`,
      type,
      sender,
      origin_server_ts: this.lastTs,
      content: cloneJson(content),
      ...extra,
    };
    if (event.state_key !== undefined) {
      const key = stateKey(type, event.state_key);
      const previous = room.state.get(key);
      if (previous) event.prevContent = previous.content;
      room.state.set(key, event);
    }
    room.events.push(event);
    this.allEvents.push(event);
    this.eventIndex.set(event.event_id, event);
    this.onStored(toClientEvent(event, { withRoomId: true }));
    this.advance(event);
    return event;
  }

  private requireJoined(roomId: string, userId: string): void {
    if (this.membership(roomId, userId) !== 'join') throw forbidden(`${userId} is not in room ${roomId}`);
  }

  /** The event a transaction created already, if any. */
  knownTxn(txn: { token: string; txnId: string; kind: string }): string | undefined {
    return this.txns.get(`${txn.token}\u0000${txn.kind}\u0000${txn.txnId}`);
  }

  /** Runs `create` once per (access token, kind, txnId); repeats return the first event id. */
  private idempotent(txn: { token: string; txnId: string; kind: string } | undefined, create: () => string): string {
    if (!txn) return create();
    const key = `${txn.token}\u0000${txn.kind}\u0000${txn.txnId}`;
    const existing = this.txns.get(key);
    if (existing) return existing;
    const eventId = create();
    this.txns.set(key, eventId);
    return eventId;
  }

  sendEvent(sender: string, roomId: string, type: string, content: JsonObject, txn?: { token: string; txnId: string }): string {
    return this.idempotent(txn && { ...txn, kind: `send\u0000${roomId}` }, () => {
      this.requireJoined(roomId, sender);
      return this.append(roomId, sender, type, content, txn ? { txn } : {}).event_id;
    });
  }

  setState(sender: string, roomId: string, type: string, key: string, content: JsonObject): string {
    this.requireJoined(roomId, sender);
    // Membership changes go through join/invite/leave so their rules apply.
    if (type === 'm.room.member' && key !== sender) throw forbidden("Use invite, kick or ban to change others' membership");
    if (type === 'm.room.create') throw forbidden('m.room.create cannot be replaced');
    return this.append(roomId, sender, type, content, { state_key: key }).event_id;
  }

  redact(sender: string, roomId: string, eventId: string, reason?: string, txn?: { token: string; txnId: string }): string {
    return this.idempotent(txn && { ...txn, kind: `redact\u0000${roomId}` }, () => {
      this.requireJoined(roomId, sender);
      const target = this.event(roomId, eventId);
      const redaction = this.append(roomId, sender, 'm.room.redaction', reason === undefined ? {} : { reason }, { redacts: eventId, ...(txn ? { txn } : {}) });
      const kept = KEPT_CONTENT[target.type] ?? [];
      target.content = Object.fromEntries(Object.entries(target.content).filter(([k]) => kept.includes(k)));
      delete target.redacts;
      target.redactedBy = redaction;
      return redaction.event_id;
    });
  }

  // ---- rooms and membership ----

  createRoom(creator: string, request: CreateRoomRequest): string {
    this.user(creator);
    const roomId = `!${randomId(12)}:${this.serverName}`;
    let alias: string | undefined;
    if (request.room_alias_name) {
      alias = `#${request.room_alias_name}:${this.serverName}`;
      if (this.aliases.has(alias)) throw new MatrixHttpError(400, 'M_ROOM_IN_USE', `${alias} is taken`);
    }
    this.rooms.set(roomId, { id: roomId, version: request.room_version ?? ROOM_VERSION, events: [], state: new Map() });
    const state = (type: string, content: JsonObject, key = '') => this.append(roomId, creator, type, content, { state_key: key });
    const preset = request.preset ?? (request.visibility === 'public' ? 'public_chat' : 'private_chat');
    const invitees = request.invite ?? [];

    state('m.room.create', { creator, room_version: request.room_version ?? ROOM_VERSION, ...request.creation_content });
    state('m.room.member', this.memberContent(creator, 'join'), creator);
    const users: JsonObject = { [creator]: 100 };
    if (preset === 'trusted_private_chat') for (const u of invitees) users[u] = 100;
    state('m.room.power_levels', {
      users,
      users_default: 0,
      events: {},
      events_default: 0,
      state_default: 50,
      ban: 50,
      kick: 50,
      redact: 50,
      invite: 0,
      ...request.power_level_content_override,
    });
    if (alias) {
      this.aliases.set(alias, roomId);
      state('m.room.canonical_alias', { alias });
    }
    state('m.room.join_rules', { join_rule: preset === 'public_chat' ? 'public' : 'invite' });
    state('m.room.history_visibility', { history_visibility: 'shared' });
    if (preset !== 'public_chat') state('m.room.guest_access', { guest_access: 'can_join' });
    for (const s of request.initial_state ?? []) state(s.type, s.content, s.state_key ?? '');
    if (request.name !== undefined) state('m.room.name', { name: request.name });
    if (request.topic !== undefined) state('m.room.topic', { topic: request.topic });
    for (const invitee of invitees) this.invite(creator, roomId, invitee, { isDirect: request.is_direct });
    return roomId;
  }

  private memberContent(userId: string, membership: string, extra: JsonObject = {}): JsonObject {
    const user = this.users.get(userId);
    return {
      membership,
      ...(user?.displayName !== undefined ? { displayname: user.displayName } : {}),
      ...(user?.avatarUrl !== undefined ? { avatar_url: user.avatarUrl } : {}),
      ...extra,
    };
  }

  resolveRoom(roomIdOrAlias: string): string {
    if (roomIdOrAlias.startsWith('#')) {
      const roomId = this.aliases.get(roomIdOrAlias);
      if (!roomId) throw notFound(`Room alias ${roomIdOrAlias} not found`);
      return roomId;
    }
    this.room(roomIdOrAlias);
    return roomIdOrAlias;
  }

  /**
   * Joining needs one of: an invite, join_rule "public", or join_rule "restricted" with an
   * allow entry {type: m.room_membership, room_id} naming a room (a space) the user is in.
   */
  join(userId: string, roomIdOrAlias: string): string {
    const roomId = this.resolveRoom(roomIdOrAlias);
    const current = this.membership(roomId, userId);
    if (current === 'join') return roomId;
    if (current === 'ban') throw forbidden(`${userId} is banned from ${roomId}`);
    const rules = this.stateEvent(roomId, 'm.room.join_rules')?.content ?? {};
    const allow = Array.isArray(rules['allow']) ? (rules['allow'] as JsonObject[]) : [];
    const viaSpace =
      ['restricted', 'knock_restricted'].includes(rules['join_rule'] as string) &&
      allow.some(
        (a) =>
          a['type'] === 'm.room_membership' &&
          typeof a['room_id'] === 'string' &&
          this.rooms.has(a['room_id']) &&
          this.membership(a['room_id'], userId) === 'join',
      );
    if (current !== 'invite' && rules['join_rule'] !== 'public' && !viaSpace) {
      throw forbidden(`You are not invited to ${roomId}`);
    }
    this.append(roomId, userId, 'm.room.member', this.memberContent(userId, 'join'), { state_key: userId });
    return roomId;
  }

  invite(by: string, roomId: string, target: string, opts: { isDirect?: boolean; reason?: string } = {}): void {
    this.requireJoined(roomId, by);
    this.user(target);
    const current = this.membership(roomId, target);
    if (current === 'join' || current === 'ban') throw forbidden(`${target} is ${current === 'join' ? 'already in' : 'banned from'} the room`);
    const extra: JsonObject = {};
    if (opts.isDirect) extra['is_direct'] = true;
    if (opts.reason) extra['reason'] = opts.reason;
    this.append(roomId, by, 'm.room.member', this.memberContent(target, 'invite', extra), { state_key: target });
  }

  /** Leaving also rejects an invite. */
  leave(userId: string, roomId: string, reason?: string): void {
    const current = this.membership(roomId, userId);
    if (current !== 'join' && current !== 'invite') throw forbidden(`${userId} is not in room ${roomId}`);
    this.append(roomId, userId, 'm.room.member', { membership: 'leave', ...(reason ? { reason } : {}) }, { state_key: userId });
  }

  joinedRooms(userId: string): string[] {
    return [...this.rooms.keys()].filter((id) => this.membership(id, userId) === 'join');
  }

  setDisplayName(userId: string, displayName: string): void {
    this.user(userId).displayName = displayName;
    // Like real servers, announce the new name in every joined room.
    for (const roomId of this.joinedRooms(userId)) {
      this.append(roomId, userId, 'm.room.member', this.memberContent(userId, 'join'), { state_key: userId });
    }
  }

  setAlias(alias: string, roomId: string): void {
    this.room(roomId);
    if (this.aliases.has(alias)) throw new MatrixHttpError(409, 'M_UNKNOWN', `${alias} already exists`);
    this.aliases.set(alias, roomId);
  }

  // ---- account data and filters ----

  setAccountData(userId: string, roomId: string | undefined, type: string, content: JsonObject): void {
    const user = this.user(userId);
    let map = user.accountData;
    if (roomId !== undefined) {
      this.room(roomId);
      map = user.roomAccountData.get(roomId) ?? new Map();
      user.roomAccountData.set(roomId, map);
    }
    this.onStored({ type, content });
    map.set(type, { content: cloneJson(content), pos: ++this.position });
    this.advance();
  }

  /** Account data entries changed after `since` (all when undefined). */
  accountDataSince(userId: string, roomId: string | undefined, since?: number): { type: string; content: JsonObject }[] {
    const user = this.user(userId);
    const map = roomId === undefined ? user.accountData : user.roomAccountData.get(roomId);
    return [...(map ?? new Map<string, Versioned>()).entries()]
      .filter(([, v]) => since === undefined || v.pos > since)
      .map(([type, v]) => ({ type, content: cloneJson(v.content) }));
  }

  getAccountData(userId: string, roomId: string | undefined, type: string): JsonObject | undefined {
    const user = this.user(userId);
    const map = roomId === undefined ? user.accountData : user.roomAccountData.get(roomId);
    const content = map?.get(type)?.content;
    return content && cloneJson(content);
  }

  addFilter(userId: string, filter: JsonObject): string {
    const filters = this.user(userId).filters;
    filters.push(cloneJson(filter));
    return String(filters.length - 1);
  }

  getFilter(userId: string, filterId: string): JsonObject {
    const filter = /^\d+$/.test(filterId) ? this.user(userId).filters[Number(filterId)] : undefined;
    if (!filter) throw notFound(`Filter ${filterId} not found`);
    return cloneJson(filter);
  }
}

/**
 * The client-facing form of a stored event. `token` is the requester's access token: the
 * sender's own client sees unsigned.transaction_id. `withRoomId: false` gives the /sync form.
 */
export function toClientEvent(event: StoredEvent, opts: { withRoomId: boolean; token?: string; now?: number }): ClientEvent {
  const out: ClientEvent = {
    event_id: event.event_id,
    type: event.type,
    sender: event.sender,
    origin_server_ts: event.origin_server_ts,
    content: cloneJson(event.content),
  };
  if (event.state_key !== undefined) out.state_key = event.state_key;
  if (event.redacts !== undefined) out.redacts = event.redacts;
  if (opts.withRoomId) out.room_id = event.roomId;
  const unsigned: JsonObject = {};
  if (opts.now !== undefined) unsigned['age'] = Math.max(0, opts.now - event.origin_server_ts);
  if (opts.token !== undefined && event.txn?.token === opts.token) unsigned['transaction_id'] = event.txn.txnId;
  if (event.prevContent) unsigned['prev_content'] = cloneJson(event.prevContent);
  if (event.redactedBy) unsigned['redacted_because'] = toClientEvent(event.redactedBy, opts);
  if (Object.keys(unsigned).length > 0) out.unsigned = unsigned;
  return out;
}

/** The stripped form used for invite state and space children. */
export function toStrippedEvent(event: StoredEvent): JsonObject {
  return { type: event.type, state_key: event.state_key ?? '', sender: event.sender, content: cloneJson(event.content) };
}

/** Room state just before stream position `before` (exclusive), replayed from the timeline. */
export function stateBefore(room: Room, before: number): StoredEvent[] {
  const state = new Map<string, StoredEvent>();
  for (const event of room.events) {
    if (event.pos >= before) break;
    if (event.state_key !== undefined) state.set(stateKey(event.type, event.state_key), event);
  }
  return [...state.values()];
}
