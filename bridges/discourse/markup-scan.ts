// Forward scans over a post's raw Markdown and cooked HTML with indexOf: each position is looked
// at a bounded number of times, so a hostile post ("[quote" fifty thousand times, "<a " without
// ">") costs linear time. Regexes of the shape /open[^x]*x[\s\S]*?close/ retry from every
// opener and cost the square of the input: 29 s of blocked event loop for 300 KB.

/** Raw without HTML comments (Discourse keeps them in raw and never shows them). */
export function withoutHtmlComments(raw: string): string {
  return cutBlocks(raw, raw, '<!--', () => 0, '-->');
}

/** Raw without [quote ...]...[/quote] blocks (what someone else said). */
export function withoutRawQuotes(raw: string): string {
  return cutBlocks(raw, raw.toLowerCase(), '[quote', (lower, at) => (lower[at] === ']' || lower[at] === '=' || lower[at] === ' ' ? 0 : -1), '[/quote]', ' ');
}

/** Cooked HTML without <aside class="quote ...">...</aside> blocks. */
export function withoutQuoteAsides(cooked: string): string {
  return cutBlocks(cooked, cooked.toLowerCase(), '<aside class="quote', (lower, at) => (lower[at] === '"' || lower[at] === ' ' ? 0 : -1), '</aside>', ' ');
}

/**
 * `text` without the blocks that run from `open` to `close`; `accept` decides from the
 * character after `open` whether it really opens a block (-1: no). An opener never closed is
 * ordinary text, and so is everything after it: no later block can close either.
 */
function cutBlocks(text: string, search: string, open: string, accept: (search: string, at: number) => number, close: string, replacement = ''): string {
  const parts: string[] = [];
  let copyFrom = 0;
  let at = search.indexOf(open);
  while (at !== -1) {
    if (accept(search, at + open.length) === -1) {
      at = search.indexOf(open, at + open.length);
      continue;
    }
    const end = search.indexOf(close, at + open.length);
    if (end === -1) break;
    parts.push(text.slice(copyFrom, at), replacement);
    copyFrom = end + close.length;
    at = search.indexOf(open, copyFrom);
  }
  if (copyFrom === 0) return text;
  parts.push(text.slice(copyFrom));
  return parts.join('');
}

/**
 * Usernames in cooked mention links: `<a class="mention" href="{base_path}/u/{name}">`, in any
 * attribute order (subfolder installs put a path before /u/).
 */
export function cookedMentions(cooked: string): string[] {
  const names: string[] = [];
  const lower = cooked.toLowerCase();
  let at = lower.indexOf('<a');
  while (at !== -1) {
    const end = lower.indexOf('>', at + 2);
    // No ">" left: no tag can finish, so no mention either.
    if (end === -1) break;
    const tag = cooked.slice(at, end);
    if (/\sclass="[^"]*\bmention\b[^"]*"/i.test(tag)) {
      const href = /\shref="([^"]*)"/i.exec(tag)?.[1];
      const name = href ? /\/u\/([^/?#"]+)\/?$/.exec(href)?.[1] : undefined;
      if (name) {
        try {
          names.push(decodeURIComponent(name).toLowerCase());
        } catch {
          names.push(name.toLowerCase());
        }
      }
    }
    at = lower.indexOf('<a', end);
  }
  return names;
}
