import { describe, expect, it } from 'vitest';
import {
  MAX_MENTIONS,
  addressesBot,
  extractMentions,
  intentionalMentions,
  isMatrixUserId,
  localpart,
  mentionsBot,
  pillMentions,
  stripReplyFallbackBody,
  stripReplyFallbackHtml,
  textMentions,
} from './mentions.js';

const bot = { userId: '@coagent:example.org', displayName: 'Co-Agent' };
const ids = (r: { mentions: { externalId: string }[] }) => r.mentions.map((m) => m.externalId);

describe('isMatrixUserId / localpart', () => {
  it('accepts spec-shaped ids and rejects the rest', () => {
    expect(isMatrixUserId('@alice:example.org')).toBe(true);
    expect(isMatrixUserId('@_discord_123:matrix.example.org:8448')).toBe(true);
    expect(isMatrixUserId('@bob:[2001:db8::1]')).toBe(true);
    for (const bad of ['alice:example.org', '@alice', '@:example.org', '@al ice:example.org', '', 42, null, `@${'a'.repeat(300)}:x.org`]) {
      expect(isMatrixUserId(bad), String(bad)).toBe(false);
    }
  });

  it('takes the localpart', () => {
    expect(localpart('@coagent:example.org')).toBe('coagent');
  });
});

describe('intentionalMentions', () => {
  it('reads m.mentions.user_ids and drops junk entries', () => {
    expect(intentionalMentions({ user_ids: ['@alice:example.org', 7, 'nobody', '@bob:example.com'] })).toEqual(['@alice:example.org', '@bob:example.com']);
  });

  it('returns nothing for malformed or room-only m.mentions', () => {
    expect(intentionalMentions(undefined)).toEqual([]);
    expect(intentionalMentions('x')).toEqual([]);
    expect(intentionalMentions({ user_ids: '@alice:example.org' })).toEqual([]);
    expect(intentionalMentions({ room: true })).toEqual([]);
  });
});

describe('pillMentions', () => {
  it('finds plain, URL-encoded and ?via= pills', () => {
    const html =
      '<a href="https://matrix.to/#/@alice:example.org">Alice</a>, ' +
      "<a href='https://matrix.to/#/%40bob%3Aexample.com?via=example.com'>Bob</a> and " +
      '<a href="https://matrix.to/#/@carol:example.net?via=a.org&amp;via=b.org">Carol</a>';
    expect(pillMentions(html)).toEqual(['@alice:example.org', '@bob:example.com', '@carol:example.net']);
  });

  it('reads matrix: URIs but not room or event permalinks', () => {
    const html =
      '<a href="matrix:u/dave:example.org?action=chat">Dave</a> ' +
      '<a href="https://matrix.to/#/!room:example.org/$event">a message</a> ' +
      '<a href="https://matrix.to/#/#help:example.org">#help</a> ' +
      '<a href="https://matrix.to/#/%E0%A4%A">broken escape</a>';
    expect(pillMentions(html)).toEqual(['@dave:example.org']);
  });
});

describe('textMentions', () => {
  it('finds full user ids in text, without sentence punctuation', () => {
    expect(textMentions('ask @alice:example.org. or @bob:example.com:8448, maybe', bot)).toEqual(['@alice:example.org', '@bob:example.com:8448']);
  });

  it('does not take e-mail addresses for user ids', () => {
    expect(textMentions('mail me at me@alice:example.org', bot)).toEqual([]);
  });

  it('finds the bot by "@localpart" anywhere, case-insensitively', () => {
    expect(textMentions('hey @CoAgent can you help?', bot)).toEqual([bot.userId]);
    expect(textMentions('thanks @coagent.', bot)).toEqual([bot.userId]);
  });

  it('does not confuse @localpart with a longer name or a namesake on another server', () => {
    expect(textMentions('hi @coagentfan', bot)).toEqual([]);
    expect(textMentions('hi @coagent:other.org', bot)).toEqual(['@coagent:other.org']);
  });
});

describe('addressesBot', () => {
  it('accepts display name or localpart at the start followed by ":" or ","', () => {
    expect(addressesBot('Co-Agent: can you help', bot)).toBe(true);
    expect(addressesBot('co-agent, can you help', bot)).toBe(true);
    expect(addressesBot('coagent: help', bot)).toBe(true);
    expect(addressesBot('  @Co-Agent: help', bot)).toBe(true);
  });

  it('rejects the name elsewhere or without the separator', () => {
    expect(addressesBot('I asked Co-Agent: nothing', bot)).toBe(false);
    expect(addressesBot('Co-Agents are nice', bot)).toBe(false);
    expect(addressesBot('coagent is here', bot)).toBe(false);
  });

  it('ignores an empty display name', () => {
    expect(addressesBot(': hello', { userId: bot.userId, displayName: '  ' })).toBe(false);
  });
});

describe('extractMentions', () => {
  it('unites all forms, de-duplicated, as matrix ActorRefs', () => {
    const result = extractMentions(
      {
        body: 'Co-Agent: @alice:example.org knows, ask @bob:example.com',
        html: '<a href="https://matrix.to/#/%40alice%3Aexample.org">Alice</a>',
        mMentions: { user_ids: ['@carol:example.net', '@alice:example.org'] },
      },
      bot,
    );
    expect(result.mentions).toEqual([
      { platform: 'matrix', externalId: '@carol:example.net' },
      { platform: 'matrix', externalId: '@alice:example.org' },
      { platform: 'matrix', externalId: '@bob:example.com' },
      { platform: 'matrix', externalId: '@coagent:example.org' },
    ]);
    expect(result.mentionsBot).toBe(true);
  });

  it('says mentionsBot false when only others are named', () => {
    const result = extractMentions({ body: 'ping @alice:example.org' }, bot);
    expect(result.mentionsBot).toBe(false);
    expect(ids(result)).toEqual(['@alice:example.org']);
  });

  it('caps the list but keeps the bot', () => {
    const many = Array.from({ length: 150 }, (_, i) => `@user${i}:example.org`);
    const result = extractMentions({ body: 'hi', mMentions: { user_ids: [...many, bot.userId] } }, bot);
    expect(result.mentions).toHaveLength(MAX_MENTIONS);
    expect(ids(result)).toContain(bot.userId);
    expect(result.mentionsBot).toBe(true);
  });

  it('mentionsBot() checks a list for the bot', () => {
    expect(mentionsBot([{ platform: 'matrix', externalId: bot.userId }], bot.userId)).toBe(true);
    expect(mentionsBot([{ platform: 'discourse', externalId: bot.userId }], bot.userId)).toBe(false);
  });
});

describe('reply fallbacks', () => {
  it('strips the quoted lines and the blank line after them', () => {
    const body = '> <@alice:example.org> Co-Agent: who knows nginx?\n> second line\n>\n\nthat would be me';
    expect(stripReplyFallbackBody(body)).toBe('that would be me');
    expect(stripReplyFallbackBody('> * <@alice:example.org> waves\n\nhi')).toBe('hi');
  });

  it('leaves a quote the author typed', () => {
    expect(stripReplyFallbackBody('> the docs say\n\nbut it fails')).toBe('> the docs say\n\nbut it fails');
  });

  it('strips <mx-reply>, nested ones too, and everything after an unclosed one', () => {
    const html =
      '<mx-reply><blockquote><a href="https://matrix.to/#/@alice:example.org">Alice</a> ' + '<mx-reply>older</mx-reply>hello</blockquote></mx-reply>my answer';
    expect(stripReplyFallbackHtml(html)).toBe('my answer');
    expect(stripReplyFallbackHtml('<mx-reply><blockquote>never closed')).toBe('');
    expect(stripReplyFallbackHtml('<b>no fallback</b><mx-reply>x</mx-reply>')).toBe('<b>no fallback</b><mx-reply>x</mx-reply>');
  });

  it('mentions in a stripped fallback do not count', () => {
    const body = stripReplyFallbackBody('> <@alice:example.org> @coagent:example.org help\n\nok thanks');
    const html = stripReplyFallbackHtml('<mx-reply><blockquote><a href="https://matrix.to/#/@alice:example.org">Alice</a></blockquote></mx-reply>ok thanks');
    const result = extractMentions({ body, html }, bot);
    expect(result.mentions).toEqual([]);
    expect(result.mentionsBot).toBe(false);
  });
});
