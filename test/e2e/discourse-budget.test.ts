// One budget for every API call, against a forum that allows 60 requests a minute (its stock
// limit, on a clock 5 times faster): the first start reads 100 topics of history in the
// background without one 429, a member's request asked meanwhile is answered before the history
// is done (replies go first), and a reply costs 3 calls in steady state.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscourseWorld, type DiscourseWorld } from './discourse-world.js';
import { eventually } from '../../scripts/support/service-io.js';

const SCALE = 0.2; // a minute lasts 12 s
const HISTORY = 100;

describe('Discourse request budget', () => {
  let w: DiscourseWorld;
  let asked: { topicId: number } | undefined;

  beforeAll(async () => {
    w = await startDiscourseWorld({
      forum: { timeScale: SCALE },
      backfillTopics: HISTORY + 3,
      history: 0,
      pollSeconds: 3600, // catch-up at start only: the counts below are the replies' own
      beforeStart: (forum, c) => {
        const past = Date.now() - 20 * 86_400_000;
        for (let i = 0; i < HISTORY; i++) {
          const { topicId } = forum.createTopic(['alice', 'bob', 'carol', 'dave'][i % 4]!, {
            title: `Past question number ${i}: sprint planning`,
            raw: `@coagent how did team ${i} plan its sprints last year?`,
            category: c.general,
            createdAt: new Date(past + i * 60_000),
          });
          forum.reply(['bob', 'carol', 'dave', 'alice'][i % 4]!, topicId, `Team ${i} planned two weeks ahead and reviewed every Friday.`, {
            createdAt: new Date(past + i * 60_000 + 1000),
          });
        }
      },
    });
    // Asked while the history is still being read.
    asked = w.forum.createTopic('alice', {
      title: 'Onboarding a remote engineering lead',
      raw: 'How do we onboard an engineering lead who joins a remote team?',
      category: w.c.help,
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('answers a live request before the history is read, and reads it all without a 429', async () => {
    const { forum } = w;
    await eventually('the reply', () => w.botPosts(asked!.topicId)[0], 60_000);
    const log = forum.requests.filter((r) => r.username === 'coagent');
    const reply = log.findIndex((r) => r.method === 'POST' && r.path === '/posts.json');
    const historyReads = log.map((r, i) => ({ r, i })).filter(({ r }) => r.method === 'GET' && /^\/t\/\d+\.json$/.test(r.path));
    await eventually('the history read', async () => ((await w.store.cursors.get('discourse', 'backfilled')) ? true : undefined), 120_000);
    const allReads = forum.requests.filter((r) => r.username === 'coagent' && r.method === 'GET' && /^\/t\/\d+\.json$/.test(r.path));
    expect(allReads.length).toBeGreaterThanOrEqual(HISTORY);
    expect(historyReads.length).toBeLessThan(allReads.length); // the reply went out while topics were still being read
    expect(reply).toBeGreaterThan(-1);
    expect(forum.requests.filter((r) => r.status === 429)).toEqual([]);
    // Read as history: every post queued by the backfill, none answered (old mentions of the bot included).
    const done = w.logged(/^read forum history$/)[0]!;
    expect(done).toMatchObject({ topics: HISTORY + 3, rateLimited: 0 });
    expect(Number(done.queued)).toBeGreaterThanOrEqual(HISTORY * 2);
    await w.app!.idle();
    expect(w.botPosts().filter((p) => p.topicId !== asked!.topicId)).toEqual([]);
  });

  it('spends 3 calls on a reply in steady state: the post, and reading and setting the tags', async () => {
    const { forum, c } = w;
    await w.app!.idle();
    const before = forum.requests.length;
    const { topicId } = forum.createTopic('carol', {
      title: 'Running a fair hiring panel',
      raw: 'How do we run a fair hiring panel for engineering managers?',
      category: c.help,
    });
    await eventually(
      'the reply and the tags',
      () => (w.botPosts(topicId).length > 0 && (forum.topic(topicId)?.tags.length ?? 0) > 0 ? true : undefined),
      30_000,
    );
    await w.app!.idle();
    const calls = forum.requests.slice(before).filter((r) => r.username === 'coagent');
    expect(calls.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /posts.json', `GET /t/${topicId}.json`, `PUT /t/-/${topicId}.json`]);
    expect(forum.requests.filter((r) => r.status === 429)).toEqual([]);
  });
});
