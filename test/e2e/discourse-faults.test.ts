// Signed deliveries that are hostile or broken, past authentication (the fault campaign): a body
// replayed under a destructive event name, lone surrogates, nesting tens of thousands deep, and
// megabyte posts built to make regular expressions backtrack. The service stays up, changes
// nothing it should not, and its event loop keeps turning.
import { createHmac } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET, startDiscourseWorld, type DiscourseWorld } from './discourse-world.js';
import { eventually } from '../../scripts/support/service-io.js';

const sign = (body: string) => `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;

describe('Discourse: hostile and broken deliveries', () => {
  let w: DiscourseWorld;
  let nextId = 990_000;

  beforeAll(async () => {
    w = await startDiscourseWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  async function deliver(event: string, body: string, type = 'post'): Promise<number> {
    const res = await fetch(w.webhookUrl, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-Discourse-Event': event,
        'X-Discourse-Event-Type': type,
        'X-Discourse-Event-Id': String(nextId++),
        'X-Discourse-Event-Signature': sign(body),
      },
    });
    await res.arrayBuffer();
    return res.status;
  }

  it('does not close a live request or forget a live topic on a signed body replayed as a deletion', async () => {
    const { forum, c, store } = w;
    const { topicId } = forum.createTopic('alice', {
      title: 'How do we run planning',
      raw: 'How do we run quarterly planning with three teams?',
      category: c.help,
    });
    await eventually('the bot reply', () => w.botPosts(topicId)[0], 30_000);
    const captured = forum.deliveries.find((d) => d.event === 'post_created' && d.body.includes(`"topic_id":${topicId},`))!;
    const topicBody = forum.deliveries.find((d) => d.event === 'topic_created' && d.body.includes(`"id":${topicId},`))!;
    expect(await deliver('post_destroyed', captured.body)).toBe(200);
    expect(await deliver('topic_destroyed', topicBody.body, 'topic')).toBe(200);
    await w.app!.idle();
    const problem = (await store.problems.findBySourceEvent('discourse', `${topicId}/1`))!;
    expect(problem.status).not.toBe('closed');
    expect((await store.documents.find('discourse', `${topicId}/1`))?.deletedAt).toBeNull();
    expect(w.logged(/still shows: ignored \(a replayed or forged delivery\?\)/)).toHaveLength(2);
  });

  it('cleans lone surrogates in names, titles and text, so the event is handled, not parked', async () => {
    const { forum, c, store } = w;
    const { topicId } = forum.createTopic('bob', { title: 'A topic for odd names', raw: 'A first post of normal text here.', category: c.general });
    const post = {
      id: 880_001,
      topic_id: topicId,
      post_number: 2,
      post_type: 1,
      username: 'zo\ud800e',
      name: 'Zo\udc00',
      created_at: new Date().toISOString(),
      raw: 'Half an emoji \ud83d here, and the rest of a sentence.',
      cooked: '<p>x</p>',
      topic_title: 'Odd \ud800 title',
      category_id: c.general,
      topic_archetype: 'regular',
    };
    expect(await deliver('post_created', JSON.stringify({ post }))).toBe(200);
    const doc = await eventually('the post learned', () => store.documents.find('discourse', `${topicId}/2`).then((d) => d ?? undefined), 30_000);
    expect(doc.text).toBe('Half an emoji \ufffd here, and the rest of a sentence.');
    expect(await store.members.findByIdentity({ platform: 'discourse', externalId: 'zo\ufffde' })).toMatchObject({ displayName: 'Zo\ufffd' });
    expect(await store.inbox.counts('discourse')).toMatchObject({ failed: 0 });
  });

  it('refuses a body nested thousands of levels deep with 400, never 500', async () => {
    for (const depth of [4_200, 50_000]) {
      expect(await deliver('post_created', `{"post":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`)).toBe(400);
      expect(await deliver('post_created', `{"post":${'['.repeat(depth)}${']'.repeat(depth)}}`)).toBe(400);
    }
    expect((await fetch(w.webhookUrl.replace('/webhooks/discourse', '/healthz'))).status).toBe(200);
  });

  it('handles megabyte posts built to backtrack without blocking the event loop for more than 50 ms', async () => {
    const { forum, c, store } = w;
    const { topicId } = forum.createTopic('carol', { title: 'A topic for huge posts', raw: 'Huge posts will be sent here by webhook.', category: c.general });
    const MB = 1_000_000;
    let number = 10;
    // `raw` undefined: a payload with cooked HTML only (the bridge reads cooked then).
    const body = (raw: string | undefined, cooked = '<p>x</p>') =>
      JSON.stringify({
        post: {
          id: 870_000 + number,
          topic_id: topicId,
          post_number: number++,
          post_type: 1,
          username: 'carol',
          name: 'Carol Chen',
          created_at: new Date().toISOString(),
          raw,
          cooked,
          topic_title: 'A topic for huge posts',
          category_id: c.general,
          topic_archetype: 'regular',
        },
      });
    const kinds: Record<string, () => string> = {
      '[quote': () => body('[quote'.repeat(MB / 6)),
      '<!-- co-agent:': () => body('<!-- co-agent:'.repeat(MB / 14)),
      '@a.': () => body('@a.'.repeat(MB / 3)),
      '```': () => body('```'.repeat(MB / 3)),
      '<a (cooked)': () => body(undefined, '<a '.repeat(MB / 3)),
      '<aside (cooked)': () => body(undefined, '<aside class="quote '.repeat(MB / 20)),
    };
    // Benign posts of the same size: what a megabyte costs anyway (reading, parsing, the model).
    const plain = () => body(`Plain words about planning the budget of team ${number}. `.repeat(MB / 50));
    // The forum is another machine: deliveries come from a worker thread, so only the service's own work is on this loop.
    const sender = deliveryThread(w.webhookUrl);
    try {
      /** The longest stall while one delivery is received, queued, read and learned. */
      const handle = async (b: string) => {
        expect(b.length).toBeGreaterThanOrEqual(MB);
        return maxLag(async () => {
          expect(await sender.send(b)).toBe(200);
          await w.app!.idle();
        });
      };
      await handle(plain()); // first-use costs are not counted
      const benign: number[] = [];
      const bad: Record<string, number[]> = {};
      // Each kind five times, alternating with plain posts, so this machine's other load falls on both alike.
      for (const [kind, make] of Object.entries(kinds)) {
        for (let r = 0; r < 5; r++) {
          benign.push(await handle(plain()));
          (bad[kind] ??= []).push(await handle(make()));
        }
      }
      await eventually('every post learned', async () => ((await store.documents.find('discourse', `${topicId}/${number - 1}`)) ? true : undefined), 60_000);
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
      const floor = median(benign);
      // Medians: a stall the scheduler adds at random falls on one post, a backtracking regex on
      // every post of its kind (0.4 s even on the 40,000 characters that are read, seconds on a megabyte).
      for (const [kind, lags] of Object.entries(bad)) {
        const say = `"${kind}" posts stalled the loop ${lags.map(Math.round).join(', ')} ms; plain megabyte posts ${Math.round(floor)} ms (median)`;
        expect(median(lags), say).toBeLessThan(floor + 50);
        expect(Math.max(...lags), say).toBeLessThan(1_000);
      }
    } finally {
      await sender.close();
    }
    expect(await store.inbox.counts('discourse')).toMatchObject({ failed: 0 });
  });
});

/** Signed post_created deliveries sent from a worker thread; resolves each with the HTTP status. */
function deliveryThread(url: string): { send(body: string): Promise<number>; close(): Promise<number> } {
  const worker = new Worker(
    `
    const { parentPort } = require('node:worker_threads');
    parentPort.on('message', ({ url, body, headers }) => fetch(url, { method: 'POST', body, headers })
      .then(async (r) => { await r.arrayBuffer(); parentPort.postMessage(r.status); }, (e) => parentPort.postMessage(String(e && e.cause || e))));
  `,
    { eval: true },
  );
  let id = 995_000;
  return {
    send: (body) =>
      new Promise((resolve) => {
        worker.once('message', resolve);
        worker.postMessage({
          url,
          body,
          headers: {
            'Content-Type': 'application/json',
            'X-Discourse-Event': 'post_created',
            'X-Discourse-Event-Type': 'post',
            'X-Discourse-Event-Id': String(id++),
            'X-Discourse-Event-Signature': sign(body),
          },
        });
      }),
    close: () => worker.terminate(),
  };
}

/**
 * The longest the event loop went without running a 5 ms timer while `work` ran, beyond the
 * 5 ms: what one synchronous stretch of code (a regex, a parse) held everything else back.
 */
async function maxLag(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let max = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    max = Math.max(max, now - last - 5);
    last = now;
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return max;
}
