// Which rooms the bot works in, and what kind of conversation each is. The community is the
// Space: its child rooms (and configured extra rooms) are shared rooms; a private room whose
// members all belong to the community is a direct conversation with the bot (just one member)
// or a small room between members. Everything else is out of scope and never read.
import type { ConversationKind } from '../../core/inbound.js';

interface RoomInfo {
  members: Map<string, string | undefined>;
  encrypted: boolean;
}

export class RoomDirectory {
  #spaces = new Set<string>();
  #shared = new Set<string>();
  #allowed = new Set<string>();
  readonly #rooms = new Map<string, RoomInfo>();

  constructor(
    readonly botUserId: string,
    readonly smallRoomMaxMembers: number,
  ) {}

  /** Rooms outside the Space the bot is allowed in too (resolved ids). */
  allow(roomIds: Iterable<string>): void {
    this.#allowed = new Set(roomIds);
  }

  /** Replaces the Space's rooms (after reading its hierarchy). */
  setSpace(spaces: Iterable<string>, children: Iterable<string>): void {
    this.#spaces = new Set(spaces);
    this.#shared = new Set(children);
  }

  isSpace(roomId: string): boolean {
    return this.#spaces.has(roomId);
  }

  /** A room of the community: in the Space (or allowed), where invitations are accepted. */
  isShared(roomId: string): boolean {
    return this.#shared.has(roomId) || this.#allowed.has(roomId) || this.#spaces.has(roomId);
  }

  sharedRooms(): string[] {
    return [...new Set([...this.#spaces, ...this.#shared, ...this.#allowed])];
  }

  known(roomId: string): boolean {
    return this.#rooms.has(roomId);
  }

  /** Records what the homeserver said about a room (members with display names, encryption). */
  load(roomId: string, members: ReadonlyMap<string, string | undefined>, encrypted: boolean): void {
    this.#rooms.set(roomId, { members: new Map(members), encrypted });
  }

  forget(roomId: string): void {
    this.#rooms.delete(roomId);
  }

  /** Keeps membership and encryption current from the room's events. Returns what changed. */
  observe(roomId: string, event: Record<string, unknown>): 'encrypted' | 'membership' | null {
    const info = this.#rooms.get(roomId);
    if (!info || typeof event.type !== 'string') return null;
    const content = (event.content ?? {}) as Record<string, unknown>;
    if (event.type === 'm.room.encryption' && event.state_key === '' && !info.encrypted) {
      info.encrypted = true;
      return 'encrypted';
    }
    if (event.type === 'm.room.member' && typeof event.state_key === 'string') {
      if (content.membership === 'join') info.members.set(event.state_key, typeof content.displayname === 'string' ? content.displayname : undefined);
      else info.members.delete(event.state_key);
      return 'membership';
    }
    return null;
  }

  isEncrypted(roomId: string): boolean {
    return this.#rooms.get(roomId)?.encrypted ?? false;
  }

  displayName(userId: string, roomId?: string): string | undefined {
    if (roomId) {
      const name = this.#rooms.get(roomId)?.members.get(userId);
      if (name) return name;
    }
    for (const info of this.#rooms.values()) {
      const name = info.members.get(userId);
      if (name) return name;
    }
    return undefined;
  }

  /** Whether the user is in the room now (as far as the latest sync said). */
  isIn(roomId: string, userId: string): boolean {
    return this.#rooms.get(roomId)?.members.has(userId) ?? false;
  }

  /** Members of a room other than the bot. */
  others(roomId: string): string[] {
    return [...(this.#rooms.get(roomId)?.members.keys() ?? [])].filter((m) => m !== this.botUserId);
  }

  /** Someone who is in one of the community's shared rooms. */
  isCommunityMember(userId: string): boolean {
    for (const roomId of this.sharedRooms()) {
      if (this.#rooms.get(roomId)?.members.has(userId)) return true;
    }
    return false;
  }

  /** What kind of conversation a room is for the bot, or null when it is out of scope. */
  conversation(roomId: string): ConversationKind | null {
    if (this.isShared(roomId)) return 'room';
    const info = this.#rooms.get(roomId);
    if (!info || info.members.size === 0 || info.members.size > this.smallRoomMaxMembers) return null;
    const others = this.others(roomId);
    if (others.length === 0 || !others.every((m) => this.isCommunityMember(m))) return null;
    return others.length === 1 ? 'direct' : 'small';
  }
}
