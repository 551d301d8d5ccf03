// Private messages on a stock forum, end to end: the bot reads (and keeps) a message's text only
// when it is itself a recipient (details.allowed_users); members' messages to each other are at
// most contact metadata, with privateMessages on, and are never stored, queued with their text,
// or answered, even when they mention the bot. A request made in a message to the bot invites
// helpers into that message (the only place a stock forum takes topic invitations).
import Database from 'better-sqlite3';
import { PostgresSyncConnection } from '../../core/store/postgres/sync-connection.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDiscourseWorld, type DiscourseWorld } from './discourse-world.js';
import { eventually } from '../../scripts/support/service-io.js';

describe('Discourse private messages', () => {
  let w: DiscourseWorld;
  /** Every queued payload, as stored in the database (SQLite, or PostgreSQL with CO_AGENT_TEST_STORE). */
  const queued = (): string[] => {
    const db = w.config.database.url
      ? new PostgresSyncConnection(w.config.database.url, { readOnly: true })
      : new Database(w.config.database.path, { readonly: true });
    try {
      return (db.prepare('SELECT "payload" FROM "InboxEvent" WHERE "platform" = ?').all('discourse') as { payload: string }[]).map((r) => r.payload);
    } finally {
      db.close();
    }
  };

  beforeAll(async () => {
    w = await startDiscourseWorld({ discourse: ['  privateMessages: true'] });
  });
  afterAll(async () => {
    await w?.close();
  });

  it("keeps members' messages to each other as contacts only: no text stored or queued, never answered", async () => {
    const { topicId } = w.forum.sendPrivateMessage(
      'bob',
      ['carol'],
      'Between the two of us',
      '@coagent how do we onboard remote managers without burning out? Our secret plan.',
    );
    const bob = await eventually('bob as a member', () =>
      w.store.members.findByIdentity({ platform: 'discourse', externalId: 'bob' }).then((m) => m ?? undefined),
    );
    const carol = (await w.store.members.findByIdentity({ platform: 'discourse', externalId: 'carol' }))!;
    await eventually(
      'the contact',
      async () =>
        (await w.store.interactions.listBetween(new Date(0), new Date(Date.now() + 60_000))).find(
          (i) => i.kind === 'direct-message' && i.fromMemberId === bob.id && i.toMemberId === carol.id,
        ),
      30_000,
    );
    await w.app!.idle();
    expect(w.botPosts(topicId)).toEqual([]);
    expect((await w.store.documents.listLive()).some((d) => d.text.includes('secret plan'))).toBe(false);
    expect(queued().some((p) => p.includes('secret plan'))).toBe(false);
    expect(await w.store.problems.findBySourceEvent('discourse', `${topicId}/1`)).toBeNull();
  });

  it("answers a member's request sent to the bot privately, and invites helpers into that message", async () => {
    const { topicId } = w.forum.sendPrivateMessage(
      'dave',
      ['coagent'],
      'Onboarding help',
      'help how do I onboard a new engineering manager who joins remotely?',
    );
    const reply = await eventually("the bot's answer in the message", () => w.botPosts(topicId)[0], 30_000);
    expect(reply.raw).toMatch(/^On it/);
    const problem = await eventually('the request', () => w.store.problems.findBySourceEvent('discourse', `${topicId}/1`).then((p) => p ?? undefined));
    // The bot is a recipient here: it read the text, and keeps it with the request.
    expect(problem.text).toContain('engineering manager who joins remotely');
    // Helpers are invited into the message (a mention there would reach nobody): the forum took it.
    await eventually(
      'an invitation into the message',
      () => (w.forum.invitations.some((i) => i.topicId === topicId && i.by === 'coagent') ? true : undefined),
      30_000,
    );
    const invited = w.forum.invitations.filter((i) => i.topicId === topicId).map((i) => i.username);
    expect(w.forum.topic(topicId)!.allowedUserIds).toEqual(expect.arrayContaining(invited.map((u) => w.forum.user(u)!.id)));
    expect(w.forum.violations).toEqual([]);
  });
});
