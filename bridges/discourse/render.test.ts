import { describe, expect, it } from 'vitest';
import type { RichText } from '../../core/concierge/rich-text.js';
import { renderMarkdown } from './render.js';

const alice = { platform: 'discourse' as const, externalId: 'alice' };
const matrixBob = { platform: 'matrix' as const, externalId: '@bob:example.org' };
const line = (...segments: RichText[number]) => renderMarkdown([segments]);

describe('renderMarkdown', () => {
  it('renders a Discourse account as an @username mention', () => {
    expect(line('Hi ', { mention: alice, name: 'Alice Liddell' }, '!')).toBe('Hi @alice!');
  });

  it('renders an account of another platform as the bold, escaped name, never as a mention', () => {
    expect(line({ mention: matrixBob, name: 'Bob' })).toBe('**Bob**');
    const out = line({ mention: matrixBob, name: 'Bob *the* [builder]' });
    expect(out).toBe('**Bob \\*the\\* \\[builder\\]**');
    expect(out).not.toContain('@bob');
  });

  it('renders http(s) links as [label](url)', () => {
    expect(line({ link: 'https://example.org/docs', label: 'the docs' })).toBe('[the docs](https://example.org/docs)');
    expect(line({ link: 'HTTP://example.org', label: 'x' })).toBe('[x](HTTP://example.org)');
  });

  it('renders other link schemes as their label only', () => {
    expect(line({ link: 'javascript:alert(1)', label: 'click' })).toBe('click');
    expect(line({ link: 'ftp://example.org/file', label: 'file' })).toBe('file');
    expect(line({ link: '/relative/path', label: 'page' })).toBe('page');
  });

  it('escapes the link label and encodes whitespace in the URL', () => {
    const out = line({ link: 'https://example.org/a b\tc', label: 'Foo [bar]' });
    expect(out).toBe('[Foo \\[bar\\]](https://example.org/a%20b%09c)');
  });

  it('encodes parentheses in the URL so a ")" cannot end the link early', () => {
    const out = line({ link: 'https://example.org/x)**pwned**', label: 'docs' });
    expect(out).toBe('[docs](https://example.org/x%29**pwned**)');
  });

  it('escapes Markdown special characters in plain text', () => {
    expect(line('a *b* _c_ [d](e) `f` #g |h| ~i~ \\j')).toBe('a \\*b\\* \\_c\\_ \\[d\\](e) \\`f\\` \\#g \\|h\\| \\~i\\~ \\\\j');
  });

  it('escapes HTML so a name or title cannot inject tags', () => {
    const out = line('<script>alert(1)</script>');
    expect(out).toBe('\\<script\\>alert(1)\\</script\\>');
    expect(out).not.toContain('<script>');
  });

  it('does not turn a plain @word into a mention', () => {
    const out = line('ask @alice about it');
    expect(out).not.toMatch(/@alice/);
    expect(out).toBe('ask @\u200balice about it');
  });

  it('leaves an @ that starts no word alone', () => {
    expect(line('a @ b')).toBe('a @ b');
  });

  it('renders bold escaped, and code with backticks replaced', () => {
    expect(line({ bold: 'very *important*' })).toBe('**very \\*important\\***');
    expect(line({ code: 'a `b` *c*' })).toBe("`a 'b' *c*`");
  });

  it('joins lines as separate paragraphs', () => {
    expect(renderMarkdown([['first'], ['second', ' line'], []])).toBe('first\n\nsecond line\n\n');
    expect(renderMarkdown([])).toBe('');
  });
});
