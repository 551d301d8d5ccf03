// The forum side of the executor against the stand-in's stock rules: posts shaped to pass them,
// every refusal a failure with the forum's words and a precise log line (never a success), a held
// post reported as held, the duplicate look-up only after an attempt may have gone out.
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundAction } from '../../core/concierge/actions.js';
import { forumFixture, type ForumFixture } from './forum-fixture.test-helper.js';
import { DiscourseOutbound, type ForumResult } from './outbound.js';

describe('DiscourseOutbound', () => {
  let f: ForumFixture;
  afterEach(async () => {
    await f?.close();
    expect(f?.forum.violations ?? []).toEqual([]);
  });

  const outbound = (mirror?: number) =>
    new DiscourseOutbound({ client: f.client.withPriority('reply'), store: f.store, logger: f.logger, baseUrl: f.forum.url, mirrorCategory: () => mirror });
  const post = (topicId: number, text: string): OutboundAction => ({ kind: 'post', platform: 'discourse', containerId: String(topicId), body: [[text]] });
  const sent = () => f.forum.requests.filter((r) => r.username === 'coagent').map((r) => `${r.method} ${r.path.replace(/\d+/g, 'N')}`);

  it('posts once, without looking for an earlier attempt; looks only when retried', async () => {
    f = await forumFixture();
    const { topicId } = f.forum.createTopic('alice', { title: 'A question about hiring', raw: 'How do we hire our first manager?', category: f.help });
    const o = outbound();
    const first = await o.perform(post(topicId, 'A first answer from the bot.'), 'k1');
    expect(first.ok).toBe(true);
    expect(sent()).toEqual(['POST /posts.json']);
    // The same key again (the executor retrying after a crash): the look-up finds the post, nothing is posted twice.
    const again = await o.perform(post(topicId, 'A first answer from the bot.'), 'k1');
    expect(again).toEqual(first);
    expect(sent().filter((r) => r === 'POST /posts.json')).toHaveLength(1);
  });

  it('pads a body short of 20 visible characters (the marker does not count) so the forum takes it', async () => {
    f = await forumFixture();
    const { topicId } = f.forum.createTopic('alice', { title: 'A question about pay', raw: 'How do we talk about pay bands?', category: f.help });
    expect((await outbound().perform(post(topicId, 'Thanks!'), 'short')).ok).toBe(true);
    const made = f.forum.posts(topicId).at(-1)!;
    expect(made.raw).toMatch(/^Thanks!\n\n— Co-Agent/);
  });

  it("fails with the forum's words and a log line for every refusal, retryable only where waiting helps", async () => {
    f = await forumFixture();
    const { topicId } = f.forum.createTopic('alice', { title: 'A question about teams', raw: 'How big should a team be, ideally?', category: f.help });
    const o = outbound();
    const cases: [status: number, body: object, retryable: boolean, kind: string][] = [
      [403, { errors: ['You are not permitted to view the requested resource.'], error_type: 'invalid_access' }, false, 'not-allowed'],
      [422, { errors: ['Body is too similar to what you recently posted'] }, false, 'too-similar'],
      [422, { errors: ['Title has already been used'] }, false, 'title-taken'],
      [422, { errors: ['Ce message est refusé'] }, false, 'invalid'], // another language: still a refusal
      [
        429,
        {
          errors: ['You’ve performed this action too many times. Please wait 2 seconds before trying again.'],
          error_type: 'rate_limit',
          extras: { wait_seconds: 2 },
        },
        true,
        'rate-limited',
      ],
    ];
    for (const [i, [status, body, retryable, kind]] of cases.entries()) {
      // One try per perform: a 429 goes straight back to the executor, which owns the retry.
      f.forum.failNext({ method: 'POST', path: /^\/posts\.json$/ }, { status, body, headers: { 'Retry-After': '0' } });
      const result = await o.perform(post(topicId, `Answer number ${i} from the bot here.`), `refused-${i}`);
      expect(result.ok, kind).toBe(false);
      if (result.ok) continue;
      expect(result.error).toMatchObject({ retryable, reason: (body as { errors: string[] }).errors[0] });
      expect(f.logs.some((l) => l.refusal === kind && String(l.msg).includes((body as { errors: string[] }).errors[0]!))).toBe(true);
    }
  });

  it('makes one try per perform: a 5xx or a 429 goes back to the executor, which owns the retry', async () => {
    f = await forumFixture();
    const { topicId } = f.forum.createTopic('alice', { title: 'A question about rotas', raw: 'How do we share the on-call rota fairly?', category: f.help });
    const o = outbound();
    f.forum.failNext({ method: 'POST', path: /^\/posts\.json$/ }, { status: 503 });
    const down = await o.perform(post(topicId, 'An answer about rotas from the bot.'), 'once-1');
    // (An injected failure is answered before the forum knows who asked: count every POST.)
    const posts = () => f.forum.requests.filter((r) => r.method === 'POST' && r.path === '/posts.json').length;
    expect(down).toMatchObject({ ok: false, error: { retryable: true } });
    expect(posts()).toBe(1);
    f.forum.failNext(
      { method: 'POST', path: /^\/posts\.json$/ },
      { status: 429, headers: { 'Retry-After': '3' }, body: { errors: ['Slow down'], error_type: 'rate_limit', extras: { wait_seconds: 3 } } },
    );
    const limited = await o.perform(post(topicId, 'Another answer about rotas from the bot.'), 'once-2');
    expect(limited).toMatchObject({ ok: false, error: { retryable: true, retryAfterMs: 3000 } });
    expect(posts()).toBe(2);
  });

  it('reports a post held for approval as held, not as posted', async () => {
    f = await forumFixture({ botAdmin: false });
    const moderated = f.forum.createCategory('Moderated', { requireReplyApproval: true });
    const { topicId } = f.forum.createTopic('alice', { title: 'A moderated question', raw: 'Who reviews our architecture?', category: moderated });
    const result = await outbound().perform(post(topicId, 'An answer that waits for a moderator.'), 'held');
    expect(result).toEqual({ ok: true, value: { heldForApproval: true, pendingPostId: expect.any(Number) } satisfies ForumResult });
    expect(f.forum.posts(topicId)).toHaveLength(1);
    expect(f.logs.some((l) => String(l.msg).includes('holds the post for a moderator'))).toBe(true);
  });

  it('adds tags the forum way: cleaned, merged, at most 5, and says which ones the forum dropped', async () => {
    f = await forumFixture({ botAdmin: false, forum: { siteSettings: {} } });
    for (const t of ['planning', 'hiring', 'remote-work', 'budgeting']) f.forum.createTag(t);
    // The bot's own topic: a member's would need edit rights, which only staff have.
    const { topicId } = f.forum.createTopic('coagent', {
      title: 'Planning a remote hire',
      raw: 'We hire remotely for the first time.',
      category: f.help,
      tags: ['planning'],
    });
    const wanted = ['Hiring', 'remote work', 'budgeting', 'stakeholder management', 'onboarding', 'extra'];
    const result = await outbound().perform({ kind: 'set-tags', platform: 'discourse', containerId: String(topicId), tags: wanted }, 'tags');
    expect(result.ok).toBe(true);
    // 4 fit beside "planning"; a non-staff bot may not create tags, so the forum dropped the unknown one.
    expect(f.forum.topic(topicId)?.tags).toEqual(['planning', 'hiring', 'remote-work', 'budgeting']);
    expect(f.logs.some((l) => String(l.msg).includes('at most 5 tags'))).toBe(true);
    expect(f.logs.some((l) => String(l.msg).includes('dropped tags') && JSON.stringify(l.dropped) === '["stakeholder-manageme"]')).toBe(true);
  });

  it('mirrors into the configured category with a title the forum takes, renamed when taken', async () => {
    f = await forumFixture();
    const topic = (title: string, problemId: number): OutboundAction => ({
      kind: 'create-topic',
      platform: 'discourse',
      title,
      body: [['A request from the chat, mirrored here.']],
      problemId,
    });
    const o = outbound(f.general);
    const first = await o.perform(topic('HOW DO WE ONBOARD?', 7), 'm1');
    expect(first.ok).toBe(true);
    const titles = () => [...new Set(f.forum.posts().map((p) => f.forum.topic(p.topicId)?.title))];
    expect(titles()).toEqual(['How do we onboard?']); // no shouting: the quality check refuses it
    const second = await o.perform(topic('HOW DO WE ONBOARD?', 8), 'm2');
    expect(second.ok).toBe(true);
    expect(titles()).toEqual(['How do we onboard?', 'How do we onboard? (request 8)']);
    expect((await o.perform(topic('Short', 9), 'm3')).ok).toBe(true);
    expect(titles()).toContain('Short (from the community chat)');
    expect(f.forum.topic(Number((second as { value: ForumResult }).value.topicId))?.categoryId).toBe(f.general);
  });

  it('invites into a private message, and fails (never succeeds) on a regular topic', async () => {
    f = await forumFixture();
    const pm = f.forum.sendPrivateMessage('alice', ['coagent'], 'Could you help', 'A question for the bot alone.');
    const invite = (containerId: number): OutboundAction => ({
      kind: 'invite',
      platform: 'discourse',
      containerId: String(containerId),
      to: { platform: 'discourse', externalId: 'bob' },
    });
    expect((await outbound().perform(invite(pm.topicId), 'i1')).ok).toBe(true);
    expect(f.forum.topic(pm.topicId)?.allowedUserIds).toContain(f.forum.user('bob')!.id);
    // Dated (made as history): alice's private message a moment ago must not put this topic under the forum's wait between posts.
    const { topicId } = f.forum.createTopic('alice', {
      title: 'A public question here',
      raw: 'Anyone with experience in this?',
      category: f.help,
      createdAt: new Date(),
    });
    const refused = await outbound().perform(invite(topicId), 'i2');
    expect(refused).toMatchObject({ ok: false, error: { retryable: false, reason: 'You can only invite users to private messages.' } });
  });

  it('remembers its own private messages as ones the bot may read', async () => {
    f = await forumFixture();
    const result = await outbound().perform(
      { kind: 'direct', platform: 'discourse', to: { platform: 'discourse', externalId: 'bob' }, body: [['Could you help alice with her rota question?']] },
      'dm',
    );
    const topicId = (result as { value: ForumResult }).value.topicId!;
    expect(JSON.parse((await f.store.cursors.get('discourse', `pm-access:${topicId}`))!)).toMatchObject({ bot: true, members: ['bob'] });
  });
});
