import { describe, expect, it } from 'vitest';
import { decodeEntities } from './entities.js';

describe('decodeEntities', () => {
  it('decodes named, decimal and hex references', () => {
    expect(decodeEntities('&lt;a&gt; &quot;q&quot; &eacute;t&eacute; &mdash; &#233; &#x1F600; &hellip;')).toBe('<a> "q" été — é 😀 …');
  });

  it('keeps unknown names and maps invalid code points to U+FFFD', () => {
    expect(decodeEntities('&nosuch; &#0; &#xD800; &#x110000; &#146;')).toBe('&nosuch; \ufffd \ufffd \ufffd \u2019');
  });

  it('accepts legacy names without a semicolon only', () => {
    expect(decodeEntities('a &amp b &eacute c')).toBe('a & b &eacute c');
  });
});
