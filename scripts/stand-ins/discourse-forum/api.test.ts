// The fake forum's REST API over real HTTP (axios): each endpoint with a valid and an invalid
// request, the auth rules, paging, fault injection, and proof that the schema checks bite.
// Stock rules (stock-rules.test.ts covers them one by one), on a short time scale.
import axios, { type AxiosInstance } from 'axios';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RATE_LIMIT_BODY, startFakeForum, type FakeForum } from './index.js';
import { SpecValidator } from './schemas.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NOT_FOUND = { errors: ['The requested URL or resource could not be found.'], error_type: 'not_found' };

describe('fake Discourse forum: REST API', () => {
  let forum: FakeForum;
  let alice: { id: number; username: string; apiKey: string };
  let bob: { id: number; username: string; apiKey: string };
  let help: number;
  /** The bot: admin key acting as `bot` (an admin). */
  let bot: AxiosInstance;
  /** Alice's own user key. */
  let asAlice: AxiosInstance;
  let anon: AxiosInstance;

  const client = (headers: Record<string, string>): AxiosInstance => axios.create({ baseURL: forum.url, headers, validateStatus: () => true, proxy: false });

  beforeEach(async () => {
    forum = await startFakeForum({ title: 'Practice Commons', timeScale: 0.001 });
    alice = forum.createUser('alice', { name: 'Alice A.' });
    bob = forum.createUser('bob');
    forum.createUser('bot', { admin: true });
    help = forum.createCategory('Help', { description: 'Ask here' });
    forum.createTag('python');
    bot = client({ 'Api-Key': forum.adminApiKey, 'Api-Username': 'bot' });
    asAlice = client({ 'Api-Key': alice.apiKey, 'Api-Username': 'alice' });
    anon = client({});
  });

  afterEach(async () => {
    await forum.close();
    expect(forum.violations).toEqual([]);
  });

  describe('auth', () => {
    it('answers 403 invalid_access without a key, with an unknown key, or with a user key naming someone else', async () => {
      expect(await anon.get('/latest.json')).toMatchObject({ status: 403, data: { errors: [expect.any(String)], error_type: 'invalid_access' } });
      const unknown = await client({ 'Api-Key': 'nope', 'Api-Username': 'alice' }).get('/latest.json');
      expect(unknown).toMatchObject({ status: 403, data: { error_type: 'invalid_access' } });
      expect(unknown.data.errors[0]).toContain('The API username or key is invalid.');
      expect((await client({ 'Api-Key': alice.apiKey, 'Api-Username': 'bob' }).get('/latest.json')).status).toBe(403);
      expect((await client({ 'Api-Key': forum.adminApiKey, 'Api-Username': 'ghost' }).get('/latest.json')).status).toBe(403);
      expect((await client({ 'Api-Key': forum.adminApiKey }).get('/latest.json')).status).toBe(403);
    });

    it('lets an admin key act as any user and a user key as its own user (with or without Api-Username)', async () => {
      const asBob = client({ 'Api-Key': forum.adminApiKey, 'Api-Username': 'Bob' });
      const created = await asBob.post('/posts.json', { title: 'Posted by bob as himself', raw: 'Posted via the admin key.', category: help });
      expect(created).toMatchObject({ status: 200, data: { username: 'bob', yours: true } });
      const own = await client({ 'Api-Key': alice.apiKey }).post('/posts.json', { topic_id: created.data.topic_id, raw: 'Alice here, with her own key.' });
      expect(own).toMatchObject({ status: 200, data: { username: 'alice', post_number: 2 } });
      expect(forum.requests.at(-1)).toMatchObject({ method: 'POST', path: '/posts.json', status: 200, username: 'alice' });
    });

    it('serves /site/basic-info.json without a key, and 404s unknown routes', async () => {
      expect(await anon.get('/site/basic-info.json')).toMatchObject({ status: 200, data: { title: 'Practice Commons', login_required: true } });
      expect(await bot.get('/nothing/here.json')).toMatchObject({ status: 404, data: NOT_FOUND });
      expect(await bot.patch('/latest.json')).toMatchObject({ status: 404, data: NOT_FOUND });
    });
  });

  describe('site, categories, tags, users', () => {
    it('lists categories in /site.json, /categories.json and /c/{slug}/{id}.json', async () => {
      const { topicId } = forum.createTopic('alice', { title: 'A topic in a category', raw: 'This one lives in the help category.', category: help });
      const site = (await bot.get('/site.json')).data;
      expect(site.categories.map((c: Json) => c.slug)).toEqual(['uncategorized', 'help']);
      expect(site.uncategorized_category_id).toBe(1);
      const list = (await bot.get('/categories.json')).data.category_list.categories;
      expect(list.find((c: Json) => c.id === help)).toMatchObject({ name: 'Help', description: 'Ask here', topic_count: 1, post_count: 1 });
      expect((await bot.get(`/c/help/${help}.json`)).data.topic_list.topics.map((t: Json) => t.id)).toEqual([topicId]);
      expect(await bot.get('/c/help/999.json')).toMatchObject({ status: 404, data: NOT_FOUND });
    });

    it('counts tags in /tags.json, drops unknown tags from non-staff and creates them for staff', async () => {
      const byAlice = await asAlice.post('/posts.json', {
        title: 'Tagged by a member',
        raw: 'A member tries two tags here.',
        category: help,
        tags: ['python', 'brand-new'],
      });
      expect(forum.topic(byAlice.data.topic_id)?.tags).toEqual(['python']);
      await bot.post('/posts.json', { title: 'Tagged by the staff', raw: 'Staff may create new tags on use.', category: help, tags: ['python', 'Brand New'] });
      const tags = (await bot.get('/tags.json')).data.tags;
      expect(tags).toEqual(
        expect.arrayContaining([expect.objectContaining({ name: 'python', count: 2 }), expect.objectContaining({ name: 'brand-new', count: 1 })]),
      );
    });

    it('shows a profile with /u/{username}.json and lists users for admins only', async () => {
      forum.createTopic('alice', { title: 'Alice asks something', raw: 'Hello everyone, a question.', category: help });
      const profile = await bot.get('/u/alice.json');
      expect(profile.data.user).toMatchObject({
        id: alice.id,
        username: 'alice',
        name: 'Alice A.',
        post_count: 1,
        topic_count: 1,
        featured_topic: { title: 'Alice asks something' },
      });
      expect((await bot.get('/u/bob.json')).data.user.featured_topic).toBeNull();
      expect(await bot.get('/u/nobody.json')).toMatchObject({ status: 404, data: NOT_FOUND });
      const users = await bot.get('/admin/users/list/active.json');
      expect(users.data.map((u: Json) => u.username)).toEqual(['alice', 'bob', 'bot']);
      expect((await bot.get('/admin/users/list/staff.json')).data.map((u: Json) => u.username)).toEqual(['bot']);
      expect((await asAlice.get('/admin/users/list/active.json')).status).toBe(404);
    });
  });

  describe('topics and posts', () => {
    it('creates a topic, a reply and a private message with POST /posts.json', async () => {
      const topic = await asAlice.post('/posts.json', { title: 'Need help with pandas', raw: 'How do I pivot a frame?', category: help, tags: ['python'] });
      expect(topic).toMatchObject({
        status: 200,
        data: { post_number: 1, username: 'alice', raw: 'How do I pivot a frame?', cooked: '<p>How do I pivot a frame?</p>', reply_to_post_number: null },
      });
      const topicId = topic.data.topic_id as number;
      const reply = await bot.post('/posts.json', { topic_id: topicId, raw: 'Try @alice `df.pivot` first', reply_to_post_number: 1 });
      expect(reply.data).toMatchObject({ post_number: 2, reply_to_post_number: 1, topic_id: topicId });
      expect(reply.data.cooked).toBe('<p>Try <a class="mention" href="/u/alice">@alice</a> <code>df.pivot</code> first</p>');
      const pm = await bot.post('/posts.json', {
        title: 'A private word',
        raw: 'psst, a secret',
        target_recipients: 'alice,bob',
        archetype: 'private_message',
      });
      expect(pm.status).toBe(200);
      expect(forum.topic(pm.data.topic_id)).toMatchObject({ archetype: 'private_message', categoryId: null });
      expect(forum.topic(topicId)).toMatchObject({ categoryId: help, tags: ['python'] });
      // Invalid: no raw (400), no title for a new topic, unknown topic, unknown recipient.
      expect(await bot.post('/posts.json', { title: 'No body' })).toMatchObject({ status: 400, data: { error_type: 'invalid_parameters' } });
      expect(forum.violations).toEqual([expect.stringContaining("must have required property 'raw'")]);
      forum.violations.length = 0;
      expect(await bot.post('/posts.json', { raw: 'A post without any title.' })).toMatchObject({ status: 422, data: { errors: ["Title can't be blank"] } });
      expect(await bot.post('/posts.json', { topic_id: 999, raw: 'A reply to a lost topic.' })).toMatchObject({ status: 404, data: NOT_FOUND });
      expect(
        await bot.post('/posts.json', { title: 'To a ghost', raw: 'boo, who is there?', target_recipients: 'ghost', archetype: 'private_message' }),
      ).toMatchObject({ status: 422, data: { errors: ['The following usernames are invalid: ghost'] } });
    });

    it('accepts form-encoded bodies like Discourse (post[raw], tags[])', async () => {
      const form = { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } };
      const created = await bot.post('/posts.json', `title=A+topic+from+a+form&raw=Posted+from+a+plain+form&category=${help}&tags[]=python&tags[]=forms`, form);
      expect(created).toMatchObject({ status: 200, data: { raw: 'Posted from a plain form' } });
      expect(forum.topic(created.data.topic_id)?.tags).toEqual(['python', 'forms']);
      const edited = await bot.put(`/posts/${created.data.id}.json`, 'post[raw]=Edited+through+a+form+too&post[edit_reason]=why', form);
      expect(edited.data.post).toMatchObject({ raw: 'Edited through a form too', edit_reason: 'why' });
      expect((await bot.post('/posts.json', 'topic_id=abc&raw=x', form)).status).toBe(400);
    });

    it('rejects a 1 MB raw with 422 and the max-length message', async () => {
      const { topicId } = forum.createTopic('alice', { title: 'A topic for long posts', raw: 'A first post of normal length.', category: help });
      const raw = 'x'.repeat(1024 * 1024);
      const res = await bot.post('/posts.json', { topic_id: topicId, raw });
      expect(res).toMatchObject({ status: 422, data: { errors: [`Body is limited to 32000 characters; you entered ${raw.length}.`] } });
      expect(forum.posts(topicId)).toHaveLength(1);
    });

    it('cooks fenced code, quotes and mentions of unknown users', async () => {
      const raw = 'Look:\n\n```python\nprint("<hi>")\n```\n\n[quote="bob, post:1, topic:7"]\nearlier @bob\n[/quote]\n\nthanks @nobody\nbye';
      const { postId } = forum.createTopic('alice', { title: 'Cooking the markdown', raw, category: help });
      const cooked = (await bot.get(`/posts/${postId}.json`)).data.cooked as string;
      expect(cooked).toContain('<pre><code class="lang-python">print(&quot;&lt;hi&gt;&quot;)\n</code></pre>');
      expect(cooked).toMatch(
        /<aside class="quote no-group" data-username="bob" data-post="1" data-topic="7">[\s\S]*<blockquote>\n<p>earlier <a class="mention" href="\/u\/bob">@bob<\/a><\/p>\n<\/blockquote>\n<\/aside>/,
      );
      expect(cooked).toContain('<p>thanks <span class="mention">@nobody</span><br>\nbye</p>');
      // A mention in a quote does not notify; only real mentions outside quotes would.
      expect(forum.notifications('bob')).toEqual([]);
    });

    it('serves a topic with GET /t/{id}.json (stream ids, first 20 posts) and more with /t/{id}/posts.json', async () => {
      const past = Date.now() - 3_600_000; // dated history: imported, so no 5-second waits
      const { topicId, postId } = forum.createTopic('alice', {
        title: 'A busy thread here',
        raw: 'The first post of many.',
        category: help,
        tags: ['python'],
        createdAt: new Date(past),
      });
      const ids = [postId];
      for (let i = 2; i <= 25; i++)
        ids.push(
          forum.reply(i % 2 ? 'alice' : 'bob', topicId, `This is reply number ${i}`, { replyToPostNumber: i - 1, createdAt: new Date(past + i) }).postId,
        );
      const view = (await bot.get(`/t/${topicId}.json`)).data;
      expect(view.post_stream.stream).toEqual(ids);
      expect(view.post_stream.posts).toHaveLength(20);
      expect(view.post_stream.posts[1]).toMatchObject({
        post_number: 2,
        reply_to_post_number: 1,
        username: 'bob',
        user_id: bob.id,
        cooked: '<p>This is reply number 2</p>',
      });
      expect(view.post_stream.posts[1].raw).toBeUndefined();
      expect(view).toMatchObject({ id: topicId, title: 'A busy thread here', posts_count: 25, category_id: help, tags: [{ name: 'python', slug: 'python' }] });
      expect(view.details.created_by.username).toBe('alice');
      expect((await bot.get(`/t/${topicId}.json?include_raw=true`)).data.post_stream.posts[1].raw).toBe('This is reply number 2');
      expect((await bot.get(`/t/a-busy-thread-here/${topicId}.json`)).data.id).toBe(topicId);
      const rest = await bot.get(`/t/${topicId}/posts.json`, { params: { 'post_ids[]': ids.slice(20) }, paramsSerializer: { indexes: null } });
      expect(rest.data.post_stream.posts.map((p: Json) => p.id)).toEqual(ids.slice(20));
      const raw = await bot.get(`/t/${topicId}/posts.json`, {
        params: { 'post_ids[]': ids.slice(20, 21), include_raw: true },
        paramsSerializer: { indexes: null },
      });
      expect(raw.data.post_stream.posts[0].raw).toBe('This is reply number 21');
      expect(await bot.get('/t/999.json')).toMatchObject({ status: 404, data: NOT_FOUND });
      expect(await bot.get('/t/999/posts.json')).toMatchObject({ status: 404, data: NOT_FOUND });
      expect((await bot.get(`/t/${topicId}/posts.json?post_ids[]=abc`)).status).toBe(400);
    });

    it('hides private messages from non-participants', async () => {
      const { topicId, postId } = forum.sendPrivateMessage('alice', ['bot'], 'Just us', 'hello bot, it is me');
      expect(await client({ 'Api-Key': bob.apiKey }).get(`/t/${topicId}.json`)).toMatchObject({ status: 403, data: { error_type: 'invalid_access' } });
      expect((await client({ 'Api-Key': bob.apiKey }).get(`/posts/${postId}.json`)).status).toBe(403);
      expect((await asAlice.get(`/t/${topicId}.json`)).data.archetype).toBe('private_message');
      expect((await bot.get('/latest.json')).data.topic_list.topics).toEqual([]);
    });

    it('returns the post with raw from GET /posts/{id}.json, likes in actions_summary and discourse-solved fields', async () => {
      const { topicId, postId } = forum.createTopic('alice', { title: 'Solve this one please', raw: 'The question that needs solving.', category: help });
      const answer = forum.reply('bob', topicId, 'The answer that solves it.').postId;
      forum.like('alice', answer);
      forum.acceptAnswer('alice', answer);
      const post = (await bot.get(`/posts/${answer}.json`)).data;
      expect(post).toMatchObject({ raw: 'The answer that solves it.', accepted_answer: true, topic_accepted_answer: true });
      const view = (await bot.get(`/t/${topicId}.json`)).data;
      expect(view.accepted_answer).toMatchObject({ post_number: 2, username: 'bob' });
      expect(view.post_stream.posts[1].accepted_answer).toBe(true);
      expect(post.actions_summary).toEqual([{ id: 2, count: 1, can_act: true }]);
      expect((await bot.get(`/posts/${postId}.json`)).data.accepted_answer).toBeUndefined();
      expect((await bot.get('/latest.json')).data.topic_list.topics[0]).toMatchObject({ id: topicId, has_accepted_answer: true, like_count: 1 });
      expect(await bot.get('/posts/999.json')).toMatchObject({ status: 404, data: NOT_FOUND });
      expect(await bot.get('/posts/abc.json')).toMatchObject({ status: 404, data: NOT_FOUND });
    });

    it('edits with PUT /posts/{id}.json (own posts, or staff) and deletes with DELETE', async () => {
      const { topicId } = forum.createTopic('alice', { title: 'Edit this topic later', raw: 'Version one of the first post.', category: help });
      await forum.wait(5);
      const reply = forum.reply('alice', topicId, 'A reply with a tpyo in it.');
      const edited = await asAlice.put(`/posts/${reply.postId}.json`, { post: { raw: 'A reply with the typo fixed.', edit_reason: 'typo' } });
      expect(edited).toMatchObject({
        status: 200,
        data: { post: { raw: 'A reply with the typo fixed.', cooked: '<p>A reply with the typo fixed.</p>', version: 2, edit_reason: 'typo' } },
      });
      expect(await client({ 'Api-Key': bob.apiKey }).put(`/posts/${reply.postId}.json`, { post: { raw: 'A vandal changes it all.' } })).toMatchObject({
        status: 403,
      });
      expect(await asAlice.put(`/posts/${reply.postId}.json`, { raw: 'A flat body is not accepted.' })).toMatchObject({ status: 400 });
      expect(forum.violations).toEqual([expect.stringContaining('additionalProperty')]);
      forum.violations.length = 0;
      expect((await client({ 'Api-Key': bob.apiKey }).delete(`/posts/${reply.postId}.json`)).status).toBe(403);
      const deleted = await asAlice.delete(`/posts/${reply.postId}.json`);
      expect(deleted).toMatchObject({ status: 200, data: '' });
      expect(forum.posts(topicId).find((p) => p.id === reply.postId)?.deletedAt).toBeInstanceOf(Date);
      expect((await asAlice.get(`/posts/${reply.postId}.json`)).status).toBe(404);
      expect((await bot.get(`/posts/${reply.postId}.json`)).data.deleted_at).toEqual(expect.any(String)); // staff still see it
      expect((await asAlice.get(`/t/${topicId}.json`)).data.post_stream.stream).toHaveLength(1);
      expect((await bot.delete('/posts/999.json')).status).toBe(404);
    });

    it('updates title, category and tags with PUT /t/-/{id}.json', async () => {
      const other = forum.createCategory('Other');
      const { topicId } = forum.createTopic('alice', { title: 'The old title of this', raw: 'A body that stays the same.', category: other });
      const res = await bot.put(`/t/-/${topicId}.json`, { topic: { title: 'The new title of this', category_id: help, tags: ['python', 'pandas'] } });
      expect(res).toMatchObject({
        status: 200,
        data: { basic_topic: { id: topicId, title: 'The new title of this', slug: 'the-new-title-of-this', posts_count: 1 } },
      });
      expect(forum.topic(topicId)).toMatchObject({ categoryId: help, tags: ['python', 'pandas'] });
      expect(await bot.put(`/t/-/${topicId}.json`, { topic: { category_id: 999 } })).toMatchObject({ status: 422, data: { errors: ['Category is invalid'] } });
      expect((await client({ 'Api-Key': bob.apiKey }).put(`/t/-/${topicId}.json`, { topic: { title: 'Hijacked by bob now' } })).status).toBe(403);
      expect((await bot.put('/t/-/999.json', { topic: { title: 'A title for nothing' } })).status).toBe(404);
    });

    it('invites to a private message with POST /t/{id}/invite.json and notifies the invitee', async () => {
      const { topicId } = forum.sendPrivateMessage('alice', ['bot'], 'Who knows pandas?', 'Anyone who knows pandas?');
      const res = await bot.post(`/t/${topicId}/invite.json`, { user: 'bob' });
      expect(res).toMatchObject({ status: 200, data: { user: { id: bob.id, username: 'bob' } } });
      expect(forum.invitations).toEqual([{ topicId, username: 'bob', by: 'bot' }]);
      const notes = (await client({ 'Api-Key': bob.apiKey }).get('/notifications.json')).data.notifications;
      expect(notes[0]).toMatchObject({ notification_type: 7, topic_id: topicId, data: { topic_title: 'Who knows pandas?', original_username: 'bot' } });
      expect(await bot.post(`/t/${topicId}/invite.json`, { user: 'ghost' })).toMatchObject({ status: 422 });
      expect((await bot.post('/t/999/invite.json', { user: 'bob' })).status).toBe(404);
    });

    it('likes with POST /post_actions.json, once, and not your own post', async () => {
      const { postId } = forum.createTopic('alice', { title: 'Like this post please', raw: 'Please like this post, all.', category: help });
      const liked = await bot.post('/post_actions.json', { id: postId, post_action_type_id: 2 });
      expect(liked.status).toBe(200);
      expect(liked.data.actions_summary[0]).toMatchObject({ id: 2, count: 1, acted: true });
      expect((await bot.post('/post_actions.json', { id: postId, post_action_type_id: 2 })).status).toBe(403);
      expect((await asAlice.post('/post_actions.json', { id: postId, post_action_type_id: 2 })).status).toBe(403);
      expect((await bot.post('/post_actions.json', { id: 999, post_action_type_id: 2 })).status).toBe(404);
      expect(forum.notifications('alice').map((n) => n.type)).toEqual([5]);
    });

    it("lists private messages per user; other users' lists need an admin key", async () => {
      const sent = forum.sendPrivateMessage('alice', ['bob'], 'Hi Bob', 'hello bob, how are you');
      const received = forum.sendPrivateMessage('bob', ['alice', 'bot'], 'Re: group', 'all of us, together');
      const inbox = (await asAlice.get('/topics/private-messages/alice.json')).data;
      expect(inbox.topic_list.topics.map((t: Json) => t.id)).toEqual([received.topicId, sent.topicId]);
      expect(inbox.topic_list.topics[0]).toMatchObject({ title: 'Re: group', archetype: 'private_message', allowed_user_count: 3 });
      expect(inbox.topic_list.topics[0].participants.map((p: Json) => p.user_id).sort()).toEqual([alice.id, bob.id, forum.user('bot')?.id].sort());
      expect(inbox.users.map((u: Json) => u.username).sort()).toEqual(['alice', 'bob', 'bot']);
      const outbox = (await bot.get('/topics/private-messages-sent/alice.json')).data;
      expect(outbox.topic_list.topics.map((t: Json) => t.id)).toEqual([sent.topicId]);
      expect((await asAlice.get('/topics/private-messages/bob.json')).status).toBe(403);
      expect((await asAlice.get('/topics/private-messages-sent/bob.json')).status).toBe(403);
      expect((await bot.get('/topics/private-messages/ghost.json')).status).toBe(404);
    });
  });

  describe('paging', () => {
    it('pages /posts.json newest first with ?before=<post id>', async () => {
      const past = Date.now() - 3_600_000;
      const { topicId, postId } = forum.createTopic('alice', {
        title: 'A topic with many posts',
        raw: 'Post number p1 of many.',
        category: help,
        createdAt: new Date(past),
      });
      const ids = [postId];
      for (let i = 2; i <= 60; i++)
        ids.push(forum.reply(i % 2 ? 'alice' : 'bob', topicId, `Post number p${i} of many.`, { createdAt: new Date(past + i) }).postId);
      forum.sendPrivateMessage('alice', ['bob'], 'Secret', 'not public, just us');
      const first = (await bot.get('/posts.json')).data.latest_posts;
      expect(first).toHaveLength(50);
      expect(first[0]).toMatchObject({ id: ids[59], raw: 'Post number p60 of many.', topic_title: 'A topic with many posts' });
      const last = first.at(-1).id as number;
      // id <= before: the page starts with the `before` post itself.
      const second = (await bot.get('/posts.json', { params: { before: last } })).data.latest_posts;
      expect(second.map((p: Json) => p.id)).toEqual(ids.slice(0, 11).reverse());
      expect((await bot.get('/posts.json', { params: { before: ids[0] } })).data.latest_posts.map((p: Json) => p.id)).toEqual([ids[0]]);
    });

    it('pages /latest.json by bump date with ?page=N', async () => {
      const t0 = Date.parse('2025-01-01T00:00:00Z');
      const ids: number[] = [];
      for (let i = 0; i < 35; i++)
        ids.push(
          forum.createTopic('alice', {
            title: `A numbered topic: ${i}`,
            raw: `The body of topic number ${i}.`,
            category: help,
            createdAt: new Date(t0 + i * 60_000),
          }).topicId,
        );
      forum.reply('bob', ids[0] as number, 'Bumping this topic up now!', { createdAt: new Date(t0 + 3_600_000) });
      const page0 = (await bot.get('/latest.json')).data.topic_list;
      expect(page0.topics).toHaveLength(30);
      expect(page0.topics[0].id).toBe(ids[0]);
      expect(page0.topics[1].id).toBe(ids[34]);
      expect(page0.more_topics_url).toBe('/latest?page=1');
      const page1 = (await bot.get('/latest.json?page=1')).data.topic_list;
      expect(page1.topics.map((t: Json) => t.id)).toEqual(ids.slice(1, 6).reverse());
      expect(page1.more_topics_url).toBeUndefined();
      expect((await bot.get('/latest.json?page=9')).data.topic_list.topics).toEqual([]);
    });
  });

  describe('faults', () => {
    it('answers the next matching request with a 429 and Retry-After, then recovers', async () => {
      forum.failNext({ method: 'POST', path: /^\/posts\.json$/ }, { status: 429 });
      const { topicId } = forum.createTopic('alice', { title: 'A rate limited topic', raw: 'The bot will be told to wait.', category: help });
      const limited = await bot.post('/posts.json', { topic_id: topicId, raw: 'Hello there, everyone.' });
      expect(limited.status).toBe(429);
      expect(limited.headers['retry-after']).toBe('3');
      expect(limited.data).toEqual(RATE_LIMIT_BODY);
      expect(forum.posts(topicId)).toHaveLength(1);
      expect((await bot.post('/posts.json', { topic_id: topicId, raw: 'Hello there, everyone.' })).status).toBe(200);
      expect(forum.requests.map((r) => r.status)).toEqual([429, 200]);
    });

    it('injects 500s, garbage and delays, `times` over', async () => {
      forum.failNext({ path: /^\/latest\.json$/ }, { status: 500 }, 2);
      expect((await bot.get('/latest.json')).status).toBe(500);
      expect((await bot.get('/latest.json')).status).toBe(500);
      expect((await bot.get('/latest.json')).status).toBe(200);
      forum.failNext({ path: /^\/site\.json$/ }, { status: 502, raw: '<html>Bad Gateway</html>' });
      const garbage = await bot.get('/site.json', { responseType: 'text' });
      expect(garbage).toMatchObject({ status: 502, data: '<html>Bad Gateway</html>' });
      forum.failNext({ path: /^\/tags\.json$/ }, { delayMs: 400 });
      await expect(bot.get('/tags.json', { timeout: 100 })).rejects.toThrow(/timeout/);
      const slow = Date.now();
      forum.failNext({ path: /^\/tags\.json$/ }, { delayMs: 150 });
      expect((await bot.get('/tags.json')).status).toBe(200);
      expect(Date.now() - slow).toBeGreaterThanOrEqual(140);
    });

    it('carries out a stalled request without answering it', async () => {
      const { topicId } = forum.createTopic('alice', { title: 'A stalled request', raw: 'The answer to this never comes.', category: help });
      const stalled = forum.stallNext({ method: 'POST', path: /^\/posts\.json$/ });
      const controller = new AbortController();
      const request = bot.post('/posts.json', { topic_id: topicId, raw: 'Did this one land at all?' }, { signal: controller.signal });
      await stalled;
      expect(forum.posts(topicId).map((p) => p.raw)).toEqual(['The answer to this never comes.', 'Did this one land at all?']);
      controller.abort();
      await expect(request).rejects.toThrow(/cancel/i);
    });
  });

  describe('schema validation', () => {
    it('records nothing during normal use of every endpoint', async () => {
      const { topicId, postId } = forum.createTopic('alice', { title: 'All the endpoints', raw: '@bob look at this one', category: help, tags: ['python'] });
      const answer = forum.reply('bob', topicId, 'An answer from bob here.', { replyToPostNumber: 1 }).postId;
      forum.acceptAnswer('alice', answer);
      forum.like('bob', postId);
      await forum.wait(5);
      forum.sendPrivateMessage('alice', ['bob'], 'PM', 'hi bob, a private note');
      for (const path of [
        '/site/basic-info.json',
        '/site.json',
        '/categories.json',
        `/c/help/${help}.json`,
        '/tags.json',
        '/latest.json',
        `/t/${topicId}.json`,
        `/t/${topicId}.json?include_raw=true`,
        `/t/${topicId}/posts.json`,
        '/posts.json',
        '/categories.json?include_subcategories=true',
        `/posts/${answer}.json`,
        '/u/alice.json',
        '/u/bot.json',
        '/admin/users/list/active.json',
        '/topics/private-messages/alice.json',
        '/topics/private-messages-sent/alice.json',
        '/notifications.json',
      ]) {
        expect((await bot.get(path)).status, path).toBe(200);
      }
      expect((await client({ 'Api-Key': bob.apiKey }).get('/notifications.json')).data.notifications.length).toBeGreaterThan(0);
      expect(forum.violations).toEqual([]);
    });

    it('catches a broken response and a broken request body', () => {
      const validator = new SpecValidator();
      const good = { basic_topic: { id: 1, title: 't', fancy_title: 't', slug: 't', posts_count: 1 } };
      expect(validator.validateResponse('PUT', '/t/-/{id}.json', 200, good)).toEqual([]);
      expect(validator.validateResponse('PUT', '/t/-/{id}.json', 200, { basic_topic: { id: 'one' } })).toEqual([
        expect.stringContaining('/basic_topic/id must be integer'),
      ]);
      expect(validator.validateResponse('GET', '/posts/{id}.json', 200, { id: 1 })).toEqual(
        expect.arrayContaining([expect.stringContaining("must have required property 'username'")]),
      );
      expect(validator.validateResponse('GET', '/latest.json', 404, { error: 'not found' })).not.toEqual([]);
      expect(validator.validateRequest('POST', '/post_actions.json', { id: 1 })).toEqual([expect.stringContaining("required property 'post_action_type_id'")]);
      expect(validator.validateWebhook('post', 'post_created', { post: { id: 1, can_edit: true } })).not.toEqual([]);
    });

    it('records a violation (and keeps the response) when the fake serves something off-spec', async () => {
      const { topicId } = forum.createTopic('alice', { title: 'A broken title soon', raw: 'The model will be corrupted.', category: help });
      // Corrupt the model behind the serializer: a title must be a string.
      (forum.topic(topicId) as unknown as { title: unknown }).title = 42;
      const res = await bot.put(`/t/-/${topicId}.json`, { topic: { category_id: help } });
      expect(res.status).toBe(200);
      expect(res.data.basic_topic.title).toBe(42);
      expect(forum.violations).toEqual(expect.arrayContaining([expect.stringContaining('PUT /t/-/{id}.json -> 200: /basic_topic/title must be string')]));
      forum.violations.length = 0;
    });
  });
});
