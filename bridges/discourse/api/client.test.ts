import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logging.js';
import { DiscourseClient, isPosted, type DiscourseClientOptions, type PostedResult, type WriteResult } from './client.js';
import { DiscourseApiError, describeDiscourseError } from './errors.js';
import { requestBodyErrors } from './spec-check.test-helper.js';
import { StubForum } from './stub-forum.test-helper.js';

const KEY = 'test-key-5f0c2a9e7d3b41c8a6e2f9d0b7c4a1e3';

let stub: StubForum;
let baseUrl: string;
let sleeps: number[];

function client(options: Partial<DiscourseClientOptions> = {}): DiscourseClient {
  return new DiscourseClient({
    baseUrl,
    apiKey: KEY,
    apiUsername: 'concierge',
    timeoutMs: 2000,
    // No real waiting: record what the client would have waited; fixed jitter.
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<DiscourseApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DiscourseApiError);
  return error as DiscourseApiError;
}

/** The write's post (a held post would fail the test). */
function posted(result: WriteResult): PostedResult {
  if (!isPosted(result)) throw new Error('the post was held for approval');
  return result;
}

beforeEach(async () => {
  stub = new StubForum();
  baseUrl = await stub.start();
  sleeps = [];
});
afterEach(() => stub.close());

describe('requests', () => {
  it('sends Api-Key, Api-Username and JSON headers', async () => {
    const topic = stub.addTopic({ username: 'alice' });
    await client().topic(topic.id);
    await client().createPost({ topicId: topic.id, raw: 'Hi', idempotencyKey: 'k1' });
    const [get, post] = stub.requests;
    expect(get?.headers['api-key']).toBe(KEY);
    expect(get?.headers['api-username']).toBe('concierge');
    expect(get?.headers['accept']).toBe('application/json');
    expect(get?.headers['content-type']).toBeUndefined();
    expect(post?.headers['content-type']).toBe('application/json');
    expect(post?.headers['api-key']).toBe(KEY);
  });

  it('actAs overrides Api-Username for that client only', async () => {
    const admin = client();
    await admin.actAs('alice').likePost(123);
    await admin.likePost(124);
    expect(stub.requests.map((r) => r.headers['api-username'])).toEqual(['alice', 'concierge']);
    expect(admin.actAs('alice').username).toBe('alice');
  });

  it('createPost sends the spec body: topic_id, reply_to_post_number, raw with the marker', async () => {
    const topic = stub.addTopic({ username: 'alice' });
    const result = await client().createPost({ topicId: topic.id, raw: 'Try **this**', replyToPostNumber: 1, idempotencyKey: 'reply-1' });
    const [request] = stub.requestsTo('POST', '/posts.json');
    expect(requestBodyErrors('POST', '/posts.json', request?.body)).toEqual([]);
    expect(request?.body).toEqual({ topic_id: topic.id, reply_to_post_number: 1, raw: 'Try **this**\n\n<!-- co-agent:reply-1 -->' });
    expect(posted(result).created).toBe(true);
    expect(posted(result).post).toMatchObject({ topic_id: topic.id, post_number: 2, username: 'concierge' });
  });

  it('createTopic sends title, category and tags', async () => {
    await client().createTopic({ title: 'How do I X?', raw: 'Body', category: 5, tags: ['howto'], idempotencyKey: 't1' });
    const [request] = stub.requestsTo('POST', '/posts.json');
    const { tags, ...specPart } = request?.body as Record<string, unknown>;
    // `tags` is the one field Discourse takes that the spec body omits (see types.ts).
    expect(tags).toEqual(['howto']);
    expect(requestBodyErrors('POST', '/posts.json', specPart)).toEqual([]);
    expect(specPart).toEqual({ title: 'How do I X?', raw: 'Body\n\n<!-- co-agent:t1 -->', category: 5 });
  });

  it('sendPrivateMessage sends archetype and comma-separated target_recipients', async () => {
    await client().sendPrivateMessage({ title: 'Hello', raw: 'Private', recipients: ['alice', 'bob'], idempotencyKey: 'pm1' });
    const [request] = stub.requestsTo('POST', '/posts.json');
    expect(requestBodyErrors('POST', '/posts.json', request?.body)).toEqual([]);
    expect(request?.body).toEqual({ title: 'Hello', raw: 'Private\n\n<!-- co-agent:pm1 -->', archetype: 'private_message', target_recipients: 'alice,bob' });
    await expect(client().sendPrivateMessage({ title: 'x', raw: 'y', recipients: [], idempotencyKey: 'pm2' })).rejects.toThrow(TypeError);
    await expect(client().sendPrivateMessage({ title: 'x', raw: 'y', recipients: ['a,b'], idempotencyKey: 'pm3' })).rejects.toThrow(TypeError);
  });

  it('invite, tags and like send the spec bodies to the spec paths', async () => {
    const c = client();
    await c.inviteToTopic(12, 'carol');
    await c.updateTopicTags(12, ['a', 'b']);
    await c.likePost(301);
    const [invite, tags, like] = stub.requests;
    expect([invite?.method, invite?.path, invite?.body]).toEqual(['POST', '/t/12/invite.json', { user: 'carol' }]);
    expect(requestBodyErrors('POST', '/t/{id}/invite.json', invite?.body)).toEqual([]);
    expect([tags?.method, tags?.path, tags?.body]).toEqual(['PUT', '/t/-/12.json', { tags: ['a', 'b'] }]);
    expect(requestBodyErrors('PUT', '/t/-/{id}.json', tags?.body)).toEqual([]);
    expect([like?.method, like?.path, like?.body]).toEqual(['POST', '/post_actions.json', { id: 301, post_action_type_id: 2 }]);
    expect(requestBodyErrors('POST', '/post_actions.json', like?.body)).toEqual([]);
  });

  it('asks for include_raw, and for post_ids 20 at a time', async () => {
    const c = client();
    const topic = stub.addTopic({ username: 'alice' });
    await c.topic(topic.id, { includeRaw: true });
    const ids = Array.from({ length: 45 }, (_, i) => 1000 + i);
    await c.topicPosts(topic.id, ids, { includeRaw: true });
    const seen = stub.requests.map((r) => [r.path, r.query.get('include_raw'), r.query.getAll('post_ids[]').length]);
    expect(seen).toEqual([
      [`/t/${topic.id}.json`, 'true', 0],
      [`/t/${topic.id}/posts.json`, 'true', 20],
      [`/t/${topic.id}/posts.json`, 'true', 20],
      [`/t/${topic.id}/posts.json`, 'true', 5],
    ]);
    expect(stub.requests.flatMap((r) => r.query.getAll('post_ids[]').map(Number))).toEqual(ids);
  });

  it('reads hit the spec paths with their query parameters', async () => {
    const c = client();
    const first = stub.addPost(stub.addTopic({ username: 'alice' }).id, 'bob', 'A reply');
    await c.siteBasicInfo();
    await c.site();
    await c.categories({ includeSubcategories: true });
    await c.tags();
    await c.latestTopics({ page: 2 });
    await c.latestPosts({ before: 500 });
    await c.topicPosts(7, [101, 102]);
    await c.post(first.id);
    await c.user('josé');
    await c.listPrivateMessages('alice');
    await c.listSentPrivateMessages('alice');
    const seen = stub.requests.map((r) => `${r.method} ${r.path}${r.query.size > 0 ? `?${r.query.toString()}` : ''}`);
    expect(seen).toEqual([
      'GET /site/basic-info.json',
      'GET /site.json',
      'GET /categories.json?include_subcategories=true',
      'GET /tags.json',
      'GET /latest.json?page=2',
      'GET /posts.json?before=500',
      'GET /t/7/posts.json?post_ids%5B%5D=101&post_ids%5B%5D=102',
      `GET /posts/${first.id}.json`,
      'GET /u/jos%C3%A9.json',
      'GET /topics/private-messages/alice.json',
      'GET /topics/private-messages-sent/alice.json',
    ]);
    expect(await c.topicPosts(7, [])).toEqual([]);
    expect(stub.requests).toHaveLength(seen.length); // no request for an empty id list
  });

  it('returns the parsed JSON answer', async () => {
    const topic = stub.addTopic({ username: 'alice', raw: 'Question' });
    const t = await client().topic(topic.id);
    expect(t.post_stream.posts[0]).toMatchObject({ username: 'alice', post_number: 1 });
    expect(t.post_stream.stream).toHaveLength(1);
  });
});

describe('errors and retries', () => {
  it('429: waits Retry-After, then retries', async () => {
    stub.failNext('GET', '/site.json', {
      status: 429,
      headers: { 'Retry-After': '0' },
      body: { errors: ['Slow down'], error_type: 'rate_limit', extras: { wait_seconds: 0 } },
    });
    await client().site();
    expect(stub.requestsTo('GET', '/site.json')).toHaveLength(2);
    expect(sleeps).toEqual([0]);
  });

  it('429 without Retry-After: waits extras.wait_seconds (fractions allowed)', async () => {
    stub.failNext('GET', '/site.json', { status: 429, body: { errors: ['Slow down'], error_type: 'rate_limit', extras: { wait_seconds: 0.05 } } });
    await client().site();
    expect(sleeps).toEqual([50]);
  });

  it('5xx: exponential backoff with jitter, then success', async () => {
    stub.failNext('GET', '/tags.json', { status: 503 }).failNext('GET', '/tags.json', { status: 502 });
    const tags = await client({ retry: { baseDelayMs: 100 } }).tags();
    expect(tags).toEqual({ ok: true, path: '/tags.json' });
    expect(stub.requestsTo('GET', '/tags.json')).toHaveLength(3);
    expect(sleeps).toEqual([75, 150]); // half the step fixed, half jitter (random = 0.5)
  });

  it('bounded attempts: a forum that stays down fails with the last error', async () => {
    for (let i = 0; i < 5; i++) stub.failNext('GET', '/tags.json', { status: 500 });
    const e = await failure(client({ retry: { maxAttempts: 3 } }).tags());
    expect(e).toMatchObject({ status: 500, retryable: true });
    expect(stub.requestsTo('GET', '/tags.json')).toHaveLength(3);
  });

  it('a non-retryable 4xx surfaces at once with errors[] and error_type', async () => {
    stub.failNext('POST', '/posts.json', { status: 422, body: { errors: ['Body is too short'], error_type: 'invalid_parameters' } });
    const e = await failure(client().createPost({ topicId: stub.addTopic({ username: 'a' }).id, raw: 'x', idempotencyKey: 'k' }));
    expect(e).toMatchObject({ status: 422, retryable: false, errorType: 'invalid_parameters', errors: ['Body is too short'] });
    expect(stub.requestsTo('POST', '/posts.json')).toHaveLength(1);
    expect(sleeps).toEqual([]);
    expect(describeDiscourseError(e)).toEqual({ message: e.message, retryable: false });
  });

  it('a 404 read is not retried', async () => {
    const e = await failure(client().post(999_999));
    expect(e).toMatchObject({ status: 404, errorType: 'not_found', retryable: false });
    expect(stub.requests).toHaveLength(1);
  });

  it('malformed JSON in a 200 is a clear retryable error, then the retry succeeds', async () => {
    stub.failNext('GET', '/site.json', { malformed: '<html>maintenance</html>' });
    await expect(client().site()).resolves.toEqual({ ok: true, path: '/site.json' });
    expect(sleeps).toHaveLength(1);

    stub.failNext('GET', '/site.json', { malformed: '{"truncated": ' });
    const e = await failure(client({ retry: { maxAttempts: 1 } }).site());
    expect(e).toMatchObject({ kind: 'malformed', status: 200, retryable: true });
    expect(e.message).toContain('not JSON');
  });

  it('a timeout is retryable, and bounded by maxAttempts', async () => {
    stub.failNext('GET', '/site.json', { hang: true }).failNext('GET', '/site.json', { hang: true });
    const e = await failure(client({ timeoutMs: 100, retry: { maxAttempts: 2 } }).site());
    expect(e).toMatchObject({ kind: 'timeout', retryable: true, ambiguous: true });
    expect(stub.requestsTo('GET', '/site.json')).toHaveLength(2);
  });

  it('connection refused is a retryable network error', async () => {
    await stub.close();
    const e = await failure(client({ retry: { maxAttempts: 2 } }).site());
    expect(e).toMatchObject({ kind: 'network', code: 'ECONNREFUSED', retryable: true, ambiguous: false });
    expect(sleeps).toHaveLength(1);
  });
});

describe('the API key', () => {
  it('never appears in errors or logs', async () => {
    const lines: string[] = [];
    const logger = createLogger(
      { level: 'debug' },
      new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    );
    const c = client({ logger, timeoutMs: 100, retry: { maxAttempts: 2 } });
    const errors: DiscourseApiError[] = [];
    stub.failNext('GET', '/site.json', { status: 403, body: { errors: [`API key ${KEY} is not valid`], error_type: 'invalid_access' } });
    errors.push(await failure(c.site()));
    stub.failNext('GET', '/tags.json', { status: 502 }).failNext('GET', '/tags.json', { status: 502 });
    errors.push(await failure(c.tags()));
    stub.failNext('GET', '/posts/1.json', { hang: true }).failNext('GET', '/posts/1.json', { hang: true });
    errors.push(await failure(c.post(1)));
    stub.failNext('GET', '/site/basic-info.json', { malformed: KEY }).failNext('GET', '/site/basic-info.json', { malformed: 'x' });
    errors.push(await failure(c.siteBasicInfo()));
    await stub.close();
    errors.push(await failure(c.categories()));

    expect(errors.map((e) => e.kind)).toEqual(['http', 'http', 'timeout', 'malformed', 'network']);
    expect(errors[0]?.message).toContain('[redacted]'); // the echoed key was blanked, the rest kept
    for (const e of errors) {
      for (const text of [
        e.message,
        String(e),
        e.stack ?? '',
        JSON.stringify(e),
        inspect(e, { depth: 10, showHidden: true }),
        describeDiscourseError(e).message,
      ]) {
        expect(text).not.toContain(KEY);
      }
    }
    // Retries were logged (so the check below looks at real lines), none with the key.
    expect(lines.some((l) => l.includes('retrying'))).toBe(true);
    expect(lines.join('\n')).not.toContain(KEY);
  });
});
