// Test support for the crypto package: an in-process stand-in for the homeserver's key and
// to-device endpoints, and parties (the bot, a member) that run matrix-bot-sdk's own
// CryptoClient over the adapter, so the tests exercise the API exactly as the SDK calls it.
import { EventEmitter } from 'node:events';
import { CryptoClient, EncryptedRoomEvent, RustSdkCryptoStorageProvider } from 'matrix-bot-sdk';

type Json = Record<string, unknown>;
interface ToDeviceEvent {
  sender: string;
  type: string;
  content: Json;
}

const asRecord = (value: unknown): Json => (value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {});

/** Keys and to-device messages, the way a homeserver keeps them (one room, everyone joined). */
export class KeyServer {
  readonly deviceKeys = new Map<string, Map<string, Json>>();
  readonly oneTimeKeys = new Map<string, Map<string, unknown>>();
  readonly fallbackKeys = new Map<string, Map<string, unknown>>();
  readonly inbox = new Map<string, ToDeviceEvent[]>();
  readonly changed = new Map<string, Set<string>>();
  /** Every request, by path, for assertions. */
  readonly calls: string[] = [];
  readonly members = new Set<string>();

  #otkCount(device: string): number {
    return this.oneTimeKeys.get(device)?.size ?? 0;
  }

  handle(userId: string, deviceId: string, method: string, path: string, body: Json): Json {
    this.calls.push(`${method} ${path}`);
    const self = `${userId}|${deviceId}`;
    if (method === 'POST' && path === '/_matrix/client/v3/keys/upload') {
      const device = asRecord(body.device_keys);
      if (Object.keys(device).length > 0) {
        let devices = this.deviceKeys.get(userId);
        if (!devices) this.deviceKeys.set(userId, (devices = new Map()));
        devices.set(deviceId, device);
        for (const [other, set] of this.changed) if (other !== self) set.add(userId);
      }
      for (const [source, target] of [
        [body.one_time_keys, this.oneTimeKeys],
        [body.fallback_keys, this.fallbackKeys],
      ] as const) {
        let keys = target.get(self);
        if (!keys) target.set(self, (keys = new Map()));
        if (target === this.fallbackKeys && Object.keys(asRecord(source)).length > 0) keys.clear();
        for (const [id, key] of Object.entries(asRecord(source))) keys.set(id, key);
      }
      return { one_time_key_counts: { signed_curve25519: this.#otkCount(self) } };
    }
    if (method === 'POST' && path === '/_matrix/client/v3/keys/query') {
      const result: Record<string, Json> = {};
      for (const user of Object.keys(asRecord(body.device_keys))) result[user] = Object.fromEntries(this.deviceKeys.get(user) ?? new Map());
      return { device_keys: result, failures: {}, master_keys: {}, self_signing_keys: {}, user_signing_keys: {} };
    }
    if (method === 'POST' && path === '/_matrix/client/v3/keys/claim') {
      const result: Record<string, Record<string, Json>> = {};
      for (const [user, devices] of Object.entries(asRecord(body.one_time_keys))) {
        for (const device of Object.keys(asRecord(devices))) {
          const id = `${user}|${device}`;
          const pool = this.oneTimeKeys.get(id);
          const first = pool ? [...pool.entries()][0] : undefined;
          let claimed: [string, unknown] | undefined = first;
          if (first && pool) pool.delete(first[0]);
          else claimed = [...(this.fallbackKeys.get(id) ?? new Map()).entries()][0];
          if (!claimed) continue;
          (result[user] ??= {})[device] = { [claimed[0]]: claimed[1] };
        }
      }
      return { one_time_keys: result, failures: {} };
    }
    throw new Error(`KeyServer: no ${method} ${path}`);
  }

  sendToDevice(sender: string, type: string, messages: Record<string, Record<string, Json>>): Json {
    this.calls.push(`PUT sendToDevice ${type}`);
    for (const [user, devices] of Object.entries(messages)) {
      for (const [device, content] of Object.entries(devices)) {
        const targets = device === '*' ? [...(this.deviceKeys.get(user)?.keys() ?? [])] : [device];
        for (const target of targets) {
          const id = `${user}|${target}`;
          let queue = this.inbox.get(id);
          if (!queue) this.inbox.set(id, (queue = []));
          queue.push({ sender, type, content });
        }
      }
    }
    return {};
  }

  /** What a /sync gives this device: to-device events, changed device lists, key counts. */
  takeSync(userId: string, deviceId: string): { toDevice: ToDeviceEvent[]; changed: string[]; otkCount: number } {
    const id = `${userId}|${deviceId}`;
    const toDevice = this.inbox.get(id) ?? [];
    this.inbox.set(id, []);
    let changed = this.changed.get(id);
    if (!changed) this.changed.set(id, (changed = new Set()));
    const list = [...changed];
    changed.clear();
    return { toDevice, changed: list, otkCount: this.#otkCount(id) };
  }
}

/**
 * The part of MatrixClient that matrix-bot-sdk's CryptoClient calls, over a KeyServer. Every
 * room here is encrypted (Megolm, shared history) and has every party as a member.
 */
export class FakeClient extends EventEmitter {
  readonly cryptoStore: RustSdkCryptoStorageProvider;

  constructor(
    readonly server: KeyServer,
    readonly userId: string,
    readonly deviceId: string,
    storageDir: string,
  ) {
    super();
    this.cryptoStore = new RustSdkCryptoStorageProvider(storageDir);
    server.members.add(userId);
    server.changed.set(`${userId}|${deviceId}`, server.changed.get(`${userId}|${deviceId}`) ?? new Set());
  }

  async getUserId(): Promise<string> {
    return this.userId;
  }

  async getWhoAmI(): Promise<{ user_id: string; device_id: string }> {
    return { user_id: this.userId, device_id: this.deviceId };
  }

  async getRoomStateEvent(_roomId: string, type: string, _stateKey: string): Promise<Json> {
    if (type === 'm.room.encryption') return { algorithm: 'm.megolm.v1.aes-sha2' };
    if (type === 'm.room.history_visibility') return { history_visibility: 'shared' };
    throw new Error('M_NOT_FOUND');
  }

  async getRoomMembers(): Promise<{ membershipFor: string }[]> {
    return [...this.server.members].map((membershipFor) => ({ membershipFor }));
  }

  async getJoinedRoomMembers(): Promise<string[]> {
    return [...this.server.members];
  }

  async doRequest(method: string, path: string, _qs: unknown, body: Json): Promise<Json> {
    return this.server.handle(this.userId, this.deviceId, method, path, body);
  }

  async sendToDevices(type: string, messages: Record<string, Record<string, Json>>): Promise<Json> {
    return this.server.sendToDevice(this.userId, type, messages);
  }
}

/** A device running matrix-bot-sdk's CryptoClient over the adapter, with its store in `dir`. */
export class Party {
  readonly client: FakeClient;
  readonly crypto: CryptoClient;

  private constructor(client: FakeClient) {
    this.client = client;
    this.crypto = new CryptoClient(client as never);
  }

  static async start(server: KeyServer, userId: string, deviceId: string, dir: string, rooms: string[] = []): Promise<Party> {
    const party = new Party(new FakeClient(server, userId, deviceId, dir));
    await party.crypto.prepare(rooms);
    // (No onRoomJoin: its key claim waits for a key query that only the next sync sends.)
    void rooms;
    return party;
  }

  /** One /sync's worth of crypto: to-device events in, key uploads and queries out. */
  async sync(): Promise<void> {
    const { toDevice, changed, otkCount } = this.client.server.takeSync(this.client.userId, this.client.deviceId);
    await this.crypto.updateSyncData(toDevice as never, { signed_curve25519: otkCount }, [], changed, []);
  }

  async encrypt(roomId: string, body: string): Promise<Json> {
    const content = await this.crypto.encryptRoomEvent(roomId, 'm.room.message', { msgtype: 'm.text', body });
    return content as unknown as Json;
  }

  /** Decrypts an m.room.encrypted event sent by `sender`; returns its clear content. */
  async decrypt(roomId: string, sender: string, content: Json, eventId = `$${Math.random().toString(36).slice(2)}`): Promise<Json> {
    const event = new EncryptedRoomEvent({ type: 'm.room.encrypted', event_id: eventId, sender, room_id: roomId, origin_server_ts: Date.now(), content });
    const clear = await this.crypto.decryptRoomEvent(event, roomId);
    return clear.content as Json;
  }

  /** The device's public identity keys (matrix-bot-sdk keeps them in private fields). */
  get curve(): string {
    return (this.crypto as unknown as { deviceCurve25519: string }).deviceCurve25519;
  }

  get ed(): string {
    return (this.crypto as unknown as { deviceEd25519: string }).deviceEd25519;
  }

  /** The adapter's machine (matrix-bot-sdk keeps it in a private engine). */
  get machine(): import('@matrix-org/matrix-sdk-crypto-nodejs').OlmMachine {
    return (this.crypto as unknown as { engine: { machine: import('@matrix-org/matrix-sdk-crypto-nodejs').OlmMachine } }).engine.machine;
  }

  close(): void {
    this.machine.close();
  }
}
