import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiscourseClient, isPosted, type DiscourseClientOptions, type PostedResult, type WriteResult } from './client.js';
import { hasMarker } from './marker.js';
import { StubForum } from './stub-forum.test-helper.js';

let stub: StubForum;
let baseUrl: string;

function client(options: Partial<DiscourseClientOptions> = {}): DiscourseClient {
  return new DiscourseClient({
    baseUrl,
    apiKey: 'test-key-idempotency',
    apiUsername: 'concierge',
    // Short enough that a "hang" fault turns into a timeout quickly; the stub answers at once otherwise.
    timeoutMs: 150,
    sleep: async () => {},
    random: () => 0.5,
    ...options,
  });
}

/** Posts in the stub carrying the marker of `key`: must be exactly one after any retry story. */
const marked = (key: string) => stub.posts.filter((p) => hasMarker(p.raw, key));
const posts = () => stub.requestsTo('POST', '/posts.json').length;

/** The write's post (a held post would fail the test). */
function posted(result: WriteResult): PostedResult {
  if (!isPosted(result)) throw new Error('the post was held for approval');
  return result;
}

beforeEach(async () => {
  stub = new StubForum();
  baseUrl = await stub.start();
});
afterEach(() => stub.close());

describe('replies (createPost)', () => {
  it('timeout after the post was created: the retry finds it instead of posting again', async () => {
    const topic = stub.addTopic({ username: 'alice' });
    stub.failNext('POST', '/posts.json', { hang: true }, { afterEffect: true });
    const result = await client().createPost({ topicId: topic.id, raw: 'Here is a pointer', idempotencyKey: 'ev1:reply' });
    expect(posted(result).created).toBe(false);
    expect(marked('ev1:reply')).toHaveLength(1);
    expect(posted(result).post.id).toBe(marked('ev1:reply')[0]?.id);
    expect(posts()).toBe(1);
  });

  it('finds it past the first chunk of a long topic via /t/{id}/posts.json', async () => {
    const topic = stub.addTopic({ username: 'alice' });
    for (let i = 0; i < 24; i++) stub.addPost(topic.id, i % 2 ? 'bob' : 'concierge', `post ${i}`);
    stub.failNext('POST', '/posts.json', { status: 502 }, { afterEffect: true });
    const result = await client().createPost({ topicId: topic.id, raw: 'Answer', idempotencyKey: 'ev2' });
    expect(result).toMatchObject({ created: false, post: { username: 'concierge', topic_id: topic.id } });
    expect(posted(result).post.post_number).toBe(26);
    expect(posts()).toBe(1);
    expect(stub.requestsTo('GET', `/t/${topic.id}/posts.json`)).toHaveLength(1);
    expect(marked('ev2')).toHaveLength(1);
  });

  it("a marker in someone else's post is not taken for ours", async () => {
    const topic = stub.addTopic({ username: 'alice' });
    stub.addPost(topic.id, 'mallory', 'copy: <!-- co-agent:ev2b -->');
    stub.failNext('POST', '/posts.json', { status: 502 });
    const result = await client().createPost({ topicId: topic.id, raw: 'Answer', idempotencyKey: 'ev2b' });
    expect(result).toMatchObject({ created: true, post: { username: 'concierge' } });
    expect(marked('ev2b').map((p) => p.username)).toEqual(['mallory', 'concierge']);
  });

  it('a 5xx before anything was created: looks, finds nothing, posts once', async () => {
    const topic = stub.addTopic({ username: 'alice' });
    stub.failNext('POST', '/posts.json', { status: 503 });
    const result = await client().createPost({ topicId: topic.id, raw: 'Answer', idempotencyKey: 'ev3' });
    expect(posted(result).created).toBe(true);
    expect(posts()).toBe(2);
    expect(stub.requestsTo('GET', `/t/${topic.id}.json`)).toHaveLength(1);
    expect(marked('ev3')).toHaveLength(1);
  });

  it('a 429 is not ambiguous: retried without a lookup', async () => {
    const topic = stub.addTopic({ username: 'alice' });
    stub.failNext('POST', '/posts.json', { status: 429, headers: { 'Retry-After': '0' } });
    await client().createPost({ topicId: topic.id, raw: 'Answer', idempotencyKey: 'ev4' });
    expect(stub.requestsTo('GET', `/t/${topic.id}.json`)).toHaveLength(0);
    expect(marked('ev4')).toHaveLength(1);
  });

  it('a failing lookup is retried before any re-send, still no double post', async () => {
    const topic = stub.addTopic({ username: 'alice' });
    stub.failNext('POST', '/posts.json', { hang: true }, { afterEffect: true });
    stub.failNext('GET', `/t/${topic.id}.json`, { status: 503 });
    const result = await client().createPost({ topicId: topic.id, raw: 'Answer', idempotencyKey: 'ev5' });
    expect(posted(result).created).toBe(false);
    expect(posts()).toBe(1);
    expect(marked('ev5')).toHaveLength(1);
  });

  it('mayExist: true returns an existing post without posting', async () => {
    const topic = stub.addTopic({ username: 'alice' });
    const earlier = stub.addPost(topic.id, 'concierge', 'From the crashed run\n\n<!-- co-agent:ev6 -->');
    const result = await client().createPost({ topicId: topic.id, raw: 'From the crashed run', idempotencyKey: 'ev6', mayExist: true });
    expect(result).toMatchObject({ created: false, post: { id: earlier.id } });
    expect(posts()).toBe(0);
  });

  it('mayExist: true with nothing there looks once, then posts once', async () => {
    const topic = stub.addTopic({ username: 'alice' });
    const result = await client().createPost({ topicId: topic.id, raw: 'New', idempotencyKey: 'ev7', mayExist: true });
    expect(posted(result).created).toBe(true);
    expect(stub.requestsTo('GET', `/t/${topic.id}.json`)).toHaveLength(1);
    expect(posts()).toBe(1);
  });

  it("actAs: the lookup searches the acting user's posts", async () => {
    const topic = stub.addTopic({ username: 'alice' });
    stub.failNext('POST', '/posts.json', { hang: true }, { afterEffect: true });
    const result = await client().actAs('helper').createPost({ topicId: topic.id, raw: 'As helper', idempotencyKey: 'ev8' });
    expect(result).toMatchObject({ created: false, post: { username: 'helper' } });
    expect(posts()).toBe(1);
  });
});

describe('new topics (createTopic)', () => {
  it('5xx after the topic was created: found through GET /posts.json, not created twice', async () => {
    stub.addTopic({ username: 'alice' });
    stub.failNext('POST', '/posts.json', { status: 500 }, { afterEffect: true });
    const result = await client().createTopic({ title: 'Help with X', raw: 'Details', category: 3, tags: ['x'], idempotencyKey: 'topic-1' });
    expect(result).toMatchObject({ created: false, post: { post_number: 1, username: 'concierge' } });
    expect(stub.topics.filter((t) => t.title === 'Help with X')).toHaveLength(1);
    expect(posts()).toBe(1);
    expect(stub.requestsTo('GET', '/posts.json').length).toBeGreaterThan(0);
  });

  it('mayExist: finds the topic a page back', async () => {
    const earlier = stub.addTopic({ username: 'concierge', title: 'Old', raw: 'Hi\n\n<!-- co-agent:topic-2 -->' });
    const other = stub.addTopic({ username: 'bob' });
    for (let i = 0; i < 60; i++) stub.addPost(other.id, 'bob', `chatter ${i}`);
    const result = await client().createTopic({ title: 'Old', raw: 'Hi', category: 1, idempotencyKey: 'topic-2', mayExist: true });
    expect(result).toMatchObject({ created: false, post: { topic_id: earlier.id } });
    expect(stub.requestsTo('GET', '/posts.json').map((r) => r.query.get('before'))).toEqual([null, expect.any(String)]);
    expect(posts()).toBe(0);
  });
});

describe('private messages (sendPrivateMessage)', () => {
  it('malformed 200 after the message was sent: found in the sent list, not sent twice', async () => {
    stub.failNext('POST', '/posts.json', { malformed: '<html>' }, { afterEffect: true });
    const result = await client().sendPrivateMessage({ title: 'Can you help?', raw: 'A member asked...', recipients: ['alice'], idempotencyKey: 'dm-1' });
    expect(result).toMatchObject({ created: false, post: { post_number: 1, username: 'concierge' } });
    expect(stub.topics.filter((t) => t.archetype === 'private_message')).toHaveLength(1);
    expect(stub.requestsTo('GET', '/topics/private-messages-sent/concierge.json')).toHaveLength(1);
    expect(posts()).toBe(1);
  });

  it('timeout before anything was sent: sends once', async () => {
    stub.failNext('POST', '/posts.json', { hang: true });
    const result = await client().sendPrivateMessage({ title: 'Hi', raw: 'Hello', recipients: ['alice'], idempotencyKey: 'dm-2' });
    expect(posted(result).created).toBe(true);
    expect(marked('dm-2')).toHaveLength(1);
  });
});
