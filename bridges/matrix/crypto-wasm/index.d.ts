// Types of index.cjs: the part of the native binding's API that matrix-bot-sdk 0.7.1 uses,
// plus the store's error class and a few diagnostics.

declare class Identifier {
  constructor(id: string);
  readonly id: string;
  toString(): string;
}
export declare class UserId extends Identifier {
  readonly localpart: string;
  readonly serverName: string;
}
export declare class DeviceId extends Identifier {}
export declare class RoomId extends Identifier {}

export declare class DeviceLists {
  constructor(changed?: UserId[], left?: UserId[]);
  readonly changed: UserId[];
  readonly left: UserId[];
  isEmpty(): boolean;
}

export declare const RequestType: Readonly<{ KeysUpload: 0; KeysQuery: 1; KeysClaim: 2; ToDevice: 3; SignatureUpload: 4; RoomMessage: 5; KeysBackup: 6 }>;
export declare const EncryptionAlgorithm: Readonly<{ OlmV1Curve25519AesSha2: 0; MegolmV1AesSha2: 1 }>;
export declare const HistoryVisibility: Readonly<{ Invited: 0; Joined: 1; Shared: 2; WorldReadable: 3 }>;
export declare const StoreType: Readonly<{ Sled: 0; Sqlite: 1 }>;

export declare class EncryptionSettings {
  algorithm: number | undefined;
  /** Milliseconds (what matrix-bot-sdk 0.7.1 passes); the native binding declares microseconds. */
  rotationPeriod: bigint;
  rotationPeriodMessages: bigint;
  historyVisibility: number;
}

export interface OutgoingRequest {
  id: string;
  type: number;
  /** JSON; for to-device requests `{txn_id, event_type, messages}`. */
  body: string;
}

export interface DecryptedRoomEvent {
  /** The clear event, JSON. */
  event: string;
  sender: UserId;
  senderDevice: DeviceId | undefined;
  senderCurve25519Key: string;
  senderClaimedEd25519Key: string | undefined;
  forwardingCurve25519KeyChain: string[];
}

export interface CrossSigningStatus {
  hasMaster: boolean;
  hasSelfSigning: boolean;
  hasUserSigning: boolean;
}
/** Private cross-signing keys: unpadded base64 seeds. */
export interface CrossSigningKeys {
  masterKey?: string | undefined;
  selfSigningKey?: string | undefined;
  userSigningKey?: string | undefined;
}

export interface MaybeSignature {
  isValid: boolean;
  signature: { toBase64(): string };
}

/** Loads the crypto library and the store's modules; rejects when they cannot load here. */
export declare function checkAvailable(): Promise<void>;

export declare class OlmMachine {
  private constructor();
  /**
   * `storePath`: a directory (the store is `crypto-store.sqlite` in it) or a `.sqlite` file.
   * An empty passphrase means MATRIX_CRYPTO_STORE_PASSPHRASE (unset: an unencrypted store).
   */
  static initialize(userId: UserId, deviceId: DeviceId, storePath?: string, storePassphrase?: string, storeType?: number): Promise<OlmMachine>;
  readonly storeFile: string;
  /** To-device messages of the last receiveSyncChanges that could not be decrypted (replays, garbage) or were invalid. */
  readonly undecryptableToDevice: { sender: string; type: string; reason: string }[];
  readonly userId: UserId;
  readonly deviceId: DeviceId;
  readonly identityKeys: { curve25519: { toBase64(): string }; ed25519: { toBase64(): string } };
  outgoingRequests(): Promise<OutgoingRequest[]>;
  markRequestAsSent(requestId: string, requestType: number, response: string): Promise<void>;
  updateTrackedUsers(users: UserId[]): Promise<void>;
  getMissingSessions(users: UserId[]): Promise<OutgoingRequest | null>;
  /** A JSON array of `{txn_id, event_type, messages}`. */
  shareRoomKey(roomId: RoomId, users: UserId[], settings: EncryptionSettings): Promise<string>;
  /** Returns the to-device events (decrypted where possible) as a JSON array. */
  receiveSyncChanges(
    toDeviceEvents: string,
    deviceLists: DeviceLists,
    oneTimeKeyCounts: Record<string, number> | Map<string, number>,
    unusedFallbackKeys?: string[] | Set<string>,
  ): Promise<string>;
  decryptRoomEvent(event: string, roomId: RoomId): Promise<DecryptedRoomEvent>;
  encryptRoomEvent(roomId: RoomId, eventType: string, content: string): Promise<string>;
  sign(message: string): Promise<{ get(userId: UserId | string): Record<string, MaybeSignature> | undefined }>;
  trackedUsers(): Promise<string[]>;
  roomKeyCounts(): Promise<{ total: number; backedUp: number }>;
  /** Room keys in the key-export format (a JSON array of exported Megolm sessions, decrypted). */
  importExportedRoomKeys(exportedRoomKeys: string): Promise<{ imported: number; total: number }>;
  /** A keys/query request for the own user (send it, then markRequestAsSent with the answer). */
  ownKeysQuery(): Promise<OutgoingRequest>;
  /** Which private cross-signing keys the store holds. */
  crossSigningStatus(): Promise<CrossSigningStatus>;
  /** New (reset) or stored cross-signing keys, kept in the store, and the requests publishing them (bodies as JSON). */
  bootstrapCrossSigning(reset: boolean): Promise<{ uploadKeys: OutgoingRequest | undefined; signingKeys: string; signatures: string }>;
  /** A user's public master key as the machine knows it (unpadded base64). */
  masterKey(userId: UserId | string): Promise<string | undefined>;
  exportCrossSigningKeys(): Promise<CrossSigningKeys | undefined>;
  importCrossSigningKeys(keys: CrossSigningKeys): Promise<CrossSigningStatus>;
  /** A keys/signatures/upload body (JSON): the own device signed with the self-signing key. */
  signOwnDevice(deviceId: DeviceId | string): Promise<string>;
  /** undefined: the device is not known to the machine. */
  isCrossSignedByOwner(userId: UserId | string, deviceId: DeviceId | string): Promise<boolean | undefined>;
  close(): void;
}

export declare class EncryptedAttachment {
  constructor(encryptedData: Uint8Array, mediaEncryptionInfo: string);
  readonly encryptedData: Uint8Array;
  readonly mediaEncryptionInfo: string;
}
export declare const Attachment: {
  encrypt(data: Uint8Array): EncryptedAttachment;
  decrypt(attachment: EncryptedAttachment): Uint8Array;
};

/** A store that cannot be used: foreign, another device's, wrong or missing passphrase, in use. */
export declare class CryptoStoreError extends Error {}

export declare const PASSPHRASE_ENV: 'MATRIX_CRYPTO_STORE_PASSPHRASE';
export declare const STORE_FILE: 'crypto-store.sqlite';
