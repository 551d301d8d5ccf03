// Read-side endpoints other than /sync: history pagination, relations, threads and the space
// hierarchy. All take the requesting user so that visibility is checked in one place.
import { forbidden, HomeserverState, MatrixHttpError, toClientEvent, toStrippedEvent, type JsonObject, type StoredEvent } from './state.js';
import { parseToken, token } from './sync.js';

export interface PageRequest {
  from?: string | null;
  to?: string | null;
  dir?: string | null;
  limit?: string | null;
}

const clamp = (raw: string | null | undefined, fallback: number, max: number) => {
  const n = raw ? Number(raw) : fallback;
  if (!Number.isInteger(n) || n < 0) throw new MatrixHttpError(400, 'M_INVALID_PARAM', 'limit must be a non-negative integer');
  return Math.min(n, max);
};

/**
 * Pages through events (given in stream order). Backwards from token N returns events at
 * positions <= N, newest first; forwards from N returns events after N, oldest first. The
 * `end` token is omitted when nothing further exists, as the spec asks.
 */
export function paginate(hs: HomeserverState, events: StoredEvent[], page: PageRequest): { chunk: StoredEvent[]; start: string; end?: string } {
  const dir = page.dir ?? 'b';
  if (dir !== 'b' && dir !== 'f') throw new MatrixHttpError(400, 'M_INVALID_PARAM', 'dir must be b or f');
  const limit = clamp(page.limit, 10, 1000);
  const to = parseToken(page.to, 'to');
  if (dir === 'b') {
    const from = parseToken(page.from, 'from') ?? hs.streamPosition;
    const candidates = events.filter((e) => e.pos <= from && (to === undefined || e.pos > to)).reverse();
    const chunk = candidates.slice(0, limit);
    const last = chunk.at(-1);
    return { chunk, start: token(from), ...(last && candidates.length > limit ? { end: token(last.pos - 1) } : {}) };
  }
  const from = parseToken(page.from, 'from') ?? 0;
  const candidates = events.filter((e) => e.pos > from && (to === undefined || e.pos <= to));
  const chunk = candidates.slice(0, limit);
  const last = chunk.at(-1);
  return { chunk, start: token(from), ...(last && candidates.length > limit ? { end: token(last.pos) } : {}) };
}

/**
 * History visibility is simplified: joined members see the whole room ("shared" from the
 * start); users who left see it up to their departure; others see nothing.
 */
export function visibleEvents(hs: HomeserverState, roomId: string, userId: string): StoredEvent[] {
  const room = hs.room(roomId);
  const member = hs.stateEvent(roomId, 'm.room.member', userId);
  const membership = member?.content['membership'];
  if (membership === 'join') return room.events;
  if (
    member &&
    (membership === 'leave' || membership === 'ban') &&
    room.events.some((e) => e.type === 'm.room.member' && e.state_key === userId && e.content['membership'] === 'join')
  ) {
    return room.events.filter((e) => e.pos <= member.pos);
  }
  throw forbidden(`${userId} cannot see room ${roomId}`);
}

const relation = (e: StoredEvent) => (e.content['m.relates_to'] ?? {}) as JsonObject;

export function relations(
  hs: HomeserverState,
  roomId: string,
  userId: string,
  eventId: string,
  relType: string | undefined,
  eventType: string | undefined,
  page: PageRequest,
  viewerToken: string,
): JsonObject {
  const events = visibleEvents(hs, roomId, userId);
  if (!events.some((e) => e.event_id === eventId)) throw new MatrixHttpError(404, 'M_NOT_FOUND', `Event ${eventId} not found`);
  const children = events.filter(
    (e) =>
      relation(e)['event_id'] === eventId &&
      (relType === undefined || relation(e)['rel_type'] === relType) &&
      (eventType === undefined || e.type === eventType),
  );
  const { chunk, end } = paginate(hs, children, page);
  const now = Date.now();
  return { chunk: chunk.map((e) => toClientEvent(e, { withRoomId: true, token: viewerToken, now })), ...(end ? { next_batch: end } : {}) };
}

/**
 * Thread roots, most recently active first, each with its bundled m.thread summary. Paged by
 * offset ("t<offset>").
 */
export function threads(hs: HomeserverState, roomId: string, userId: string, query: URLSearchParams, viewerToken: string): JsonObject {
  const events = visibleEvents(hs, roomId, userId);
  const replies = new Map<string, StoredEvent[]>();
  for (const e of events) {
    const rel = relation(e);
    if (rel['rel_type'] === 'm.thread' && typeof rel['event_id'] === 'string') {
      replies.set(rel['event_id'], [...(replies.get(rel['event_id']) ?? []), e]);
    }
  }
  const now = Date.now();
  let roots = events.filter((e) => replies.has(e.event_id));
  if (query.get('include') === 'participated') {
    roots = roots.filter((r) => r.sender === userId || (replies.get(r.event_id) ?? []).some((e) => e.sender === userId));
  }
  roots.sort((a, b) => (replies.get(b.event_id)?.at(-1)?.pos ?? 0) - (replies.get(a.event_id)?.at(-1)?.pos ?? 0));
  const from = query.get('from');
  const offset = from ? Number(/^t(\d+)$/.exec(from)?.[1] ?? NaN) : 0;
  if (!Number.isInteger(offset)) throw new MatrixHttpError(400, 'M_INVALID_PARAM', 'Invalid from token');
  const limit = clamp(query.get('limit'), 10, 1000);
  const chunk = roots.slice(offset, offset + limit).map((root) => {
    const thread = replies.get(root.event_id) ?? [];
    const event = toClientEvent(root, { withRoomId: true, token: viewerToken, now });
    const latest = thread.at(-1);
    event.unsigned = {
      ...event.unsigned,
      'm.relations': {
        'm.thread': {
          latest_event: latest && toClientEvent(latest, { withRoomId: true, token: viewerToken, now }),
          count: thread.length,
          current_user_participated: root.sender === userId || thread.some((e) => e.sender === userId),
        },
      },
    };
    return event;
  });
  return { chunk, ...(offset + limit < roots.length ? { next_batch: `t${offset + limit}` } : {}) };
}

/**
 * The space hierarchy, breadth first from `roomId`. Children are the m.space.child state
 * events with a non-empty `via` that point at rooms this server knows. The requester must be
 * able to see the root (member, invited, or the root is public); children are all listed.
 */
export function hierarchy(hs: HomeserverState, roomId: string, userId: string, query: URLSearchParams): JsonObject {
  hs.room(roomId);
  const rootMembership = hs.membership(roomId, userId);
  const rootRule = hs.stateEvent(roomId, 'm.room.join_rules')?.content['join_rule'];
  if (rootMembership !== 'join' && rootMembership !== 'invite' && rootRule !== 'public') throw forbidden(`${userId} cannot see ${roomId}`);
  const maxDepth = query.has('max_depth') ? clamp(query.get('max_depth'), 0, 100) : Infinity;
  const limit = clamp(query.get('limit'), 50, 1000);
  const suggestedOnly = query.get('suggested_only') === 'true';
  const from = query.get('from');
  const offset = from ? Number(/^h(\d+)$/.exec(from)?.[1] ?? NaN) : 0;
  if (!Number.isInteger(offset)) throw new MatrixHttpError(400, 'M_INVALID_PARAM', 'Invalid from token');

  const rooms: JsonObject[] = [];
  const seen = new Set<string>([roomId]);
  const queue: { id: string; depth: number }[] = [{ id: roomId, depth: 0 }];
  while (queue.length > 0) {
    const { id, depth } = queue.shift() as { id: string; depth: number };
    const children = [...hs.room(id).state.values()].filter(
      (e) =>
        e.type === 'm.space.child' &&
        Array.isArray(e.content['via']) &&
        (e.content['via'] as unknown[]).length > 0 &&
        (!suggestedOnly || e.content['suggested'] === true),
    );
    rooms.push({ ...roomSummary(hs, id), children_state: children.map((e) => ({ ...toStrippedEvent(e), origin_server_ts: e.origin_server_ts })) });
    if (depth >= maxDepth) continue;
    for (const child of children) {
      const childId = child.state_key as string;
      if (!seen.has(childId) && hs.rooms.has(childId)) {
        seen.add(childId);
        queue.push({ id: childId, depth: depth + 1 });
      }
    }
  }
  return { rooms: rooms.slice(offset, offset + limit), ...(offset + limit < rooms.length ? { next_batch: `h${offset + limit}` } : {}) };
}

function roomSummary(hs: HomeserverState, roomId: string): JsonObject {
  const content = (type: string) => hs.stateEvent(roomId, type)?.content ?? {};
  const optional = (key: string, value: unknown) => (typeof value === 'string' ? { [key]: value } : {});
  return {
    room_id: roomId,
    num_joined_members: hs.members(roomId).length,
    world_readable: content('m.room.history_visibility')['history_visibility'] === 'world_readable',
    guest_can_join: content('m.room.guest_access')['guest_access'] === 'can_join',
    ...optional('name', content('m.room.name')['name']),
    ...optional('topic', content('m.room.topic')['topic']),
    ...optional('canonical_alias', content('m.room.canonical_alias')['alias']),
    ...optional('join_rule', content('m.room.join_rules')['join_rule']),
    ...optional('room_type', content('m.room.create')['type']),
    ...optional('encryption', content('m.room.encryption')['algorithm']),
    room_version: hs.room(roomId).version,
  };
}
