// Cross-signing for the bot's own device, so members' clients do not flag it as unverified.
// matrix-bot-sdk 0.7.1 has no cross-signing; the crypto machine (crypto-wasm adapter) makes and
// keeps the keys in the crypto store, and this module publishes them: the signing keys
// (keys/device_signing/upload, with User-Interactive Authentication when the homeserver asks),
// then the signatures (keys/signatures/upload). It runs at every start and does nothing when
// the homeserver already has this store's keys and the device's signature.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { MatrixClient } from 'matrix-bot-sdk';
import type { Logger } from '../../core/logging.js';

type Json = Record<string, unknown>;

/** The environment variable an export of the private cross-signing keys is read from. */
export const CROSS_SIGNING_KEYS_ENV = 'MATRIX_CROSS_SIGNING_KEYS';

export interface CrossSigningKeys {
  masterKey?: string | undefined;
  selfSigningKey?: string | undefined;
  userSigningKey?: string | undefined;
}

/** The part of the crypto machine (crypto-wasm adapter) this module uses. */
export interface CrossSigningMachine {
  ownKeysQuery(): Promise<{ id: string; type: number; body: string }>;
  crossSigningStatus(): Promise<{ hasMaster: boolean; hasSelfSigning: boolean; hasUserSigning: boolean }>;
  bootstrapCrossSigning(
    reset: boolean,
  ): Promise<{ uploadKeys: { id: string; type: number; body: string } | undefined; signingKeys: string; signatures: string }>;
  masterKey(userId: string): Promise<string | undefined>;
  exportCrossSigningKeys(): Promise<CrossSigningKeys | undefined>;
  importCrossSigningKeys(keys: CrossSigningKeys): Promise<{ hasMaster: boolean; hasSelfSigning: boolean }>;
  signOwnDevice(deviceId: string): Promise<string>;
  markRequestAsSent(requestId: string, requestType: number, response: string): Promise<void>;
}

export interface CrossSigningSettings {
  userId: string;
  deviceId: string;
  /** MATRIX_PASSWORD: answers the homeserver's password stage when it asks for one. */
  password?: string | undefined;
  /** MATRIX_CROSS_SIGNING_KEYS: an export of the private keys, imported instead of making new ones. */
  keys?: string | undefined;
}

export type CrossSigningOutcome = 'already' | 'bootstrapped' | 'reset' | 'imported' | 'not-set-up';

const record = (v: unknown): Json => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Json) : {});
const firstKey = (key: unknown): string | undefined => {
  const value = Object.values(record(record(key)['keys']))[0];
  return typeof value === 'string' ? value : undefined;
};
const UNVERIFIED = "clients show the bot's device as unverified until an admin verifies it by hand (docs/matrix.md: Verifying the bot's device by hand)";

/** The ed25519 public key (unpadded base64) of a private key seed (unpadded base64), as Matrix names keys. */
export function publicKeyOfSeed(seed: string): string {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(seed, 'base64')]);
  const spki = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  return spki.subarray(-32).toString('base64').replace(/=+$/, '');
}

/** The export format: base64 of the JSON `{ master_key, self_signing_key, user_signing_key }` (unpadded base64 seeds). */
export function encodeCrossSigningKeys(keys: CrossSigningKeys): string {
  return Buffer.from(JSON.stringify({ master_key: keys.masterKey, self_signing_key: keys.selfSigningKey, user_signing_key: keys.userSigningKey })).toString(
    'base64',
  );
}

export function decodeCrossSigningKeys(text: string): CrossSigningKeys {
  let parsed: Json;
  try {
    parsed = record(JSON.parse(Buffer.from(text.trim(), 'base64').toString('utf8')));
  } catch {
    throw new Error(`${CROSS_SIGNING_KEYS_ENV} is not an export of cross-signing keys (base64 of a JSON object)`);
  }
  const seed = (k: string) => (typeof parsed[k] === 'string' && /^[A-Za-z0-9+/]{43}$/.test(parsed[k]) ? parsed[k] : undefined);
  const keys = { masterKey: seed('master_key'), selfSigningKey: seed('self_signing_key'), userSigningKey: seed('user_signing_key') };
  if (!keys.masterKey || !keys.selfSigningKey) throw new Error(`${CROSS_SIGNING_KEYS_ENV} lacks the master or self-signing key`);
  return keys;
}

/** The errcode and message of a failed homeserver call (matrix-bot-sdk's MatrixError, or a plain error). */
function failure(error: unknown): { status: number | undefined; body: Json; message: string } {
  const e = record(error);
  const body = record(e['body']);
  const status = typeof e['statusCode'] === 'number' ? e['statusCode'] : undefined;
  const message =
    typeof body['errcode'] === 'string' ? `${body['errcode']}: ${String(body['error'] ?? '')}` : error instanceof Error ? error.message : String(error);
  return { status, body, message: message.slice(0, 200) };
}

export class CrossSigning {
  constructor(
    private readonly client: MatrixClient,
    private readonly machine: CrossSigningMachine,
    private readonly settings: CrossSigningSettings,
    private readonly log: Logger,
  ) {}

  /**
   * Makes sure the homeserver has the bot's cross-signing keys and its device's signature.
   * Never throws: a failure is logged once, clearly, and the bot goes on unverified.
   */
  async ensure(): Promise<CrossSigningOutcome> {
    try {
      return await this.#ensure();
    } catch (error) {
      this.log.error({ error: failure(error).message }, `cross-signing not set up: ${UNVERIFIED}`);
      return 'not-set-up';
    }
  }

  async #ensure(): Promise<CrossSigningOutcome> {
    const { userId, deviceId } = this.settings;
    const server = await this.#serverKeys();
    // The public master key of the private one in the store (not the machine's cached identity,
    // which follows the homeserver).
    const held = await this.machine.exportCrossSigningKeys();
    const ours = held?.masterKey ? publicKeyOfSeed(held.masterKey) : undefined;
    if (ours && ours === server.master && held?.selfSigningKey) {
      if (!server.deviceSigned) await this.#signDevice();
      this.log.info({ masterKey: ours }, "cross-signing already set up: the bot's device is signed by its account");
      return 'already';
    }
    if (this.settings.keys) {
      const keys = decodeCrossSigningKeys(this.settings.keys);
      if (!server.master) throw new Error(`${CROSS_SIGNING_KEYS_ENV} is set, but the account has no cross-signing keys on the homeserver to match it`);
      const imported = await this.machine.importCrossSigningKeys(keys);
      if (!imported.hasSelfSigning || (await this.machine.masterKey(userId)) !== server.master) {
        throw new Error(`the keys in ${CROSS_SIGNING_KEYS_ENV} are not the account's cross-signing keys on the homeserver`);
      }
      await this.#signDevice();
      this.log.info({ masterKey: server.master, deviceId }, `cross-signing keys imported from ${CROSS_SIGNING_KEYS_ENV}; the bot's device is signed`);
      return 'imported';
    }
    if (server.master && !this.settings.password) {
      this.log.warn(
        { masterKey: server.master },
        `the account already has cross-signing keys that this crypto store does not hold: set ${CROSS_SIGNING_KEYS_ENV} (their export) or MATRIX_PASSWORD (to replace them); ${UNVERIFIED}`,
      );
      return 'not-set-up';
    }
    // New keys: the first ones of the account (no password needed on Synapse >= 1.109, spec
    // v1.11), or replacing keys whose private parts are lost (the homeserver asks for the password).
    const requests = await this.machine.bootstrapCrossSigning(true);
    if (requests.uploadKeys) {
      const answer = await this.client.doRequest('POST', '/_matrix/client/v3/keys/upload', null, JSON.parse(requests.uploadKeys.body));
      await this.machine.markRequestAsSent(requests.uploadKeys.id, requests.uploadKeys.type, JSON.stringify(answer));
    }
    const uploaded = await this.#uploadSigningKeys(record(JSON.parse(requests.signingKeys)));
    if (!uploaded) return 'not-set-up';
    await this.#uploadSignatures(requests.signatures);
    const master = await this.machine.masterKey(userId);
    if (server.master)
      this.log.warn(
        { masterKey: master, previous: server.master },
        "cross-signing keys replaced (the old private keys were not in this crypto store): members who verified the bot see its identity as changed; the bot's device is signed",
      );
    else this.log.info({ masterKey: master, deviceId }, "cross-signing set up: the bot's device is signed by its account's new cross-signing keys");
    return server.master ? 'reset' : 'bootstrapped';
  }

  /** The account's master key on the homeserver, and whether this device carries a self-signing signature. */
  async #serverKeys(): Promise<{ master: string | undefined; deviceSigned: boolean }> {
    const { userId, deviceId } = this.settings;
    // Asked through the machine, so that it learns the account's current identity too.
    const request = await this.machine.ownKeysQuery();
    const raw: unknown = await this.client.doRequest('POST', '/_matrix/client/v3/keys/query', null, JSON.parse(request.body));
    await this.machine.markRequestAsSent(request.id, request.type, JSON.stringify(raw));
    const answer = record(raw);
    const master = firstKey(record(answer['master_keys'])[userId]);
    const selfSigning = record(record(answer['self_signing_keys'])[userId]);
    const selfSigningId = Object.keys(record(selfSigning['keys']))[0];
    const device = record(record(record(answer['device_keys'])[userId])[deviceId]);
    const signatures = record(record(device['signatures'])[userId]);
    return { master, deviceSigned: selfSigningId !== undefined && typeof signatures[selfSigningId] === 'string' };
  }

  /** keys/device_signing/upload; on a UIA challenge, the password stage. False when it could not be done (logged). */
  async #uploadSigningKeys(body: Json): Promise<boolean> {
    const path = '/_matrix/client/v3/keys/device_signing/upload';
    try {
      await this.client.doRequest('POST', path, null, body);
      return true;
    } catch (error) {
      const first = failure(error);
      const session = first.body['session'];
      if (first.status !== 401 || !Array.isArray(first.body['flows'])) throw error;
      const flows = (first.body['flows'] as unknown[]).map((f) => record(f)['stages']);
      const passwordFlow = flows.some((stages) => Array.isArray(stages) && stages.length === 1 && stages[0] === 'm.login.password');
      if (!this.settings.password || !passwordFlow) {
        this.log.warn(
          { flows },
          `cross-signing not set up: the homeserver asks to authenticate ${this.settings.password ? 'in a way other than the password' : 'with the account password, and MATRIX_PASSWORD is not set'}; ${UNVERIFIED}`,
        );
        return false;
      }
      try {
        await this.client.doRequest('POST', path, null, {
          ...body,
          auth: {
            type: 'm.login.password',
            identifier: { type: 'm.id.user', user: this.settings.userId },
            password: this.settings.password,
            ...(typeof session === 'string' ? { session } : {}),
          },
        });
        return true;
      } catch (again) {
        const second = failure(again);
        if (second.status === 401 || second.status === 403) {
          this.log.error({ error: second.message }, `cross-signing not set up: the homeserver refused MATRIX_PASSWORD; ${UNVERIFIED}`);
          return false;
        }
        throw again;
      }
    }
  }

  async #uploadSignatures(body: string): Promise<void> {
    const answer = record(await this.client.doRequest('POST', '/_matrix/client/v3/keys/signatures/upload', null, JSON.parse(body)));
    const failures = record(answer['failures']);
    if (Object.keys(failures).length > 0) throw new Error(`the homeserver refused signatures: ${JSON.stringify(failures).slice(0, 200)}`);
  }

  async #signDevice(): Promise<void> {
    await this.#uploadSignatures(await this.machine.signOwnDevice(this.settings.deviceId));
  }
}
