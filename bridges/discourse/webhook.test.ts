import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { readQueuedChange } from './queue-payload.js';
import { changeFromDelivery, verifySignature, webhookRouter } from './webhook.js';

const SECRET = 'a-long-webhook-secret';
const sign = (body: string | Buffer, secret = SECRET) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** A post object as Discourse sends it in post_* webhooks. */
const post = {
  id: 501,
  topic_id: 77,
  post_number: 3,
  username: 'alice',
  name: 'Alice',
  created_at: '2024-05-02T10:15:30.000Z',
  updated_at: '2024-05-02T10:15:30.000Z',
  raw: 'Any idea @coagent?',
  cooked: '<p>Any idea @coagent?</p>',
  post_type: 1,
  topic_slug: 'configuring-sync',
  topic_title: 'Configuring sync',
  topic_archetype: 'regular',
  category_id: 5,
};

describe('verifySignature', () => {
  const body = Buffer.from(JSON.stringify({ post }));

  it('accepts the HMAC-SHA256 of the raw body in the sha256=<hex> form', () => {
    expect(verifySignature(SECRET, body, sign(body))).toBe(true);
  });

  it('accepts upper-case hex and surrounding whitespace', () => {
    expect(verifySignature(SECRET, body, `sha256=${sign(body).slice(7).toUpperCase()}`)).toBe(true);
    expect(verifySignature(SECRET, body, ` ${sign(body)} `)).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifySignature(SECRET, body, sign(body, 'another-secret'))).toBe(false);
  });

  it('rejects a tampered body', () => {
    const tampered = Buffer.from(body.toString('utf8').replace('alice', 'mallory'));
    expect(verifySignature(SECRET, tampered, sign(body))).toBe(false);
  });

  it('rejects signatures of the wrong length or form', () => {
    const hex = sign(body).slice(7);
    expect(verifySignature(SECRET, body, `sha256=${hex.slice(0, 62)}`)).toBe(false);
    expect(verifySignature(SECRET, body, `sha256=${hex}00`)).toBe(false);
    expect(verifySignature(SECRET, body, hex)).toBe(false);
    expect(verifySignature(SECRET, body, `sha1=${hex}`)).toBe(false);
    expect(verifySignature(SECRET, body, `sha256=${'z'.repeat(64)}`)).toBe(false);
  });

  it('rejects a missing or empty header', () => {
    expect(verifySignature(SECRET, body, undefined)).toBe(false);
    expect(verifySignature(SECRET, body, '')).toBe(false);
  });
});

describe('changeFromDelivery', () => {
  it('maps post_created and post_recovered to a live post', () => {
    expect(changeFromDelivery('post_created', { post })).toEqual({ kind: 'post', post, historic: false });
    expect(changeFromDelivery('post_recovered', { post })).toEqual({ kind: 'post', post, historic: false });
  });

  it('maps post_edited to an edit and post_destroyed to a deletion', () => {
    expect(changeFromDelivery('post_edited', { post })).toEqual({ kind: 'edit', post });
    expect(changeFromDelivery('post_destroyed', { post })).toEqual({ kind: 'destroy', post });
  });

  it('maps topic_destroyed to the topic id, and ignores it without one', () => {
    expect(changeFromDelivery('topic_destroyed', { topic: { id: 77, title: 'x' } })).toEqual({ kind: 'topic-destroyed', topicId: 77 });
    expect(changeFromDelivery('topic_destroyed', { topic: { id: '77' } })).toHaveProperty('ignored');
    expect(changeFromDelivery('topic_destroyed', {})).toHaveProperty('ignored');
  });

  it('maps post_liked to the liked post and the liker', () => {
    const user = { id: 9, username: 'Bob' };
    expect(changeFromDelivery('post_liked', { like: { post, user } })).toEqual({ kind: 'like', post, user });
    expect(changeFromDelivery('post_liked', {})).toEqual({ kind: 'like', post: undefined, user: undefined });
  });

  it('maps accepted_solution and unaccepted_solution to a check of the topic (the body is not trusted for which post)', () => {
    expect(changeFromDelivery('accepted_solution', { solved: post })).toEqual({ kind: 'solved', topicId: 77 });
    expect(changeFromDelivery('unaccepted_solution', { solved: post })).toEqual({ kind: 'solved', topicId: 77 });
    expect(changeFromDelivery('accepted_solution', { solved: {} })).toHaveProperty('ignored');
  });

  it('maps topic_edited (a combined title and first-post save) to a topic check', () => {
    expect(changeFromDelivery('topic_edited', { topic: { id: 77 } })).toEqual({ kind: 'topic-edited', topicId: 77 });
  });

  it.each(['topic_created', 'ping', 'user_created', ''])('ignores the event %j', (event) => {
    const change = changeFromDelivery(event, { post });
    expect(change).not.toHaveProperty('kind');
    expect(change).toHaveProperty('ignored', expect.stringContaining(event || '(none)'));
  });
});

describe('webhookRouter over HTTP', () => {
  let dir: string;
  let store: Store;
  let server: Server | undefined;
  let queuedCalls: number;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-discourse-webhook-'));
    store = await openStore({ path: path.join(dir, 'test.db'), logger: createLogger({ level: 'silent' }) });
    queuedCalls = 0;
  });

  afterEach(async () => {
    if (server) {
      const s = server;
      await new Promise<void>((resolve) => {
        s.close(() => resolve());
        s.closeAllConnections();
      });
      server = undefined;
    }
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function start(secret: string | null = SECRET): Promise<string> {
    const app = express();
    app.use(
      '/hooks/discourse',
      webhookRouter({
        store,
        secret: secret ?? undefined,
        logger: createLogger({ level: 'silent' }),
        onQueued: () => {
          queuedCalls++;
        },
      }),
    );
    const s = app.listen(0, '127.0.0.1');
    server = s;
    await new Promise<void>((resolve, reject) => {
      s.once('listening', resolve);
      s.once('error', reject);
    });
    return `http://127.0.0.1:${(s.address() as AddressInfo).port}/hooks/discourse`;
  }

  interface Delivery {
    event: string;
    id?: string | undefined;
    body: string;
    signature?: string | undefined;
  }

  async function deliver(url: string, d: Delivery): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', 'X-Discourse-Event': d.event, 'X-Discourse-Event-Type': 'post' };
    if (d.id !== undefined) headers['X-Discourse-Event-Id'] = d.id;
    const signature = 'signature' in d ? d.signature : sign(d.body);
    if (signature !== undefined) headers['X-Discourse-Event-Signature'] = signature;
    const res = await fetch(url, { method: 'POST', headers, body: d.body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const pending = () => store.inbox.next('discourse', 10);
  const created = (p: Record<string, unknown> = post) => JSON.stringify({ post: p });

  it('refuses every delivery with 401 when no secret is configured', async () => {
    const url = await start(null);
    const res = await deliver(url, { event: 'post_created', id: 'd-1', body: created() });
    expect(res.status).toBe(401);
    expect(await pending()).toEqual([]);
    expect(queuedCalls).toBe(0);
  });

  it('refuses a bad or missing signature with 401 and queues nothing', async () => {
    const url = await start();
    const body = created();
    expect((await deliver(url, { event: 'post_created', id: 'd-1', body, signature: sign(body, 'wrong-secret') })).status).toBe(401);
    expect((await deliver(url, { event: 'post_created', id: 'd-2', body, signature: undefined })).status).toBe(401);
    expect((await deliver(url, { event: 'post_created', id: 'd-3', body: created({ ...post, raw: 'tampered' }), signature: sign(body) })).status).toBe(401);
    expect(await pending()).toEqual([]);
    expect(queuedCalls).toBe(0);
    // A refused delivery is not remembered: the same id, correctly signed, is still accepted.
    expect((await deliver(url, { event: 'post_created', id: 'd-1', body })).body).toEqual({ status: 'queued' });
  });

  it('queues a correctly signed delivery and wakes the worker', async () => {
    const url = await start();
    const res = await deliver(url, { event: 'post_created', id: 'd-1', body: created() });
    expect(res).toEqual({ status: 200, body: { status: 'queued' } });
    const items = await pending();
    expect(items).toHaveLength(1);
    expect(items[0]!.eventId).toBe('post:501');
    expect(items[0]!.priority).toBe(0);
    expect(readQueuedChange(items[0]!.payload)).toEqual({ kind: 'post', post, historic: false });
    expect(queuedCalls).toBe(1);
  });

  it('answers a repeated delivery id with duplicate and queues nothing more', async () => {
    const url = await start();
    await deliver(url, { event: 'post_created', id: 'd-1', body: created() });
    const again = await deliver(url, { event: 'post_edited', id: 'd-1', body: created({ ...post, updated_at: '2024-05-02T11:00:00.000Z' }) });
    expect(again).toEqual({ status: 200, body: { status: 'duplicate' } });
    expect((await pending()).map((i) => i.eventId)).toEqual(['post:501']);
    expect(queuedCalls).toBe(1);
  });

  it('queues the same post once when it comes again under a new delivery id', async () => {
    const url = await start();
    await deliver(url, { event: 'post_created', id: 'd-1', body: created() });
    const second = await deliver(url, { event: 'post_created', id: 'd-2', body: created() });
    expect(second.status).toBe(200);
    expect((await pending()).map((i) => i.eventId)).toEqual(['post:501']);
  });

  it('queues distinct changes of one post under their own keys', async () => {
    const url = await start();
    await deliver(url, { event: 'post_created', id: 'd-1', body: created() });
    await deliver(url, { event: 'post_edited', id: 'd-2', body: created({ ...post, updated_at: '2024-05-02T11:00:00.000Z' }) });
    await deliver(url, { event: 'post_liked', id: 'd-3', body: JSON.stringify({ like: { post, user: { username: 'Bob' } } }) });
    expect((await pending()).map((i) => i.eventId)).toEqual(['post:501', 'edit:501:2024-05-02T11:00:00.000Z', 'like:501:bob']);
  });

  it('answers 400 to a signed body that is not JSON or not an object, queueing nothing', async () => {
    const url = await start();
    const notJson = await deliver(url, { event: 'post_created', id: 'd-1', body: '{"post": ' });
    expect(notJson.status).toBe(400);
    const notObject = await deliver(url, { event: 'post_created', id: 'd-2', body: 'null' });
    expect(notObject.status).toBe(400);
    expect(await pending()).toEqual([]);
  });

  it('answers ignored to an event it does not use, and to a payload without ids', async () => {
    const url = await start();
    expect(await deliver(url, { event: 'topic_created', id: 'd-1', body: JSON.stringify({ topic: { id: 77 } }) })).toEqual({
      status: 200,
      body: { status: 'ignored' },
    });
    expect(await deliver(url, { event: 'post_created', id: 'd-2', body: JSON.stringify({ post: { username: 'alice' } }) })).toEqual({
      status: 200,
      body: { status: 'ignored' },
    });
    expect(await pending()).toEqual([]);
    expect(queuedCalls).toBe(0);
  });

  it('refuses a signed body nested deeper than 400 levels with 400, however deep, and takes 400 levels', async () => {
    const url = await start();
    for (const depth of [401, 4_200, 100_000]) {
      const body = `{"post":${'['.repeat(depth)}${']'.repeat(depth)}}`;
      const res = await deliver(url, { event: 'post_created', id: `deep-${depth}`, body });
      expect(res.status, `${depth} levels`).toBe(400);
      expect(String(res.body.error)).toContain('400 levels');
    }
    const fine = `{"post":${'['.repeat(398)}${']'.repeat(398)}, "x": "[[[[{{{"}`; // brackets in strings do not count
    expect((await deliver(url, { event: 'post_created', id: 'deep-ok', body: fine })).status).toBe(200);
  });

  it('replaces lone surrogates in every string before queueing', async () => {
    const url = await start();
    const body = JSON.stringify({
      post: { ...post, id: 502, username: 'al\ud800ice', name: '\udc00x', topic_title: 't\ud83d', raw: 'hi \ud800 there' },
    }).replace(/\\\\u/g, '\\u');
    expect(body).toContain('\\ud800');
    expect((await deliver(url, { event: 'post_created', id: 'sur-1', body })).status).toBe(200);
    const [item] = await pending();
    const queued = readQueuedChange(item!.payload) as { post: Record<string, string> };
    expect(queued.post.username).toBe('al\ufffdice');
    expect(queued.post.name).toBe('\ufffdx');
    expect(queued.post.raw).toBe('hi \ufffd there');
    // JSON.stringify writes a lone surrogate as the text \\udXXX: none may be left.
    expect(item!.payload).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
  });

  it('queues a private message without its text unless the bot is known to receive it', async () => {
    const url = await start();
    const pm = {
      ...post,
      id: 600,
      topic_id: 90,
      topic_archetype: 'private_message',
      raw: 'a secret between members',
      cooked: '<p>a secret between members</p>',
      topic_title: 'Secret plans',
    };
    await deliver(url, { event: 'post_created', id: 'pm-1', body: created(pm) });
    const [item] = await pending();
    expect(item!.payload).not.toContain('secret');
    expect(readQueuedChange(item!.payload)).toMatchObject({ kind: 'pm-post', post: { id: 600, topic_id: 90, username: 'alice' } });
    // A conversation the bot is in (remembered from the forum): the text may be kept.
    await store.cursors.set('discourse', 'pm-access:91', JSON.stringify({ bot: true, members: ['alice'], at: Date.now() }));
    await deliver(url, { event: 'post_created', id: 'pm-2', body: created({ ...pm, id: 601, topic_id: 91, raw: 'hello bot, a question' }) });
    const queued = (await pending()).find((i) => i.eventId === 'post:601');
    expect(readQueuedChange(queued!.payload)).toMatchObject({ kind: 'post', post: { raw: 'hello bot, a question' } });
  });

  it('refuses before reading the body: no signature header (401), no or a too large Content-Length (411, 413)', async () => {
    const url = await start();
    const noSignature = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Discourse-Event': 'post_created' },
      body: created(),
    });
    expect(noSignature.status).toBe(401);
    expect(noSignature.headers.get('connection')).toBe('close');
    const { request } = await import('node:http');
    const raw = (headers: Record<string, string>, body: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          url,
          { method: 'POST', headers: { 'X-Discourse-Event-Signature': sign(body), 'X-Discourse-Event': 'post_created', ...headers } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    expect(await raw({ 'Transfer-Encoding': 'chunked' }, created())).toBe(411);
    expect(await raw({ 'Content-Length': String(3 * 1024 * 1024) }, '{}')).toBe(413);
    expect(await pending()).toEqual([]);
  });

  it('queues deliveries without an event id, relying on the inbox key alone', async () => {
    const url = await start();
    expect((await deliver(url, { event: 'post_created', body: created() })).body).toEqual({ status: 'queued' });
    expect((await deliver(url, { event: 'post_created', body: created() })).body).toEqual({ status: 'queued' });
    expect((await pending()).map((i) => i.eventId)).toEqual(['post:501']);
  });
});
