// End-to-end encryption support of the stand-in, as a homeserver keeps it (spec keys.yaml and
// to_device.yaml): device and one-time keys per device, to-device messages queued per device
// until a /sync since a later position acknowledges them (so a client that crashed before
// saving next_batch gets them again), and device-list changes, each at a stream position.
// Cross-signing (spec cross_signing.yaml): the user's master, self-signing and user-signing
// keys, replaced only after User-Interactive Authentication, and signatures on them and on
// the user's devices.
import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { HomeserverState, MatrixHttpError, type JsonObject, type Session } from './state.js';

interface Queued {
  pos: number;
  sender: string;
  type: string;
  content: JsonObject;
}

const object = (value: unknown): JsonObject => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {});
const deviceKey = (userId: string, deviceId: string) => `${userId}|${deviceId}`;

const SIGNING_KEYS = ['master_key', 'self_signing_key', 'user_signing_key'] as const;
type SigningKeyName = (typeof SIGNING_KEYS)[number];
/** The one UIA flow of a homeserver with password login only (Synapse's default). */
const UIA_FLOWS = [{ stages: ['m.login.password'] }];

/**
 * A 401 User-Interactive Authentication answer: flows, params and the session to continue,
 * plus errcode/error when a stage just failed (Synapse: AuthHandler.check_ui_auth).
 */
export class UiaRequired extends MatrixHttpError {
  constructor(
    readonly session: string,
    readonly failure?: { errcode: string; error: string },
  ) {
    super(401, failure?.errcode ?? 'M_UNAUTHORIZED', failure?.error ?? 'User-interactive authentication required');
  }
  override get body(): JsonObject {
    return { flows: UIA_FLOWS, params: {}, session: this.session, ...(this.failure ? { completed: [], ...this.failure } : {}) };
  }
}

/** The ed25519 public key a cross-signing key object carries (its only `keys` entry). */
const publicKeyOf = (key: JsonObject | undefined): string | undefined => {
  const value = Object.values(object(key?.['keys']))[0];
  return typeof value === 'string' ? value : undefined;
};

/** Canonical JSON (spec appendix: keys sorted, no whitespace), what Matrix signatures cover. */
const canonical = (v: unknown): string =>
  Array.isArray(v)
    ? `[${v.map(canonical).join(',')}]`
    : typeof v === 'object' && v !== null
      ? `{${Object.keys(v)
          .sort()
          .map((k) => `${JSON.stringify(k)}:${canonical((v as JsonObject)[k])}`)
          .join(',')}}`
      : JSON.stringify(v);

/** Whether `signed` carries a valid signature by `signer`'s key `ed25519:<keyName>` with public key `publicKey`. */
function validSignature(signed: JsonObject, signer: string, keyName: string, publicKey: string): boolean {
  const signature = object(object(signed['signatures'])[signer])[`ed25519:${keyName}`];
  if (typeof signature !== 'string') return false;
  const { signatures: _s, unsigned: _u, ...content } = signed;
  void _s;
  void _u;
  try {
    const key = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), Buffer.from(publicKey, 'base64')]),
      format: 'der',
      type: 'spki',
    });
    return verify(null, Buffer.from(canonical(content)), key, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}

/** Adds `signed`'s signatures to `target`'s (the rest of the object must be the same key). */
function mergeSignatures(target: JsonObject, signed: JsonObject): boolean {
  const { signatures: _a, unsigned: _b, ...left } = target;
  const { signatures: _c, unsigned: _d, ...right } = signed;
  void _a;
  void _b;
  void _c;
  void _d;
  if (!isDeepStrictEqual(left, right)) return false;
  const merged = object(structuredClone(target['signatures'] ?? {}));
  for (const [user, sigs] of Object.entries(object(signed['signatures']))) merged[user] = { ...object(merged[user]), ...object(sigs) };
  target['signatures'] = merged;
  return true;
}

export class KeyStore {
  /** user -> device -> the signed device keys it uploaded. */
  readonly deviceKeys = new Map<string, Map<string, JsonObject>>();
  readonly #oneTime = new Map<string, Map<string, unknown>>();
  readonly #fallback = new Map<string, Map<string, unknown>>();
  readonly #toDevice = new Map<string, Queued[]>();
  /** Device-key changes: who changed, at which position, from which device. */
  readonly #changes: { pos: number; userId: string; deviceId: string }[] = [];
  /** to-device transactions already sent, per access token (a repeat is not delivered twice). */
  readonly #txns = new Set<string>();
  /** Users whose to-device messages are held back (a slow federation link), until released. */
  readonly #holding = new Set<string>();
  readonly #held: { id: string; message: Omit<Queued, 'pos'> }[] = [];
  /** Every to-device message delivered, per device, for replays. */
  readonly #delivered = new Map<string, Omit<Queued, 'pos'>[]>();
  /** user -> their cross-signing keys (public parts, with signatures). */
  readonly crossSigning = new Map<string, Partial<Record<SigningKeyName, JsonObject>>>();
  /** Open UIA sessions: session id -> user. */
  readonly #uiaSessions = new Map<string, string>();
  /** Successful cross-signing key uploads per user (a test's count of bootstraps). */
  readonly signingKeyUploads = new Map<string, number>();

  constructor(private readonly hs: HomeserverState) {}

  upload(session: Session, body: JsonObject): JsonObject {
    const id = deviceKey(session.userId, session.deviceId);
    const device = object(body['device_keys']);
    if (Object.keys(device).length > 0) {
      if (device['user_id'] !== session.userId || device['device_id'] !== session.deviceId) {
        throw new MatrixHttpError(400, 'M_INVALID_PARAM', 'device_keys must be for the device of the access token');
      }
      const devices = this.deviceKeys.get(session.userId) ?? new Map<string, JsonObject>();
      this.deviceKeys.set(session.userId, devices);
      devices.set(session.deviceId, device);
      this.#changes.push({ pos: this.hs.tick(), userId: session.userId, deviceId: session.deviceId });
    }
    for (const [source, target] of [
      [body['one_time_keys'], this.#oneTime],
      [body['fallback_keys'], this.#fallback],
    ] as const) {
      const entries = Object.entries(object(source));
      if (entries.length === 0) continue;
      const keys = target.get(id) ?? new Map<string, unknown>();
      target.set(id, keys);
      if (target === this.#fallback) keys.clear();
      for (const [keyId, key] of entries) keys.set(keyId, key);
    }
    return { one_time_key_counts: this.counts(session) };
  }

  counts(session: Session): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const keyId of this.#oneTime.get(deviceKey(session.userId, session.deviceId))?.keys() ?? []) {
      const algorithm = keyId.split(':')[0] as string;
      counts[algorithm] = (counts[algorithm] ?? 0) + 1;
    }
    return counts;
  }

  unusedFallbackTypes(session: Session): string[] {
    return [...new Set([...(this.#fallback.get(deviceKey(session.userId, session.deviceId))?.keys() ?? [])].map((k) => k.split(':')[0] as string))];
  }

  query(session: Session, body: JsonObject): JsonObject {
    const result: Record<string, JsonObject> = {};
    const master: Record<string, JsonObject> = {};
    const selfSigning: Record<string, JsonObject> = {};
    const userSigning: Record<string, JsonObject> = {};
    for (const [userId, wanted] of Object.entries(object(body['device_keys']))) {
      const devices = this.deviceKeys.get(userId) ?? new Map<string, JsonObject>();
      const only = Array.isArray(wanted) && wanted.length > 0 ? new Set(wanted.map(String)) : undefined;
      result[userId] = Object.fromEntries([...devices].filter(([d]) => !only || only.has(d)));
      const cross = this.crossSigning.get(userId);
      if (cross?.master_key) master[userId] = cross.master_key;
      if (cross?.self_signing_key) selfSigning[userId] = cross.self_signing_key;
      // A user-signing key is shown to its owner only (spec keys.yaml, Synapse alike).
      if (cross?.user_signing_key && userId === session.userId) userSigning[userId] = cross.user_signing_key;
    }
    return { device_keys: result, failures: {}, master_keys: master, self_signing_keys: selfSigning, user_signing_keys: userSigning };
  }

  /**
   * POST keys/device_signing/upload as Synapse >= 1.109 answers it (element-hq/synapse#17284,
   * MSC3967, spec v1.11): the same keys again succeed at once (#16943); the first keys of a
   * user need no UIA; replacing existing keys needs UIA (password), never skipped.
   */
  uploadSigningKeys(session: Session, body: JsonObject, checkPassword: (userId: string, password: string) => boolean): JsonObject {
    const existing = this.crossSigning.get(session.userId) ?? {};
    const given = SIGNING_KEYS.filter((k) => body[k] !== undefined);
    if (given.every((k) => isDeepStrictEqual(body[k], existing[k]))) return {};
    if (existing.master_key) this.#interactiveAuth(session, object(body['auth']), checkPassword);
    const master = object(body['master_key'] ?? existing.master_key);
    if (!publicKeyOf(master)) throw new MatrixHttpError(400, 'M_MISSING_PARAM', 'No master key available');
    for (const k of given) {
      const key = object(body[k]);
      if (key['user_id'] !== session.userId) throw new MatrixHttpError(400, 'M_INVALID_PARAM', `${k}: user_id must be the uploader`);
      const keyId = Object.keys(object(key['keys']))[0]?.split(':')[1];
      if (keyId && this.deviceKeys.get(session.userId)?.has(keyId)) throw new MatrixHttpError(403, 'M_FORBIDDEN', 'Key ID in use');
    }
    // Synapse (E2eKeysHandler._check_cross_signing_key): the self- and user-signing keys must be signed by the master key.
    for (const k of ['self_signing_key', 'user_signing_key'] as const) {
      const masterKey = publicKeyOf(master) as string;
      if (body[k] !== undefined && !validSignature(object(body[k]), session.userId, masterKey, masterKey))
        throw new MatrixHttpError(400, 'M_INVALID_SIGNATURE', 'Invalid signature');
    }
    const next = { ...existing };
    for (const k of given) next[k] = structuredClone(object(body[k]));
    this.crossSigning.set(session.userId, next);
    this.signingKeyUploads.set(session.userId, (this.signingKeyUploads.get(session.userId) ?? 0) + 1);
    // Synapse announces new cross-signing keys as a device-list change of the user.
    this.#changes.push({ pos: this.hs.tick(), userId: session.userId, deviceId: '' });
    return {};
  }

  #interactiveAuth(session: Session, auth: JsonObject, checkPassword: (userId: string, password: string) => boolean): void {
    const id = typeof auth['session'] === 'string' ? auth['session'] : undefined;
    if (auth['type'] === undefined) {
      const fresh = id && this.#uiaSessions.has(id) ? id : randomBytes(12).toString('base64url');
      this.#uiaSessions.set(fresh, session.userId);
      throw new UiaRequired(fresh);
    }
    if (!id || this.#uiaSessions.get(id) !== session.userId) throw new MatrixHttpError(400, 'M_UNRECOGNIZED', `Unknown session ID: ${id ?? ''}`);
    if (auth['type'] !== 'm.login.password') throw new MatrixHttpError(400, 'M_UNRECOGNIZED', `Unrecognised login type ${String(auth['type'])}`);
    const identifier = object(auth['identifier']);
    const user = identifier['type'] === 'm.id.user' ? identifier['user'] : auth['user'];
    const password = auth['password'];
    if (typeof user !== 'string' || typeof password !== 'string') throw new MatrixHttpError(400, 'M_MISSING_PARAM', 'Missing parameters');
    const userId = user.startsWith('@') ? user : `@${user}:${session.userId.split(':').slice(1).join(':')}`;
    if (!checkPassword(userId, password)) throw new UiaRequired(id, { errcode: 'M_FORBIDDEN', error: 'Invalid username or password' });
    // Synapse: the account authenticated must be the requester's (validate_user_via_ui_auth).
    if (userId !== session.userId) throw new MatrixHttpError(403, 'M_FORBIDDEN', 'Invalid auth');
    this.#uiaSessions.delete(id);
  }

  /**
   * POST keys/signatures/upload for the uploader's own keys: signatures on its devices' keys and
   * on its master key are added (the signed object must be the key as stored). Signatures of
   * other users' keys are answered as failures: the stand-in does not keep them.
   */
  uploadSignatures(session: Session, body: JsonObject): JsonObject {
    const failures: Record<string, Record<string, JsonObject>> = {};
    const fail = (userId: string, keyId: string, errcode: string, error: string) => ((failures[userId] ??= {})[keyId] = { errcode, error });
    for (const [userId, keys] of Object.entries(body)) {
      for (const [keyId, signed] of Object.entries(object(keys))) {
        if (userId !== session.userId) {
          fail(userId, keyId, 'M_UNRECOGNIZED', "signatures of other users' keys are not kept by this stand-in");
          continue;
        }
        const device = this.deviceKeys.get(userId)?.get(keyId);
        const master = this.crossSigning.get(userId)?.master_key;
        const target = device ?? (master && publicKeyOf(master) === keyId ? master : undefined);
        if (!target) fail(userId, keyId, 'M_NOT_FOUND', 'Unknown device or key');
        else if (!this.#newSignaturesValid(userId, target, object(signed))) fail(userId, keyId, 'M_INVALID_SIGNATURE', 'Invalid signature');
        else if (!mergeSignatures(target, object(signed))) fail(userId, keyId, 'M_INVALID_SIGNATURE', 'The signed object does not match the stored key');
        else this.#changes.push({ pos: this.hs.tick(), userId, deviceId: '' });
      }
    }
    return { failures };
  }

  claim(body: JsonObject): JsonObject {
    const result: Record<string, Record<string, JsonObject>> = {};
    for (const [userId, devices] of Object.entries(object(body['one_time_keys']))) {
      for (const [deviceId, algorithm] of Object.entries(object(devices))) {
        const id = deviceKey(userId, deviceId);
        const pool = this.#oneTime.get(id);
        let claimed = [...(pool?.entries() ?? [])].find(([k]) => k.startsWith(`${String(algorithm)}:`));
        if (claimed) pool?.delete(claimed[0]);
        else claimed = [...(this.#fallback.get(id)?.entries() ?? [])].find(([k]) => k.startsWith(`${String(algorithm)}:`));
        if (!claimed) continue;
        (result[userId] ??= {})[deviceId] = { [claimed[0]]: claimed[1] };
      }
    }
    return { one_time_keys: result, failures: {} };
  }

  /**
   * The user's signatures `signed` adds to `target` are valid: a device signed by the
   * self-signing key, the master key by one of the user's devices (Synapse:
   * _process_self_signatures verifies each one).
   */
  #newSignaturesValid(userId: string, target: JsonObject, signed: JsonObject): boolean {
    const known = object(object(target['signatures'])[userId]);
    const added = Object.keys(object(object(signed['signatures'])[userId])).filter((k) => !(k in known));
    if (added.length === 0) return false;
    const selfSigning = publicKeyOf(this.crossSigning.get(userId)?.self_signing_key);
    const devices = this.deviceKeys.get(userId);
    return added.every((keyId) => {
      const name = keyId.slice('ed25519:'.length);
      const publicKey = name === selfSigning ? selfSigning : object(devices?.get(name)?.['keys'])[keyId];
      return typeof publicKey === 'string' && validSignature(signed, userId, name, publicKey);
    });
  }

  sendToDevice(session: Session, type: string, txnId: string, body: JsonObject): JsonObject {
    const txn = `${session.token}\u0000${txnId}`;
    if (this.#txns.has(txn)) return {};
    const messages = body['messages'];
    if (typeof messages !== 'object' || messages === null || Array.isArray(messages))
      throw new MatrixHttpError(400, 'M_BAD_JSON', '"messages" must be an object');
    this.#txns.add(txn);
    for (const [userId, devices] of Object.entries(object(messages))) {
      for (const [deviceId, content] of Object.entries(object(devices))) {
        const targets = deviceId === '*' ? [...(this.deviceKeys.get(userId)?.keys() ?? [])] : [deviceId];
        for (const target of targets) {
          const message = { sender: session.userId, type, content: object(content) };
          if (this.#holding.has(userId)) this.#held.push({ id: deviceKey(userId, target), message });
          else this.#deliver(deviceKey(userId, target), message);
        }
      }
    }
    return {};
  }

  #deliver(id: string, message: Omit<Queued, 'pos'>): void {
    const queue = this.#toDevice.get(id) ?? [];
    this.#toDevice.set(id, queue);
    queue.push({ pos: this.hs.tick(), ...message });
    const delivered = this.#delivered.get(id) ?? [];
    this.#delivered.set(id, delivered);
    delivered.push(message);
  }

  /** Holds back to-device messages for the user until `release` (tests of keys that come late). */
  hold(userId: string): void {
    this.#holding.add(userId);
  }

  release(userId: string): number {
    this.#holding.delete(userId);
    const due = this.#held.filter((h) => h.id.startsWith(`${userId}|`));
    for (const h of due) {
      this.#held.splice(this.#held.indexOf(h), 1);
      this.#deliver(h.id, h.message);
    }
    return due.length;
  }

  /** Sends every to-device message the user's devices received once more (a replay). */
  replay(userId: string): number {
    let n = 0;
    for (const [id, messages] of [...this.#delivered]) {
      if (!id.startsWith(`${userId}|`)) continue;
      for (const m of [...messages]) {
        const queue = this.#toDevice.get(id) ?? [];
        this.#toDevice.set(id, queue);
        queue.push({ pos: this.hs.tick(), ...m });
        n++;
      }
    }
    return n;
  }

  /**
   * The e2ee part of a /sync for this device. Messages up to `since` were received by a sync
   * that saved them: they are deleted now, as Synapse does; later ones are sent (again).
   */
  syncFor(session: Session, since: number | undefined, sharesRoom: (userId: string) => boolean): JsonObject {
    const id = deviceKey(session.userId, session.deviceId);
    const queue = (this.#toDevice.get(id) ?? []).filter((m) => since === undefined || m.pos > since);
    this.#toDevice.set(id, queue);
    const changed =
      since === undefined
        ? []
        : [
            ...new Set(
              this.#changes
                .filter((c) => c.pos > since && !(c.userId === session.userId && c.deviceId === session.deviceId) && sharesRoom(c.userId))
                .map((c) => c.userId),
            ),
          ];
    return {
      to_device: { events: queue.map(({ sender, type, content }) => ({ sender, type, content })) },
      device_lists: { changed, left: [] },
      device_one_time_keys_count: this.counts(session),
      device_unused_fallback_key_types: this.unusedFallbackTypes(session),
    };
  }
}
