// Never a silent success: when the forum refuses the bot's reply, or holds it for a moderator, the
// member waiting for it is told by private message what happened and what happens next, the log
// has a precise line with the forum's words, and the request stays open. The bot here is a regular
// forum user (not staff), as some communities run it; a stock forum treats it like any member.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscourseWorld, type DiscourseWorld } from './discourse-world.js';
import { eventually } from '../../scripts/support/service-io.js';

describe('Discourse refusals reach the member', () => {
  let w: DiscourseWorld;
  const pmsTo = (username: string) =>
    w.forum.posts().filter((p) => {
      const t = w.forum.topic(p.topicId);
      return t?.archetype === 'private_message' && p.userId === w.forum.user('coagent')!.id && t.allowedUserIds.includes(w.forum.user(username)!.id);
    });

  beforeAll(async () => {
    w = await startDiscourseWorld({ botAdmin: false });
  });
  afterAll(async () => {
    await w?.close();
  });

  it('tells the member when the forum refuses the reply, and keeps the request open', async () => {
    const { forum, c, store } = w;
    forum.failNext(
      { method: 'POST', path: /^\/posts\.json$/ },
      { status: 403, body: { errors: ['You are not permitted to post in this topic.'], error_type: 'invalid_access' } },
    );
    const { topicId } = forum.createTopic('alice', {
      title: 'Running a hiring panel',
      raw: '@coagent how do we run a fair hiring panel for engineering managers?',
      category: c.general,
    });
    const notice = await eventually('a private message to alice', () => pmsTo('alice')[0], 30_000);
    expect(notice.raw).toContain('I could not post my reply to your request on the forum: it said "You are not permitted to post in this topic."');
    expect(notice.raw).toContain('Your request stays open');
    expect(w.botPosts(topicId)).toEqual([]);
    const problem = (await store.problems.findBySourceEvent('discourse', `${topicId}/1`))!;
    expect(['opened', 'acknowledged', 'invited']).toContain(problem.status);
    expect(
      w.logs.some(
        (l) =>
          l.refusal === 'not-allowed' &&
          String(l.msg).includes(`Discourse refused post in topic ${topicId} (not-allowed): You are not permitted to post in this topic.`),
      ),
    ).toBe(true);
  });

  it('tells the member when the reply waits for a moderator, and does not count it as posted', async () => {
    const { forum } = w;
    const moderated = forum.createCategory('Moderated', { requireReplyApproval: true });
    await forum.wait(5);
    const { topicId } = forum.createTopic('bob', {
      title: 'Budget for a new team',
      raw: '@coagent how do we plan the budget of a team we are still hiring for?',
      category: moderated,
    });
    const notice = await eventually('a private message to bob', () => pmsTo('bob')[0], 30_000);
    expect(notice.raw).toContain("waiting for a moderator's approval");
    expect(forum.pendingPosts().some((p) => p.topicId === topicId && p.userId === forum.user('coagent')!.id)).toBe(true);
    expect(w.logs.some((l) => String(l.msg).includes('holds the post for a moderator'))).toBe(true);
    expect(forum.violations).toEqual([]);
  });
});
