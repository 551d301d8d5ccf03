import { describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../core/inbound.js';
import { readPost, type ForumPost } from './posts.js';
import { MAX_TEXT_CHARS, translatePost, type DiscourseContext } from './translate.js';

const BASE = 'https://forum.example.org';
const HELP_CATEGORY = 5;
const ctx: DiscourseContext = {
  baseUrl: BASE,
  botUsername: 'CoAgent',
  conversation: 'room',
  historic: false,
  helpCategoryIds: new Set([HELP_CATEGORY]),
};

/** A post as the bridge reads it from a webhook payload. */
function post(extra: Record<string, unknown> = {}): ForumPost {
  const r = readPost({
    id: 501,
    name: 'Alice Liddell',
    username: 'Alice',
    created_at: '2024-05-02T10:15:30.000Z',
    raw: 'How do I configure the sync option?',
    cooked: '<p>How do I configure the sync option?</p>',
    post_number: 1,
    post_type: 1,
    reply_to_post_number: null,
    topic_id: 77,
    topic_slug: 'configuring-sync',
    topic_title: 'Configuring sync',
    topic_archetype: 'regular',
    category_id: HELP_CATEGORY,
    deleted_at: null,
    ...extra,
  });
  if (!r.ok) throw new Error(r.reason);
  return r.post;
}

function message(p: ForumPost, c: DiscourseContext = ctx): InboundMessage {
  const t = translatePost(p, c);
  if ('ignored' in t) throw new Error(`expected a message, ignored: ${t.ignored}`);
  return t;
}

function ignored(p: ForumPost, c: DiscourseContext = ctx): string {
  const t = translatePost(p, c);
  if (!('ignored' in t)) throw new Error('expected the post to be ignored');
  return t.ignored;
}

const mentioned = (m: InboundMessage) => m.mentions.map((a) => a.externalId);

describe('translatePost: topics and replies', () => {
  it('turns the first post of a topic in a help category into a request for help', () => {
    const m = message(post());
    expect(m).toMatchObject({
      kind: 'message',
      platform: 'discourse',
      eventId: '77/1',
      containerId: '77',
      threadId: '77',
      inThread: false,
      title: 'Configuring sync',
      asksForHelp: true,
      conversation: 'room',
      historic: false,
      url: `${BASE}/t/configuring-sync/77/1`,
      html: '<p>How do I configure the sync option?</p>',
    });
    expect(m.replyToId).toBeUndefined();
    expect(m.createdAt).toEqual(new Date('2024-05-02T10:15:30.000Z'));
    expect(m.text).toBe('How do I configure the sync option?');
  });

  it('does not ask for help outside the help categories, without a category or in a private message', () => {
    expect(message(post({ category_id: 9 })).asksForHelp).toBe(false);
    expect(message(post({ category_id: undefined })).asksForHelp).toBe(false);
    expect(message(post({ topic_archetype: 'private_message' })).asksForHelp).toBe(false);
  });

  it('treats a later post as a reply in the topic thread, without title or help request', () => {
    const m = message(post({ id: 502, post_number: 4, reply_to_post_number: 2, raw: 'Set sync: true in the config.' }));
    expect(m.eventId).toBe('77/4');
    expect(m.inThread).toBe(true);
    expect(m.threadId).toBe('77');
    expect(m.replyToId).toBe('77/2');
    expect(m.title).toBeUndefined();
    expect(m.asksForHelp).toBe(false);
    expect(m.url).toBe(`${BASE}/t/configuring-sync/77/4`);
  });

  it('has no reply target for a reply to the topic itself', () => {
    const m = message(post({ post_number: 2, reply_to_post_number: null }));
    expect(m.inThread).toBe(true);
    expect(m.replyToId).toBeUndefined();
  });

  it('passes on the context: historic, conversation kind and participants', () => {
    const participants = [{ platform: 'discourse' as const, externalId: 'bob' }];
    const m = message(post({ topic_archetype: 'private_message' }), { ...ctx, historic: true, conversation: 'small', participants });
    expect(m.historic).toBe(true);
    expect(m.conversation).toBe('small');
    expect(m.participants).toEqual(participants);
  });

  it('lower-cases the author id and shows the full name, falling back to the username', () => {
    expect(message(post()).author).toEqual({ platform: 'discourse', externalId: 'alice', displayName: 'Alice Liddell' });
    expect(message(post({ name: '' })).author.displayName).toBe('Alice');
    expect(message(post({ name: undefined })).author.displayName).toBe('Alice');
  });
});

describe('translatePost: mentions', () => {
  it('reads mentions from raw Markdown, lower-cased and de-duplicated', () => {
    const m = message(post({ raw: 'Thanks @Bob_Smith and @carol.d, cc @bob_smith' }));
    expect(mentioned(m)).toEqual(['bob_smith', 'carol.d']);
    expect(m.mentions.every((a) => a.platform === 'discourse')).toBe(true);
    expect(m.mentionsBot).toBe(false);
  });

  it('sees the bot mentioned case-insensitively', () => {
    const m = message(post({ raw: 'Hey @coagent, any idea?' }));
    expect(m.mentionsBot).toBe(true);
    expect(mentioned(m)).toContain('coagent');
    expect(message(post({ raw: 'Hey @COAGENT!' })).mentionsBot).toBe(true);
  });

  it('does not count a mention of a longer name that starts with the bot name', () => {
    expect(message(post({ raw: 'ask @coagent2 instead' })).mentionsBot).toBe(false);
  });

  it('ignores @names inside code spans and fenced code blocks', () => {
    const raw = 'Run `npm i @types/node` then:\n\n```\n@coagent ping\n@dave\n```\n\nthanks @erin';
    const m = message(post({ raw }));
    expect(mentioned(m)).toEqual(['erin']);
    expect(m.mentionsBot).toBe(false);
  });

  it('ignores @names inside [quote] blocks', () => {
    const raw = '[quote="bob, post:2, topic:77"]\n@coagent can you help?\n[/quote]\n\nI have the same problem.';
    const m = message(post({ post_number: 3, raw }));
    expect(m.mentions).toEqual([]);
    expect(m.mentionsBot).toBe(false);
  });

  it('ignores email addresses and paths', () => {
    const m = message(post({ raw: 'mail alice@example.org or see /u/@frank' }));
    expect(m.mentions).toEqual([]);
  });

  it('reads mentions from cooked HTML when the payload has no raw', () => {
    const cooked =
      '<p>Hi <a class="mention" href="/u/coagent">@CoAgent</a> and <a class="mention" href="/u/Bob">@Bob</a>, ' + 'see <a href="/u/zed">a profile link</a></p>';
    const m = message(post({ raw: undefined, cooked }));
    expect(mentioned(m)).toEqual(['coagent', 'bob']);
    expect(m.mentionsBot).toBe(true);
  });

  it('prefers raw over cooked for mentions when both are present', () => {
    const m = message(post({ raw: 'no mentions here', cooked: '<p><a class="mention" href="/u/bob">@bob</a></p>' }));
    expect(m.mentions).toEqual([]);
  });
});

describe('translatePost: text', () => {
  it('leaves quoted text out of raw Markdown', () => {
    const raw = '[quote="bob, post:2, topic:77"]\nthe old quoted sentence\n[/quote]\n\nMy own answer.';
    const m = message(post({ post_number: 3, raw }));
    expect(m.text).toContain('My own answer.');
    expect(m.text).not.toContain('old quoted sentence');
    expect(m.text).not.toContain('[quote');
  });

  const quoteAside = (cls: string) =>
    `<aside class="${cls}" data-username="bob" data-post="2" data-topic="77">` +
    '<div class="title">bob:</div><blockquote><p>the old quoted sentence</p></blockquote></aside>\n<p>My own answer.</p>';

  it('leaves quote asides out of cooked HTML', () => {
    const m = message(post({ post_number: 3, raw: undefined, cooked: quoteAside('quote') }));
    expect(m.text).toContain('My own answer.');
    expect(m.text).not.toContain('old quoted sentence');
  });

  it('leaves quote asides with extra classes (class="quote no-group") out of cooked HTML', () => {
    const m = message(post({ post_number: 3, raw: undefined, cooked: quoteAside('quote no-group') }));
    expect(m.text).toContain('My own answer.');
    expect(m.text).not.toContain('old quoted sentence');
  });

  it('removes the co-agent marker comment', () => {
    const m = message(post({ raw: 'A summary of the thread.\n\n<!-- co-agent:digest-2024-05-02 -->' }));
    expect(m.text).toBe('A summary of the thread.');
    expect(m.text).not.toContain('co-agent');
  });

  it('does not take an @name in the marker for a mention', () => {
    const m = message(post({ raw: 'Hello <!-- co-agent:@coagent -->' }));
    expect(m.mentionsBot).toBe(false);
  });

  it('cuts long bodies to MAX_TEXT_CHARS', () => {
    const raw = 'word '.repeat(MAX_TEXT_CHARS);
    const m = message(post({ raw }));
    expect(m.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(m.text.length).toBeGreaterThan(MAX_TEXT_CHARS - 20);
    expect(m.text.endsWith('[truncated]')).toBe(true);
  });

  it('keeps a body of exactly MAX_TEXT_CHARS whole', () => {
    const raw = 'a'.repeat(MAX_TEXT_CHARS);
    expect(message(post({ raw })).text).toBe(raw);
  });
});

describe('translatePost: ignored posts', () => {
  it("ignores the bot's own posts, whatever the case", () => {
    expect(ignored(post({ username: 'coagent' }))).toBe('own post');
    expect(ignored(post({ username: 'COAGENT' }))).toBe('own post');
  });

  it('ignores whispers, moderator actions and small actions', () => {
    for (const type of [2, 3, 4]) expect(ignored(post({ post_type: type }))).toMatch(/not a regular post/);
  });

  it('ignores deleted posts', () => {
    expect(ignored(post({ deleted_at: '2024-05-03T08:00:00.000Z' }))).toBe('deleted post');
  });

  it('ignores empty posts and posts that are only a quote or a marker', () => {
    expect(ignored(post({ raw: '   \n  ' }))).toBe('empty post');
    expect(ignored(post({ raw: '[quote="bob, post:2, topic:77"]\nhello\n[/quote]' }))).toBe('empty post');
    expect(ignored(post({ raw: '<!-- co-agent:answer-12 -->' }))).toBe('empty post');
    expect(ignored(post({ raw: undefined, cooked: '' }))).toBe('empty post');
  });
});
