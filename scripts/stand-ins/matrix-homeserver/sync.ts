// Builds /sync responses from the model. A token "s<N>" means "everything up to stream
// position N has been seen"; a sync since N returns what changed after N for this user.
import type { KeyStore } from './keys.js';
import {
  HomeserverState,
  MatrixHttpError,
  stateBefore,
  toClientEvent,
  toStrippedEvent,
  type JsonObject,
  type Room,
  type Session,
  type StoredEvent,
} from './state.js';

/** The stripped state types shown with an invite (spec "Stripped state": the recommended set). */
const INVITE_STATE_TYPES = [
  'm.room.create',
  'm.room.name',
  'm.room.avatar',
  'm.room.topic',
  'm.room.join_rules',
  'm.room.canonical_alias',
  'm.room.encryption',
];
const DEFAULT_TIMELINE_LIMIT = 10;

export const token = (position: number) => `s${position}`;

export function parseToken(value: string | null | undefined, name: string): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const match = /^s(\d+)$/.exec(value);
  if (!match) throw new MatrixHttpError(400, 'M_INVALID_PARAM', `Invalid ${name} token`);
  return Number(match[1]);
}

/** Only room.timeline.limit is honoured; everything else in a filter is accepted and ignored. */
export function timelineLimit(filter: JsonObject | undefined): number {
  const room = filter?.['room'] as JsonObject | undefined;
  const limit = (room?.['timeline'] as JsonObject | undefined)?.['limit'];
  return typeof limit === 'number' && limit > 0 ? Math.floor(limit) : DEFAULT_TIMELINE_LIMIT;
}

interface SyncOptions {
  since?: number;
  filter?: JsonObject;
  fullState?: boolean;
  keys?: KeyStore;
}

export function buildSync(hs: HomeserverState, session: Session, opts: SyncOptions): JsonObject {
  const now = Date.now();
  const { userId } = session;
  const { since } = opts;
  const limit = timelineLimit(opts.filter);
  const serialize = (events: StoredEvent[]) => events.map((e) => toClientEvent(e, { withRoomId: false, token: session.token, now }));
  const join: JsonObject = {};
  const invite: JsonObject = {};
  const leave: JsonObject = {};

  for (const room of hs.rooms.values()) {
    const member = hs.stateEvent(room.id, 'm.room.member', userId);
    if (!member) continue;
    const membership = member.content['membership'];
    const changedSince = since === undefined || member.pos > since;

    if (membership === 'join') {
      // A room joined after `since` is new to the client: give it the full picture.
      const fresh = since === undefined || member.pos > since || opts.fullState === true;
      const after = fresh && since !== undefined && member.pos > since ? -1 : (since ?? -1);
      const window = room.events.filter((e) => e.pos > after);
      const accountData = hs.accountDataSince(userId, room.id, fresh ? undefined : since);
      if (!fresh && window.length === 0 && accountData.length === 0) continue;
      const timeline = window.slice(-limit);
      const limited = window.length > limit;
      const start = timeline[0]?.pos ?? hs.streamPosition + 1;
      join[room.id] = {
        summary: summary(hs, room, userId),
        state: { events: fresh || limited ? serialize(stateBefore(room, start)) : [] },
        timeline: { events: serialize(timeline), limited, prev_batch: token(start - 1) },
        account_data: { events: accountData },
        ephemeral: { events: [] },
        unread_notifications: { notification_count: 0, highlight_count: 0 },
      };
    } else if (membership === 'invite' && changedSince) {
      const stripped = INVITE_STATE_TYPES.flatMap((type) => {
        const event = hs.stateEvent(room.id, type);
        return event ? [toStrippedEvent(event)] : [];
      });
      const inviter = hs.stateEvent(room.id, 'm.room.member', member.sender);
      if (inviter) stripped.push(toStrippedEvent(inviter));
      stripped.push(toStrippedEvent(member));
      invite[room.id] = { invite_state: { events: stripped } };
    } else if ((membership === 'leave' || membership === 'ban') && since !== undefined && member.pos > since) {
      // Show what happened up to and including the user's departure, nothing after it.
      const window = room.events.filter((e) => e.pos > since && e.pos <= member.pos);
      const timeline = window.slice(-limit);
      leave[room.id] = {
        state: { events: [] },
        timeline: { events: serialize(timeline), limited: window.length > limit, prev_batch: token((timeline[0]?.pos ?? member.pos) - 1) },
        account_data: { events: [] },
      };
    }
  }

  return {
    next_batch: token(hs.streamPosition),
    rooms: { join, invite, leave, knock: {} },
    account_data: { events: hs.accountDataSince(userId, undefined, since) },
    presence: { events: [] },
    ...(opts.keys
      ? opts.keys.syncFor(session, since, (other) => hs.joinedRooms(userId).some((roomId) => hs.membership(roomId, other) === 'join'))
      : { to_device: { events: [] }, device_lists: { changed: [], left: [] }, device_one_time_keys_count: {} }),
  };
}

function summary(hs: HomeserverState, room: Room, userId: string): JsonObject {
  const joined = hs.members(room.id, 'join');
  const invited = hs.members(room.id, 'invite');
  return {
    'm.heroes': [...joined, ...invited].filter((u) => u !== userId).slice(0, 5),
    'm.joined_member_count': joined.length,
    'm.invited_member_count': invited.length,
  };
}

/** True when an incremental sync has nothing to report (so a long-poll should keep waiting). */
export function isEmptySync(response: JsonObject): boolean {
  const rooms = response['rooms'] as Record<string, JsonObject>;
  const accountData = (response['account_data'] as { events: unknown[] }).events;
  const toDevice = (response['to_device'] as { events: unknown[] }).events;
  const changed = (response['device_lists'] as { changed: unknown[] }).changed;
  return (
    Object.values(rooms).every((section) => Object.keys(section).length === 0) && accountData.length === 0 && toDevice.length === 0 && changed.length === 0
  );
}
