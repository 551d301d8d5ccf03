// Queued forum changes to core events, against the stand-in forum and a real store: a private
// message's text is read only when the bot is a recipient, members' messages become contacts only
// with privateMessages on; deletions and solutions are confirmed with the forum, so a forged or
// replayed delivery changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundContact, InboundEdit, InboundMessage, InboundReaction } from '../../core/inbound.js';
import { handleChange, type ChangeDeps } from './changes.js';
import { forumFixture, type ForumFixture } from './forum-fixture.test-helper.js';

describe('handleChange', () => {
  let f: ForumFixture;
  const deps = (privateMessages: boolean): ChangeDeps => ({
    client: f.client,
    store: f.store,
    log: f.logger,
    bot: { platform: 'discourse', externalId: 'coagent' },
    baseUrl: f.forum.url,
    helpCategoryIds: () => new Set([f.help]),
    privateMessages,
  });
  /** The webhook payload of a post, as the forum sent it. */
  const delivered = (postId: number): Record<string, unknown> => {
    const d = [...f.forum.deliveries].reverse().find((x) => x.type === 'post' && (JSON.parse(x.body) as { post: { id: number } }).post.id === postId);
    return (JSON.parse(d!.body) as { post: Record<string, unknown> }).post;
  };

  beforeEach(async () => {
    f = await forumFixture();
    f.forum.addWebhook({ url: 'http://127.0.0.1:9/unused', secret: 'x' }); // keeps the payloads in `deliveries`
  });
  afterEach(async () => {
    await f.close();
    expect(f.forum.violations).toEqual([]);
  });

  describe('private messages', () => {
    it('reads a PM to the bot, with its text fetched when the queue held only metadata, as a direct conversation', async () => {
      const { topicId, postId } = f.forum.sendPrivateMessage('alice', ['coagent'], 'A question', 'How do we plan capacity with two teams?');
      const post = delivered(postId);
      const metadata = {
        id: post.id,
        topic_id: post.topic_id,
        post_number: 1,
        username: 'alice',
        created_at: post.created_at,
        topic_archetype: 'private_message',
      };
      const handled = await handleChange(deps(false), { kind: 'pm-post', post: metadata }, `post:${postId}`);
      const [event] = handled.events as InboundMessage[];
      expect(event).toMatchObject({
        kind: 'message',
        conversation: 'direct',
        text: 'How do we plan capacity with two teams?',
        author: { externalId: 'alice' },
      });
      await handled.commit?.();
      expect(await f.store.cursors.get('discourse', `pm-seen:${topicId}`)).toBe('1');
      // The bot is remembered as a recipient: the next message needs no look-up.
      expect(JSON.parse((await f.store.cursors.get('discourse', `pm-access:${topicId}`))!)).toMatchObject({ bot: true, members: ['alice'] });
    });

    it("never reads members' PMs to each other: a contact from the metadata with privateMessages on, nothing without", async () => {
      const { topicId, postId } = f.forum.sendPrivateMessage('bob', ['carol'], 'Coffee next week', 'Want to compare notes on hiring @coagent?');
      const post = delivered(postId);
      const before = f.forum.requests.length;
      const on = await handleChange(deps(true), { kind: 'post', post, historic: false }, `post:${postId}`);
      expect(on.events).toEqual([
        expect.objectContaining({
          kind: 'contact',
          author: { platform: 'discourse', externalId: 'bob' },
          participants: [{ platform: 'discourse', externalId: 'carol' }],
        }),
      ]);
      expect(JSON.stringify(on.events)).not.toContain('compare notes');
      // One look-up of who the recipients are (GET /t/{id}.json), no read of any post's text.
      expect(f.forum.requests.slice(before).map((r) => `${r.method} ${r.path}`)).toEqual([`GET /t/${topicId}.json`]);
      const off = await handleChange(deps(false), { kind: 'post', post, historic: false }, `post:${postId}`);
      expect(off.events).toEqual([]);
    });

    it('reads a small group PM the bot is in as a small room with its other members', async () => {
      const { postId } = f.forum.sendPrivateMessage('alice', ['bob', 'coagent'], 'The three of us', 'Shall we sort the rota out together?');
      const [event] = (await handleChange(deps(false), { kind: 'post', post: delivered(postId), historic: false }, `post:${postId}`))
        .events as InboundMessage[];
      expect(event).toMatchObject({ conversation: 'small', participants: [{ externalId: 'bob' }] });
    });

    it("ignores edits of members' PMs and reads edits of PMs to the bot", async () => {
      const between = f.forum.sendPrivateMessage('bob', ['carol'], 'Between us', 'A private plan for next quarter.');
      await f.forum.wait(5);
      f.forum.editPost('bob', between.postId, 'A changed private plan for next quarter.');
      expect((await handleChange(deps(true), { kind: 'edit', post: delivered(between.postId) }, 'e1')).events).toEqual([]);
      const toBot = f.forum.sendPrivateMessage('alice', ['coagent'], 'For the bot', 'The first version of my question.');
      await f.forum.wait(5);
      f.forum.editPost('alice', toBot.postId, 'The second version of my question.');
      const [edit] = (await handleChange(deps(false), { kind: 'edit', post: delivered(toBot.postId) }, 'e2')).events as InboundEdit[];
      expect(edit).toMatchObject({ kind: 'edit', text: 'The second version of my question.', targetId: `${toBot.topicId}/1` });
    });
  });

  describe('destructive events are confirmed with the forum', () => {
    it('ignores post_destroyed for a post the forum still shows, and redacts one that is gone', async () => {
      const { topicId } = f.forum.createTopic('alice', { title: 'A live request for help', raw: 'We need help with our release process.', category: f.help });
      const answer = f.forum.reply('bob', topicId, 'Try a release train every two weeks.');
      const forged = await handleChange(deps(false), { kind: 'destroy', post: delivered(answer.postId) }, `destroy:${answer.postId}`);
      expect(forged.events).toEqual([]);
      expect(f.logs.some((l) => String(l.msg).includes('post the forum still shows'))).toBe(true);
      f.forum.deletePost('bob', answer.postId);
      const real = await handleChange(deps(false), { kind: 'destroy', post: delivered(answer.postId) }, `destroy:${answer.postId}`);
      expect(real.events).toEqual([expect.objectContaining({ kind: 'redaction', targetId: `${topicId}/2` })]);
    });

    it('ignores topic_destroyed for a live topic, and redacts the first post of a deleted one', async () => {
      const { topicId } = f.forum.createTopic('alice', { title: 'Another live request', raw: 'How do we hire our first designer?', category: f.help });
      expect((await handleChange(deps(false), { kind: 'topic-destroyed', topicId }, `topic-destroyed:${topicId}`)).events).toEqual([]);
      f.forum.deleteTopic('alice', topicId);
      expect((await handleChange(deps(false), { kind: 'topic-destroyed', topicId }, `topic-destroyed:${topicId}`)).events).toEqual([
        expect.objectContaining({ kind: 'redaction', targetId: `${topicId}/1` }),
      ]);
    });
  });

  describe('solutions', () => {
    it("turns the forum's accepted answer into the owner's ✅, takes it back on unaccept, and ignores repeats", async () => {
      const { topicId } = f.forum.createTopic('alice', { title: 'Which CI should we use', raw: 'Our builds take forty minutes each time.', category: f.help });
      const a1 = f.forum.reply('bob', topicId, 'Cache the dependencies between builds.');
      const a2 = f.forum.reply('carol', topicId, 'Split the test suite into shards.');
      const run = async (occurrence: string) => {
        const h = await handleChange(deps(false), { kind: 'solved', topicId }, `solved:${topicId}:${occurrence}`);
        await h.commit?.();
        return h.events as InboundReaction[];
      };
      // Accepted by staff (the bot's admin account here): still the asker's ✅ on the forum's word.
      f.forum.acceptAnswer('coagent', a1.postId);
      expect(await run('d1')).toEqual([
        expect.objectContaining({ key: '✅', targetId: `${topicId}/2`, author: { platform: 'discourse', externalId: 'alice' } }),
      ]);
      expect(await run('d2')).toEqual([]); // a repeat (or a forged accepted_solution) changes nothing
      f.forum.acceptAnswer('alice', a2.postId); // moves the solution: unaccept 2, accept 3
      const moved = await run('d3');
      expect(moved.map((e) => [e.targetId, e.removed === true])).toEqual([
        [`${topicId}/2`, true],
        [`${topicId}/3`, false],
      ]);
      f.forum.unacceptAnswer('alice', a2.postId);
      expect((await run('d4')).map((e) => [e.targetId, e.removed === true])).toEqual([[`${topicId}/3`, true]]);
      f.forum.acceptAnswer('alice', a2.postId); // accepted again later: a new event, not a duplicate
      const again = await run('d5');
      expect(again).toHaveLength(1);
      expect(again[0]!.eventId).not.toBe(moved[1]!.eventId);
    });
  });

  it('reads a combined title and first-post save (topic_edited only) as an edit with the new title', async () => {
    const { topicId, postId } = f.forum.createTopic('alice', { title: 'The first title of it', raw: 'The first body of the question.', category: f.help });
    await f.forum.wait(5);
    f.forum.editFirstPostAndTitle('alice', topicId, 'A better title for it', 'A better body for the question.');
    expect(f.forum.deliveries.slice(-1)[0]).toMatchObject({ event: 'topic_edited' });
    // Nothing to do for a topic the bot never learned, or when the title did not change.
    expect((await handleChange(deps(false), { kind: 'topic-edited', topicId, title: 'A better title for it' }, 'te0')).events).toEqual([]);
    const { member } = await f.store.members.upsertByIdentity({ platform: 'discourse', externalId: 'alice' });
    await f.store.documents.upsert({
      platform: 'discourse',
      externalId: `${topicId}/1`,
      threadId: String(topicId),
      containerId: String(topicId),
      replyToId: null,
      kind: 'message',
      title: 'The first title of it',
      text: 'The first body of the question.',
      url: null,
      authorId: member.id,
      createdAt: new Date(),
    });
    const before = f.forum.requests.length;
    expect((await handleChange(deps(false), { kind: 'topic-edited', topicId, title: 'The first title of it' }, 'te1')).events).toEqual([]);
    expect(f.forum.requests.length).toBe(before); // a tags-only change costs no request
    const [edit] = (await handleChange(deps(false), { kind: 'topic-edited', topicId, title: 'A better title for it' }, 'te')).events as InboundEdit[];
    expect(edit).toMatchObject({ kind: 'edit', title: 'A better title for it', text: 'A better body for the question.', targetId: `${topicId}/1` });
    expect(edit!.eventId).toMatch(new RegExp(`^edit:${postId}:`));
  });

  it("gives members' PM contacts with privateMessages only, keyed per post so a conversation counts each message", async () => {
    const { postId, topicId } = f.forum.sendPrivateMessage('dave', ['carol'], 'Lunch', 'Lunch on Friday to talk teams?');
    const [contact] = (
      await handleChange(
        deps(true),
        {
          kind: 'pm-post',
          post: { id: postId, topic_id: topicId, post_number: 1, username: 'dave', created_at: new Date().toISOString(), topic_archetype: 'private_message' },
        },
        'k',
      )
    ).events as InboundContact[];
    expect(contact!.eventId).toBe(`pm:${topicId}:1`);
  });
});
