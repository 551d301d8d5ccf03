// The forward scans that replace backtracking regexes: what they keep and drop, mentions behind a
// subfolder base path, and linear time on inputs built to make /open[^x]*x[\s\S]*?close/ crawl.
import { describe, expect, it } from 'vitest';
import { cookedMentions, withoutHtmlComments, withoutQuoteAsides, withoutRawQuotes } from './markup-scan.js';

describe('markup scans', () => {
  it("drops HTML comments (the bot's markers among them) and quotes of others, keeping what is unclosed", () => {
    expect(withoutHtmlComments('a <!-- co-agent:k --> b <!-- open')).toBe('a  b <!-- open');
    expect(withoutRawQuotes('before [quote="bob, post:1, topic:2"]said[/quote] after')).toBe('before   after');
    expect(withoutRawQuotes('a [quoted] word and [quote unclosed')).toBe('a [quoted] word and [quote unclosed');
    expect(withoutQuoteAsides('<p>x</p><aside class="quote no-group"><p>y</p></aside><p>z</p>')).toBe('<p>x</p> <p>z</p>');
  });

  it("reads mention links in any attribute order and behind a subfolder install's base path", () => {
    const cooked = '<p><a class="mention" href="/u/alice">@alice</a> <a href="/forum/u/Bob.Smith" class="mention">@Bob.Smith</a> <a href="/u/eve">eve</a></p>';
    expect(cookedMentions(cooked)).toEqual(['alice', 'bob.smith']);
  });

  it('stays linear on hostile megabytes', () => {
    const inputs = ['[quote'.repeat(170_000), '<!--'.repeat(250_000), '<a '.repeat(330_000), '<aside class="quote '.repeat(50_000)];
    for (const input of inputs) {
      const t = performance.now();
      withoutRawQuotes(input);
      withoutHtmlComments(input);
      withoutQuoteAsides(input);
      cookedMentions(input);
      // A quadratic scan of a megabyte takes minutes; a linear one milliseconds, on any machine.
      expect(performance.now() - t).toBeLessThan(1_000);
    }
  });
});
