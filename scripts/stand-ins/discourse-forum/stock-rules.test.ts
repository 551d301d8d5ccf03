// The stand-in enforces a stock Discourse's default rules (README "Stock rules"), each proven
// here over real HTTP where the bot would meet it. Forums run on a shortened time scale, so a
// "minute" of rules lasts milliseconds; the rules themselves are Discourse's defaults.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios, { type AxiosInstance } from 'axios';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_API_LIMIT_CODE, startFakeForum, type FakeForum, type FakeForumOptions } from './index.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const TITLE = 'How do we run a good retrospective';
const BODY = 'Our retrospectives feel like a ritual nobody enjoys anymore.';

describe("fake Discourse forum: a stock forum's rules", () => {
  let forum: FakeForum;
  const client = (headers: Record<string, string>): AxiosInstance => axios.create({ baseURL: forum.url, headers, validateStatus: () => true, proxy: false });
  const asBot = () => client({ 'Api-Key': forum.adminApiKey, 'Api-Username': 'bot' });

  async function open(options: FakeForumOptions = {}): Promise<{ help: number }> {
    forum = await startFakeForum({ timeScale: 0.001, ...options });
    forum.createUser('bot', { admin: true });
    forum.createUser('alice');
    forum.createUser('bob');
    forum.createUser('newbie', { trustLevel: 0 });
    return { help: forum.createCategory('Help') };
  }

  afterEach(async () => {
    await forum?.close();
    expect(forum?.violations ?? []).toEqual([]);
  });

  it("limits every API-key request on the site to 60 a minute, with Discourse's 429", async () => {
    await open({ timeScale: 0.05 }); // a minute lasts 3 s
    const bot = asBot();
    const alice = client({ 'Api-Key': forum.user('alice')!.apiKey! });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await (i % 2 ? bot : alice).get('/latest.json')).status);
    expect(statuses.every((s) => s === 200)).toBe(true);
    // The admin key and a user key share the one limiter.
    const limited = await alice.get('/latest.json');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(limited.headers['discourse-rate-limit-error-code']).toBe(ADMIN_API_LIMIT_CODE);
    expect(limited.data).toMatchObject({
      error_type: 'rate_limit',
      errors: [expect.stringMatching(/too many times/)],
      extras: { wait_seconds: expect.any(Number), time_left: expect.any(String) },
    });
    expect(limited.data.extras.wait_seconds).toBeLessThanOrEqual(3);
    // Without a key nothing is counted (basic-info needs none); after the window, requests pass again.
    expect((await client({}).get('/site/basic-info.json')).status).toBe(200);
    await new Promise((r) => setTimeout(r, limited.data.extras.wait_seconds * 1000 + 50));
    expect((await bot.get('/latest.json')).status).toBe(200);
  });

  it('checks titles (length, uniqueness, quality) and visible body length; PMs have their own minimums', async () => {
    const { help } = await open();
    const bot = asBot();
    const post = (body: Json) => bot.post('/posts.json', body);
    expect((await post({ title: 'Too short', raw: BODY, category: help })).data).toEqual({ errors: ['Title is too short (minimum is 15 characters)'] });
    expect((await post({ title: TITLE, raw: 'Too short here', category: help })).data).toEqual({ errors: ['Body is too short (minimum is 20 characters)'] });
    // HTML comments are kept in raw but do not count towards the minimum.
    expect((await post({ title: TITLE, raw: `Tiny <!-- ${'x'.repeat(40)} -->`, category: help })).status).toBe(422);
    expect((await post({ title: 'HOW DO WE RUN A GOOD RETRO', raw: BODY, category: help })).data.errors).toEqual([
      'Title seems unclear, is it a complete sentence?',
    ]);
    expect((await post({ title: 'aaaaaaa bbbbbbbb', raw: BODY, category: help })).data.errors).toEqual(['Title seems unclear, is it a complete sentence?']);
    const first = await post({ title: TITLE, raw: `${BODY} <!-- co-agent:k1 -->`, category: help });
    expect(first.status).toBe(200);
    expect(first.data.raw).toContain('<!-- co-agent:k1 -->');
    expect(first.data.cooked).not.toContain('co-agent');
    expect((await post({ title: TITLE.toUpperCase().replace('HOW', 'How'), raw: `${BODY} again`, category: help })).data.errors).toEqual([
      'Title has already been used',
    ]);
    const pm = await post({ title: 'Hi', raw: 'Ten chars!', archetype: 'private_message', target_recipients: 'alice' });
    expect(pm.status).toBe(200);
    expect((await post({ title: 'Hi', raw: 'Short one', archetype: 'private_message', target_recipients: 'alice' })).data.errors).toEqual([
      'Body is too short (minimum is 10 characters)',
    ]);
    expect((await post({ topic_id: first.data.topic_id, raw: 'ok' })).status).toBe(422);
  });

  it('refuses topics in Uncategorized unless allow_uncategorized_topics is on', async () => {
    const { help } = await open();
    const bot = asBot();
    expect((await bot.post('/posts.json', { title: TITLE, raw: BODY })).data).toEqual({ errors: ["Category can't be blank"] });
    expect((await bot.post('/posts.json', { title: TITLE, raw: BODY, category: 1 })).status).toBe(422);
    expect((await bot.post('/posts.json', { title: TITLE, raw: BODY, category: help })).status).toBe(200);
    await forum.close();
    await open({ siteSettings: { allow_uncategorized_topics: true } }); // the admin turned it on
    expect((await asBot().post('/posts.json', { title: TITLE, raw: BODY })).status).toBe(200);
  });

  it('holds non-staff members to the unique-post, consecutive-reply, 5-seconds and per-day rules; staff are exempt', async () => {
    const { help } = await open({ timeScale: 0.01 }); // 5 s between posts: 50 ms
    const { topicId } = forum.createTopic('alice', { title: TITLE, raw: BODY, category: help });
    await forum.wait(5);
    forum.reply('alice', topicId, 'A first follow-up from me, alone.');
    expect(() => forum.reply('alice', topicId, 'And a quick second one straight after.')).toThrow(/wait/);
    await forum.wait(5);
    forum.reply('alice', topicId, 'And a second one after waiting.');
    await forum.wait(5);
    expect(() => forum.reply('alice', topicId, 'A fourth post in a row from alice.')).toThrow(/No more than 3 consecutive replies/);
    forum.reply('bob', topicId, 'Bob says something in between now.');
    await forum.wait(5);
    forum.reply('alice', topicId, 'Alice may post again after bob did.');
    await forum.wait(5);
    expect(() => forum.reply('alice', topicId, 'Alice may post again after bob did.')).toThrow(/too similar/);
    // Over HTTP a rate limit is a 429 with the wait; the bot (an admin) is never limited.
    forum.reply('bob', topicId, 'Bob answers alice right away now.');
    const asBob = client({ 'Api-Key': forum.user('bob')!.apiKey! });
    const limited = await asBob.post('/posts.json', { topic_id: topicId, raw: 'Bob again, far too quickly.' });
    expect(limited).toMatchObject({ status: 429, data: { error_type: 'rate_limit', extras: { wait_seconds: expect.any(Number) } } });
    for (let i = 0; i < 5; i++) expect((await asBot().post('/posts.json', { topic_id: topicId, raw: 'The same words from the bot, again.' })).status).toBe(200);
    // Trust level 0: at most 2 mentions and 2 links.
    expect(() => forum.reply('newbie', topicId, 'Hello @alice @bob @bot, what do you think?')).toThrow(/mention 2 users/);
    expect(() => forum.reply('newbie', topicId, 'See https://a.example https://b.example https://c.example')).toThrow(/2 links/);
  });

  it('counts 20 topics a day per member', async () => {
    const { help } = await open({ timeScale: 0.0001 }); // a day lasts 8.6 s, 5 s lasts 0.5 ms
    for (let i = 0; i < 20; i++) {
      forum.createTopic('bob', { title: `${TITLE} number ${i + 1}`, raw: `${BODY} (take ${i + 1})`, category: help });
      await forum.wait(5);
    }
    expect(() => forum.createTopic('bob', { title: `${TITLE} number 21`, raw: BODY, category: help })).toThrow(/too many times/);
  });

  it('refuses topic invitations to regular topics (topic_invite.not_pm) and invites to private messages', async () => {
    const { help } = await open();
    const { topicId } = forum.createTopic('alice', { title: TITLE, raw: BODY, category: help });
    const bot = asBot();
    expect(await bot.post(`/t/${topicId}/invite.json`, { user: 'bob' })).toMatchObject({
      status: 422,
      data: { errors: ['You can only invite users to private messages.'] },
    });
    expect(forum.invitations).toEqual([]);
    await forum.wait(5);
    const pm = forum.sendPrivateMessage('alice', ['bot'], 'Could you help me', 'A private question for the bot.');
    expect((await bot.post(`/t/${pm.topicId}/invite.json`, { user: 'bob' })).status).toBe(200);
    expect(forum.topic(pm.topicId)?.allowedUserIds).toContain(forum.user('bob')!.id);
  });

  it('nests subcategories in /categories.json and lists them flat with parent_category_id in /site.json', async () => {
    const { help } = await open();
    const sub = forum.createCategory('Engineering help', { parent: help, slug: 'engineering' });
    const bot = asBot();
    const top = (await bot.get('/categories.json')).data.category_list.categories;
    expect(top.map((c: Json) => c.slug)).toEqual(['uncategorized', 'help']);
    expect(top[1]).toMatchObject({ has_children: true, subcategory_ids: [sub] });
    expect(top[1].subcategory_list).toBeUndefined();
    const nested = (await bot.get('/categories.json?include_subcategories=true')).data.category_list.categories;
    expect(nested[1].subcategory_list.map((c: Json) => c.slug)).toEqual(['engineering']);
    const site = (await bot.get('/site.json')).data;
    expect(site.categories.find((c: Json) => c.id === sub)).toMatchObject({ slug: 'engineering', parent_category_id: help, permission: 1 });
  });

  it('leaves post_stream.stream out of mega topics', async () => {
    const { help } = await open({ megaTopicPosts: 30 }); // Discourse's threshold is 10,000; 30 keeps the test small
    const { topicId } = forum.createTopic('alice', { title: TITLE, raw: BODY, category: help, createdAt: new Date(Date.now() - 3_600_000) });
    for (let i = 2; i <= 30; i++)
      forum.reply(i % 2 ? 'alice' : 'bob', topicId, `Reply number ${i} in a long thread.`, { createdAt: new Date(Date.now() - 3_600_000 + i) });
    const view = (await asBot().get(`/t/${topicId}.json`)).data;
    expect(view.post_stream.stream).toBeUndefined();
    expect(view.post_stream.posts).toHaveLength(20);
    expect(view.posts_count).toBe(30);
  });

  it('keeps at most max_tags_per_topic tags, cuts names to 20 characters and drops unknown tags from members', async () => {
    const { help } = await open();
    forum.createTag('planning');
    const bot = asBot();
    expect((await bot.post('/posts.json', { title: TITLE, raw: BODY, category: help, tags: ['a', 'b', 'c', 'd', 'e', 'f'] })).data.errors).toEqual([
      'You can only apply up to 5 tags.',
    ]);
    const asAlice = client({ 'Api-Key': forum.user('alice')!.apiKey! });
    const byAlice = await asAlice.post('/posts.json', { title: TITLE, raw: BODY, category: help, tags: ['Planning', 'brand-new-tag'] });
    expect(byAlice.status).toBe(200);
    expect(forum.topic(byAlice.data.topic_id)?.tags).toEqual(['planning']); // unknown tag silently dropped
    const byBot = await bot.post('/posts.json', { title: `${TITLE} today`, raw: BODY, category: help, tags: ['Stakeholder Management'] });
    expect(forum.topic(byBot.data.topic_id)?.tags).toEqual(['stakeholder-manageme']);
    const put = await bot.put(`/t/-/${byAlice.data.topic_id}.json`, { tags: ['planning', 'stakeholder-management'] });
    expect(put.data.tags.map((t: Json) => t.name)).toEqual(['planning', 'stakeholder-manageme']);
  });

  it('lists PM recipients in details.allowed_users and delivers every PM by webhook, member to member too', async () => {
    await open();
    const receiver = await startReceiver();
    try {
      forum.addWebhook({ url: receiver.url, secret: 'a-secret-for-the-hook', events: ['post'] });
      const between = forum.sendPrivateMessage('alice', ['bob'], 'Coffee next week', 'Shall we compare notes on hiring?');
      await forum.settle();
      expect(receiver.got.map((r) => r.body.post.topic_id)).toEqual([between.topicId]);
      expect(receiver.got[0]?.body.post).toMatchObject({ topic_archetype: 'private_message', raw: 'Shall we compare notes on hiring?' });
      const view = (await asBot().get(`/t/${between.topicId}.json`)).data;
      expect(view.details.allowed_users.map((u: Json) => u.username).sort()).toEqual(['alice', 'bob']);
      expect(view.details.participants.map((u: Json) => u.username)).toEqual(['alice']); // posters only
    } finally {
      await receiver.close();
    }
  });

  it('pages /posts.json with id <= before, newest first, 50 a page, without private messages', async () => {
    const { help } = await open();
    const { topicId, postId } = forum.createTopic('alice', { title: TITLE, raw: BODY, category: help, createdAt: new Date(Date.now() - 60_000) });
    const ids = [postId];
    for (let i = 2; i <= 60; i++)
      ids.push(forum.reply(i % 2 ? 'alice' : 'bob', topicId, `Post number ${i} of the thread.`, { createdAt: new Date(Date.now() - 60_000 + i) }).postId);
    forum.sendPrivateMessage('alice', ['bob'], 'Between us', 'Not for the public list.');
    const bot = asBot();
    const first = (await bot.get('/posts.json')).data.latest_posts;
    expect(first.map((p: Json) => p.id)).toEqual(ids.slice(10).reverse());
    const second = (await bot.get('/posts.json', { params: { before: ids[10] } })).data.latest_posts;
    expect(second.map((p: Json) => p.id)).toEqual(ids.slice(0, 11).reverse()); // the `before` post itself again
  });

  it('sends X-Discourse-Event: ping, and retries only when retry_web_hook_events is on, after 1, 5, 25, 125 (scaled) minutes', async () => {
    await open({ timeScale: 0.0005 }); // a minute lasts 30 ms
    const failing = await startReceiver(500);
    try {
      const hook = forum.addWebhook({ url: failing.url, secret: 'a-secret-for-the-hook', events: ['topic'] });
      forum.pingWebhook(hook);
      await forum.settle();
      expect(failing.got[0]?.headers).toMatchObject({ 'x-discourse-event': 'ping', 'x-discourse-event-type': 'ping' });
      expect(forum.deliveries[0]).toMatchObject({ event: 'ping', attempts: 1, status: 500 }); // retries are off by default
    } finally {
      await failing.close();
    }
    await forum.close();
    await open({ timeScale: 0.0005, siteSettings: { retry_web_hook_events: true } });
    const flaky = await startReceiver(500);
    const gone = await startReceiver(200);
    await gone.close();
    try {
      forum.addWebhook({ url: flaky.url, secret: 'a-secret-for-the-hook', events: ['topic'] });
      forum.addWebhook({ url: gone.url, secret: 'a-secret-for-the-hook', events: ['topic'] });
      forum.createTopic('alice', { title: TITLE, raw: BODY, category: forum.createCategory('Other') });
      const until = Date.now() + 10_000;
      while (flaky.got.length < 5 && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      // Gaps between attempts, in scaled minutes: 1, 5, 25, 125 (timers only ever run late).
      const gaps = flaky.got.slice(1).map((r, i) => (r.at - flaky.got[i]!.at) / 30);
      expect(gaps).toHaveLength(4);
      [1, 5, 25, 125].forEach((minutes, i) => {
        expect(gaps[i]).toBeGreaterThanOrEqual(minutes * 0.95);
        expect(gaps[i]).toBeLessThan(minutes * 1.5 + 2);
      });
      expect(forum.deliveries.find((d) => d.url === gone.url)).toMatchObject({ status: 'error', attempts: 1 }); // connection errors are not retried
    } finally {
      await flaky.close();
    }
  });

  it('holds posts for approval when a rule says so, answering 200 {action: "enqueued"}', async () => {
    await open();
    const moderated = forum.createCategory('Moderated', { requireReplyApproval: true });
    const { topicId } = forum.createTopic('alice', { title: TITLE, raw: BODY, category: moderated });
    const asBob = client({ 'Api-Key': forum.user('bob')!.apiKey! });
    const held = await asBob.post('/posts.json', { topic_id: topicId, raw: 'A reply that waits for a moderator.' });
    expect(held).toMatchObject({
      status: 200,
      data: { action: 'enqueued', pending_post: { id: expect.any(Number), raw: 'A reply that waits for a moderator.' } },
    });
    expect(forum.posts(topicId)).toHaveLength(1);
    expect((await asBot().post('/posts.json', { topic_id: topicId, raw: 'Staff replies are never held.' })).data.post_number).toBe(2);
    const approved = forum.approvePending(held.data.pending_post.id as number);
    expect(forum.posts(topicId).map((p) => p.id)).toContain(approved.postId);
  });
});

interface Received {
  headers: IncomingHttpHeaders;
  body: Json;
  at: number;
}

/** A webhook receiver answering every delivery with `status`. */
async function startReceiver(status = 200): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json, at: performance.now() });
      res.writeHead(status, { Connection: 'close' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
