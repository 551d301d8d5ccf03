// The first start's history read, against the stand-in: every post with its raw (include_raw, 20
// ids a request beyond the first chunk), mega topics from their first chunk, progress kept so a
// restart resumes, and live catch-up starting after the forum's newest post.
import { afterEach, describe, expect, it } from 'vitest';
import { backfill, markLiveStart } from './backfill.js';
import { forumFixture, type ForumFixture } from './forum-fixture.test-helper.js';
import { readQueuedChange } from './queue-payload.js';

describe('backfill', () => {
  let f: ForumFixture;
  afterEach(async () => {
    await f?.close();
    expect(f?.forum.violations ?? []).toEqual([]);
  });

  let made = 0;
  function history(topics: number, replies: number): number[] {
    const past = Date.now() - 86_400_000;
    return Array.from({ length: topics }, () => {
      const i = made++;
      const { topicId } = f.forum.createTopic('alice', {
        title: `Past question number ${i} here`,
        raw: `The body of past question ${i}.`,
        category: f.general,
        createdAt: new Date(past + i * 60_000),
      });
      for (let r = 1; r <= replies; r++)
        f.forum.reply(r % 2 ? 'bob' : 'carol', topicId, `Reply ${r} to past question ${i}.`, { createdAt: new Date(past + i * 60_000 + r) });
      return topicId;
    });
  }

  it('queues every post as history, with raw, fetching the rest of a long topic 20 ids at a time', async () => {
    f = await forumFixture();
    const [long] = history(1, 44); // 45 posts: 20 in the view, then 20 + 5
    history(2, 1);
    await markLiveStart(f.client, f.store);
    const queued = await backfill({ client: f.client, store: f.store, topics: 10, logger: f.logger, onQueued: () => undefined });
    expect(queued).toBe(45 + 2 * 2);
    const items = await f.store.inbox.next('discourse', 100);
    expect(items.every((i) => i.priority === 1)).toBe(true);
    const posts = items.map((i) => readQueuedChange(i.payload) as { post: { raw?: string; topic_id: number } });
    expect(posts.every((c) => typeof c.post.raw === 'string')).toBe(true);
    const reads = f.forum.requests.filter((r) => r.path === `/t/${long}/posts.json`);
    expect(reads).toHaveLength(2);
    expect(await backfill({ client: f.client, store: f.store, topics: 10, logger: f.logger, onQueued: () => undefined })).toBe(0); // once only
  });

  it('reads a mega topic (no stream) from its first chunk', async () => {
    f = await forumFixture({ forum: { megaTopicPosts: 25 } }); // Discourse's threshold is 10,000; 25 keeps it small
    history(1, 29);
    expect(await backfill({ client: f.client, store: f.store, topics: 5, logger: f.logger, onQueued: () => undefined })).toBe(20);
  });

  it('resumes where a stop left it, and starts live catch-up after the newest post', async () => {
    f = await forumFixture();
    const topics = history(6, 1);
    await markLiveStart(f.client, f.store);
    expect(await f.store.cursors.get('discourse', 'last-post-id')).toBe(String(Math.max(...f.forum.posts().map((p) => p.id))));
    const stop = new AbortController();
    let batches = 0;
    await expect(
      backfill({
        client: f.client,
        store: f.store,
        topics: 6,
        logger: f.logger,
        signal: stop.signal,
        onQueued: () => {
          if (++batches === 2) stop.abort();
        },
      }),
    ).rejects.toThrow();
    const reads = () => f.forum.requests.filter((r) => /^\/t\/\d+\.json$/.test(r.path)).map((r) => Number(/\d+/.exec(r.path)![0]));
    expect(reads()).toHaveLength(2);
    await backfill({ client: f.client, store: f.store, topics: 6, logger: f.logger, onQueued: () => undefined });
    expect(reads().sort((a, b) => a - b)).toEqual([...topics].sort((a, b) => a - b)); // each topic read once
    expect((await f.store.inbox.counts('discourse')).pending).toBe(12);
  });
});
