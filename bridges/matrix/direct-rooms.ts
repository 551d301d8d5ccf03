// The bot's direct chats with members, as the m.direct account data lists them. Creating a room
// and recording it in m.direct are two requests; a crash (or a failed write) between them once
// left a room nobody knew of, and the next direct message created a second one. So the intent
// is written down first, and a retry after such a crash adopts the room it finds instead.
import type { MatrixClient } from 'matrix-bot-sdk';
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import type { BridgeCrypto } from './encryption.js';
import { describeMatrixError } from './errors.js';
import { encryptionStateFor } from './new-room-encryption.js';

type DirectMap = Record<string, string[]>;
const ACTIVE = new Set(['join', 'invite']);
const creatingKey = (userId: string) => `dm-creating:${userId}`;

export class DirectRooms {
  /** One lookup or creation per member at a time: two messages at once must not open two rooms. */
  readonly #busy = new Map<string, Promise<string>>();

  constructor(
    private readonly client: MatrixClient,
    private readonly store: Store,
    private readonly logger: Logger,
    private readonly crypto: () => BridgeCrypto | undefined = () => undefined,
  ) {}

  roomFor(userId: string): Promise<string> {
    const previous = this.#busy.get(userId) ?? Promise.resolve('');
    const next = previous.catch(() => '').then(() => this.#roomFor(userId));
    this.#busy.set(userId, next);
    void next
      .finally(() => {
        if (this.#busy.get(userId) === next) this.#busy.delete(userId);
      })
      .catch(() => undefined);
    return next;
  }

  async #roomFor(userId: string): Promise<string> {
    const map = await this.#readDirect();
    for (const roomId of map[userId] ?? []) if (await this.#isChatWith(roomId, userId)) return roomId;
    if (await this.store.cursors.get('matrix', creatingKey(userId))) {
      const found = await this.#findCreated(userId);
      if (found) {
        this.logger.info({ roomId: found, userId }, 'adopted a direct room created before a crash (not yet in m.direct)');
        await this.#record(map, userId, found);
        return found;
      }
    }
    await this.store.cursors.set('matrix', creatingKey(userId), new Date().toISOString());
    const encryption = await encryptionStateFor(this.crypto(), [userId]);
    const roomId = await this.client.createRoom({ invite: [userId], is_direct: true, preset: 'trusted_private_chat', ...encryption });
    this.logger.info({ roomId, userId, encrypted: encryption.initial_state !== undefined }, 'direct room created');
    await this.#record(map, userId, roomId);
    return roomId;
  }

  async #readDirect(): Promise<DirectMap> {
    try {
      const data = (await this.client.getAccountData('m.direct')) as unknown;
      if (typeof data !== 'object' || data === null) return {};
      const out: DirectMap = {};
      for (const [user, rooms] of Object.entries(data as Record<string, unknown>)) {
        if (Array.isArray(rooms)) out[user] = rooms.filter((r): r is string => typeof r === 'string');
      }
      return out;
    } catch (error) {
      if (describeMatrixError(error).retryable) throw error;
      return {}; // M_NOT_FOUND: no direct chats yet
    }
  }

  async #record(map: DirectMap, userId: string, roomId: string): Promise<void> {
    const next = { ...map, [userId]: [roomId, ...(map[userId] ?? []).filter((r) => r !== roomId)] };
    await this.client.setAccountData('m.direct', next);
    await this.store.cursors.set('matrix', creatingKey(userId), '');
  }

  /** The bot and the member are both in the room (or the member is still invited). */
  async #isChatWith(roomId: string, userId: string): Promise<boolean> {
    try {
      const members = await this.client.getAllRoomMembers(roomId);
      const active = members.filter((m) => ACTIVE.has(m.effectiveMembership)).map((m) => m.membershipFor);
      return active.includes(userId) && active.includes(await this.client.getUserId());
    } catch (error) {
      if (describeMatrixError(error).retryable) throw error;
      return false;
    }
  }

  /** A room of just the bot and the member (joined or invited): the one created before a crash. */
  async #findCreated(userId: string): Promise<string | undefined> {
    const bot = await this.client.getUserId();
    for (const roomId of await this.client.getJoinedRooms()) {
      const members = await this.client.getAllRoomMembers(roomId).catch(() => []);
      const active = new Set(members.filter((m) => ACTIVE.has(m.effectiveMembership)).map((m) => m.membershipFor));
      if (active.size === 2 && active.has(userId) && active.has(bot)) return roomId;
    }
    return undefined;
  }
}
