// `npm run doctor` (and the start-up checks) for Matrix end-to-end encryption: whether it is on,
// the crypto store (its device, sealed or not, in use), whether the homeserver publishes that
// device's keys, and which of the bot's rooms are encrypted. The store is read directly (its
// meta table names the account and device in clear), never opened as a machine: the service
// may hold it, and one process owns a store at a time.
import { existsSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MatrixClient } from 'matrix-bot-sdk';
import type { Config } from '../config.js';
import type { Finding, PlatformDoctor } from '../../core/doctor/findings.js';
import { cryptoUnavailable } from './encryption.js';
import { describeMatrixError } from './errors.js';

export const STORE_FILE = 'crypto-store.sqlite';

/** Where the service keeps the crypto store (next to the database). */
export const cryptoStoreDir = (config: Config): string => `${config.database.path}.matrix-crypto`;

export function matrixCryptoDoctor(config: Config): PlatformDoctor {
  return async () => {
    const m = config.matrix;
    if (!m) return [];
    const out: Finding[] = [];
    const say = (check: string, level: Finding['level'], message: string, transient?: boolean) =>
      out.push({ platform: 'matrix', check, level, message, ...(transient ? { transient } : {}) });
    if (!m.encryption) {
      say('encryption', 'info', 'matrix.encryption is false: the bot says once in an encrypted room that it cannot read it, and stays quiet there');
      return out;
    }
    const problem = await cryptoUnavailable();
    if (problem) {
      say('encryption', 'warning', `on, but the crypto package does not load here (${problem}): the service runs as with matrix.encryption: false`);
      return out;
    }
    say(
      'encryption',
      m.cryptoStorePassphrase ? 'ok' : 'warning',
      m.cryptoStorePassphrase
        ? 'on; the crypto store is sealed with MATRIX_CRYPTO_STORE_PASSPHRASE'
        : "on, but MATRIX_CRYPTO_STORE_PASSPHRASE is not set: the crypto store (the bot's device keys and every room key) is kept unsealed on disk",
    );
    const file = path.join(cryptoStoreDir(config), STORE_FILE);
    const stored = readMeta(file);
    if (stored.kind === 'missing') say('crypto-store', 'info', `no crypto store yet at ${file}: the first start makes the bot's device and uploads its keys`);
    else if (stored.kind === 'busy')
      say('crypto-store', 'info', `${file} is in use (the service is running): device details are in its start-up log ("end-to-end encryption ready")`);
    else if (stored.kind === 'error')
      say(
        'crypto-store',
        'warning',
        `${file} cannot be read (${stored.message}): encrypted rooms are not read until it is fixed; move it away to start a new device (encrypted history it could read is then lost)`,
      );
    else {
      const sealedNote = stored.sealed ? 'sealed with a passphrase' : 'not sealed';
      say(
        'crypto-store',
        stored.sealed && !m.cryptoStorePassphrase ? 'blocker' : 'ok',
        stored.sealed && !m.cryptoStorePassphrase
          ? `${file} is sealed, but MATRIX_CRYPTO_STORE_PASSPHRASE is not set: the service cannot open it`
          : `${file}: device ${stored.deviceId} of ${stored.userId}, ${sealedNote}`,
      );
    }
    if (!m.accessToken) {
      say('device-keys', 'info', 'no MATRIX_ACCESS_TOKEN: published keys and encrypted rooms are checked once the service has logged in');
      return out;
    }
    const client = new MatrixClient(m.homeserverUrl, m.accessToken);
    try {
      const who = (await client.getWhoAmI()) as { user_id: string; device_id?: string };
      const query = (await client.doRequest('POST', '/_matrix/client/v3/keys/query', null, { device_keys: { [who.user_id]: [] } })) as KeysQuery;
      const devices = query.device_keys?.[who.user_id] ?? {};
      const deviceId = stored.kind === 'ok' ? stored.deviceId : who.device_id;
      const keys = deviceId ? devices[deviceId]?.keys : undefined;
      if (!deviceId) say('device-keys', 'warning', "the homeserver does not name the access token's device: encryption cannot work with this token");
      else if (keys)
        say(
          'device-keys',
          'ok',
          `device ${deviceId} publishes its keys (ed25519 ${keys[`ed25519:${deviceId}`] ?? '?'}): compare this fingerprint when verifying the bot in a client`,
        );
      else say('device-keys', 'info', `device ${deviceId} has no published keys yet: the service uploads them at its next start`);
      if (deviceId && keys) say('cross-signing', ...crossSigning(query, who.user_id, deviceId));
      if (stored.kind === 'ok' && who.device_id && who.device_id !== stored.deviceId) {
        say(
          'device-keys',
          'blocker',
          `the access token belongs to device ${who.device_id}, the crypto store to ${stored.deviceId}: use a token of that device, or move the store away to start a new device`,
        );
      }
      const rooms = await client.getJoinedRooms();
      const encrypted: string[] = [];
      for (const roomId of rooms) {
        try {
          await client.getRoomStateEvent(roomId, 'm.room.encryption', '');
          encrypted.push(roomId);
        } catch (error) {
          if (describeMatrixError(error).retryable) throw error;
        }
      }
      say(
        'encrypted-rooms',
        'ok',
        encrypted.length === 0
          ? `none of the bot's ${rooms.length} rooms is encrypted`
          : `${encrypted.length} of the bot's ${rooms.length} rooms are encrypted: ${encrypted.slice(0, 10).join(', ')}${encrypted.length > 10 ? ', ...' : ''}`,
      );
    } catch (error) {
      const d = describeMatrixError(error);
      say('device-keys', d.retryable ? 'warning' : 'blocker', `could not check the bot's keys and rooms: ${d.message}`, d.retryable);
    }
    return out;
  };
}

interface KeysQuery {
  device_keys?: Record<string, Record<string, { keys?: Record<string, string>; signatures?: Record<string, Record<string, string>> }>>;
  master_keys?: Record<string, { keys?: Record<string, string> }>;
  self_signing_keys?: Record<string, { keys?: Record<string, string> }>;
}

/** Whether the device carries the signature of its account's self-signing key (what clients check). */
function crossSigning(query: KeysQuery, userId: string, deviceId: string): [Finding['level'], string] {
  const master = Object.values(query.master_keys?.[userId]?.keys ?? {})[0];
  const selfSigning = Object.keys(query.self_signing_keys?.[userId]?.keys ?? {})[0];
  const signed = selfSigning !== undefined && query.device_keys?.[userId]?.[deviceId]?.signatures?.[userId]?.[selfSigning] !== undefined;
  if (!master)
    return [
      'info',
      "the account has no cross-signing keys yet: the service sets them up at its next start, so clients see the bot's device as verified by its owner",
    ];
  if (signed) return ['ok', `device ${deviceId} is cross-signed by its account (master key ${master})`];
  return [
    'warning',
    `the account has cross-signing keys (master key ${master}) but device ${deviceId} is not signed by them: clients show it as unverified; set MATRIX_CROSS_SIGNING_KEYS or MATRIX_PASSWORD and restart, or verify the device by hand (docs/matrix.md)`,
  ];
}

export type Meta =
  { kind: 'missing' } | { kind: 'busy' } | { kind: 'error'; message: string } | { kind: 'ok'; userId: string; deviceId: string; sealed: boolean };

/** The account and device a crypto store names (read without opening it as a machine). */
export function readMeta(file: string): Meta {
  if (!existsSync(file)) return { kind: 'missing' };
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, timeout: 0 });
    const rows = db.prepare('SELECT k, v FROM meta').all() as { k: string; v: Buffer | string }[];
    const meta = new Map(rows.map((r) => [r.k, r.v]));
    const userId = meta.get('user_id');
    const deviceId = meta.get('device_id');
    if (typeof userId !== 'string' || typeof deviceId !== 'string') return { kind: 'error', message: 'it names no account and device' };
    return { kind: 'ok', userId, deviceId, sealed: meta.has('salt') };
  } catch (error) {
    const message = (error as Error).message;
    if (/busy|locked/i.test(message)) return { kind: 'busy' };
    return { kind: 'error', message: message.slice(0, 200) };
  } finally {
    db?.close();
  }
}
