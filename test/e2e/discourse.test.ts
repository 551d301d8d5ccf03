// End to end on Discourse: the real service (typed axios client, Express webhook route, SQLite,
// the model) against the stand-in with a stock forum's rules. A member opens a topic in the help category -> signed
// webhook -> the bot's reply, tags and invitations appear through the API; answers, likes and
// the accepted solution come back; bad signatures are refused; a restart during a burst of
// webhooks loses and repeats nothing.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../core/store/index.js';
import type { App } from '../../main.js';
import type { FakeForum } from '../../scripts/stand-ins/discourse-forum/index.js';
import type { ForumCommunity } from '../../scripts/support/discourse-community.js';
import { SECRET, startDiscourseWorld, type DiscourseWorld } from './discourse-world.js';
import { eventually } from '../../scripts/support/service-io.js';

describe('Discourse end to end', () => {
  let w: DiscourseWorld;
  let forum: FakeForum;
  let c: ForumCommunity;
  let store: Store;
  let port: number;
  let startService: () => Promise<App>;
  const app = () => w.app;
  const botPosts = (topicId: number) => w.botPosts(topicId);

  beforeAll(async () => {
    w = await startDiscourseWorld({ discourse: ['  privateMessages: true'] });
    ({ forum, c, store } = w);
    port = Number(new URL(w.webhookUrl).port);
    startService = () => w.start();
  });

  afterAll(async () => {
    await w?.close();
  });

  it('answers a new topic in the help category with tags, related topics and invitations', async () => {
    const { topicId } = forum.createTopic('alice', {
      title: 'Onboarding a remote engineering manager',
      raw: 'How do we onboard a new manager who joins a remote team next month?',
      category: c.help,
    });
    await eventually('the bot reply', () => (botPosts(topicId).length > 0 ? true : undefined), 30_000);
    const reply = botPosts(topicId)[0]!.raw;
    expect(reply).toMatch(/^On it/);
    expect(reply).toMatch(/Tags: `(onboarding|remote-work)`/);
    expect(reply).toContain(`${forum.url}/t/`); // related past topics link to the forum
    expect(reply).toContain(`/${c.topics.onboarding}/1`);
    expect(reply).toContain('@bob'); // bob answered both onboarding topics
    expect(reply).not.toContain('@alice');
    await eventually('the topic tags', () => ((forum.topic(topicId)?.tags ?? []).some((t) => ['onboarding', 'remote-work'].includes(t)) ? true : undefined));

    const problem = (await store.problems.findBySourceEvent('discourse', `${topicId}/1`))!;
    expect(problem.status).toBe('invited');
    const invited = await store.invitations.listForProblem(problem.id);
    expect(invited.length).toBeGreaterThan(0);

    // bob answers, alice likes it and accepts it as the solution.
    const answer = forum.reply('bob', topicId, 'Give them a buddy in their time zone and a written 30-60-90 plan.');
    await eventually('the response', async () => ((await store.responses.listForProblem(problem.id)).length === 1 ? true : undefined), 30_000);
    forum.like('alice', answer.postId);
    forum.acceptAnswer('alice', answer.postId);
    await eventually('the thank-you', () => (botPosts(topicId).some((p) => p.raw.startsWith('Marked solved')) ? true : undefined), 30_000);
    expect(botPosts(topicId).find((p) => p.raw.startsWith('Marked solved'))!.raw).toContain('@bob');
    expect((await store.problems.get(problem.id))?.status).toBe('solved');
    const feedback = await store.feedback.listForProblem(problem.id);
    expect(feedback.map((f) => f.kind).sort()).toEqual(['reaction', 'reaction', 'solved']);
    expect(botPosts(topicId)).toHaveLength(2);
  });

  it('answers a post that mentions the bot, in any category', async () => {
    const { topicId } = forum.createTopic('carol', { title: 'Quarterly planning', raw: 'We keep missing quarterly goals.', category: c.general });
    await forum.wait(5); // carol waits out the forum's 5 s between posts
    forum.reply('carol', topicId, '@coagent how do we plan a budget when headcount is uncertain?');
    await eventually('the bot reply', () => (botPosts(topicId).length > 0 ? true : undefined), 30_000);
    expect(botPosts(topicId)[0]!.replyToPostNumber).toBe(2);
    expect(botPosts(topicId)[0]!.raw).toContain(`/${c.topics.budget}/1`);
  });

  it('refuses bad signatures and replays, ignores unknown events, survives malformed JSON', async () => {
    const url = `http://127.0.0.1:${port}/webhooks/discourse`;
    const body = JSON.stringify({
      post: { id: 999_999, topic_id: 1, post_number: 1, username: 'mallory', created_at: new Date().toISOString(), raw: '@coagent hi', cooked: '' },
    });
    const headers = {
      'Content-Type': 'application/json',
      'X-Discourse-Event': 'post_created',
      'X-Discourse-Event-Type': 'post',
      'X-Discourse-Event-Id': '900001',
    };
    const bad = await fetch(url, { method: 'POST', body, headers: { ...headers, 'X-Discourse-Event-Signature': `sha256=${'0'.repeat(64)}` } });
    expect(bad.status).toBe(401);
    const missing = await fetch(url, { method: 'POST', body, headers });
    expect(missing.status).toBe(401);
    expect((await store.inbox.counts('discourse')).pending + (await store.inbox.counts('discourse')).done).toBeGreaterThan(0);
    expect(await store.events.isProcessed('discourse', 'delivery:900001')).toBe(false);

    const sign = (b: string) => `sha256=${createHmac('sha256', SECRET).update(b).digest('hex')}`;
    const garbage = '{"post": ';
    expect(
      (
        await fetch(url, {
          method: 'POST',
          body: garbage,
          headers: { ...headers, 'X-Discourse-Event-Id': '900002', 'X-Discourse-Event-Signature': sign(garbage) },
        })
      ).status,
    ).toBe(400);
    const ping = JSON.stringify({ ping: 'OK' });
    const unknown = await fetch(url, {
      method: 'POST',
      body: ping,
      headers: { ...headers, 'X-Discourse-Event': 'ping', 'X-Discourse-Event-Id': '900003', 'X-Discourse-Event-Signature': sign(ping) },
    });
    expect(await unknown.json()).toEqual({ status: 'ignored' });

    // A replayed delivery is acknowledged and not handled again.
    const { topicId } = forum.createTopic('dave', {
      title: 'Hiring a first manager',
      raw: 'How should we interview for our first engineering manager role?',
      category: c.help,
    });
    await eventually('the bot reply', () => (botPosts(topicId).length > 0 ? true : undefined), 30_000);
    const delivery = forum.deliveries.find((d) => d.event === 'post_created' && d.body.includes(`"topic_id":${topicId}`))!;
    await forum.redeliver(delivery.eventId);
    await app()!.idle();
    expect(botPosts(topicId)).toHaveLength(1);
    expect(forum.violations).toEqual([]);
  });

  it('waits out 429 and 500 on posting and posts once', async () => {
    forum.failNext(
      { method: 'POST', path: /^\/posts\.json$/ },
      { status: 429, headers: { 'Retry-After': '0' }, body: { errors: ['Slow down'], error_type: 'rate_limit', extras: { wait_seconds: 0 } } },
    );
    forum.failNext({ method: 'POST', path: /^\/posts\.json$/ }, { status: 500 });
    const { topicId } = forum.createTopic('bob', {
      title: 'Feedback for a defensive senior',
      raw: 'How do I give difficult feedback to a defensive senior engineer?',
      category: c.help,
    });
    await eventually('the bot reply', () => (botPosts(topicId).length > 0 ? true : undefined), 30_000);
    await app()!.idle();
    expect(botPosts(topicId)).toHaveLength(1);
    const posts = forum.requests.filter((r) => r.method === 'POST' && r.path === '/posts.json');
    expect(posts.map((r) => r.status)).toEqual(expect.arrayContaining([429, 500, 200]));
  });

  it('counts private messages between members as direct contacts (metadata only)', async () => {
    forum.sendPrivateMessage('dave', ['carol'], 'Coffee next week?', 'Want to compare notes on hiring over coffee?');
    const dave = await eventually('dave as a member', () =>
      store.members.findByIdentity({ platform: 'discourse', externalId: 'dave' }).then((m) => m ?? undefined),
    );
    const carol = (await store.members.findByIdentity({ platform: 'discourse', externalId: 'carol' }))!;
    const contact = await eventually(
      'the contact',
      async () =>
        (await store.interactions.listBetween(new Date(0), new Date(Date.now() + 60_000))).find(
          (i) => i.kind === 'direct-message' && i.fromMemberId === dave.id && i.toMemberId === carol.id,
        ),
      30_000,
    );
    expect(contact.mediated).toBe(false);
    expect((await store.documents.listLive()).some((d) => d.text.includes('compare notes'))).toBe(false);
  });

  it('handles a 1 MB post, quotes and code, and a deleted topic', async () => {
    const url = `http://127.0.0.1:${port}/webhooks/discourse`;
    const raw = `[quote="bob, post:1, topic:1"]quoted words[/quote]\n\n@coagent how do we plan ${'capacity '.repeat(115_000)}\n\n\`\`\`\nconst x = 1;\n\`\`\``;
    const { topicId } = forum.createTopic('alice', { title: 'Capacity planning', raw: 'Placeholder for a long post', category: c.general });
    const body = JSON.stringify({
      post: {
        id: 8_000_001,
        topic_id: topicId,
        post_number: 2,
        post_type: 1,
        username: 'alice',
        name: 'Alice Archer',
        created_at: new Date().toISOString(),
        raw,
        cooked: '<p>long</p>',
        topic_title: 'Capacity planning',
        category_id: c.general,
        topic_archetype: 'regular',
      },
    });
    expect(body.length).toBeGreaterThan(1_000_000);
    const response = await fetch(url, {
      method: 'POST',
      body,
      headers: {
        'Content-Type': 'application/json',
        'X-Discourse-Event': 'post_created',
        'X-Discourse-Event-Type': 'post',
        'X-Discourse-Event-Id': '900100',
        'X-Discourse-Event-Signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
      },
    });
    expect(response.status).toBe(200);
    const doc = await eventually('the long post', () => store.documents.find('discourse', `${topicId}/2`).then((d) => d ?? undefined), 30_000);
    expect(doc.text.length).toBeLessThanOrEqual(20_000);
    expect(doc.text).not.toContain('quoted words');
    await eventually('the reply', () => (botPosts(topicId).length > 0 ? true : undefined), 30_000);

    forum.deleteTopic('alice', topicId);
    await eventually(
      'the topic to be forgotten',
      async () => ((await store.documents.find('discourse', `${topicId}/1`))?.deletedAt ? true : undefined),
      30_000,
    );
    expect((await store.problems.findBySourceEvent('discourse', `${topicId}/2`))?.status).not.toBe('closed');
  });

  it('loses and repeats nothing when restarted during a burst of webhooks', async () => {
    const titles = Array.from({ length: 8 }, (_, i) => `Burst question ${i + 1}: how do we run retrospectives for team ${i + 1}?`);
    const ids: number[] = [];
    const stopping = (async () => {
      await new Promise((r) => setTimeout(r, 150));
      await w.stop();
    })();
    // Spread over the members, so no one reaches the per-member request limit.
    const ask = async (i: number) => {
      const title = titles[i]!;
      const asker = ['alice', 'bob', 'carol', 'dave'][i % 4]!;
      ids.push(forum.createTopic(asker, { title, raw: `${title} We tried a few formats already.`, category: c.help }).topicId);
      await new Promise((r) => setTimeout(r, 40));
    };
    // The first topics arrive while the service stops (how many it takes depends on timing)...
    for (let i = 0; i < 5; i++) await ask(i);
    await stopping;
    // ...and the rest while it is down, so their deliveries fail for certain.
    for (let i = 5; i < titles.length; i++) await ask(i);
    await forum.settle();
    await startService();
    await eventually('every burst topic answered', () => (ids.every((id) => botPosts(id).length > 0) ? true : undefined), 90_000);
    await app()!.idle();
    for (const id of ids) {
      expect(botPosts(id), `topic ${id}`).toHaveLength(1);
      expect(botPosts(id)[0]!.raw).toMatch(/^On it/);
    }
    // Some deliveries failed while the service was down; the catch-up found those posts.
    expect(forum.deliveries.some((d) => d.status === 'error' || (typeof d.status === 'number' && d.status >= 500))).toBe(true);
    expect(await store.inbox.counts('discourse')).toMatchObject({ failed: 0 });
    // Actions caught by the shutdown stay to be done, never given up.
    expect(await store.outbox.counts('discourse')).toMatchObject({ failed: 0 });
    expect(forum.violations).toEqual([]);
  });
});
