// The stand-in's rules from a real homeserver: Synapse's default message rate limit and its
// admin override, transaction ids per (room, token), and refusals of malformed content.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeHomeserver, type FakeHomeserver } from './index.js';

describe('stand-in homeserver rules', () => {
  let hs: FakeHomeserver;
  let bot: { userId: string; accessToken: string };
  let admin: { userId: string; accessToken: string };
  let room: string;
  let txn = 0;
  const put = async (token: string, path: string, body: unknown) => {
    const res = await fetch(`${hs.url}/_matrix/client/v3${path}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const send = (content: unknown, id = `t${++txn}`, token = bot.accessToken) =>
    put(token, `/rooms/${encodeURIComponent(room)}/send/m.room.message/${id}`, content);
  const text = (body: string) => ({ msgtype: 'm.text', body });

  beforeEach(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 100, rateLimit: { clock: () => 1_000_000 } });
    bot = hs.registerUser('coagent');
    admin = hs.registerUser('admin', { admin: true });
    room = hs.createRoom('admin', { public: true });
    hs.join(bot.userId, room);
  });
  afterEach(async () => hs.close());

  it('limits messages to a burst of 10, then answers 429 M_LIMIT_EXCEEDED with retry_after_ms', async () => {
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await send(text(`m${i}`))).status);
    expect(statuses.slice(0, 10).every((s) => s === 200)).toBe(true);
    const refused = await send(text('one more'));
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ errcode: 'M_LIMIT_EXCEEDED' });
    // 0.2 messages a second: with the clock standing still, the next one is 5 s away.
    expect(refused.body['retry_after_ms']).toBe(5000);
  });

  it('lets an admin exempt the bot through the admin API', async () => {
    const path = `${hs.url}/_synapse/admin/v1/users/${encodeURIComponent(bot.userId)}/override_ratelimit`;
    const asBot = await fetch(path, { headers: { Authorization: `Bearer ${bot.accessToken}` } });
    expect(asBot.status).toBe(403);
    expect(await (await fetch(path, { headers: { Authorization: `Bearer ${admin.accessToken}` } })).json()).toEqual({});
    const set = await fetch(path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ messages_per_second: 0, burst_count: 0 }),
    });
    expect(set.status).toBe(200);
    for (let i = 0; i < 15; i++) expect((await send(text(`m${i}`))).status).toBe(200);
  });

  it('de-duplicates transaction ids per room and access token; a new token posts again', async () => {
    const first = await send(text('once'), 'same');
    const again = await send(text('once'), 'same');
    expect(again.body['event_id']).toBe(first.body['event_id']);
    const relogin = hs.registerUser('other');
    hs.join(relogin.userId, room);
    const other = await send(text('once'), 'same', relogin.accessToken);
    expect(other.body['event_id']).not.toBe(first.body['event_id']);
    const otherRoom = hs.createRoom('admin', { public: true });
    hs.join(bot.userId, otherRoom);
    const elsewhere = await put(bot.accessToken, `/rooms/${encodeURIComponent(otherRoom)}/send/m.room.message/same`, text('once'));
    expect(elsewhere.body['event_id']).not.toBe(first.body['event_id']);
  });

  it('refuses content without msgtype, with a non-string body, or relating to an unknown event', async () => {
    expect((await send({ body: 'no msgtype' })).status).toBe(400);
    expect((await send({ msgtype: 'm.text', body: 42 })).status).toBe(400);
    const orphan = await send({ ...text('in a thread'), 'm.relates_to': { rel_type: 'm.thread', event_id: '$nope' } });
    expect(orphan).toMatchObject({ status: 400, body: { errcode: 'M_UNKNOWN' } });
    const root = (await send(text('root'))).body['event_id'];
    expect((await send({ ...text('reply'), 'm.relates_to': { rel_type: 'm.thread', event_id: root } })).status).toBe(200);
    hs.violations.length = 0;
  });

  it('runs the limiter faster with a time scale, and not at all when disabled', async () => {
    await hs.close();
    hs = await startFakeHomeserver({ rateLimit: { enabled: false } });
    bot = hs.registerUser('coagent');
    room = hs.createRoom('coagent', { public: true });
    for (let i = 0; i < 15; i++) expect((await send(text(`m${i}`))).status).toBe(200);
    await hs.close();
    // A frozen clock: what is asserted is the arithmetic, not how fast this machine sends.
    hs = await startFakeHomeserver({ rateLimit: { timeScale: 100, clock: () => 1_000_000 } });
    bot = hs.registerUser('coagent');
    room = hs.createRoom('coagent', { public: true });
    for (let i = 0; i < 10; i++) await send(text(`m${i}`));
    const refused = await send(text('one more'));
    expect(refused.status).toBe(429);
    expect(refused.body['retry_after_ms']).toBe(50);
  });
});
