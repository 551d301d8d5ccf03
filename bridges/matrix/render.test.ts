// The Matrix bridge's rendering of the concierge's rich text (kept with the concierge tests
// because it is where rich text becomes what people see).
import { describe, expect, it } from 'vitest';
import { permalinkForUser, renderMessage } from './render.js';
import type { RichText } from '../../core/concierge/rich-text.js';

describe('renderMessage', () => {
  it('escapes HTML in text, names, labels and code', () => {
    const content = renderMessage([
      ['<script>alert("x")</script> & \'quotes\''],
      [{ mention: { platform: 'matrix', externalId: '@eve:example.org' }, name: 'Eve "<b>" O\'Neil' }],
      [{ bold: '<i>bold</i>' }, ' ', { code: '<tag>' }],
    ]);
    expect(content.formatted_body).not.toMatch(/<script|<b>|<i>|<tag>/);
    expect(content.formatted_body).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quotes&#39;');
    expect(content.formatted_body).toContain('>Eve &quot;&lt;b&gt;&quot; O&#39;Neil</a>');
    expect(content.formatted_body).toContain('<strong>&lt;i&gt;bold&lt;/i&gt;</strong> <code>&lt;tag&gt;</code>');
    // The plain body keeps the text as written.
    expect(content.body.split('\n')[0]).toBe('<script>alert("x")</script> & \'quotes\'');
  });

  it('turns mentions into matrix.to pills and m.mentions, Matrix accounts only, once each', () => {
    const text: RichText = [
      [
        'Asking ',
        { mention: { platform: 'matrix', externalId: '@bob:example.org' }, name: 'Bob' },
        ', ',
        { mention: { platform: 'discourse', externalId: 'carol' }, name: 'Carol' },
        ' and ',
        { mention: { platform: 'matrix', externalId: '@bob:example.org' }, name: 'Bob' },
      ],
    ];
    const content = renderMessage(text);
    expect(permalinkForUser('@bob:example.org')).toBe('https://matrix.to/#/%40bob%3Aexample.org');
    expect(content.formatted_body).toContain('<a href="https://matrix.to/#/%40bob%3Aexample.org">Bob</a>');
    expect(content['m.mentions']).toEqual({ user_ids: ['@bob:example.org'] });
    expect(content.body).toBe('Asking Bob, Carol and Bob');
  });

  it('makes anchors only of http(s) links', () => {
    const content = renderMessage([
      [{ link: 'https://example.org/t/1?a=1&b="2"', label: 'safe' }],
      [{ link: 'HTTP://example.org', label: 'upper' }],
      [{ link: 'javascript:alert(1)', label: 'evil' }],
      [{ link: 'data:text/html,<b>', label: '<evil2>' }],
    ]);
    const lines = content.formatted_body.split('<br>');
    expect(lines[0]).toBe('<a href="https://example.org/t/1?a=1&amp;b=&quot;2&quot;">safe</a>');
    expect(lines[1]).toBe('<a href="HTTP://example.org">upper</a>');
    expect(lines[2]).toBe('evil');
    expect(lines[3]).toBe('&lt;evil2&gt;');
    expect(content.formatted_body).not.toContain('javascript:');
  });

  it('sends a notice by default, with the HTML format', () => {
    expect(renderMessage([['hi']])).toMatchObject({
      msgtype: 'm.notice',
      format: 'org.matrix.custom.html',
      body: 'hi',
      formatted_body: 'hi',
      'm.mentions': { user_ids: [] },
    });
    expect(renderMessage([['hi']], 'm.text').msgtype).toBe('m.text');
  });
});
