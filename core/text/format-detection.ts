// Guesses whether a message is HTML, Markdown or plain text, so cleanText can pick its pass.

/** What a message is written in, once known. */
export type ConcreteFormat = 'plain' | 'html' | 'markdown';

const HTML_BLOCK = /<\/?(?:p|div|br|pre|ul|ol|li|h[1-6]|blockquote|table|tr|td|mx-reply|aside|hr)(?=[\s>/])/i;
const HTML_INLINE = /<\/?(?:a|span|strong|em|b|i|u|s|code|img|del|sup|sub|kbd|font|details|summary)(?=[\s>/])/i;
const MD_STRONG = /(?:^|\n) {0,3}(?:```|~~~|#{1,6} )|\]\(|\]\[/;
const MD_WEAK = /(?:^|\n) {0,3}(?:[-*+] \S|> |\d{1,9}[.)] \S)|\*\*\S|__\S|`[^`\n]{1,200}`|(?:^|\n)(?: {4}|\t)\S/;

const STARTS_WITH_HTML = /^\s*<(?:p|div|pre|ul|ol|h[1-6]|blockquote|table|mx-reply|aside|hr|span|a|img|strong|em|b|i|code|details)(?=[\s>/])/i;

export function detectFormat(s: string): ConcreteFormat {
  // Discourse cooked and Stack Exchange bodies start with a tag; their <pre> blocks may hold
  // lines such as "# comment" that would look like markdown.
  if (STARTS_WITH_HTML.test(s)) return 'html';
  // Markdown syntax wins over block tags mentioned in prose ("put it in <head>"): the markdown
  // path strips known tags as well, it only keeps the author's line breaks.
  if (MD_STRONG.test(withoutPre(s)) || MD_WEAK.test(s)) return 'markdown';
  if (HTML_BLOCK.test(s)) return 'html';
  // Inline tags in otherwise plain text (Stack Exchange markdown with <kbd>).
  if (HTML_INLINE.test(s)) return 'markdown';
  return 'plain';
}

/** `s` without <pre>...</pre> blocks (lowercase, as every platform emits them). */
function withoutPre(s: string): string {
  let open = s.indexOf('<pre');
  if (open === -1) return s;
  const parts: string[] = [];
  let from = 0;
  while (open !== -1) {
    parts.push(s.slice(from, open));
    const close = s.indexOf('</pre>', open);
    if (close === -1) return parts.join('');
    from = close + 6;
    open = s.indexOf('<pre', from);
  }
  parts.push(s.slice(from));
  return parts.join('');
}
