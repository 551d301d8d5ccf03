// @ts-check
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS module: matrix-bot-sdk require()s it */
/* global process */
// The API of @matrix-org/matrix-sdk-crypto-nodejs (the native binding) that matrix-bot-sdk 0.7.1
// uses (lib/e2ee/CryptoClient.js, RustEngine.js), implemented over @matrix-org/matrix-sdk-crypto-wasm,
// with the crypto store kept in SQLite (store.cjs). matrix-bot-sdk requires this module when it is
// imported, so nothing heavy (the WebAssembly module, fake-indexeddb, SQLite) loads until used.
'use strict';

const path = require('node:path');
const { openCryptoStore, CryptoStoreError } = require('./store.cjs');

/** The environment variable the store passphrase is read from when the caller passes none. */
const PASSPHRASE_ENV = 'MATRIX_CRYPTO_STORE_PASSPHRASE';
/** The SQLite file inside the directory matrix-bot-sdk's RustSdkCryptoStorageProvider is given. */
const STORE_FILE = 'crypto-store.sqlite';

/** @type {typeof import('@matrix-org/matrix-sdk-crypto-wasm') | undefined} */
let wasmModule;
function wasm() {
  // node.cjs instantiates the WebAssembly module synchronously on first use.
  if (!wasmModule) wasmModule = require('@matrix-org/matrix-sdk-crypto-wasm');
  return /** @type {typeof import('@matrix-org/matrix-sdk-crypto-wasm')} */ (wasmModule);
}

const RequestType = Object.freeze({ KeysUpload: 0, KeysQuery: 1, KeysClaim: 2, ToDevice: 3, SignatureUpload: 4, RoomMessage: 5, KeysBackup: 6 });
const EncryptionAlgorithm = Object.freeze({ OlmV1Curve25519AesSha2: 0, MegolmV1AesSha2: 1 });
const HistoryVisibility = Object.freeze({ Invited: 0, Joined: 1, Shared: 2, WorldReadable: 3 });
/** Accepted and ignored: every store is the SQLite one. */
const StoreType = Object.freeze({ Sled: 0, Sqlite: 1 });
/** Requests matrix-bot-sdk's RustEngine throws on (it has no backup or cross-signing upload). */
const UNHANDLED_REQUESTS = new Set(/** @type {number[]} */ ([RequestType.SignatureUpload, RequestType.RoomMessage, RequestType.KeysBackup]));

/** A Matrix identifier held as a string: the wasm objects are made per call (the wasm consumes some). */
class Identifier {
  /** @param {string} id */
  constructor(id) {
    if (typeof id !== 'string' || id === '') throw new TypeError(`${new.target.name}: expected a non-empty string`);
    /** @readonly */
    this.id = id;
  }
  toString() {
    return this.id;
  }
}
class UserId extends Identifier {
  get localpart() {
    return this.id.slice(1, this.id.indexOf(':') < 0 ? undefined : this.id.indexOf(':'));
  }
  get serverName() {
    return this.id.slice(this.id.indexOf(':') + 1);
  }
}
class DeviceId extends Identifier {}
class RoomId extends Identifier {}

class DeviceLists {
  /** @param {UserId[] | undefined} [changed] @param {UserId[] | undefined} [left] */
  constructor(changed, left) {
    this.changed = [...(changed ?? [])];
    this.left = [...(left ?? [])];
  }
  isEmpty() {
    return this.changed.length === 0 && this.left.length === 0;
  }
}

class EncryptionSettings {
  constructor() {
    /** @type {number | undefined} */
    this.algorithm = EncryptionAlgorithm.MegolmV1AesSha2;
    /**
     * How long a Megolm session is used, in MILLISECONDS: what matrix-bot-sdk 0.7.1 passes
     * (the native binding declares microseconds); converted for the wasm library.
     */
    this.rotationPeriod = 604_800_000n;
    this.rotationPeriodMessages = 100n;
    this.historyVisibility = HistoryVisibility.Shared;
  }
}

/** @param {unknown} value @param {string} what */
function toBigInt(value, what) {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return BigInt(Math.trunc(value));
  throw new TypeError(`EncryptionSettings.${what}: expected a bigint`);
}

/** @param {string} json @returns {unknown} an object, {} for anything else */
function safeParse(json) {
  try {
    const value = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/** @param {string} json @param {string} what */
function parseObject(json, what) {
  const value = JSON.parse(json);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new TypeError(`${what}: expected a JSON object`);
  return value;
}

/**
 * @typedef {{ id: string, type: number, body: string }} OutgoingRequest
 * @typedef {{ curve25519: { toBase64(): string }, ed25519: { toBase64(): string } }} IdentityKeys
 */

class OlmMachine {
  /**
   * Opens the device's store and the machine over it. `storePath` is the directory matrix-bot-sdk
   * keeps its own crypto files in (the store is `crypto-store.sqlite` there), or a path ending in
   * `.sqlite` for the file itself. The passphrase, when empty, is read from
   * MATRIX_CRYPTO_STORE_PASSPHRASE. Rejects with a CryptoStoreError for a store that is not this
   * device's, or a wrong or missing passphrase.
   * @param {UserId} userId @param {DeviceId} deviceId @param {string} [storePath]
   * @param {string} [storePassphrase] @param {number} [_storeType]
   */
  static async initialize(userId, deviceId, storePath, storePassphrase, _storeType) {
    if (typeof storePath !== 'string' || storePath === '')
      throw new CryptoStoreError('OlmMachine.initialize: a store path is required (the crypto store is never kept in memory only)');
    const file = path.resolve(storePath.endsWith('.sqlite') ? storePath : path.join(storePath, STORE_FILE));
    const passphrase = storePassphrase !== undefined && storePassphrase !== '' ? storePassphrase : process.env[PASSPHRASE_ENV];
    const lib = wasm();
    await lib.initAsync();
    const store = await openCryptoStore({ file, userId: String(userId), deviceId: String(deviceId), passphrase });
    let inner;
    try {
      const handle = store.storeKey
        ? await lib.StoreHandle.openWithKey(store.storeName, store.storeKey)
        : await lib.StoreHandle.open(store.storeName, undefined);
      try {
        inner = await lib.OlmMachine.initFromStore(new lib.UserId(String(userId)), new lib.DeviceId(String(deviceId)), handle);
      } finally {
        handle.free();
      }
    } catch (error) {
      store.mirror.close();
      throw new CryptoStoreError(`crypto store ${file} could not be opened by the crypto library: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      });
    }
    if (store.mirror.error) {
      const failure = store.mirror.error;
      inner.close();
      store.mirror.close();
      throw failure;
    }
    return new OlmMachine(inner, store.mirror, file);
  }

  /**
   * @param {import('@matrix-org/matrix-sdk-crypto-wasm').OlmMachine} inner
   * @param {import('./store.cjs') extends { openCryptoStore: (...a: never[]) => Promise<{ mirror: infer M }> } ? M : never} mirror
   * @param {string} storeFile
   */
  constructor(inner, mirror, storeFile) {
    /** @private */
    this.inner = inner;
    /** @private */
    this.mirror = mirror;
    /** The SQLite file the store is kept in. */
    this.storeFile = storeFile;
    /** @private @type {Map<string, { id: string, type: number }>} to-device requests by transaction id */
    this.toDevice = new Map();
    /** @private */
    this.closed = false;
    /**
     * The to-device messages of the last receiveSyncChanges that could not be decrypted or were
     * invalid (for the bridge's log: the native binding has no such report).
     * @type {{ sender: string, type: string, reason: string }[]}
     */
    this.undecryptableToDevice = [];
  }

  /** @private */
  check() {
    if (this.closed) throw new Error('OlmMachine: closed');
    if (this.mirror.error) throw this.mirror.error;
  }

  /**
   * Runs a wasm call, then fails if any store write it made could not be saved.
   * @template T @param {() => Promise<T>} call @returns {Promise<T>}
   * @private
   */
  async run(call) {
    this.check();
    const result = await call();
    this.check();
    return result;
  }

  get userId() {
    return new UserId(this.inner.userId.toString());
  }

  get deviceId() {
    return new DeviceId(this.inner.deviceId.toString());
  }

  /** @returns {IdentityKeys} */
  get identityKeys() {
    const keys = this.inner.identityKeys;
    const curve25519 = keys.curve25519.toBase64();
    const ed25519 = keys.ed25519.toBase64();
    return { curve25519: { toBase64: () => curve25519 }, ed25519: { toBase64: () => ed25519 } };
  }

  /**
   * Key uploads, queries, claims and to-device messages to send. Signature uploads, backups and
   * room messages are left out (matrix-bot-sdk cannot send them). To-device bodies carry
   * `{txn_id, event_type, messages}` as the native binding's do.
   * @returns {Promise<OutgoingRequest[]>}
   */
  async outgoingRequests() {
    const requests = await this.run(() => this.inner.outgoingRequests());
    /** @type {OutgoingRequest[]} */
    const out = [];
    for (const request of requests) {
      if (UNHANDLED_REQUESTS.has(/** @type {number} */ (request.type))) continue;
      if (request.type === RequestType.ToDevice) {
        const toDevice = /** @type {import('@matrix-org/matrix-sdk-crypto-wasm').ToDeviceRequest} */ (request);
        out.push({ id: toDevice.id, type: toDevice.type, body: JSON.stringify(this.toDeviceBody(toDevice)) });
      } else {
        out.push({ id: request.id ?? '', type: request.type, body: request.body });
      }
    }
    return out;
  }

  /**
   * @param {import('@matrix-org/matrix-sdk-crypto-wasm').ToDeviceRequest} request
   * @private
   */
  toDeviceBody(request) {
    const body = parseObject(request.body, 'to-device request');
    this.toDevice.set(request.txn_id, { id: request.id, type: RequestType.ToDevice });
    return { txn_id: request.txn_id, event_type: request.event_type, messages: body.messages ?? {} };
  }

  /** @param {string} requestId @param {number} requestType @param {string} response */
  async markRequestAsSent(requestId, requestType, response) {
    // matrix-bot-sdk answers to-device requests by their transaction id.
    const known = requestType === RequestType.ToDevice ? this.toDevice.get(requestId) : undefined;
    if (known) this.toDevice.delete(requestId);
    await this.run(() =>
      this.inner.markRequestAsSent(
        known ? known.id : requestId,
        /** @type {import('@matrix-org/matrix-sdk-crypto-wasm').RequestType} */ (requestType),
        response,
      ),
    );
  }

  /** @param {UserId[]} users */
  async updateTrackedUsers(users) {
    const lib = wasm();
    await this.run(() => this.inner.updateTrackedUsers(users.map((u) => new lib.UserId(String(u)))));
  }

  /** @param {UserId[]} users @returns {Promise<OutgoingRequest | null>} */
  async getMissingSessions(users) {
    const lib = wasm();
    const request = await this.run(() => this.inner.getMissingSessions(users.map((u) => new lib.UserId(String(u)))));
    if (!request) return null;
    return { id: request.id, type: request.type, body: request.body };
  }

  /**
   * The room key for the users' devices, as to-device messages to send (a JSON array of
   * `{txn_id, event_type, messages}`, as the native binding returns).
   * @param {RoomId} roomId @param {UserId[]} users @param {EncryptionSettings} settings
   * @returns {Promise<string>}
   */
  async shareRoomKey(roomId, users, settings) {
    const lib = wasm();
    const wasmSettings = new lib.EncryptionSettings();
    if (settings.algorithm !== undefined && settings.algorithm !== EncryptionAlgorithm.MegolmV1AesSha2) {
      throw new Error(`shareRoomKey: unsupported room algorithm ${String(settings.algorithm)}`);
    }
    wasmSettings.algorithm = lib.EncryptionAlgorithm.MegolmV1AesSha2;
    wasmSettings.historyVisibility = settings.historyVisibility;
    wasmSettings.rotationPeriod = toBigInt(settings.rotationPeriod, 'rotationPeriod') * 1000n;
    wasmSettings.rotationPeriodMessages = toBigInt(settings.rotationPeriodMessages, 'rotationPeriodMessages');
    const requests = await this.run(() =>
      this.inner.shareRoomKey(
        new lib.RoomId(String(roomId)),
        users.map((u) => new lib.UserId(String(u))),
        wasmSettings,
      ),
    );
    return JSON.stringify(requests.map((request) => this.toDeviceBody(request)));
  }

  /**
   * Feeds one sync's crypto parts in. Returns the to-device events as a JSON array, decrypted
   * where they could be (as the native binding does).
   * @param {string} toDeviceEvents JSON array @param {DeviceLists} deviceLists
   * @param {Record<string, number> | Map<string, number>} oneTimeKeyCounts
   * @param {string[] | Set<string> | undefined} unusedFallbackKeys
   * @returns {Promise<string>}
   */
  async receiveSyncChanges(toDeviceEvents, deviceLists, oneTimeKeyCounts, unusedFallbackKeys) {
    const lib = wasm();
    const lists = new lib.DeviceLists(
      deviceLists.changed.map((u) => new lib.UserId(String(u))),
      deviceLists.left.map((u) => new lib.UserId(String(u))),
    );
    const counts = new Map(oneTimeKeyCounts instanceof Map ? oneTimeKeyCounts : Object.entries(oneTimeKeyCounts ?? {}));
    const fallback = new Set(unusedFallbackKeys ?? []);
    const processed = await this.run(() =>
      this.inner.receiveSyncChanges(toDeviceEvents, lists, counts, fallback, new lib.DecryptionSettings(lib.TrustRequirement.Untrusted)),
    );
    const events = [];
    /** @type {{ sender: string, type: string, reason: string }[]} */
    const undecryptable = [];
    for (const event of processed) {
      const raw = /** @type {Record<string, unknown>} */ (safeParse(event.rawEvent));
      const about = { sender: String(raw['sender'] ?? '?').slice(0, 100), type: String(raw['type'] ?? '?').slice(0, 100) };
      if (event.type === lib.ProcessedToDeviceEventType.Invalid) {
        undecryptable.push({ ...about, reason: 'invalid' });
        continue;
      }
      if (event.type === lib.ProcessedToDeviceEventType.UnableToDecrypt) {
        // A replayed message (its Olm message was already used), one for another device, garbage.
        const reason = /** @type {import('@matrix-org/matrix-sdk-crypto-wasm').UTDToDeviceEvent} */ (event).utdInfo.reason;
        undecryptable.push({ ...about, reason: lib.ToDeviceUnableToDecryptReason[reason] ?? String(reason) });
      }
      events.push(raw);
    }
    this.undecryptableToDevice = undecryptable;
    return JSON.stringify(events);
  }

  /**
   * @param {string} eventJson @param {RoomId} roomId
   * @returns {Promise<{ event: string, sender: UserId, senderDevice: DeviceId | undefined, senderCurve25519Key: string, senderClaimedEd25519Key: string | undefined, forwardingCurve25519KeyChain: string[] }>}
   */
  async decryptRoomEvent(eventJson, roomId) {
    const lib = wasm();
    const decrypted = await this.run(() =>
      this.inner.decryptRoomEvent(eventJson, new lib.RoomId(String(roomId)), new lib.DecryptionSettings(lib.TrustRequirement.Untrusted)),
    );
    const result = {
      event: decrypted.event,
      sender: new UserId(decrypted.sender.toString()),
      senderDevice: decrypted.senderDevice ? new DeviceId(decrypted.senderDevice.toString()) : undefined,
      senderCurve25519Key: decrypted.senderCurve25519Key,
      senderClaimedEd25519Key: decrypted.senderClaimedEd25519Key,
      forwardingCurve25519KeyChain: decrypted.forwardingCurve25519KeyChain,
    };
    decrypted.free();
    return result;
  }

  /** @param {RoomId} roomId @param {string} eventType @param {string} content JSON @returns {Promise<string>} */
  async encryptRoomEvent(roomId, eventType, content) {
    const lib = wasm();
    return this.run(() => this.inner.encryptRoomEvent(new lib.RoomId(String(roomId)), eventType, content));
  }

  /**
   * Signs a canonical-JSON message with the device key.
   * @param {string} message
   * @returns {Promise<{ get(userId: UserId | string): Record<string, { isValid: boolean, signature: { toBase64(): string } }> | undefined }>}
   */
  async sign(message) {
    const signatures = await this.run(() => this.inner.sign(message));
    /** @type {Map<string, Record<string, { isValid: boolean, signature: { toBase64(): string } }>>} */
    const byUser = new Map();
    const lib = wasm();
    const mine = signatures.get(new lib.UserId(this.inner.userId.toString()));
    if (mine) {
      /** @type {Record<string, { isValid: boolean, signature: { toBase64(): string } }>} */
      const entries = {};
      for (const [keyId, maybe] of mine) {
        const valid = maybe.isValid();
        const base64 = valid && maybe.signature ? maybe.signature.toBase64() : '';
        entries[keyId] = { isValid: valid, signature: { toBase64: () => base64 } };
      }
      byUser.set(this.inner.userId.toString(), entries);
    }
    signatures.free();
    return { get: (userId) => byUser.get(String(userId)) };
  }

  /** The wasm machine's own users being tracked (for diagnostics). @returns {Promise<string[]>} */
  async trackedUsers() {
    const users = await this.run(() => this.inner.trackedUsers());
    return [...users].map((u) => u.toString()).sort();
  }

  /** How many Megolm sessions the store holds (for diagnostics). */
  async roomKeyCounts() {
    const counts = await this.run(() => this.inner.roomKeyCounts());
    return { total: Number(counts.total), backedUp: Number(counts.backedUp) };
  }

  /**
   * Imports room keys in the key-export format (a JSON array of exported Megolm sessions, as
   * clients export them, decrypted). For an admin's key import, and the store benchmark.
   * @param {string} exportedRoomKeys @returns {Promise<{ imported: number, total: number }>}
   */
  async importExportedRoomKeys(exportedRoomKeys) {
    const result = await this.run(() => this.inner.importExportedRoomKeys(exportedRoomKeys, () => undefined));
    return { imported: result.importedCount, total: result.totalCount };
  }

  // --- cross-signing (matrix-bot-sdk 0.7.1 has none; the bridge drives these itself) ---

  /**
   * A key query for the machine's own user, whatever it already knows (its answer, given to
   * markRequestAsSent, brings the machine's view of its own identity up to date).
   * @returns {Promise<OutgoingRequest>}
   */
  async ownKeysQuery() {
    const lib = wasm();
    this.check();
    const request = this.inner.queryKeysForUsers([new lib.UserId(this.inner.userId.toString())]);
    const result = { id: request.id, type: request.type, body: request.body };
    request.free();
    return result;
  }

  /** Which private cross-signing keys the store holds. */
  async crossSigningStatus() {
    const status = await this.run(() => this.inner.crossSigningStatus());
    const result = { hasMaster: status.hasMaster, hasSelfSigning: status.hasSelfSigning, hasUserSigning: status.hasUserSigning };
    status.free();
    return result;
  }

  /**
   * Makes new cross-signing keys (`reset`), or takes the stored ones, keeps the private keys in
   * the store, and returns the requests that publish them, in order: the device keys if not yet
   * uploaded (a keys/upload request to mark as sent), the signing keys
   * (keys/device_signing/upload body, JSON, `auth` to be added), the signatures
   * (keys/signatures/upload body, JSON).
   * @param {boolean} reset
   * @returns {Promise<{ uploadKeys: OutgoingRequest | undefined, signingKeys: string, signatures: string }>}
   */
  async bootstrapCrossSigning(reset) {
    const requests = await this.run(() => this.inner.bootstrapCrossSigning(reset));
    const upload = requests.uploadKeysRequest;
    const result = {
      uploadKeys: upload ? { id: upload.id ?? '', type: upload.type, body: upload.body } : undefined,
      signingKeys: requests.uploadSigningKeysRequest.body,
      signatures: requests.uploadSignaturesRequest.body,
    };
    requests.free();
    return result;
  }

  /**
   * The public master key of a user as the machine knows it (from a key query, or its own
   * bootstrap), unpadded base64; undefined when it knows no identity.
   * @param {UserId | string} userId @returns {Promise<string | undefined>}
   */
  async masterKey(userId) {
    const lib = wasm();
    const identity = await this.run(() => this.inner.getIdentity(new lib.UserId(String(userId))));
    if (!identity) return undefined;
    try {
      const keys = parseObject(identity.masterKey, 'master key')['keys'];
      const value = keys && typeof keys === 'object' ? Object.values(keys)[0] : undefined;
      return typeof value === 'string' ? value : undefined;
    } finally {
      identity.free();
    }
  }

  /** The private cross-signing keys (unpadded base64 seeds), or undefined when the store has none. */
  async exportCrossSigningKeys() {
    const keys = await this.run(() => this.inner.exportCrossSigningKeys());
    if (!keys) return undefined;
    const result = { masterKey: keys.masterKey, selfSigningKey: keys.self_signing_key, userSigningKey: keys.userSigningKey };
    keys.free();
    return result;
  }

  /**
   * Imports private cross-signing keys (unpadded base64 seeds); they must match the public keys
   * the machine knows for its user (query them first). Returns which keys are now held.
   * @param {{ masterKey?: string | undefined, selfSigningKey?: string | undefined, userSigningKey?: string | undefined }} keys
   */
  async importCrossSigningKeys(keys) {
    const status = await this.run(() => this.inner.importCrossSigningKeys(keys.masterKey ?? null, keys.selfSigningKey ?? null, keys.userSigningKey ?? null));
    const result = { hasMaster: status.hasMaster, hasSelfSigning: status.hasSelfSigning, hasUserSigning: status.hasUserSigning };
    status.free();
    return result;
  }

  /**
   * Signs a device of the machine's user with the self-signing key (the machine must know the
   * device): the keys/signatures/upload body, JSON.
   * @param {DeviceId | string} deviceId @returns {Promise<string>}
   */
  async signOwnDevice(deviceId) {
    const lib = wasm();
    const device = await this.run(() => this.inner.getDevice(new lib.UserId(this.inner.userId.toString()), new lib.DeviceId(String(deviceId))));
    if (!device) throw new Error(`signOwnDevice: device ${String(deviceId)} is not known`);
    try {
      const request = await this.run(() => device.verify());
      const body = request.body;
      request.free();
      return body;
    } finally {
      device.free();
    }
  }

  /**
   * Whether a device carries a valid signature of its owner's self-signing key, as this
   * machine sees it (undefined: the device is not known).
   * @param {UserId | string} userId @param {DeviceId | string} deviceId
   * @returns {Promise<boolean | undefined>}
   */
  async isCrossSignedByOwner(userId, deviceId) {
    const lib = wasm();
    const device = await this.run(() => this.inner.getDevice(new lib.UserId(String(userId)), new lib.DeviceId(String(deviceId))));
    if (!device) return undefined;
    try {
      return device.isCrossSignedByOwner();
    } finally {
      device.free();
    }
  }

  /** Closes the machine and the store (the store keeps everything committed so far). */
  close() {
    if (this.closed) return;
    this.closed = true;
    try {
      this.inner.close();
    } finally {
      this.mirror.close();
    }
  }
}

class EncryptedAttachment {
  /** @param {Uint8Array} encryptedData @param {string} mediaEncryptionInfo JSON */
  constructor(encryptedData, mediaEncryptionInfo) {
    this.encryptedData = encryptedData;
    this.mediaEncryptionInfo = mediaEncryptionInfo;
  }
}

const Attachment = Object.freeze({
  /** @param {Uint8Array} data @returns {EncryptedAttachment} */
  encrypt(data) {
    const encrypted = wasm().Attachment.encrypt(new Uint8Array(data));
    const info = encrypted.mediaEncryptionInfo ?? '';
    const result = new EncryptedAttachment(encrypted.encryptedData, info);
    encrypted.free();
    return result;
  },
  /** @param {EncryptedAttachment} attachment @returns {Uint8Array} */
  decrypt(attachment) {
    const lib = wasm();
    const inner = new lib.EncryptedAttachment(new Uint8Array(attachment.encryptedData), attachment.mediaEncryptionInfo);
    try {
      return lib.Attachment.decrypt(inner);
    } finally {
      inner.free();
    }
  },
});

/**
 * Loads what a machine needs (the WebAssembly module, fake-indexeddb, SQLite) without opening a
 * store: rejects with the reason when this installation cannot do end-to-end encryption.
 * @returns {Promise<void>}
 */
async function checkAvailable() {
  await wasm().initAsync();
  require('fake-indexeddb');
  require('better-sqlite3');
}

module.exports = {
  checkAvailable,
  OlmMachine,
  UserId,
  DeviceId,
  RoomId,
  DeviceLists,
  EncryptionSettings,
  Attachment,
  EncryptedAttachment,
  RequestType,
  EncryptionAlgorithm,
  HistoryVisibility,
  StoreType,
  CryptoStoreError,
  PASSPHRASE_ENV,
  STORE_FILE,
};
