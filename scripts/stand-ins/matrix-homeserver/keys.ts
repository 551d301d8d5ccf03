// End-to-end encryption support of the stand-in, as a homeserver keeps it (spec keys.yaml and
// to_device.yaml): device and one-time keys per device, to-device messages queued per device
// until a /sync since a later position acknowledges them (so a client that crashed before
// saving next_batch gets them again), and device-list changes, each at a stream position.
import { HomeserverState, MatrixHttpError, type JsonObject, type Session } from './state.js';

interface Queued { pos: number; sender: string; type: string; content: JsonObject }

const object = (value: unknown): JsonObject => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {});
const deviceKey = (userId: string, deviceId: string) => `${userId}|${deviceId}`;

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
    for (const [source, target] of [[body['one_time_keys'], this.#oneTime], [body['fallback_keys'], this.#fallback]] as const) {
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

  query(body: JsonObject): JsonObject {
    const result: Record<string, JsonObject> = {};
    for (const [userId, wanted] of Object.entries(object(body['device_keys']))) {
      const devices = this.deviceKeys.get(userId) ?? new Map<string, JsonObject>();
      const only = Array.isArray(wanted) && wanted.length > 0 ? new Set(wanted.map(String)) : undefined;
      result[userId] = Object.fromEntries([...devices].filter(([d]) => !only || only.has(d)));
    }
    return { device_keys: result, failures: {}, master_keys: {}, self_signing_keys: {}, user_signing_keys: {} };
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

  sendToDevice(session: Session, type: string, txnId: string, body: JsonObject): JsonObject {
    const txn = `${session.token}\u0000${txnId}`;
    if (this.#txns.has(txn)) return {};
    const messages = body['messages'];
    if (typeof messages !== 'object' || messages === null || Array.isArray(messages)) throw new MatrixHttpError(400, 'M_BAD_JSON', '"messages" must be an object');
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
    const changed = since === undefined ? [] : [...new Set(this.#changes
      .filter((c) => c.pos > since && !(c.userId === session.userId && c.deviceId === session.deviceId) && sharesRoom(c.userId))
      .map((c) => c.userId))];
    return {
      to_device: { events: queue.map(({ sender, type, content }) => ({ sender, type, content })) },
      device_lists: { changed, left: [] },
      device_one_time_keys_count: this.counts(session),
      device_unused_fallback_key_types: this.unusedFallbackTypes(session),
    };
  }
}
