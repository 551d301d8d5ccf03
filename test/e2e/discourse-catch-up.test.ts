// What a stock forum's webhooks miss while the service is down (it does not retry them) is caught
// up after the restart: new posts, private messages to the bot, the asker's likes, accepted and
// unaccepted solutions, edits (a combined title and first-post save included) and deletions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscourseWorld, type DiscourseWorld } from './discourse-world.js';
import { eventually } from '../../scripts/support/service-io.js';

describe('Discourse catch-up after downtime', () => {
  let w: DiscourseWorld;

  beforeAll(async () => {
    w = await startDiscourseWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('recovers what happened while it was down', async () => {
    const { forum, c, store } = w;
    // Two open requests, answered by the bot while it runs.
    const first = forum.createTopic('alice', {
      title: 'Onboarding a remote engineering lead',
      raw: 'How do we onboard an engineering lead who joins a remote team?',
      category: c.help,
    });
    const second = forum.createTopic('carol', {
      title: 'Budgeting for a team that grows',
      raw: 'How do we budget when the team may double next year?',
      category: c.help,
    });
    await eventually('both answered', () => (w.botPosts(first.topicId).length > 0 && w.botPosts(second.topicId).length > 0 ? true : undefined), 60_000);
    const answer = forum.reply('bob', first.topicId, 'Pair them with a peer lead and agree on a written 90 day plan.');
    const doomed = forum.reply('dave', second.topicId, 'A reply that its author will delete while the bot is away.');
    await eventually(
      'the answers learned',
      async () => ((await store.documents.find('discourse', `${second.topicId}/${doomed.postNumber}`)) ? true : undefined),
      30_000,
    );
    await w.app!.idle();

    await w.stop();
    // While the service is down (deliveries fail, and a stock forum does not retry them):
    forum.like('alice', answer.postId);
    forum.acceptAnswer('alice', answer.postId);
    forum.editPost('bob', answer.postId, 'Pair them with a peer lead, agree on a written 90 day plan, and meet weekly.');
    forum.editFirstPostAndTitle(
      'carol',
      second.topicId,
      'Budgeting for a team that may double',
      'How do we budget when the team may double next year, with two hiring scenarios?',
    );
    forum.deletePost('dave', doomed.postId);
    const pm = forum.sendPrivateMessage('dave', ['coagent'], 'A private question', 'help how should I run my first skip-level meetings?');
    await forum.settle();
    expect(forum.deliveries.filter((d) => d.status === 'error').length).toBeGreaterThan(5);

    await w.start();
    // The private message to the bot: found in its inbox, answered.
    await eventually('the private message answered', () => w.botPosts(pm.topicId)[0], 60_000);
    // The accepted answer (and the like before it): the request is solved, bob thanked.
    const problem = (await store.problems.findBySourceEvent('discourse', `${first.topicId}/1`))!;
    await eventually('solved', async () => ((await store.problems.get(problem.id))?.status === 'solved' ? true : undefined), 60_000);
    // The like and the acceptance are caught up as separate changes, in either order.
    const feedback = await eventually(
      'the feedback',
      async () => {
        const rows = await store.feedback.listForProblem(problem.id);
        return rows.length >= 3 ? rows : undefined;
      },
      30_000,
    );
    expect(feedback.map((f) => f.kind).sort()).toEqual(['reaction', 'reaction', 'solved']); // the like, the ✅, and solved
    // The edits: the answer's new text, the request's new title and text.
    await eventually(
      'the edit',
      async () => ((await store.documents.find('discourse', `${first.topicId}/${answer.postNumber}`))?.text.includes('meet weekly') ? true : undefined),
      30_000,
    );
    const edited = await eventually(
      'the title',
      async () => {
        const d = await store.documents.find('discourse', `${second.topicId}/1`);
        return d?.title === 'Budgeting for a team that may double' ? d : undefined;
      },
      30_000,
    );
    expect(edited.text).toContain('two hiring scenarios');
    // The deletion: the document is forgotten.
    await eventually(
      'the deletion',
      async () => ((await store.documents.find('discourse', `${second.topicId}/${doomed.postNumber}`))?.deletedAt ? true : undefined),
      30_000,
    );

    // Taken back later (the webhook works again): solved no more.
    forum.unacceptAnswer('alice', answer.postId);
    await eventually('reopened', async () => ((await store.problems.get(problem.id))?.status === 'answered' ? true : undefined), 30_000);
    expect((await store.problems.get(problem.id))?.solvedAt).toBeNull();
    expect(await store.inbox.counts('discourse')).toMatchObject({ failed: 0 });
    expect(forum.violations).toEqual([]);
  });
});

describe('Discourse history after a failed read', () => {
  let w: DiscourseWorld | undefined;
  afterAll(async () => {
    await w?.close();
  });

  it("learns the forum's history when reading it failed for longer than one call's retries", async () => {
    // The forum answers 502 to the first six topic reads: the client's own five tries fail, the
    // bridge tries the history read again later (the world waits for the history to be learned).
    w = await startDiscourseWorld({ beforeStart: (forum) => forum.failNext({ method: 'GET', path: /^\/t\/\d+\.json/ }, { status: 502 }, 6) });
    const failed = w.logged(/^reading forum history failed: trying again$/);
    expect(failed.length).toBeGreaterThan(0);
    expect(w.logs.indexOf(failed[0]!)).toBeLessThan(w.logs.indexOf(w.logged(/^read forum history$/)[0]!));
    expect(w.logged(/reading forum history stopped/)).toEqual([]);
  });
});
