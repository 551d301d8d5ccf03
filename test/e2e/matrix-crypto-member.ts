// A member with an encrypting client, for end-to-end tests of encrypted rooms: matrix-bot-sdk's
// CryptoClient (over the same crypto-wasm adapter) on a device of its own, talking to the
// stand-in homeserver over HTTP exactly as a client does: logs in, uploads its keys, syncs
// (to-device messages, device lists, key counts), encrypts what it sends and decrypts what the
// bot says.
import { createRequire } from 'node:module';
import { EncryptedRoomEvent, MatrixClient, RustSdkCryptoStorageProvider } from 'matrix-bot-sdk';
import type { RoomEvent } from '../../scripts/stand-ins/matrix-homeserver/index.js';

type Json = Record<string, unknown>;
const record = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});

export class CryptoMember {
  #since: string | undefined;
  #txn = 0;

  private constructor(
    readonly client: MatrixClient,
    readonly userId: string,
    readonly deviceId: string,
    readonly accessToken: string,
  ) {}

  /** Logs in (a new device), opens a crypto store in `dir` and uploads the device's keys. */
  static async login(homeserverUrl: string, user: string, dir: string, rooms: string[]): Promise<CryptoMember> {
    const anonymous = new MatrixClient(homeserverUrl, '');
    const login = (await anonymous.doRequest('POST', '/_matrix/client/v3/login', null, {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user },
      password: 'password',
    })) as { access_token: string; user_id: string; device_id: string };
    const client = new MatrixClient(homeserverUrl, login.access_token, undefined, new RustSdkCryptoStorageProvider(dir));
    await client.crypto.prepare(rooms);
    const member = new CryptoMember(client, login.user_id, login.device_id, login.access_token);
    await member.sync();
    return member;
  }

  /** One /sync: its crypto part goes into the member's machine (room keys from the bot, device lists). */
  async sync(): Promise<void> {
    const response = (await this.client.doRequest('GET', '/_matrix/client/v3/sync', { timeout: 0, ...(this.#since ? { since: this.#since } : {}) })) as Json;
    const lists = record(response['device_lists']);
    await this.client.crypto.updateSyncData(
      (record(response['to_device'])['events'] ?? []) as never,
      record(response['device_one_time_keys_count']) as Record<string, number>,
      (response['device_unused_fallback_key_types'] ?? []) as never,
      (lists['changed'] ?? []) as string[],
      (lists['left'] ?? []) as string[],
    );
    this.#since = String(response['next_batch']);
  }

  /** Sends `content` encrypted (type m.room.message unless given); returns the event id. */
  async send(roomId: string, content: Json, type = 'm.room.message'): Promise<string> {
    const encrypted = (await this.client.crypto.encryptRoomEvent(roomId, type, content)) as unknown as Json;
    const relation = content['m.relates_to'];
    const body = relation !== undefined && encrypted['m.relates_to'] === undefined ? { ...encrypted, 'm.relates_to': relation } : encrypted;
    const txnId = `member.${this.deviceId}.${++this.#txn}.${Date.now()}`;
    const answer = (await this.client.doRequest(
      'PUT',
      `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.encrypted/${txnId}`,
      null,
      body,
    )) as { event_id: string };
    return answer.event_id;
  }

  /** The clear content of an encrypted event (syncing first, for the room key). */
  async read(event: RoomEvent): Promise<Json> {
    await this.sync();
    const clear = await this.client.crypto.decryptRoomEvent(new EncryptedRoomEvent(event as never), event.room_id);
    return record(clear.raw)['content'] as Json;
  }

  /**
   * Whether the member's client sees the device as signed by its owner's self-signing key (what
   * clients show as verified by its owner): syncs, then asks for the device lists that changed.
   */
  async seesCrossSigned(userId: string, deviceId: string): Promise<boolean | undefined> {
    await this.sync();
    const engine = (
      this.client.crypto as unknown as {
        engine: { run(): Promise<void>; machine: { isCrossSignedByOwner(u: string, d: string): Promise<boolean | undefined> } };
      }
    ).engine;
    await engine.run();
    return engine.machine.isCrossSignedByOwner(userId, deviceId);
  }

  /** Starts a new outbound Megolm session for the room (what clients do on rotation). */
  async rotate(roomId: string): Promise<void> {
    // The CommonJS instance of the library, the one the adapter loaded (the ESM build is another).
    const wasm = createRequire(import.meta.url)('@matrix-org/matrix-sdk-crypto-wasm') as { RoomId: new (id: string) => unknown };
    const machine = (this.client.crypto as unknown as { engine: { machine: { inner: { invalidateGroupSession(r: unknown): Promise<boolean> } } } }).engine
      .machine;
    await machine.inner.invalidateGroupSession(new wasm.RoomId(roomId));
  }

  close(): void {
    (this.client.crypto as unknown as { engine: { machine: { close(): void } } }).engine.machine.close();
  }
}
