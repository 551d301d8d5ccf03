import { describe, expect, it } from 'vitest';
import { postRef, postUrl, readPost, type ForumPost } from './posts.js';

/** A post object shaped like a Discourse post_created webhook payload's `post`. */
function webhookPost(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 1234,
    name: 'Alice Liddell',
    username: 'Alice',
    avatar_template: '/user_avatar/forum.example.org/alice/{size}/12_2.png',
    created_at: '2024-05-02T10:15:30.123Z',
    updated_at: '2024-05-02T10:16:00.000Z',
    cooked: '<p>How do I configure the <code>sync</code> option?</p>',
    raw: 'How do I configure the `sync` option?',
    post_number: 3,
    post_type: 1,
    posts_count: 3,
    reply_count: 0,
    reply_to_post_number: 2,
    quote_count: 0,
    incoming_link_count: 0,
    reads: 1,
    score: 0,
    topic_id: 77,
    topic_slug: 'configuring-sync',
    topic_title: 'Configuring sync',
    topic_posts_count: 3,
    topic_filtered_posts_count: 3,
    topic_archetype: 'regular',
    category_id: 5,
    category_slug: 'help',
    user_id: 42,
    deleted_at: null,
    version: 1,
    wiki: false,
    ...extra,
  };
}

function read(value: unknown): ForumPost {
  const r = readPost(value);
  if (!r.ok) throw new Error(`expected a post, got: ${r.reason}`);
  return r.post;
}

function reason(value: unknown): string {
  const r = readPost(value);
  if (r.ok) throw new Error('expected the post to be rejected');
  return r.reason;
}

describe('readPost', () => {
  it('reads the fields the bridge needs from a realistic webhook post', () => {
    const post = read(webhookPost());
    expect(post).toEqual({
      id: 1234,
      topicId: 77,
      postNumber: 3,
      username: 'Alice',
      name: 'Alice Liddell',
      createdAt: new Date('2024-05-02T10:15:30.123Z'),
      updatedAt: '2024-05-02T10:16:00.000Z',
      raw: 'How do I configure the `sync` option?',
      cooked: '<p>How do I configure the <code>sync</code> option?</p>',
      replyToPostNumber: 2,
      topicTitle: 'Configuring sync',
      topicSlug: 'configuring-sync',
      categoryId: 5,
      privateMessage: false,
      regular: true,
      deleted: false,
      acceptedAnswer: false,
    });
  });

  it('accepts numeric ids given as digit strings', () => {
    const post = read(webhookPost({ id: '1234', topic_id: '77', post_number: '3' }));
    expect([post.id, post.topicId, post.postNumber]).toEqual([1234, 77, 3]);
  });

  it('defaults cooked to an empty string and leaves raw undefined when absent (topic view posts)', () => {
    const post = read(webhookPost({ raw: undefined, cooked: undefined }));
    expect(post.raw).toBeUndefined();
    expect(post.cooked).toBe('');
  });

  it('treats a null reply_to_post_number as no reply', () => {
    expect(read(webhookPost({ reply_to_post_number: null })).replyToPostNumber).toBeUndefined();
  });

  it.each([null, undefined, 42, 'post', [webhookPost()]])('rejects the non-object %j', (value) => {
    expect(reason(value)).toBe('post is not an object');
  });

  it.each(['id', 'topic_id', 'post_number'])('rejects a post without %s', (key) => {
    expect(reason(webhookPost({ [key]: undefined }))).toMatch(/without id, topic_id or post_number/);
  });

  it('rejects non-integer ids', () => {
    expect(reason(webhookPost({ id: 1.5 }))).toMatch(/without id/);
    expect(reason(webhookPost({ topic_id: '77a' }))).toMatch(/without id/);
    expect(readPost(webhookPost({ post_number: '-1' })).ok).toBe(false);
  });

  it('rejects a post without a username, naming the post', () => {
    expect(reason(webhookPost({ username: undefined }))).toBe('post 1234 without username');
    expect(reason(webhookPost({ username: '' }))).toBe('post 1234 without username');
    expect(reason(webhookPost({ username: 7 }))).toBe('post 1234 without username');
  });

  it.each([undefined, '', 'not a date', 1714644930000])('rejects created_at %j', (createdAt) => {
    expect(reason(webhookPost({ created_at: createdAt }))).toBe('post 1234 without a valid created_at');
  });

  it('marks only post_type 1 (or no post_type) as regular', () => {
    expect(read(webhookPost({ post_type: 1 })).regular).toBe(true);
    expect(read(webhookPost({ post_type: undefined })).regular).toBe(true);
    for (const type of [2, 3, 4]) expect(read(webhookPost({ post_type: type })).regular).toBe(false);
  });

  it('recognises private messages by their archetype', () => {
    expect(read(webhookPost({ topic_archetype: 'private_message' })).privateMessage).toBe(true);
    expect(read(webhookPost({ topic_archetype: 'regular' })).privateMessage).toBe(false);
    expect(read(webhookPost({ topic_archetype: undefined })).privateMessage).toBe(false);
  });

  it('marks a post with deleted_at as deleted', () => {
    expect(read(webhookPost({ deleted_at: '2024-05-03T08:00:00.000Z' })).deleted).toBe(true);
    expect(read(webhookPost({ deleted_at: null })).deleted).toBe(false);
    expect(read(webhookPost({ deleted_at: undefined })).deleted).toBe(false);
  });

  it('reads accepted_answer only when it is exactly true', () => {
    expect(read(webhookPost({ accepted_answer: true })).acceptedAnswer).toBe(true);
    expect(read(webhookPost({ accepted_answer: 'true' })).acceptedAnswer).toBe(false);
  });

  it('ignores fields of the wrong type instead of passing them on', () => {
    const post = read(webhookPost({ name: 12, raw: { html: 'x' }, cooked: 5, category_id: 'help', topic_title: null }));
    expect(post.name).toBeUndefined();
    expect(post.raw).toBeUndefined();
    expect(post.cooked).toBe('');
    expect(post.categoryId).toBeUndefined();
    expect(post.topicTitle).toBeUndefined();
  });
});

describe('postRef and postUrl', () => {
  it('names a post by topic and post number', () => {
    expect(postRef(77, 3)).toBe('77/3');
    expect(postRef(77, 1)).not.toBe(postRef(7, 71));
  });

  it('links to the post under its topic slug', () => {
    expect(postUrl('https://forum.example.org', { topicId: 77, postNumber: 3, topicSlug: 'configuring-sync' })).toBe(
      'https://forum.example.org/t/configuring-sync/77/3',
    );
  });

  it('drops a trailing slash of the base URL and uses "-" without a slug', () => {
    expect(postUrl('https://forum.example.org/', { topicId: 77, postNumber: 1 })).toBe('https://forum.example.org/t/-/77/1');
  });
});
