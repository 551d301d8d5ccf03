// Webhook delivery of the fake forum: Discourse's headers and HMAC signature, payload
// shapes, ordering, retries (when turned on), redelivery and downtime, received by a real HTTP
// server. Stock rules, on a short time scale (a minute of rules lasts 30 ms).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeForum, type FakeForum } from './index.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SECRET = 'a-long-webhook-secret';

interface Received {
  headers: IncomingHttpHeaders;
  raw: string;
  body: Json;
}

/** A webhook receiver: answers with `statuses` in turn ('drop' closes the socket), then 200. */
async function startReceiver(statuses: (number | 'drop')[] = []): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      got.push({ headers: req.headers, raw, body: JSON.parse(raw) as Json });
      const status = statuses.shift() ?? 200;
      if (status === 'drop') req.socket.destroy();
      else res.writeHead(status, { Connection: 'close' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/discourse`,
    got,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** What a receiver must do: recompute the HMAC of the raw body and compare in constant time. */
function signatureValid(received: Received, secret: string): boolean {
  const header = String(received.headers['x-discourse-event-signature'] ?? '');
  const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(received.raw).digest('hex')}`);
  const actual = Buffer.from(header);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const events = (got: Received[]) => got.map((r) => r.headers['x-discourse-event']);

describe('fake Discourse forum: webhooks', () => {
  let forum: FakeForum;
  let help: number;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;

  async function open(retries: boolean): Promise<void> {
    await forum?.close();
    forum = await startFakeForum({ timeScale: 0.0005, siteSettings: { retry_web_hook_events: retries } });
    forum.createUser('alice');
    forum.createUser('bob');
    forum.createUser('bot', { admin: true });
    help = forum.createCategory('Help');
  }

  beforeEach(() => open(false));

  afterEach(async () => {
    await forum.close();
    await receiver?.close();
    expect(forum.violations).toEqual([]);
  });

  it('signs every delivery and sends Discourse headers and payloads for topic, post, like and solved events', async () => {
    receiver = await startReceiver();
    forum.addWebhook({ url: receiver.url, secret: SECRET });
    const { topicId, postId } = forum.createTopic('alice', { title: 'Pivot question for pandas', raw: 'How do I pivot a data frame?', category: help });
    const answer = forum.reply('bob', topicId, 'Use pivot_table with an index.', { replyToPostNumber: 1 });
    forum.editPost('bob', answer.postId, 'Use `pivot_table` with an index.');
    forum.like('alice', answer.postId);
    forum.acceptAnswer('alice', answer.postId);
    await forum.wait(5); // bob waits out "5 s between posts"
    const extra = forum.reply('bob', topicId, 'Oops, that was the wrong topic.');
    forum.deletePost('bob', extra.postId);
    await forum.settle();

    expect(events(receiver.got)).toEqual([
      'topic_created',
      'post_created',
      'post_created',
      'post_edited',
      'post_liked',
      'accepted_solution',
      'post_created',
      'post_destroyed',
    ]);
    expect(receiver.got.map((r) => r.headers['x-discourse-event-type'])).toEqual(['topic', 'post', 'post', 'post', 'like', 'solved', 'post', 'post']);
    for (const r of receiver.got) {
      expect(signatureValid(r, SECRET)).toBe(true);
      expect(signatureValid(r, 'wrong-secret')).toBe(false);
      expect(r.headers).toMatchObject({ 'content-type': 'application/json', 'x-discourse-instance': forum.url });
    }
    const ids = receiver.got.map((r) => Number(r.headers['x-discourse-event-id']));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);

    const [topicCreated, postCreated, replyCreated, edited, liked, solved, , destroyed] = receiver.got.map((r) => r.body);
    expect(Object.keys(topicCreated ?? {})).toEqual(['topic']);
    expect(topicCreated?.topic).toMatchObject({
      id: topicId,
      title: 'Pivot question for pandas',
      archetype: 'regular',
      category_id: help,
      created_by: { username: 'alice' },
      last_poster: { username: 'alice' },
    });
    expect(topicCreated?.topic).not.toHaveProperty('post_stream');
    expect(topicCreated?.topic).not.toHaveProperty('details');
    expect(postCreated?.post).toMatchObject({
      id: postId,
      raw: 'How do I pivot a data frame?',
      topic_title: 'Pivot question for pandas',
      category_slug: 'help',
      topic_archetype: 'regular',
      topic_posts_count: 1,
    });
    for (const key of ['actions_summary', 'yours', 'can_edit', 'mentioned_users']) expect(postCreated?.post).not.toHaveProperty(key);
    expect(replyCreated?.post).toMatchObject({ post_number: 2, reply_to_post_number: 1, username: 'bob', topic_posts_count: 2 });
    expect(edited?.post).toMatchObject({ raw: 'Use `pivot_table` with an index.', cooked: '<p>Use <code>pivot_table</code> with an index.</p>', version: 2 });
    expect(liked).toEqual({ like: { post: expect.objectContaining({ id: answer.postId }), user: expect.objectContaining({ username: 'alice' }) } });
    expect(solved?.solved).toMatchObject({ id: answer.postId, accepted_answer: true, topic_accepted_answer: true });
    expect(destroyed?.post).toMatchObject({ id: extra.postId, deleted_at: expect.any(String) });
    expect(forum.deliveries.every((d) => d.status === 200 && d.attempts === 1)).toBe(true);
  });

  it('emits topic_edited and post events for changes made over HTTP, in order', async () => {
    receiver = await startReceiver();
    forum.addWebhook({ url: receiver.url, secret: SECRET });
    const bot = axios.create({ baseURL: forum.url, headers: { 'Api-Key': forum.adminApiKey, 'Api-Username': 'bot' }, proxy: false });
    const created = (await bot.post('/posts.json', { title: 'Changes made over HTTP', raw: 'The first post, made over HTTP.', category: help })).data;
    await bot.post('/posts.json', { topic_id: created.topic_id, raw: 'The second post, also over HTTP.' });
    await bot.put(`/t/-/${created.topic_id}.json`, { topic: { tags: ['http'] } });
    await bot.post('/post_actions.json', { id: created.id, post_action_type_id: 2 }).catch(() => undefined); // own post: refused, no event
    await bot.delete(`/t/${created.topic_id}.json`);
    await forum.settle();
    expect(events(receiver.got)).toEqual(['topic_created', 'post_created', 'post_created', 'topic_edited', 'post_destroyed', 'topic_destroyed']);
    expect(receiver.got[3]?.body.topic.tags).toEqual([expect.objectContaining({ name: 'http' })]);
    expect(receiver.got[5]?.body.topic.deleted_at).toEqual(expect.any(String));
  });

  it('delivers only subscribed event types or names', async () => {
    receiver = await startReceiver();
    forum.addWebhook({ url: receiver.url, secret: SECRET, events: ['topic', 'post_liked'] });
    const { topicId, postId } = forum.createTopic('alice', { title: 'Filtered event delivery', raw: 'Only some events are wanted here.', category: help });
    forum.reply('bob', topicId, 'A reply that nobody subscribed to.');
    forum.like('bob', postId);
    await forum.settle();
    expect(events(receiver.got)).toEqual(['topic_created', 'post_liked']);
  });

  it('does not retry a failing receiver unless retry_web_hook_events is on', async () => {
    receiver = await startReceiver([500]);
    forum.addWebhook({ url: receiver.url, secret: SECRET, events: ['topic'] });
    forum.createTopic('alice', { title: 'A flaky receiver, stock', raw: 'Nobody retries this delivery.', category: help });
    await forum.settle();
    expect(forum.deliveries.map((d) => [d.status, d.attempts])).toEqual([[500, 1]]);
  });

  it('with retries on, retries a failing receiver later with the same body and signature, a new event id per attempt', async () => {
    await open(true);
    receiver = await startReceiver([500, 200, 502]);
    forum.addWebhook({ url: receiver.url, secret: SECRET, events: ['topic'] });
    const { topicId } = forum.createTopic('alice', { title: 'A flaky receiver, retried', raw: 'This delivery is tried again.', category: help });
    forum.updateTopic('alice', topicId, { tags: [] });
    await forum.settle();
    // topic_created: 500, then (1 minute later) 502, then (5 minutes later) 200; topic_edited goes ahead meanwhile.
    expect(events(receiver.got)).toEqual(['topic_created', 'topic_edited', 'topic_created', 'topic_created']);
    const [first, , second, third] = receiver.got;
    expect(second?.raw).toBe(first?.raw);
    expect(third?.headers['x-discourse-event-signature']).toBe(first?.headers['x-discourse-event-signature']);
    const delivery = forum.deliveries[0];
    expect(delivery).toMatchObject({ event: 'topic_created', status: 200, attempts: 3 });
    expect(delivery?.eventIds).toEqual([first, second, third].map((r) => Number(r?.headers['x-discourse-event-id'])));
    expect(delivery?.eventId).toBe(delivery?.eventIds[2]);
  });

  it('never retries a connection error or a 404, even with retries on', async () => {
    await open(true);
    const gone = await startReceiver();
    await gone.close();
    forum.addWebhook({ url: gone.url, secret: SECRET, events: ['topic'] });
    receiver = await startReceiver([404]);
    forum.addWebhook({ url: receiver.url, secret: SECRET, events: ['topic'] });
    forum.createTopic('alice', { title: 'Nobody home at all', raw: 'A topic for absent receivers.', category: help });
    await forum.settle();
    expect(forum.deliveries.map((d) => [d.url, d.status, d.attempts])).toEqual([
      [gone.url, 'error', 1],
      [receiver.url, 404, 1],
    ]);
    expect(receiver.got).toHaveLength(1);
  });

  it('redelivers with the same event id, body and signature', async () => {
    receiver = await startReceiver();
    forum.addWebhook({ url: receiver.url, secret: SECRET, events: ['post'] });
    const { topicId } = forum.createTopic('alice', { title: 'Redelivery of an event', raw: 'A topic whose events come again.', category: help });
    forum.reply('bob', topicId, 'A reply that is delivered too.');
    await forum.settle();
    const original = receiver.got[0] as Received;
    const eventId = Number(original.headers['x-discourse-event-id']);
    await forum.redeliver(eventId);
    expect(receiver.got).toHaveLength(3);
    const again = receiver.got[2] as Received;
    expect(again.headers['x-discourse-event-id']).toBe(String(eventId));
    expect(again.raw).toBe(original.raw);
    expect(signatureValid(again, SECRET)).toBe(true);
    expect(forum.deliveries.at(-1)).toMatchObject({ eventId, redelivery: true, status: 200 });
    await expect(forum.redeliver(9999)).rejects.toThrow(/no delivery/);
  });

  it('holds deliveries while paused and flushes them in order on resume', async () => {
    receiver = await startReceiver();
    forum.addWebhook({ url: receiver.url, secret: SECRET, events: ['post'] });
    forum.pauseWebhooks();
    const { topicId } = forum.createTopic('alice', { title: 'Downtime of the receiver', raw: 'The first post of three: p1', category: help });
    forum.reply('bob', topicId, 'The second post of three: p2');
    await forum.wait(5);
    forum.reply('alice', topicId, 'The third post of three: p3');
    await forum.settle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(receiver.got).toEqual([]);
    expect(forum.deliveries.map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
    await forum.resumeWebhooks();
    expect(receiver.got.map((r) => r.body.post.raw.slice(-2))).toEqual(['p1', 'p2', 'p3']);
  });

  it('sends private messages with topic_archetype private_message, and pings', async () => {
    receiver = await startReceiver();
    const id = forum.addWebhook({ url: receiver.url, secret: SECRET });
    forum.sendPrivateMessage('alice', ['bot'], 'Psst', 'just between us');
    forum.pingWebhook(id);
    await forum.settle();
    expect(receiver.got[1]?.body.post).toMatchObject({ topic_archetype: 'private_message', category_id: null, raw: 'just between us' });
    expect(receiver.got[2]?.body).toEqual({ ping: 'OK' });
    expect(receiver.got[2]?.headers).toMatchObject({ 'x-discourse-event-type': 'ping', 'x-discourse-event': 'ping' });
  });
});
