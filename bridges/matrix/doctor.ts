// `npm run doctor` for Matrix (and the same checks at start): the credentials work, the Space
// resolves and the bot is in it or invited, the bot may post in each room of the Space, which
// rooms are encrypted (the bot stays quiet there), and whether the homeserver exempts the bot
// from its message rate limit (Synapse's admin API; checked with MATRIX_ADMIN_TOKEN when set).
import type { Config } from '../config.js';
import type { Finding, PlatformDoctor } from '../../core/doctor/findings.js';

type Matrix = NonNullable<Config['matrix']>;
type Json = Record<string, unknown>;
type Say = (check: string, level: Finding['level'], message: string, transient?: boolean) => void;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string,
    message: string,
  ) {
    super(message);
  }
}

/** Down, unreachable or overloaded: the same check may pass later. */
const transient = (error: unknown) => !(error instanceof HttpError) || error.status >= 500 || error.status === 429;
const describe = (error: unknown) => (error instanceof HttpError ? `${error.errcode || 'HTTP'} ${error.status}: ${error.message}` : (error as Error).message);

export interface MatrixDoctorOptions {
  config: Config;
  /** The homeserver admin's token, to read the bot's rate-limit override (optional). */
  adminToken?: string | undefined;
  /** At the service's start: the bridge logs in with the password itself (once, keeping the token), so the doctor does not. */
  atStart?: boolean;
  fetch?: typeof fetch;
}

export function matrixDoctor(options: MatrixDoctorOptions): PlatformDoctor {
  return async () => {
    const m = options.config.matrix;
    if (!m) return [];
    const out: Finding[] = [];
    const say: Say = (check, level, message, isTransient) => {
      out.push({ platform: 'matrix', check, level, message, ...(isTransient ? { transient: true } : {}) });
    };
    const call = requester(m.homeserverUrl, options.fetch ?? fetch);
    if (options.atStart && !m.accessToken) return out;
    const login = await credentials(m, call, say);
    if (!login) return out;
    try {
      const spaceId = await space(m, login, call, say);
      if (spaceId) await rooms(spaceId, login, call, say, m.encryption);
      await rateLimit(m, login.userId, options.adminToken, call, say);
    } finally {
      // A password login made a device only for these checks: log it out again.
      if (login.temporary) await call('POST', '/_matrix/client/v3/logout', login.token, {}).catch(() => undefined);
    }
    return out;
  };
}

type Call = (method: string, path: string, token: string | undefined, body?: unknown) => Promise<Json>;

function requester(baseUrl: string, fetcher: typeof fetch): Call {
  return async (method, path, token, body) => {
    const res = await fetcher(new URL(path, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`), {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(15_000),
    });
    const json = (await res.json().catch(() => ({}))) as Json;
    if (!res.ok)
      throw new HttpError(
        res.status,
        typeof json['errcode'] === 'string' ? json['errcode'] : '',
        typeof json['error'] === 'string' ? json['error'] : res.statusText,
      );
    return json;
  };
}

interface Login {
  userId: string;
  token: string;
  temporary: boolean;
}

async function credentials(m: Matrix, call: Call, say: Say): Promise<Login | undefined> {
  try {
    if (m.accessToken) {
      const who = await call('GET', '/_matrix/client/v3/account/whoami', m.accessToken);
      say('credentials', 'ok', `the access token works: the bot is ${String(who['user_id'])}`);
      return { userId: String(who['user_id']), token: m.accessToken, temporary: false };
    }
    if (m.password && m.userId) {
      const res = await call('POST', '/_matrix/client/v3/login', undefined, {
        type: 'm.login.password',
        identifier: { type: 'm.id.user', user: m.userId },
        password: m.password,
        initial_device_display_name: 'Co-Agent doctor',
      });
      say('credentials', 'ok', `password login works for ${m.userId}`);
      return { userId: String(res['user_id'] ?? m.userId), token: String(res['access_token']), temporary: true };
    }
    say('credentials', 'blocker', 'no credentials: set MATRIX_ACCESS_TOKEN, or MATRIX_PASSWORD with matrix.userId');
  } catch (error) {
    say(
      'credentials',
      'blocker',
      `the homeserver refused the bot's credentials (${describe(error)}): check MATRIX_ACCESS_TOKEN, or MATRIX_PASSWORD and matrix.userId`,
      transient(error),
    );
  }
  return undefined;
}

const enc = encodeURIComponent;

async function space(m: Matrix, login: Login, call: Call, say: Say): Promise<string | undefined> {
  let spaceId = m.space;
  try {
    if (m.space.startsWith('#')) spaceId = String((await call('GET', `/_matrix/client/v3/directory/room/${enc(m.space)}`, login.token))['room_id']);
  } catch (error) {
    say('space', 'blocker', `the Space ${m.space} does not resolve (${describe(error)}): check matrix.space`, transient(error));
    return undefined;
  }
  const membership = await call('GET', `/_matrix/client/v3/rooms/${enc(spaceId)}/state/m.room.member/${enc(login.userId)}`, login.token)
    .then((c) => String(c['membership']))
    .catch(() => 'none');
  if (membership === 'join') say('space', 'ok', `the bot is in the Space ${m.space}`);
  else if (membership === 'invite') say('space', 'ok', `the bot is invited to the Space ${m.space}; it joins when the service starts`);
  else
    say('space', 'warning', `the bot is not in the Space ${m.space} nor invited: invite ${login.userId} (it can join by itself only if the Space is public)`);
  return spaceId;
}

async function rooms(spaceId: string, login: Login, call: Call, say: Say, encryption: boolean): Promise<void> {
  let children: Json[];
  try {
    children = (((await call('GET', `/_matrix/client/v1/rooms/${enc(spaceId)}/hierarchy?limit=100`, login.token))['rooms'] as Json[] | undefined) ?? []).filter(
      (r) => r['room_id'] !== spaceId && r['room_type'] !== 'm.space',
    );
  } catch (error) {
    say('rooms', 'warning', `could not list the Space's rooms (${describe(error)})`, transient(error));
    return;
  }
  const encrypted: string[] = [];
  const silent: string[] = [];
  let postable = 0;
  for (const r of children) {
    const roomId = String(r['room_id']);
    const name = typeof r['name'] === 'string' ? `${r['name']} (${roomId})` : roomId;
    const state = async (type: string) => call('GET', `/_matrix/client/v3/rooms/${enc(roomId)}/state/${type}/`, login.token).catch(() => undefined);
    if (await state('m.room.encryption')) encrypted.push(name);
    const levels = await state('m.room.power_levels');
    if (!levels) {
      say('rooms', 'info', `${name}: the bot is not in this room yet, so its power level cannot be read; it joins when the service starts`);
      continue;
    }
    const users = (levels['users'] ?? {}) as Record<string, unknown>;
    const mine = typeof users[login.userId] === 'number' ? (users[login.userId] as number) : Number(levels['users_default'] ?? 0);
    const events = (levels['events'] ?? {}) as Record<string, unknown>;
    const needed = typeof events['m.room.message'] === 'number' ? (events['m.room.message'] as number) : Number(levels['events_default'] ?? 0);
    if (mine >= needed) postable++;
    else silent.push(`${name} (needs power ${needed}, the bot has ${mine})`);
  }
  say('rooms', 'ok', `the Space has ${children.length} room(s); the bot may post in ${postable} it is in`);
  if (silent.length > 0) say('rooms', 'warning', `the bot may not post in: ${silent.join('; ')}: raise its power level or lower the level to send messages`);
  // With encryption on, the encryption checks (crypto-doctor.ts) list the encrypted rooms.
  if (encryption) return;
  if (encrypted.length > 0)
    say(
      'encrypted-rooms',
      'warning',
      `end-to-end encrypted, and matrix.encryption is false, so the bot cannot read them and stays quiet there: ${encrypted.join('; ')}`,
    );
  else say('encrypted-rooms', 'ok', 'no encrypted rooms in the Space');
}

async function rateLimit(m: Matrix, userId: string, adminToken: string | undefined, call: Call, say: Say): Promise<void> {
  const path = `/_synapse/admin/v1/users/${enc(userId)}/override_ratelimit`;
  const command = `curl -X POST -H "Authorization: Bearer $MATRIX_ADMIN_TOKEN" -H "Content-Type: application/json" -d '{"messages_per_second": 0, "burst_count": 0}' ${new URL(path, m.homeserverUrl.endsWith('/') ? m.homeserverUrl : `${m.homeserverUrl}/`).href}`;
  if (!adminToken) {
    say(
      'rate-limit',
      'info',
      `not checked (set MATRIX_ADMIN_TOKEN, a homeserver admin's token, to check): Synapse lets the bot send 0.2 messages a second (burst 10) unless an admin exempts it with: ${command}`,
    );
    return;
  }
  try {
    const o = await call('GET', path, adminToken);
    if (o['messages_per_second'] === 0 && o['burst_count'] === 0) say('rate-limit', 'ok', `${userId} is exempt from the homeserver's message rate limit`);
    else if (typeof o['messages_per_second'] === 'number')
      say(
        'rate-limit',
        'warning',
        `${userId} has its own rate limit (${String(o['messages_per_second'])}/s, burst ${String(o['burst_count'])}); to exempt it: ${command}`,
      );
    else
      say(
        'rate-limit',
        'warning',
        `${userId} is not exempt from the message rate limit (0.2/s, burst 10 by default): replies will queue in busy moments. Exempt it with: ${command}`,
      );
  } catch (error) {
    say(
      'rate-limit',
      'info',
      `could not read the rate-limit override (${describe(error)}; not Synapse, or not an admin token). To exempt the bot on Synapse: ${command}`,
    );
  }
}
