import { describe, expect, it } from 'vitest';
import { changeKey, queuedChange, readQueuedChange, type ForumChange } from './queue-payload.js';

const post = { id: 501, topic_id: 77, post_number: 3, username: 'alice', updated_at: '2024-05-02T10:16:00.000Z', version: 2 };

describe('changeKey', () => {
  it('keys a new post by its id, live or historic alike', () => {
    expect(changeKey({ kind: 'post', post, historic: false })).toBe('post:501');
    expect(changeKey({ kind: 'post', post, historic: true })).toBe('post:501');
  });

  it('keys an edit by post id and edit time, so each revision is its own change', () => {
    expect(changeKey({ kind: 'edit', post })).toBe('edit:501:2024-05-02T10:16:00.000Z');
    expect(changeKey({ kind: 'edit', post: { ...post, updated_at: '2024-05-02T11:00:00.000Z' } })).not.toBe(changeKey({ kind: 'edit', post }));
  });

  it('falls back to the version for an edit without updated_at, then to nothing', () => {
    expect(changeKey({ kind: 'edit', post: { id: 501, version: 4 } })).toBe('edit:501:4');
    expect(changeKey({ kind: 'edit', post: { id: 501 } })).toBe('edit:501:');
  });

  it('keys a deletion by post id, and a PM post seen without text like the post itself', () => {
    expect(changeKey({ kind: 'destroy', post })).toBe('destroy:501');
    expect(changeKey({ kind: 'pm-post', post })).toBe(changeKey({ kind: 'post', post, historic: false }));
  });

  it('keys a solution check and a topic edit by topic and occurrence (the delivery), so a repeat is not lost', () => {
    expect(changeKey({ kind: 'solved', topicId: 77 }, 'd1')).toBe('solved:77:d1');
    expect(changeKey({ kind: 'solved', topicId: 77 }, 'd2')).not.toBe(changeKey({ kind: 'solved', topicId: 77 }, 'd1'));
    expect(changeKey({ kind: 'topic-edited', topicId: 77 }, 'd3')).toBe('topic-edited:77:d3');
  });

  it('keys a like by post and lower-cased liker', () => {
    expect(changeKey({ kind: 'like', post, user: { id: 9, username: 'Bob' } })).toBe('like:501:bob');
    expect(changeKey({ kind: 'like', post, user: { username: 'BOB' } })).toBe(changeKey({ kind: 'like', post, user: { username: 'bob' } }));
  });

  it('keys a deleted topic by topic id', () => {
    expect(changeKey({ kind: 'topic-destroyed', topicId: 77 })).toBe('topic-destroyed:77');
  });

  it('gives different kinds of change on the same post different keys', () => {
    const kinds: ForumChange[] = [
      { kind: 'post', post, historic: false },
      { kind: 'edit', post },
      { kind: 'destroy', post },
      { kind: 'solved', topicId: 77 },
      { kind: 'like', post, user: { username: 'bob' } },
    ];
    expect(new Set(kinds.map((k) => changeKey(k))).size).toBe(kinds.length);
  });

  it('returns null when the post id is missing or not a number', () => {
    for (const bad of [undefined, null, 'post', {}, { id: '501' }, { topic_id: 77 }]) {
      expect(changeKey({ kind: 'post', post: bad, historic: false })).toBeNull();
      expect(changeKey({ kind: 'edit', post: bad })).toBeNull();
      expect(changeKey({ kind: 'destroy', post: bad })).toBeNull();
      expect(changeKey({ kind: 'pm-post', post: bad })).toBeNull();
      expect(changeKey({ kind: 'like', post: bad, user: { username: 'bob' } })).toBeNull();
    }
  });

  it('returns null for a like without a liker username', () => {
    expect(changeKey({ kind: 'like', post, user: undefined })).toBeNull();
    expect(changeKey({ kind: 'like', post, user: { id: 9 } })).toBeNull();
    expect(changeKey({ kind: 'like', post, user: { username: 9 } })).toBeNull();
  });
});

describe('queuedChange', () => {
  it('queues live posts and other changes at priority 0', () => {
    expect(queuedChange({ kind: 'post', post, historic: false }, 'post:501').priority).toBe(0);
    expect(queuedChange({ kind: 'edit', post }, 'edit:501:x').priority).toBe(0);
    expect(queuedChange({ kind: 'topic-destroyed', topicId: 77 }, 'topic-destroyed:77').priority).toBe(0);
  });

  it('queues historic posts at priority 1, after live events', () => {
    expect(queuedChange({ kind: 'post', post, historic: true }, 'post:501').priority).toBe(1);
  });

  it('uses the key as the event id and the change as JSON payload', () => {
    const change: ForumChange = { kind: 'like', post, user: { username: 'Bob' } };
    const queued = queuedChange(change, 'like:501:bob');
    expect(queued.eventId).toBe('like:501:bob');
    expect(JSON.parse(queued.payload)).toEqual(change);
  });
});

describe('readQueuedChange', () => {
  it('reads back what queuedChange wrote', () => {
    const changes: ForumChange[] = [
      { kind: 'post', post, historic: true },
      { kind: 'edit', post },
      { kind: 'destroy', post },
      { kind: 'topic-destroyed', topicId: 77 },
      { kind: 'like', post, user: { username: 'bob' } },
      { kind: 'solved', topicId: 77, acceptedPostNumber: 3 },
      { kind: 'pm-post', post: { id: 9, topic_id: 8 } },
    ];
    for (const change of changes) expect(readQueuedChange(queuedChange(change, 'k').payload)).toEqual(change);
  });

  it.each(['', 'not json', '{"kind":', 'null', '42', '"post"', '{}', '{"kind":7}', '[]'])('returns null for %j', (payload) => {
    expect(readQueuedChange(payload)).toBeNull();
  });
});
