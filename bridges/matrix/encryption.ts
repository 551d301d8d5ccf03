// End-to-end encryption for the bridge's own sync loop. matrix-bot-sdk's CryptoClient does the
// cryptography (over the crypto-wasm adapter, its store mirrored to SQLite); this class calls
// its hooks the way the SDK's own sync loop would, in an order that cannot lose a key: a
// response's to-device messages, device lists and key counts go into the OlmMachine (and its
// store) before the response's room events are decrypted, and the bridge saves next_batch only
// after both. A crash in between gets the same to-device messages again from the homeserver.
import { createHash } from 'node:crypto';
import { RustSdkCryptoStorageProvider, EncryptedRoomEvent, type MatrixClient } from 'matrix-bot-sdk';
import type { Logger } from '../../core/logging.js';
import { CrossSigning, type CrossSigningMachine, type CrossSigningOutcome, type CrossSigningSettings } from './cross-signing.js';

type Json = Record<string, unknown>;

export const MEGOLM = 'm.megolm.v1.aes-sha2';
const PASSPHRASE_ENV = 'MATRIX_CRYPTO_STORE_PASSPHRASE';
/** Encrypted to-device messages remembered to name replays (about 60 bytes each). */
const MAX_SEEN_TO_DEVICE = 10_000;

/**
 * Why end-to-end encryption cannot run in this installation (the crypto package or its
 * WebAssembly module does not load), or undefined when it can.
 */
export async function cryptoUnavailable(): Promise<string | undefined> {
  try {
    const { checkAvailable } = await import('@matrix-org/matrix-sdk-crypto-nodejs');
    await checkAvailable();
    return undefined;
  } catch (error) {
    return (error instanceof Error ? error.message : String(error)).slice(0, 300);
  }
}

/** The storage provider to hand to the MatrixClient: the crypto store lives in `dir`. */
export function cryptoStorage(dir: string, passphrase: string | undefined): RustSdkCryptoStorageProvider {
  // matrix-bot-sdk always passes an empty passphrase; the adapter then reads this variable.
  if (passphrase) process.env[PASSPHRASE_ENV] = passphrase;
  return new RustSdkCryptoStorageProvider(dir);
}

export type Decryption =
  | { kind: 'clear'; event: Json }
  /** Well-formed, but its room key has not arrived (yet): worth waiting for. */
  | { kind: 'missing-key'; sessionId: string; reason: string }
  /** Not decryptable, ever: garbage content, unknown algorithm, tampered ciphertext. */
  | { kind: 'invalid'; reason: string };

interface MachineLike {
  undecryptableToDevice: { sender: string; type: string; reason: string }[];
  updateTrackedUsers(users: unknown[]): Promise<void>;
  roomKeyCounts(): Promise<{ total: number; backedUp: number }>;
  trackedUsers(): Promise<string[]>;
}

interface CryptoInternals {
  engine: { machine: MachineLike & CrossSigningMachine };
  deviceCurve25519: string;
  deviceEd25519: string;
}

const record = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {});

export class BridgeCrypto {
  /** Room events that could not be decrypted, since start. */
  undecryptable = 0;
  /**
   * Hashes of the encrypted to-device messages seen since start (the most recent ones): the
   * crypto library drops a replayed message without a word, so the bridge names repeats itself.
   */
  readonly #seenToDevice = new Set<string>();
  /** Rooms being encrypted for right now, with how many sends: their invitees get the room key too. */
  readonly #sharingWithInvited = new Map<string, number>();

  private constructor(
    private readonly client: MatrixClient,
    private readonly log: Logger,
  ) {
    // matrix-bot-sdk 0.7.1 shares a room key with joined members only ("TODO: Handle pre-shared
    // invite keys too" in RustEngine.prepareEncrypt), so a member invited to a new direct room
    // could never read the invitation in it. While this bridge encrypts for a room whose history
    // its invitees may see, the SDK's member list includes them, as Element shares with invitees.
    const joinedOnly = client.getJoinedRoomMembers.bind(client);
    client.getJoinedRoomMembers = async (roomId: string): Promise<string[]> => {
      if (!this.#sharingWithInvited.has(roomId)) return joinedOnly(roomId);
      const members = await client.getRoomMembers(roomId, undefined, ['join', 'invite']);
      return [...new Set(members.map((m) => m.membershipFor))];
    };
  }

  /** Opens the crypto store and uploads the device's keys if needed (before the first sync). */
  static async open(client: MatrixClient, log: Logger, roomIds: string[]): Promise<BridgeCrypto> {
    if (!client.crypto) throw new Error('the Matrix client was made without a crypto store');
    await client.crypto.prepare(roomIds);
    const crypto = new BridgeCrypto(client, log);
    log.info({ deviceId: client.crypto.clientDeviceId, ed25519: crypto.identity.ed25519 }, 'end-to-end encryption ready');
    return crypto;
  }

  /**
   * Publishes the bot's cross-signing keys and its device's signature when the homeserver does
   * not have them yet (see cross-signing.ts). Before the sync loop starts; never throws.
   */
  async crossSign(settings: Omit<CrossSigningSettings, 'deviceId'>): Promise<CrossSigningOutcome> {
    return new CrossSigning(this.client, this.#internals.engine.machine, { ...settings, deviceId: this.deviceId }, this.log).ensure();
  }

  get #internals(): CryptoInternals {
    return this.client.crypto as unknown as CryptoInternals;
  }

  get deviceId(): string {
    return this.client.crypto.clientDeviceId;
  }

  get identity(): { curve25519: string; ed25519: string } {
    return { curve25519: this.#internals.deviceCurve25519, ed25519: this.#internals.deviceEd25519 };
  }

  async status(): Promise<{ deviceId: string; ed25519: string; roomKeys: number; trackedUsers: number }> {
    const machine = this.#internals.engine.machine;
    return {
      deviceId: this.deviceId,
      ed25519: this.identity.ed25519,
      roomKeys: (await machine.roomKeyCounts()).total,
      trackedUsers: (await machine.trackedUsers()).length,
    };
  }

  /**
   * Members of encrypted rooms whose devices the machine must know. Only the tracking is
   * updated here: the key query goes out with the next sync's requests (asking for sessions now
   * would wait for that query inside this sync, which is what the SDK's onRoomJoin does).
   */
  async track(userIds: Iterable<string>): Promise<void> {
    const { UserId } = await import('@matrix-org/matrix-sdk-crypto-nodejs');
    const users = [...new Set(userIds)].map((u) => new UserId(u));
    if (users.length > 0) await this.#internals.engine.machine.updateTrackedUsers(users);
  }

  /** A state event of a room (m.room.encryption, history visibility): the SDK's room settings follow. */
  async observeState(roomId: string, event: Json): Promise<void> {
    const tracker = (this.client.crypto as unknown as { roomTracker: { onRoomEvent(roomId: string, event: Json): Promise<void> } }).roomTracker;
    await tracker.onRoomEvent(roomId, event);
  }

  /**
   * The e2ee part of one /sync response, fed to the machine (which stores what it learns and
   * sends the key uploads, queries and claims it wants). Returns the Megolm sessions whose
   * room keys arrived, by room.
   */
  async absorb(response: Json): Promise<{ roomId: string; sessionId: string }[]> {
    const toDevice = (record(response['to_device'])['events'] ?? []) as unknown;
    const events = Array.isArray(toDevice) ? toDevice.filter((e) => typeof record(e)['type'] === 'string') : [];
    const lists = record(response['device_lists']);
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((u): u is string => typeof u === 'string' && /^@[^:]+:.+$/.test(u)) : []);
    const counts = Object.fromEntries(Object.entries(record(response['device_one_time_keys_count'])).filter(([, n]) => typeof n === 'number')) as Record<
      string,
      number
    >;
    const unused = response['device_unused_fallback_key_types'];
    const fallback = Array.isArray(unused) ? unused.filter((t): t is string => typeof t === 'string') : [];
    this.#noteRepeats(events);
    const keys: { roomId: string; sessionId: string }[] = [];
    const listener = (message: unknown) => {
      const m = record(message);
      if (m['type'] !== 'm.room_key' && m['type'] !== 'm.forwarded_room_key') return;
      const content = record(m['content']);
      if (typeof content['room_id'] === 'string' && typeof content['session_id'] === 'string')
        keys.push({ roomId: content['room_id'], sessionId: content['session_id'] });
    };
    this.client.on('to_device.decrypted', listener);
    try {
      await this.client.crypto.updateSyncData(events as never, counts, fallback as never[], strings(lists['changed']), strings(lists['left']));
    } finally {
      this.client.off('to_device.decrypted', listener);
    }
    if (events.length > 0) this.log.debug({ toDevice: events.length, roomKeys: keys.length }, 'to-device messages processed');
    const refused = this.#internals.engine.machine.undecryptableToDevice;
    if (refused.length > 0) {
      this.log.warn(
        { count: refused.length, messages: refused.slice(0, 5) },
        'to-device messages could not be decrypted (replayed, not for this device, or garbage): ignored',
      );
    }
    return keys;
  }

  #noteRepeats(events: unknown[]): void {
    const repeated: string[] = [];
    for (const e of events) {
      const m = record(e);
      if (m['type'] !== 'm.room.encrypted') continue;
      const hash = createHash('sha256')
        .update(JSON.stringify(record(m['content'])['ciphertext'] ?? null))
        .digest('base64');
      if (this.#seenToDevice.has(hash)) repeated.push(String(m['sender']).slice(0, 100));
      this.#seenToDevice.delete(hash);
      this.#seenToDevice.add(hash);
      if (this.#seenToDevice.size > MAX_SEEN_TO_DEVICE) this.#seenToDevice.delete(this.#seenToDevice.values().next().value as string);
    }
    if (repeated.length > 0)
      this.log.warn(
        { count: repeated.length, senders: [...new Set(repeated)].slice(0, 10) },
        'to-device messages received before (replayed, or a sync repeated): ignored by the crypto library',
      );
  }

  /** Decrypts one m.room.encrypted event; never throws. */
  async decrypt(roomId: string, event: Json): Promise<Decryption> {
    const content = record(event['content']);
    const algorithm = content['algorithm'];
    if (algorithm !== MEGOLM) return { kind: 'invalid', reason: `unknown algorithm ${JSON.stringify(String(algorithm).slice(0, 60))}` };
    const sessionId = content['session_id'];
    if (typeof content['ciphertext'] !== 'string' || typeof sessionId !== 'string' || sessionId === '')
      return { kind: 'invalid', reason: 'malformed m.room.encrypted content (no ciphertext or session_id)' };
    try {
      const clear = await this.client.crypto.decryptRoomEvent(new EncryptedRoomEvent({ ...event, room_id: roomId }), roomId);
      const raw = clear.raw as Json;
      const clearContent = { ...record(raw['content']) };
      // Relations travel in the clear (spec: m.relates_to is not encrypted); keep them.
      if (clearContent['m.relates_to'] === undefined && content['m.relates_to'] !== undefined) clearContent['m.relates_to'] = content['m.relates_to'];
      const { room_id: _room, ...rest } = raw;
      void _room;
      return {
        kind: 'clear',
        event: { ...rest, type: raw['type'], content: clearContent, unsigned: { ...record(event['unsigned']), 'co-agent.encrypted': true } },
      };
    } catch (error) {
      // The wasm library throws a MegolmDecryptionError (no Error subclass) with a numeric code:
      // 0 MissingRoomKey and 1 UnknownMessageIndex are keys that may still come.
      const e = record(error);
      const code = typeof e['code'] === 'number' ? e['code'] : undefined;
      const message = (typeof e['description'] === 'string' ? e['description'] : error instanceof Error ? error.message : String(error)).slice(0, 300);
      if (code === 0 || code === 1) return { kind: 'missing-key', sessionId, reason: message };
      return { kind: 'invalid', reason: message };
    }
  }

  /** Encrypts a message for the room's members' devices (sharing the room key first if needed). */
  async encrypt(roomId: string, type: string, content: Json): Promise<Json> {
    const config = (await this.#roomTracker.getRoomCryptoConfig(roomId)) as { historyVisibility?: string };
    // Invitees may read what is sent before they join unless the room's history is for joined members only.
    const withInvited = config.historyVisibility !== 'joined';
    if (withInvited) this.#sharingWithInvited.set(roomId, (this.#sharingWithInvited.get(roomId) ?? 0) + 1);
    let encrypted: Json;
    try {
      encrypted = (await this.client.crypto.encryptRoomEvent(roomId, type, content)) as unknown as Json;
    } finally {
      if (withInvited) {
        const left = (this.#sharingWithInvited.get(roomId) ?? 1) - 1;
        if (left > 0) this.#sharingWithInvited.set(roomId, left);
        else this.#sharingWithInvited.delete(roomId);
      }
    }
    // Relations stay in the clear, so threads work for servers and clients without the key.
    if (content['m.relates_to'] !== undefined && encrypted['m.relates_to'] === undefined) return { ...encrypted, 'm.relates_to': content['m.relates_to'] };
    return encrypted;
  }

  /** Closes the crypto machine and its store (releases the store's lock for a later start in this process). */
  close(): void {
    (this.#internals.engine.machine as unknown as { close(): void }).close();
  }

  /**
   * Whether every one of these users has a device with published keys, so that their clients can
   * read an encrypted room (what Element checks before it creates an encrypted direct chat).
   * False when the homeserver cannot say.
   */
  async keysPublishedBy(userIds: readonly string[]): Promise<boolean> {
    if (userIds.length === 0) return false;
    try {
      const answer = record(
        await this.client.doRequest('POST', '/_matrix/client/v3/keys/query', null, {
          device_keys: Object.fromEntries(userIds.map((u) => [u, []])),
        }),
      );
      const devices = record(answer['device_keys']);
      return userIds.every((u) => Object.keys(record(devices[u])).length > 0);
    } catch (error) {
      this.log.warn(
        { users: userIds.length, error: error instanceof Error ? error.message : String(error) },
        "could not ask the homeserver for members' device keys: the new room is not encrypted",
      );
      return false;
    }
  }

  get #roomTracker(): { getRoomCryptoConfig(roomId: string): Promise<unknown> } {
    return (this.client.crypto as unknown as { roomTracker: { getRoomCryptoConfig(roomId: string): Promise<unknown> } }).roomTracker;
  }

  async isEncrypted(roomId: string): Promise<boolean> {
    return this.client.crypto.isRoomEncrypted(roomId);
  }
}
