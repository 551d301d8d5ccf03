// Protocol details of the fake homeserver over raw HTTP, and proof that its schema checks bite.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHomeserver, type FakeHomeserver, type RoomEvent } from './index.js';
import { SpecValidator } from './schemas.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const enc = encodeURIComponent;

async function call(hs: FakeHomeserver, token: string | undefined, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json }> {
  const headers: Record<string, string> = {};
  if (token) headers['Authorization'] = `Bearer ${token}`;
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const res = await fetch(`${hs.url}${path}`, init);
  return { status: res.status, body: (await res.json()) as Json };
}

describe('fake homeserver protocol', () => {
  let hs: FakeHomeserver;
  let bot: string;
  let alice: string;

  beforeEach(async () => {
    hs = await startFakeHomeserver();
    bot = hs.registerUser('bot', { password: 's3cret' }).accessToken;
    alice = hs.registerUser('alice').accessToken;
  });

  afterEach(async () => {
    await hs.close();
    expect(hs.violations).toEqual([]);
  });

  it('starts quickly once the schemas are loaded', async () => {
    const started = performance.now();
    const other = await startFakeHomeserver();
    const elapsed = performance.now() - started;
    await other.close();
    expect(elapsed).toBeLessThan(1500);
    const cold = performance.now();
    new SpecValidator();
    console.log(`schema loading (cold): ${Math.round(performance.now() - cold)} ms; warm start: ${elapsed.toFixed(1)} ms`);
  });

  it('answers versions and password login (m.id.user and legacy user)', async () => {
    expect((await call(hs, undefined, 'GET', '/_matrix/client/versions')).body.versions).toContain('v1.6');
    expect((await call(hs, undefined, 'GET', '/_matrix/client/v3/login')).body).toEqual({ flows: [{ type: 'm.login.password' }] });
    const login = await call(hs, undefined, 'POST', '/_matrix/client/v3/login', {
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: 'bot' },
      password: 's3cret',
    });
    expect(login.body).toMatchObject({ user_id: '@bot:localhost', access_token: expect.any(String), device_id: expect.any(String) });
    expect((await call(hs, login.body.access_token, 'GET', '/_matrix/client/v3/account/whoami')).body.user_id).toBe('@bot:localhost');
    const legacy = await call(hs, undefined, 'POST', '/_matrix/client/v3/login', { type: 'm.login.password', user: '@bot:localhost', password: 's3cret' });
    expect(legacy.status).toBe(200);
    const wrong = await call(hs, undefined, 'POST', '/_matrix/client/v3/login', { type: 'm.login.password', user: 'bot', password: 'nope' });
    expect(wrong).toMatchObject({ status: 403, body: { errcode: 'M_FORBIDDEN' } });
  });

  it('returns the spec error codes', async () => {
    expect(await call(hs, undefined, 'GET', '/_matrix/client/v3/account/whoami')).toMatchObject({ status: 401, body: { errcode: 'M_MISSING_TOKEN' } });
    expect(await call(hs, 'bogus', 'GET', '/_matrix/client/v3/account/whoami')).toMatchObject({ status: 401, body: { errcode: 'M_UNKNOWN_TOKEN' } });
    expect(await call(hs, bot, 'GET', '/_matrix/client/v3/nothing/here')).toMatchObject({ status: 404, body: { errcode: 'M_UNRECOGNIZED' } });
    expect(await call(hs, bot, 'DELETE', '/_matrix/client/v3/account/whoami')).toMatchObject({ status: 405, body: { errcode: 'M_UNRECOGNIZED' } });
    expect(await call(hs, bot, 'GET', '/_matrix/client/v3/rooms/!a:localhost/hierarchy')).toMatchObject({ status: 404 }); // v1 only
    expect(await call(hs, bot, 'POST', '/_matrix/client/v3/createRoom', '{not json')).toMatchObject({ status: 400, body: { errcode: 'M_NOT_JSON' } });
    expect(await call(hs, bot, 'POST', '/_matrix/client/v3/createRoom', '[1]')).toMatchObject({ status: 400, body: { errcode: 'M_BAD_JSON' } });
    const roomId = hs.createRoom('alice', { name: 'Private' });
    expect(await call(hs, bot, 'PUT', `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/t1`, { msgtype: 'm.text', body: 'x' })).toMatchObject({
      status: 403,
      body: { errcode: 'M_FORBIDDEN' },
    });
    expect(await call(hs, bot, 'GET', `/_matrix/client/v3/rooms/${enc('!missing:localhost')}/messages?dir=b`)).toMatchObject({
      status: 404,
      body: { errcode: 'M_NOT_FOUND' },
    });
    expect(await call(hs, bot, 'GET', '/_matrix/client/v3/directory/room/%23nope:localhost')).toMatchObject({ status: 404, body: { errcode: 'M_NOT_FOUND' } });
    expect(hs.requests.every((r) => !JSON.stringify(r).includes(bot))).toBe(true); // no tokens in the log
  });

  it('gives a limited initial sync with state, then incremental syncs', async () => {
    const roomId = hs.createRoom('alice', { name: 'Busy', alias: 'busy', public: true, encrypted: true });
    hs.join('bot', roomId);
    for (let i = 0; i < 15; i++) hs.sendText('alice', roomId, `m${i}`);
    const filter = enc(JSON.stringify({ room: { timeline: { limit: 5 } } }));
    const initial = (await call(hs, bot, 'GET', `/_matrix/client/v3/sync?filter=${filter}`)).body;
    const room = initial.rooms.join[roomId];
    expect(room.timeline.limited).toBe(true);
    expect(room.timeline.events.map((e: RoomEvent) => e.content['body'])).toEqual(['m10', 'm11', 'm12', 'm13', 'm14']);
    expect(room.timeline.events[0].unsigned.age).toEqual(expect.any(Number));
    const stateTypes = room.state.events.map((e: RoomEvent) => e.type);
    for (const type of [
      'm.room.create',
      'm.room.power_levels',
      'm.room.join_rules',
      'm.room.history_visibility',
      'm.room.name',
      'm.room.encryption',
      'm.room.canonical_alias',
      'm.room.member',
    ]) {
      expect(stateTypes).toContain(type);
    }
    expect(room.state.events.find((e: RoomEvent) => e.type === 'm.room.create').content).toMatchObject({ creator: '@alice:localhost', room_version: '10' });

    // A stored filter id works too; an empty incremental sync returns at once with timeout=0.
    const { filter_id: filterId } = (await call(hs, bot, 'POST', '/_matrix/client/v3/user/@bot:localhost/filter', { room: { timeline: { limit: 2 } } })).body;
    expect((await call(hs, bot, 'GET', `/_matrix/client/v3/user/@bot:localhost/filter/${filterId}`)).body).toEqual({ room: { timeline: { limit: 2 } } });
    const empty = (await call(hs, bot, 'GET', `/_matrix/client/v3/sync?since=${initial.next_batch}&filter=${filterId}`)).body;
    expect(empty.rooms.join).toEqual({});
    hs.sendText('alice', roomId, 'new');
    const next = (await call(hs, bot, 'GET', `/_matrix/client/v3/sync?since=${empty.next_batch}&filter=${filterId}`)).body;
    expect(next.rooms.join[roomId].timeline).toMatchObject({ limited: false, events: [{ content: { body: 'new' } }] });
    expect(next.rooms.join[roomId].state.events).toEqual([]);
  });

  it('reports leaving in rooms.leave and removes the room from joined rooms', async () => {
    const roomId = hs.createRoom('alice', { public: true });
    hs.join('bot', roomId);
    const { next_batch: since } = (await call(hs, bot, 'GET', '/_matrix/client/v3/sync')).body;
    expect((await call(hs, bot, 'POST', `/_matrix/client/v3/rooms/${enc(roomId)}/leave`, {})).status).toBe(200);
    const sync = (await call(hs, bot, 'GET', `/_matrix/client/v3/sync?since=${since}`)).body;
    expect(sync.rooms.leave[roomId].timeline.events.at(-1)).toMatchObject({
      type: 'm.room.member',
      state_key: '@bot:localhost',
      content: { membership: 'leave' },
    });
    expect((await call(hs, bot, 'GET', '/_matrix/client/v3/joined_rooms')).body.joined_rooms).toEqual([]);
  });

  it('serves state, members, single events and context', async () => {
    const roomId = hs.createRoom('alice', { name: 'Room', invite: ['bot'] });
    hs.join('bot', roomId);
    const base = `/_matrix/client/v3/rooms/${enc(roomId)}`;
    const put = await call(hs, bot, 'PUT', `${base}/state/org.example.settings`, { on: true });
    expect(put.body.event_id).toMatch(/^\$/);
    expect((await call(hs, bot, 'GET', `${base}/state/org.example.settings/`)).body).toEqual({ on: true });
    expect((await call(hs, bot, 'GET', `${base}/state/m.room.topic/`)).status).toBe(404);
    expect((await call(hs, bot, 'GET', `${base}/state`)).body.length).toBeGreaterThan(5);
    expect(Object.keys((await call(hs, bot, 'GET', `${base}/joined_members`)).body.joined).sort()).toEqual(['@alice:localhost', '@bot:localhost']);
    expect((await call(hs, bot, 'GET', `${base}/members?membership=join`)).body.chunk).toHaveLength(2);
    const ids = [1, 2, 3].map((i) => hs.sendText('alice', roomId, `c${i}`));
    const event = (await call(hs, bot, 'GET', `${base}/event/${enc(ids[1] as string)}`)).body;
    expect(event).toMatchObject({ room_id: roomId, content: { body: 'c2' } });
    const context = (await call(hs, bot, 'GET', `${base}/context/${enc(ids[1] as string)}?limit=2`)).body;
    expect(context.events_before[0].content.body).toBe('c1');
    expect(context.events_after[0].content.body).toBe('c3');
  });

  it('pages /messages forwards and backwards with matching tokens', async () => {
    const roomId = hs.createRoom('alice', {});
    for (let i = 0; i < 30; i++) hs.sendText('alice', roomId, `f${i}`);
    const base = `/_matrix/client/v3/rooms/${enc(roomId)}/messages`;
    const forwards: string[] = [];
    let from: string | undefined;
    do {
      const page = (await call(hs, alice, 'GET', `${base}?dir=f&limit=7${from ? `&from=${from}` : ''}`)).body;
      forwards.push(...page.chunk.filter((e: RoomEvent) => e.type === 'm.room.message').map((e: RoomEvent) => e.content['body']));
      from = page.end;
    } while (from);
    expect(forwards).toEqual(Array.from({ length: 30 }, (_, i) => `f${i}`));
    expect((await call(hs, bot, 'GET', `${base}?dir=b`)).status).toBe(403); // not a member
  });

  it('records each violation with its endpoint, without changing the response', async () => {
    const roomId = hs.createRoom('alice', {});
    hs.send('alice', roomId, 'm.room.message', { msgtype: 'm.text' }); // no body: invalid per m.room.message$m.text
    expect(hs.violations).toHaveLength(1);
    expect(hs.violations[0]).toMatch(/m\.room\.message\$m\.text.*body/);
    const created = await call(hs, bot, 'POST', '/_matrix/client/v3/createRoom', { preset: 'no_such_preset' });
    expect(created.status).toBe(200);
    expect(hs.violations[1]).toMatch(/^POST \/createRoom request: \/preset/);
    hs.violations.length = 0;
  });

  it('validates responses and event types directly', () => {
    const validator = new SpecValidator();
    expect(validator.validateResponse('GET', '/account/whoami', 200, { user_id: 'not-a-user-id' })[0]).toMatch(/user_id/);
    expect(validator.validateResponse('GET', '/sync', 200, { rooms: {} })[0]).toMatch(/next_batch/);
    expect(validator.validateResponse('GET', '/rooms/{roomId}/hierarchy', 200, { rooms: [{ room_id: '!a:x' }] }).join()).toMatch(/num_joined_members/);
    expect(validator.validateResponse('GET', '/sync', 401, { error: 'no errcode' })[0]).toMatch(/errcode/);
    const member = {
      event_id: '$e',
      room_id: '!r:x',
      sender: '@a:x',
      origin_server_ts: 1,
      type: 'm.room.member',
      state_key: '@a:x',
      content: { membership: 'sleeping' },
    };
    expect(validator.validateEvent(member)[0]).toMatch(/membership/);
    expect(validator.validateEvent({ ...member, content: { membership: 'join' } })).toEqual([]);
    expect(validator.validateEvent({ type: 'm.reaction', content: { 'm.relates_to': { rel_type: 'm.annotation' } } }).length).toBeGreaterThan(0);
    expect(validator.validateEvent({ type: 'org.example.custom', content: { anything: 1 } })).toEqual([]);
  });

  it('ends pending long-polls promptly on close', async () => {
    const { next_batch: since } = (await call(hs, bot, 'GET', '/_matrix/client/v3/sync')).body;
    const started = Date.now();
    const poll = call(hs, bot, 'GET', `/_matrix/client/v3/sync?since=${since}&timeout=30000`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await hs.close();
    const response = await poll;
    expect(response.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('caps long-poll waits with syncTimeoutCapMs', async () => {
    const capped = await startFakeHomeserver({ syncTimeoutCapMs: 100 });
    const token = capped.registerUser('bot').accessToken;
    const { next_batch: since } = (await call(capped, token, 'GET', '/_matrix/client/v3/sync')).body;
    const started = Date.now();
    await call(capped, token, 'GET', `/_matrix/client/v3/sync?since=${since}&timeout=30000`);
    expect(Date.now() - started).toBeLessThan(5000);
    await capped.close();
    expect(capped.violations).toEqual([]);
  });

  it('takes the first cross-signing keys without UIA, asks for the password to replace them, and serves them in keys/query', async () => {
    const path = '/_matrix/client/v3/keys/device_signing/upload';
    const master = (key: string) => ({ master_key: { user_id: '@bot:localhost', usage: ['master'], keys: { [`ed25519:${key}`]: key } } });
    // Synapse >= 1.109 (MSC3967): the account's first keys, and the same keys again, need no auth.
    expect(await call(hs, bot, 'POST', path, master('AAAA'))).toEqual({ status: 200, body: {} });
    expect((await call(hs, bot, 'POST', path, master('AAAA'))).status).toBe(200);
    const challenge = await call(hs, bot, 'POST', path, master('BBBB'));
    expect(challenge).toMatchObject({ status: 401, body: { flows: [{ stages: ['m.login.password'] }], params: {} } });
    expect(challenge.body['errcode']).toBeUndefined();
    const auth = (password: string) => ({
      type: 'm.login.password',
      identifier: { type: 'm.id.user', user: 'bot' },
      password,
      session: challenge.body['session'],
    });
    const wrong = await call(hs, bot, 'POST', path, { ...master('BBBB'), auth: auth('nope') });
    expect(wrong).toMatchObject({ status: 401, body: { errcode: 'M_FORBIDDEN', session: challenge.body['session'], completed: [] } });
    // Another account's password does not do (Synapse: validate_user_via_ui_auth).
    expect(
      await call(hs, bot, 'POST', path, { ...master('BBBB'), auth: { ...auth('password'), identifier: { type: 'm.id.user', user: 'alice' } } }),
    ).toMatchObject({ status: 403, body: { errcode: 'M_FORBIDDEN' } });
    expect(await call(hs, bot, 'POST', path, { ...master('BBBB'), auth: auth('s3cret') })).toEqual({ status: 200, body: {} });
    expect(hs.signingKeyUploads('bot')).toBe(2);
    const query = await call(hs, alice, 'POST', '/_matrix/client/v3/keys/query', { device_keys: { '@bot:localhost': [] } });
    expect(query.body['master_keys']['@bot:localhost'].keys).toEqual({ 'ed25519:BBBB': 'BBBB' });
    expect(query.body['user_signing_keys']).toEqual({});
  });

  it('waits for events from the in-process API', async () => {
    const roomId = hs.createRoom('alice', { public: true });
    hs.join('bot', roomId);
    const pending = hs.waitForEvent((e) => e.content['body'] === 'later');
    setTimeout(() => hs.sendText('bot', roomId, 'later'), 20);
    expect((await pending).room_id).toBe(roomId);
    expect((await hs.waitForEvent((e) => e.content['body'] === 'later')).sender).toBe('@bot:localhost'); // existing event
    expect(hs.eventsBy('bot').map((e) => e.type)).toEqual(['m.room.member', 'm.room.message']);
    await expect(hs.waitForEvent(() => false, 20)).rejects.toThrow(/no matching event/);
  });
});
