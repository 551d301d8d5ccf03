// End-to-end: the real matrix-bot-sdk MatrixClient against the fake homeserver over HTTP.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogLevel, LogService, MatrixClient, MatrixError } from 'matrix-bot-sdk';
import { startFakeHomeserver, type FakeHomeserver, type RoomEvent } from './index.js';

const enc = encodeURIComponent;

describe('fake homeserver with matrix-bot-sdk', () => {
  let hs: FakeHomeserver;
  let bot: MatrixClient;
  let alice: MatrixClient;
  const clients: MatrixClient[] = [];

  beforeAll(() => {
    // The SDK logs every failed request at ERROR; the failures here are deliberate.
    LogService.setLevel(LogLevel.ERROR);
    LogService.muteModule('MatrixHttpClient');
    LogService.muteModule('MatrixClientLite');
  });

  beforeEach(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 2000 });
    bot = new MatrixClient(hs.url, hs.registerUser('bot', { displayName: 'Co-Agent' }).accessToken);
    alice = new MatrixClient(hs.url, hs.registerUser('alice').accessToken);
    clients.push(bot, alice);
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.stop();
    await hs.close();
    expect(hs.violations).toEqual([]);
  });

  it('identifies the token owner (whoami / getUserId)', async () => {
    expect(await bot.getUserId()).toBe('@bot:localhost');
    expect(await bot.getWhoAmI()).toMatchObject({ user_id: '@bot:localhost', device_id: expect.any(String) });
  });

  it('joins a public room by alias and lists it', async () => {
    const roomId = hs.createRoom('alice', { alias: 'lobby', public: true, name: 'Lobby' });
    expect(await bot.joinRoom('#lobby:localhost')).toBe(roomId);
    expect(await bot.getJoinedRooms()).toEqual([roomId]);
    expect(hs.joinedMembers(roomId).sort()).toEqual(['@alice:localhost', '@bot:localhost']);
    expect(await bot.getRoomStateEvent(roomId, 'm.room.name', '')).toEqual({ name: 'Lobby' });
  });

  it('refuses to join an invite-only room without an invite', async () => {
    const roomId = hs.createRoom('alice', { name: 'Private' });
    const error = await bot.joinRoom(roomId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MatrixError);
    expect(error).toMatchObject({ errcode: 'M_FORBIDDEN', statusCode: 403 });
  });

  it("delivers a sent message to the other user's /sync long-poll promptly", async () => {
    const roomId = hs.createRoom('alice', { public: true });
    await bot.joinRoom(roomId);
    const initial = await alice.doRequest('GET', '/_matrix/client/v3/sync', { timeout: 0 });
    const started = Date.now();
    const poll = alice.doRequest('GET', '/_matrix/client/v3/sync', { since: initial.next_batch, timeout: 10_000 });
    setTimeout(() => void bot.sendText(roomId, 'hello from the bot'), 100);
    const response = await poll;
    const elapsed = Date.now() - started;
    expect(elapsed).toBeLessThan(5000);
    const events = response.rooms.join[roomId].timeline.events as RoomEvent[];
    expect(events.map((e) => e.content['body'])).toEqual(['hello from the bot']);
    expect(events[0]?.unsigned?.['transaction_id']).toBeUndefined(); // not alice's own event
    expect(events[0]?.room_id).toBeUndefined();

    // The sender's own sync carries its transaction id.
    const own = await bot.doRequest('GET', '/_matrix/client/v3/sync', { since: initial.next_batch });
    expect(own.rooms.join[roomId].timeline.events[0].unsigned.transaction_id).toEqual(expect.any(String));
  });

  it('drives the SDK sync loop: room.message and room.invite events', async () => {
    const roomId = hs.createRoom('alice', { public: true });
    await bot.joinRoom(roomId);
    const message = new Promise<RoomEvent>((resolve) =>
      bot.on('room.message', (_room: string, e: RoomEvent) => {
        if (e.sender === '@alice:localhost') resolve(e);
      }),
    );
    const invited = new Promise<string>((resolve) => bot.on('room.invite', (room: string) => resolve(room)));
    await bot.start();
    hs.sendText('alice', roomId, 'anyone there?');
    expect((await message).content['body']).toBe('anyone there?');
    const dm = hs.createRoom('alice', { invite: ['bot'], isDirect: true });
    expect(await invited).toBe(dm);
    // The SDK records the DM in m.direct on its own; wait for it so close() cannot cut it off.
    await vi.waitFor(() => expect(hs.accountData('bot', 'm.direct')).toEqual({ '@alice:localhost': [dm] }));
  });

  it('makes send idempotent per transaction id', async () => {
    const roomId = hs.createRoom('alice', { public: true });
    await bot.joinRoom(roomId);
    const path = `/_matrix/client/v3/rooms/${enc(roomId)}/send/m.room.message/txn-1`;
    const content = { msgtype: 'm.text', body: 'once' };
    const first = await bot.doRequest('PUT', path, null, content);
    const second = await bot.doRequest('PUT', path, null, content);
    expect(second.event_id).toBe(first.event_id);
    expect(hs.timeline(roomId).filter((e) => e.content['body'] === 'once')).toHaveLength(1);
    // Another access token may reuse the txn id: it is a different transaction.
    await alice.doRequest('PUT', path, null, content);
    expect(hs.timeline(roomId).filter((e) => e.content['body'] === 'once')).toHaveLength(2);
  });

  it('injects a rate limit: 429 M_LIMIT_EXCEEDED with retry_after_ms, then recovers', async () => {
    const roomId = hs.createRoom('alice', { public: true });
    await bot.joinRoom(roomId);
    hs.failNext({ method: 'PUT', path: /\/send\// }, { status: 429, body: { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 1234 } });
    const error = await bot.sendText(roomId, 'too fast').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MatrixError);
    expect(error).toMatchObject({ errcode: 'M_LIMIT_EXCEEDED', statusCode: 429, retryAfterMs: 1234 });
    await bot.sendText(roomId, 'later');
    expect(hs.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([429, 200]);
  });

  it('injects garbage bodies and 500s', async () => {
    hs.failNext({ path: /\/whoami$/ }, { status: 502, raw: '<html>Bad Gateway</html>' });
    const error = await bot.getWhoAmI().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(MatrixError); // the SDK throws the raw response
    expect(error).toMatchObject({ statusCode: 502 });
    hs.failNext({ path: /\/joined_rooms$/ }, { status: 500 }, 2);
    await expect(bot.getJoinedRooms()).rejects.toMatchObject({ errcode: 'M_UNKNOWN', statusCode: 500 });
    await expect(bot.getJoinedRooms()).rejects.toMatchObject({ statusCode: 500 });
    expect(await bot.getJoinedRooms()).toEqual([]);
    expect(await bot.getUserId()).toBe('@bot:localhost');
  });

  it('lists space children in the hierarchy', async () => {
    const space = hs.createRoom('alice', { name: 'Community', space: true, public: true });
    const general = hs.createRoom('alice', { name: 'General', restrictedTo: [space] });
    const random = hs.createRoom('alice', { name: 'Random', public: true });
    const gone = hs.createRoom('alice', { name: 'Gone', public: true });
    for (const child of [general, random, gone]) hs.addSpaceChild(space, child, 'alice');
    hs.removeSpaceChild(space, gone, 'alice');
    await bot.joinRoom(space);
    const response = await bot.doRequest('GET', `/_matrix/client/v1/rooms/${enc(space)}/hierarchy`);
    const rooms = response.rooms as { room_id: string; name: string; room_type?: string; children_state: { state_key: string }[]; join_rule: string }[];
    expect(rooms.map((r) => r.name)).toEqual(['Community', 'General', 'Random']);
    expect(rooms[0]).toMatchObject({ room_type: 'm.space', num_joined_members: 2, world_readable: false });
    expect(rooms[0]?.children_state.map((c) => c.state_key).sort()).toEqual([general, random].sort());
    expect(rooms[1]?.join_rule).toBe('restricted');
    // Space membership is enough to join a room restricted to the space.
    expect(await bot.joinRoom(general)).toBe(general);
  });

  it('creates a direct chat with an invite that syncs with is_direct', async () => {
    const roomId = await alice.createRoom({ preset: 'trusted_private_chat', is_direct: true, invite: ['@bot:localhost'], name: 'DM' });
    const sync = await bot.doRequest('GET', '/_matrix/client/v3/sync');
    const invite = sync.rooms.invite[roomId].invite_state.events as { type: string; state_key: string; sender: string; content: Record<string, unknown> }[];
    expect(invite.find((e) => e.type === 'm.room.member' && e.state_key === '@bot:localhost')).toMatchObject({
      sender: '@alice:localhost',
      content: { membership: 'invite', is_direct: true },
    });
    expect(invite.find((e) => e.type === 'm.room.name')?.content).toEqual({ name: 'DM' });
    expect(sync.rooms.join[roomId]).toBeUndefined();
    await bot.joinRoom(roomId);
    expect(hs.joinedMembers(roomId).sort()).toEqual(['@alice:localhost', '@bot:localhost']);
  });

  it('pages back through 250 events with /messages', async () => {
    const roomId = hs.createRoom('alice', { public: true });
    await bot.joinRoom(roomId);
    for (let i = 0; i < 250; i++) hs.sendText('alice', roomId, `message ${i}`);
    const sync = await bot.doRequest('GET', '/_matrix/client/v3/sync', { filter: JSON.stringify({ room: { timeline: { limit: 5 } } }) });
    const timeline = sync.rooms.join[roomId].timeline;
    expect(timeline).toMatchObject({ limited: true, prev_batch: expect.any(String) });
    expect(timeline.events.map((e: RoomEvent) => e.content['body'])).toEqual([245, 246, 247, 248, 249].map((i) => `message ${i}`));

    const seen: string[] = [];
    let from: string | undefined = timeline.prev_batch;
    let pages = 0;
    while (from) {
      const page: { chunk: RoomEvent[]; end?: string } = await bot.doRequest('GET', `/_matrix/client/v3/rooms/${enc(roomId)}/messages`, {
        dir: 'b',
        from,
        limit: 60,
      });
      seen.push(...page.chunk.filter((e) => e.type === 'm.room.message').map((e) => e.content['body'] as string));
      from = page.end;
      pages += 1;
    }
    expect(pages).toBeGreaterThan(4);
    expect(seen).toHaveLength(245);
    expect(seen[0]).toBe('message 244');
    expect(seen.at(-1)).toBe('message 0');
  });

  it('returns relations of a thread root and lists threads', async () => {
    const roomId = hs.createRoom('alice', { public: true });
    await bot.joinRoom(roomId);
    const root = hs.sendText('alice', roomId, 'How do I calibrate the sensor?');
    const thread = (body: string) => ({
      'm.relates_to': { rel_type: 'm.thread', event_id: root, is_falling_back: true, 'm.in_reply_to': { event_id: root } },
      body,
      msgtype: 'm.text',
    });
    const first = await bot.sendMessage(roomId, thread('See the manual, page 3'));
    hs.sendText('alice', roomId, 'Thanks!', thread('Thanks!'));
    await bot.sendEvent(roomId, 'm.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: root, key: '👍' } });

    const threaded = await bot.getRelationsForEvent(roomId, root, 'm.thread');
    expect(threaded.chunk.map((e: RoomEvent) => e.content['body'])).toEqual(['Thanks!', 'See the manual, page 3']);
    expect(threaded.chunk[1].event_id).toBe(first);
    const all = await bot.getRelationsForEvent(roomId, root);
    expect(all.chunk.map((e: RoomEvent) => e.type)).toEqual(['m.reaction', 'm.room.message', 'm.room.message']);
    const reactions = await bot.getRelationsForEvent(roomId, root, 'm.annotation', 'm.reaction');
    expect(reactions.chunk).toHaveLength(1);

    const threads = await bot.doRequest('GET', `/_matrix/client/v1/rooms/${enc(roomId)}/threads`);
    expect(threads.chunk.map((e: RoomEvent) => e.event_id)).toEqual([root]);
    expect(threads.chunk[0].unsigned['m.relations']['m.thread']).toMatchObject({ count: 2, current_user_participated: true });
  });

  it('round-trips account data (global and per room) and syncs it', async () => {
    const roomId = hs.createRoom('alice', { public: true });
    await bot.joinRoom(roomId);
    await expect(bot.getAccountData('m.direct')).rejects.toMatchObject({ errcode: 'M_NOT_FOUND', statusCode: 404 });
    await bot.setAccountData('m.direct', { '@alice:localhost': [roomId] });
    expect(await bot.getAccountData('m.direct')).toEqual({ '@alice:localhost': [roomId] });
    expect(hs.accountData('bot', 'm.direct')).toEqual({ '@alice:localhost': [roomId] });
    await bot.setRoomAccountData('org.example.seen', roomId, { upTo: 3 });
    expect(await bot.getRoomAccountData('org.example.seen', roomId)).toEqual({ upTo: 3 });
    await expect(alice.doRequest('GET', '/_matrix/client/v3/user/@bot:localhost/account_data/m.direct')).rejects.toMatchObject({ errcode: 'M_FORBIDDEN' });
    const sync = await bot.doRequest('GET', '/_matrix/client/v3/sync');
    expect(sync.account_data.events).toEqual([{ type: 'm.direct', content: { '@alice:localhost': [roomId] } }]);
    expect(sync.rooms.join[roomId].account_data.events).toEqual([{ type: 'org.example.seen', content: { upTo: 3 } }]);
  });

  it('strips redacted content and records redacted_because', async () => {
    const roomId = hs.createRoom('alice', { public: true });
    await bot.joinRoom(roomId);
    const eventId = hs.sendText('alice', roomId, 'oops, my password is hunter2');
    const redaction = await bot.redactEvent(roomId, eventId, 'secret');
    const event = await bot.getEvent(roomId, eventId);
    expect(event.content).toEqual({});
    expect(event.unsigned.redacted_because).toMatchObject({ event_id: redaction, type: 'm.room.redaction', redacts: eventId, content: { reason: 'secret' } });
    expect(hs.timeline(roomId).find((e) => e.event_id === eventId)?.content).toEqual({});
  });

  it('serves profiles and lets a user change their own display name', async () => {
    expect(await bot.getUserProfile('@bot:localhost')).toEqual({ displayname: 'Co-Agent' });
    await bot.setDisplayName('Concierge');
    expect(await alice.getUserProfile('@bot:localhost')).toEqual({ displayname: 'Concierge' });
    await expect(bot.getUserProfile('@nobody:localhost')).rejects.toMatchObject({ errcode: 'M_NOT_FOUND' });
  });
});
