import { describe, expect, it } from 'vitest';
import type { InboundEdit, InboundEvent, InboundMessage, InboundReaction, InboundRedaction } from '../../core/inbound.js';
import { MAX_TEXT_CHARS, permalink, translateMatrixEvent, type TranslateContext, type Translation } from './translate.js';
import { mulberry32 } from '../../core/random.js';

const ROOM = '!jEsUZKDJdhlrceRyVU:example.org';
const BOT = '@coagent:example.org';
const ctx: TranslateContext = { botUserId: BOT, botDisplayName: 'Co-Agent', roomId: ROOM, conversation: 'room', historic: false };

/** A room event shaped like the spec's examples (core/room_event.json). */
function roomEvent(type: string, content: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event_id: '$143273582443PhrSn:example.org',
    room_id: ROOM,
    sender: '@example:example.org',
    origin_server_ts: 1432735824653,
    unsigned: { age: 1234, membership: 'join' },
    type,
    content,
    ...extra,
  };
}

const text = (content: Record<string, unknown>, extra?: Record<string, unknown>) => roomEvent('m.room.message', { msgtype: 'm.text', ...content }, extra);

function event(t: Translation): InboundEvent {
  if (t.kind !== 'event') throw new Error(`expected an event, got ${t.kind}: ${t.reason}`);
  return t.event;
}
function message(raw: unknown, c: TranslateContext = ctx): InboundMessage {
  const e = event(translateMatrixEvent(raw, c));
  if (e.kind !== 'message') throw new Error(`expected a message, got ${e.kind}`);
  return e;
}
function edit(raw: unknown): InboundEdit {
  const e = event(translateMatrixEvent(raw, ctx));
  if (e.kind !== 'edit') throw new Error(`expected an edit, got ${e.kind}`);
  return e;
}
const kindOf = (raw: unknown) => translateMatrixEvent(raw, ctx).kind;
const reasonOf = (raw: unknown) => {
  const t = translateMatrixEvent(raw, ctx);
  return t.kind === 'event' ? '' : t.reason;
};

describe('permalink', () => {
  it('encodes room and event ids for matrix.to', () => {
    expect(permalink(ROOM)).toBe('https://matrix.to/#/!jEsUZKDJdhlrceRyVU%3Aexample.org');
    expect(permalink('!a:b.org', '$x/y+z')).toBe('https://matrix.to/#/!a%3Ab.org/%24x%2Fy%2Bz');
  });
});

describe('m.room.message', () => {
  it('translates the spec m.text example into a message', () => {
    const m = message(
      text({ body: 'This is an example text message', format: 'org.matrix.custom.html', formatted_body: '<b>This is an example text message</b>' }),
    );
    expect(m).toEqual({
      kind: 'message',
      platform: 'matrix',
      eventId: '$143273582443PhrSn:example.org',
      containerId: ROOM,
      author: { platform: 'matrix', externalId: '@example:example.org' },
      createdAt: new Date(1432735824653),
      historic: false,
      conversation: 'room',
      threadId: '$143273582443PhrSn:example.org',
      inThread: false,
      replyToId: undefined,
      text: 'This is an example text message',
      html: '<b>This is an example text message</b>',
      mentions: [],
      mentionsBot: false,
      url: 'https://matrix.to/#/!jEsUZKDJdhlrceRyVU%3Aexample.org/%24143273582443PhrSn%3Aexample.org',
    });
  });

  it('passes conversation and historic through from the context', () => {
    const m = message(text({ body: 'hi' }), { ...ctx, conversation: 'direct', historic: true });
    expect(m.conversation).toBe('direct');
    expect(m.historic).toBe(true);
  });

  it('never answers an m.notice, even one mentioning the bot, nor an edit into one', () => {
    const notice = translateMatrixEvent(
      roomEvent('m.room.message', { msgtype: 'm.notice', body: '@coagent:example.org: help me', 'm.mentions': { user_ids: ['@coagent:example.org'] } }),
      ctx,
    );
    expect(notice).toMatchObject({ kind: 'ignored', reason: expect.stringMatching(/m\.notice/) });
    const edit = translateMatrixEvent(
      roomEvent('m.room.message', {
        msgtype: 'm.text',
        body: '* help',
        'm.new_content': { msgtype: 'm.notice', body: '@coagent:example.org: help' },
        'm.relates_to': { rel_type: 'm.replace', event_id: '$old:example.org' },
      }),
      ctx,
    );
    expect(edit).toMatchObject({ kind: 'ignored' });
  });

  it('accepts m.emote and unknown msgtypes with a body', () => {
    expect(message(roomEvent('m.room.message', { msgtype: 'm.emote', body: 'thinks this is an example emote' })).text).toBe('thinks this is an example emote');
    expect(message(roomEvent('m.room.message', { msgtype: 'org.example.poll', body: 'Poll: lunch?' })).text).toBe('Poll: lunch?');
  });

  it('trims the body', () => {
    expect(message(text({ body: '  \n hello there \n' })).text).toBe('hello there');
  });

  it('keeps html only for the org.matrix.custom.html format', () => {
    expect(message(text({ body: 'hi', formatted_body: '<b>hi</b>' })).html).toBeUndefined();
    expect(message(text({ body: 'hi', format: 'org.example.markdown', formatted_body: '**hi**' })).html).toBeUndefined();
    expect(message(text({ body: 'hi', format: 'org.matrix.custom.html', formatted_body: 42 })).html).toBeUndefined();
  });

  it('cuts long bodies to MAX_TEXT_CHARS with a marker', () => {
    const m = message(text({ body: 'x'.repeat(MAX_TEXT_CHARS + 1) }));
    expect(m.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(m.text.endsWith(' …[truncated]')).toBe(true);
    expect(message(text({ body: 'y'.repeat(MAX_TEXT_CHARS) })).text).toBe('y'.repeat(MAX_TEXT_CHARS));
  });

  it('does not split an emoji when cutting', () => {
    const m = message(text({ body: '😀'.repeat(MAX_TEXT_CHARS) }));
    expect(m.text).toMatch(/^(?:😀)+ …\[truncated\]$/u);
  });

  it('ignores media, stickers, verification requests and empty bodies', () => {
    for (const msgtype of ['m.image', 'm.file', 'm.audio', 'm.video', 'm.location']) {
      const raw = roomEvent('m.room.message', { msgtype, body: 'filename.jpg', url: 'mxc://example.org/JWEIFJgwEIhweiWJE' });
      expect(reasonOf(raw), msgtype).toBe(`media (${msgtype})`);
      expect(kindOf(raw)).toBe('ignored');
    }
    expect(kindOf(roomEvent('m.sticker', { body: 'Landing', url: 'mxc://matrix.org/sHhqkFCvSkFwtmvtETOtKnLP', info: {} }))).toBe('ignored');
    expect(kindOf(roomEvent('m.room.message', { msgtype: 'm.key.verification.request', body: 'Alice wants to verify' }))).toBe('ignored');
    expect(reasonOf(text({ body: '   ' }))).toBe('empty body');
  });

  it('ignores redacted originals', () => {
    expect(reasonOf(roomEvent('m.room.message', {}))).toBe('redacted event');
    const redacted = text({ body: 'gone' }, { unsigned: { redacted_because: { type: 'm.room.redaction', event_id: '$r:example.org' } } });
    expect(reasonOf(redacted)).toBe('redacted event');
  });

  it('calls messages without msgtype or string body invalid', () => {
    expect(reasonOf(roomEvent('m.room.message', { body: 'no msgtype' }))).toMatch(/msgtype/);
    expect(kindOf(roomEvent('m.room.message', { msgtype: 'm.text', body: 42 }))).toBe('invalid');
    expect(kindOf(roomEvent('m.room.message', { msgtype: 'm.text' }))).toBe('invalid');
  });
});

describe('membership of the Space', () => {
  const space: TranslateContext = { ...ctx, space: true };
  const member = (membership: string, extra: Record<string, unknown> = {}) =>
    roomEvent('m.room.member', { membership, displayname: 'Alice' }, { state_key: '@alice:example.org', ...extra });

  it('turns join, leave and ban in the Space into membership events of the member', () => {
    const joined = event(translateMatrixEvent(member('join'), space));
    expect(joined).toMatchObject({
      kind: 'membership',
      membership: 'joined',
      member: { platform: 'matrix', externalId: '@alice:example.org', displayName: 'Alice' },
    });
    expect(event(translateMatrixEvent(member('leave'), space))).toMatchObject({ kind: 'membership', membership: 'left' });
    // A ban is sent by a moderator; the member is the state_key, not the sender.
    expect(event(translateMatrixEvent(member('ban', { sender: '@mod:example.org' }), space))).toMatchObject({
      kind: 'membership',
      membership: 'left',
      author: { externalId: '@mod:example.org' },
      member: { externalId: '@alice:example.org' },
    });
  });

  it('ignores membership in other rooms, invitations, the bot itself and odd state keys', () => {
    expect(translateMatrixEvent(member('leave'), ctx)).toMatchObject({ kind: 'ignored' });
    expect(translateMatrixEvent(member('invite'), space)).toMatchObject({ kind: 'ignored' });
    expect(translateMatrixEvent(member('leave', { state_key: BOT }), space)).toMatchObject({ kind: 'ignored' });
    expect(translateMatrixEvent(member('leave', { state_key: 'not a user' }), space)).toMatchObject({ kind: 'invalid' });
  });
});

describe('rich replies', () => {
  const reply = text({
    body: '> <@alice:example.org> @coagent:example.org how do I renew certs?\n> with certbot\n\nI use the DNS challenge',
    format: 'org.matrix.custom.html',
    formatted_body:
      '<mx-reply><blockquote><a href="https://matrix.to/#/!jEsUZKDJdhlrceRyVU:example.org/$orig:example.org">In reply to</a> ' +
      '<a href="https://matrix.to/#/@alice:example.org">@alice:example.org</a><br>' +
      '<a href="https://matrix.to/#/@coagent:example.org">Co-Agent</a> how do I renew certs?</blockquote></mx-reply>I use the DNS challenge',
    'm.relates_to': { 'm.in_reply_to': { event_id: '$orig:example.org' } },
  });

  it('sets replyToId and strips the fallback from text and html', () => {
    const m = message(reply);
    expect(m.replyToId).toBe('$orig:example.org');
    expect(m.text).toBe('I use the DNS challenge');
    expect(m.html).toBe('I use the DNS challenge');
    expect(m.threadId).toBe(m.eventId);
    expect(m.inThread).toBe(false);
  });

  it('does not count mentions inside the fallback', () => {
    const m = message(reply);
    expect(m.mentions).toEqual([]);
    expect(m.mentionsBot).toBe(false);
  });

  it('ignores a malformed in_reply_to', () => {
    expect(message(text({ body: 'x', 'm.relates_to': { 'm.in_reply_to': { event_id: 7 } } })).replyToId).toBeUndefined();
  });
});

describe('threads', () => {
  const inThread = (relation: Record<string, unknown>) =>
    message(text({ body: 'inside the thread', 'm.relates_to': { rel_type: 'm.thread', event_id: '$root:example.org', ...relation } }));

  it('uses the thread root as threadId', () => {
    const m = inThread({});
    expect(m.threadId).toBe('$root:example.org');
    expect(m.inThread).toBe(true);
    expect(m.replyToId).toBeUndefined();
  });

  it('treats a falling-back in_reply_to as no reply', () => {
    expect(inThread({ is_falling_back: true, 'm.in_reply_to': { event_id: '$latest:example.org' } }).replyToId).toBeUndefined();
  });

  it('keeps a real in-thread reply', () => {
    expect(inThread({ is_falling_back: false, 'm.in_reply_to': { event_id: '$other:example.org' } }).replyToId).toBe('$other:example.org');
    expect(inThread({ 'm.in_reply_to': { event_id: '$other:example.org' } }).replyToId).toBe('$other:example.org');
  });

  it('falls back to a top-level message when the thread root is malformed', () => {
    const m = message(text({ body: 'x', 'm.relates_to': { rel_type: 'm.thread', event_id: 'not-an-event' } }));
    expect(m.inThread).toBe(false);
    expect(m.threadId).toBe(m.eventId);
  });
});

describe('mentions in messages', () => {
  it('unites m.mentions, pills and text forms', () => {
    const m = message(
      text({
        body: 'Co-Agent: Bob says @carol:example.net knows',
        format: 'org.matrix.custom.html',
        formatted_body: 'Co-Agent: <a href="https://matrix.to/#/%40bob%3Aexample.com?via=example.com">Bob</a> says @carol:example.net knows',
        'm.mentions': { user_ids: ['@bob:example.com'] },
      }),
    );
    expect(m.mentions.map((a) => a.externalId)).toEqual(['@bob:example.com', '@carol:example.net', BOT]);
    expect(m.mentions.every((a) => a.platform === 'matrix')).toBe(true);
    expect(m.mentionsBot).toBe(true);
  });

  it('finds "@coagent" and the intentional form', () => {
    expect(message(text({ body: 'any idea @coagent?' })).mentionsBot).toBe(true);
    expect(message(text({ body: 'Co-Agent', 'm.mentions': { user_ids: [BOT] } })).mentionsBot).toBe(true);
    expect(message(text({ body: 'no one here' })).mentionsBot).toBe(false);
  });

  it('uses the display name from the context', () => {
    expect(message(text({ body: 'Helper: any idea?' }), { ...ctx, botDisplayName: 'Helper' }).mentionsBot).toBe(true);
    expect(message(text({ body: 'Helper: any idea?' })).mentionsBot).toBe(false);
  });
});

describe('edits (m.replace)', () => {
  const replacement = (content: Record<string, unknown>) =>
    roomEvent('m.room.message', {
      msgtype: 'm.text',
      body: '* fixed text @alice:example.org',
      'm.relates_to': { rel_type: 'm.replace', event_id: '$target:example.org' },
      ...content,
    });

  it('takes text, html and mentions from m.new_content', () => {
    const e = edit(
      replacement({
        'm.new_content': {
          msgtype: 'm.text',
          body: 'fixed text, ask Co-Agent',
          format: 'org.matrix.custom.html',
          formatted_body: 'fixed <i>text</i>, ask <a href="https://matrix.to/#/@coagent:example.org">Co-Agent</a>',
          'm.mentions': { user_ids: ['@dave:example.org'] },
        },
      }),
    );
    expect(e).toMatchObject({
      kind: 'edit',
      eventId: '$143273582443PhrSn:example.org',
      containerId: ROOM,
      targetId: '$target:example.org',
      text: 'fixed text, ask Co-Agent',
      html: 'fixed <i>text</i>, ask <a href="https://matrix.to/#/@coagent:example.org">Co-Agent</a>',
      mentionsBot: true,
    });
    expect(e.mentions.map((a) => a.externalId)).toEqual(['@dave:example.org', BOT]);
  });

  it('falls back to the outer body without its "* "', () => {
    const e = edit(replacement({}));
    expect(e.text).toBe('fixed text @alice:example.org');
    expect(e.mentions.map((a) => a.externalId)).toEqual(['@alice:example.org']);
  });

  it('rejects an edit without a valid target and ignores media edits', () => {
    expect(kindOf(replacement({ 'm.relates_to': { rel_type: 'm.replace' } }))).toBe('invalid');
    expect(kindOf(replacement({ 'm.new_content': { msgtype: 'm.image', body: 'new.png' } }))).toBe('ignored');
  });
});

describe('m.reaction', () => {
  it('translates the spec example into a reaction', () => {
    const t = translateMatrixEvent(roomEvent('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$some_event_id', key: '👍' } }), ctx);
    const r = event(t) as InboundReaction;
    expect(r).toMatchObject({ kind: 'reaction', targetId: '$some_event_id', key: '👍', author: { externalId: '@example:example.org' } });
  });

  it('keeps a reaction with a key of hundreds of characters, its key cut whole characters', () => {
    const long = `${'k'.repeat(255)}😀${'k'.repeat(500)}`;
    const r = event(
      translateMatrixEvent(roomEvent('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$e:x.org', key: long } }), ctx),
    ) as InboundReaction;
    expect(r.key).toBe('k'.repeat(255));
  });

  it('rejects reactions without relation, target or key', () => {
    expect(kindOf(roomEvent('m.reaction', { key: '👍' }))).toBe('invalid');
    expect(kindOf(roomEvent('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', key: '👍' } }))).toBe('invalid');
    expect(kindOf(roomEvent('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$e:x.org', key: '' } }))).toBe('invalid');
    expect(kindOf(roomEvent('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$e:x.org', key: 42 } }))).toBe('invalid');
    expect(kindOf(roomEvent('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$e:x.org', key: ['✅'] } }))).toBe('invalid');
    expect(kindOf(roomEvent('m.reaction', { 'm.relates_to': { rel_type: 'org.example.other', event_id: '$e:x.org', key: '👍' } }))).toBe('ignored');
  });
});

describe('m.room.redaction', () => {
  it('reads content.redacts (room v11)', () => {
    const r = event(translateMatrixEvent(roomEvent('m.room.redaction', { redacts: '$fukweghifu23:localhost', reason: 'Spamming' }), ctx));
    expect(r).toMatchObject({ kind: 'redaction', targetId: '$fukweghifu23:localhost' } satisfies Partial<InboundRedaction>);
  });

  it('reads top-level redacts (older rooms)', () => {
    const r = event(translateMatrixEvent(roomEvent('m.room.redaction', { reason: 'Spamming' }, { redacts: '$old:localhost' }), ctx));
    expect(r).toMatchObject({ kind: 'redaction', targetId: '$old:localhost' });
  });

  it('rejects a redaction without a target', () => {
    expect(reasonOf(roomEvent('m.room.redaction', {}))).toMatch(/redacts/);
    expect(kindOf(roomEvent('m.room.redaction', { redacts: 'nope' }))).toBe('invalid');
  });
});

describe('ignored events', () => {
  it('ignores the bot’s own events', () => {
    expect(reasonOf(text({ body: 'Co-Agent here' }, { sender: BOT }))).toBe('own event');
    expect(reasonOf(roomEvent('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$e:x.org', key: '✅' } }, { sender: BOT }))).toBe(
      'own event',
    );
  });

  it('ignores state events, even with a message type', () => {
    expect(reasonOf(roomEvent('m.room.member', { membership: 'join' }, { state_key: '@example:example.org' }))).toBe('state event m.room.member');
    expect(kindOf(roomEvent('m.room.topic', { topic: 'A room topic' }, { state_key: '' }))).toBe('ignored');
    expect(kindOf(text({ body: 'odd' }, { state_key: '' }))).toBe('ignored');
  });

  it('ignores typing, receipts, encrypted and unknown types', () => {
    expect(kindOf({ type: 'm.typing', content: { user_ids: ['@alice:matrix.org'] } })).toBe('ignored');
    expect(kindOf({ type: 'm.receipt', content: {} })).toBe('ignored');
    expect(reasonOf(roomEvent('m.room.encrypted', { algorithm: 'm.megolm.v1.aes-sha2', ciphertext: 'AwgA' }))).toMatch(/encrypted/);
    expect(reasonOf(roomEvent('org.example.custom.event', { key: 'value' }))).toBe('unsupported event type org.example.custom.event');
  });
});

describe('invalid input', () => {
  const good = text({ body: 'hello' });
  const without = (key: string) => Object.fromEntries(Object.entries(good).filter(([k]) => k !== key));

  it('rejects non-objects', () => {
    for (const raw of [null, undefined, 42, 'm.room.message', [good], true]) expect(kindOf(raw), String(raw)).toBe('invalid');
  });

  it('rejects a missing or odd event_id', () => {
    expect(reasonOf(without('event_id'))).toBe('missing or odd event_id');
    for (const id of ['', '$', 'abc', 42, '$has space', `$${'a'.repeat(300)}`]) expect(kindOf({ ...good, event_id: id }), String(id)).toBe('invalid');
  });

  it('rejects a missing or odd sender', () => {
    expect(reasonOf(without('sender'))).toBe('missing or odd sender');
    expect(kindOf({ ...good, sender: 'alice' })).toBe('invalid');
    expect(kindOf({ ...good, sender: { id: '@a:b.c' } })).toBe('invalid');
  });

  it('rejects a missing type or non-object content', () => {
    expect(reasonOf(without('type'))).toBe('missing or odd type');
    expect(reasonOf({ ...good, content: 'hello' })).toBe('content is not an object');
    expect(kindOf({ ...good, content: ['hello'] })).toBe('invalid');
    expect(kindOf({ ...good, content: null })).toBe('invalid');
  });

  it('rejects a missing or odd origin_server_ts', () => {
    expect(reasonOf(without('origin_server_ts'))).toBe('missing or odd origin_server_ts');
    for (const ts of ['1432735824653', -1, 0, 1.5, Number.NaN, 1e300]) expect(kindOf({ ...good, origin_server_ts: ts }), String(ts)).toBe('invalid');
  });

  it('rejects an event from another room', () => {
    expect(reasonOf({ ...good, room_id: '!other:example.org' })).toMatch(/is not/);
    expect(kindOf(without('room_id'))).toBe('event'); // /sync timelines omit room_id
  });

  it('never throws on throwing getters', () => {
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('boom');
        },
      },
    );
    expect(translateMatrixEvent(hostile, ctx)).toEqual({ kind: 'invalid', reason: 'could not read event: boom' });
  });
});

const SAMPLES = [
  '',
  ' ',
  '$',
  '@',
  '$e:x.org',
  '@a:b.c',
  BOT,
  'm.text',
  'm.thread',
  'm.replace',
  'm.annotation',
  '> <@a:b.c> q\n\n',
  '<mx-reply>',
  'org.matrix.custom.html',
  '%',
  '\u0000',
  '😀',
];

function randomJson(rand: () => number, depth: number): unknown {
  const r = rand();
  if (depth <= 0 || r < 0.35) {
    const leaves: unknown[] = [
      null,
      true,
      false,
      0,
      -1,
      1.5,
      Number.MAX_SAFE_INTEGER,
      1432735824653,
      SAMPLES[Math.floor(rand() * SAMPLES.length)],
      'x'.repeat(Math.floor(rand() * 50)),
    ];
    return leaves[Math.floor(rand() * leaves.length)];
  }
  if (r < 0.5) return Array.from({ length: Math.floor(rand() * 4) }, () => randomJson(rand, depth - 1));
  const keys = [
    'event_id',
    'sender',
    'type',
    'content',
    'body',
    'msgtype',
    'm.relates_to',
    'm.new_content',
    'm.in_reply_to',
    'event_id',
    'rel_type',
    'key',
    'redacts',
    'format',
    'formatted_body',
    'm.mentions',
    'user_ids',
    'unsigned',
    'state_key',
    'origin_server_ts',
  ];
  return Object.fromEntries(Array.from({ length: Math.floor(rand() * 6) }, () => [keys[Math.floor(rand() * keys.length)] ?? 'k', randomJson(rand, depth - 1)]));
}

/** A valid event with one field, at some depth, replaced by random JSON. */
function mutate(rand: () => number, raw: Record<string, unknown>): unknown {
  const copy = structuredClone(raw);
  const keys = Object.keys(copy);
  const key = keys[Math.floor(rand() * keys.length)] ?? 'content';
  const target = rand() < 0.5 && typeof copy['content'] === 'object' && copy['content'] !== null ? (copy['content'] as Record<string, unknown>) : copy;
  target[rand() < 0.5 ? key : (Object.keys(target)[0] ?? key)] = randomJson(rand, 3);
  return copy;
}

function assertWellFormed(t: Translation): void {
  expect(['event', 'ignored', 'invalid']).toContain(t.kind);
  if (t.kind !== 'event') {
    expect(typeof t.reason).toBe('string');
    expect(t.reason.length).toBeGreaterThan(0);
    return;
  }
  expect(t.event.eventId.startsWith('$')).toBe(true);
  expect(Number.isNaN(t.event.createdAt.getTime())).toBe(false);
  if (t.event.kind === 'message' || t.event.kind === 'edit') expect(t.event.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
}

describe('fuzzing', () => {
  const seeds = [
    text({
      body: 'Co-Agent: help',
      format: 'org.matrix.custom.html',
      formatted_body: '<b>help</b>',
      'm.relates_to': { rel_type: 'm.thread', event_id: '$r:x.org', 'm.in_reply_to': { event_id: '$q:x.org' } },
    }),
    roomEvent('m.reaction', { 'm.relates_to': { rel_type: 'm.annotation', event_id: '$some_event_id', key: '👍' } }),
    roomEvent('m.room.redaction', { redacts: '$fukweghifu23:localhost' }),
    roomEvent('m.room.message', {
      msgtype: 'm.text',
      body: '* x',
      'm.new_content': { msgtype: 'm.text', body: 'x' },
      'm.relates_to': { rel_type: 'm.replace', event_id: '$t:x.org' },
    }),
  ];

  it('never throws on random JSON shapes', () => {
    const rand = mulberry32(1);
    for (let i = 0; i < 3000; i++) assertWellFormed(translateMatrixEvent(randomJson(rand, 5), ctx));
  });

  it('never throws on mutated valid events', () => {
    const rand = mulberry32(2);
    let events = 0;
    for (let i = 0; i < 3000; i++) {
      const t = translateMatrixEvent(mutate(rand, seeds[i % seeds.length] ?? {}), ctx);
      assertWellFormed(t);
      if (t.kind === 'event') events++;
    }
    expect(events).toBeGreaterThan(100); // the mutations still reach the deep paths
  });

  it('survives deeply nested garbage', () => {
    let nested: unknown = { body: 'x' };
    for (let i = 0; i < 10_000; i++) nested = { 'm.relates_to': nested, content: [nested] };
    assertWellFormed(translateMatrixEvent(text({ body: 'x', 'm.relates_to': nested, 'm.mentions': nested }), ctx));
  });
});

describe('large input', () => {
  const MB = 1_000_000;
  // Not a speed target (that is the bench's job): a generous bound that only a super-linear
  // blow-up (a backtracking regex on 1 MB takes minutes) can exceed.
  const timed = (raw: unknown): { t: Translation; ms: number } => {
    const start = performance.now();
    const t = translateMatrixEvent(raw, ctx);
    return { t, ms: performance.now() - start };
  };

  it('translates a 1 MB body without a super-linear blow-up', () => {
    const { t, ms } = timed(
      text({ body: 'lorem ipsum @alice:example.org '.repeat(MB / 30), format: 'org.matrix.custom.html', formatted_body: '<p>x</p>'.repeat(MB / 8) }),
    );
    expect(ms).toBeLessThan(10_000);
    const m = event(t) as InboundMessage;
    expect(m.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    expect(m.html).toBeUndefined(); // a cut HTML document would be broken markup
  });

  it('stays linear on pathological bodies', () => {
    const cases = [
      text({ body: '@'.repeat(MB) }),
      text({ body: `@${'a'.repeat(MB)}` }),
      text({ body: `> <@a:b.c> ${'> '.repeat(MB / 2)}`, 'm.relates_to': { 'm.in_reply_to': { event_id: '$q:x.org' } } }),
      text({ body: 'x', format: 'org.matrix.custom.html', formatted_body: '<a href="https://matrix.to/#/'.repeat(MB / 30) }),
      text({ body: 'x', format: 'org.matrix.custom.html', formatted_body: `<mx-reply>${'<mx-reply>'.repeat(MB / 10)}` }),
      text({ body: 'x', 'm.mentions': { user_ids: Array.from({ length: MB / 10 }, (_, i) => `@u${i}:x.org`) } }),
      text({ body: 'x', 'm.relates_to': { rel_type: 'm.thread', event_id: `$${'e'.repeat(MB)}` } }),
    ];
    for (const raw of cases) {
      const { t, ms } = timed(raw);
      assertWellFormed(t);
      expect(ms).toBeLessThan(10_000);
    }
  });
});
