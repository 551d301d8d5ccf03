// A small stand-in for Discourse's markdown "cooking" (raw -> cooked HTML). Covers what the
// bot reads and writes: paragraphs (single newlines become <br>), fenced code, inline code,
// @mentions and [quote] blocks, with HTML escaped and HTML comments dropped. Not a markdown engine.
import { stripHtmlComments } from './content-rules.js';

export interface Cooked {
  html: string;
  /** Lower-cased usernames of existing users mentioned outside code (in order, unique). */
  mentions: string[];
}

const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Discourse usernames: letters, digits, _ . - (not ending in . or -). */
const MENTION = /(^|[^\w@/`.])@([A-Za-z0-9_](?:[\w.-]*[A-Za-z0-9_])?)/g;

/** Extracts @mentions of existing users (outside fenced and inline code). */
export function mentionsIn(raw: string, userExists: (name: string) => boolean): string[] {
  const text = raw.replace(/```[\s\S]*?(```|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
  const found: string[] = [];
  for (const m of text.matchAll(MENTION)) {
    const name = (m[2] ?? '').toLowerCase();
    if (userExists(name) && !found.includes(name)) found.push(name);
  }
  return found;
}

function inline(text: string, userExists: (name: string) => boolean): string {
  // Split off inline code first so mentions inside it stay literal.
  return text
    .split(/(`[^`\n]+`)/)
    .map((part) => {
      if (part.startsWith('`') && part.endsWith('`') && part.length > 1) return `<code>${escapeHtml(part.slice(1, -1))}</code>`;
      return escapeHtml(part).replace(MENTION, (_all, before: string, name: string) => {
        const exists = userExists(name.toLowerCase());
        return exists ? `${before}<a class="mention" href="/u/${name.toLowerCase()}">@${name}</a>` : `${before}<span class="mention">@${name}</span>`;
      });
    })
    .join('');
}

function paragraphs(text: string, userExists: (name: string) => boolean): string[] {
  return text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map(
      (p) =>
        `<p>${p
          .split('\n')
          .map((line) => inline(line, userExists))
          .join('<br>\n')}</p>`,
    );
}

const QUOTE_OPEN = /\[quote(?:="([^"\]]*)")?\]/i;

/** Cooks raw markdown into HTML the way Discourse's output looks for these constructs. */
export function cook(raw: string, userExists: (name: string) => boolean): Cooked {
  const blocks: string[] = [];
  // HTML comments stay in raw and never reach cooked (Discourse's sanitizer drops them).
  let rest = stripHtmlComments(raw).replace(/\r\n/g, '\n');
  while (rest.length > 0) {
    const fence = /(^|\n)```([\w+-]*)\n([\s\S]*?)(?:\n```(?=\n|$)|$)/.exec(rest);
    const quote = QUOTE_OPEN.exec(rest);
    const fenceAt = fence ? fence.index + (fence[1] ?? '').length : Infinity;
    const quoteAt = quote ? quote.index : Infinity;
    if (fenceAt === Infinity && quoteAt === Infinity) {
      blocks.push(...paragraphs(rest, userExists));
      break;
    }
    if (fence && fenceAt <= quoteAt) {
      blocks.push(...paragraphs(rest.slice(0, fenceAt), userExists));
      const lang = fence[2] ? fence[2] : 'auto';
      blocks.push(`<pre><code class="lang-${escapeHtml(lang)}">${escapeHtml(fence[3] ?? '')}\n</code></pre>`);
      rest = rest.slice(fence.index + fence[0].length).replace(/^\n/, '');
      continue;
    }
    if (!quote) break; // unreachable: quoteAt is finite here
    blocks.push(...paragraphs(rest.slice(0, quoteAt), userExists));
    const afterOpen = rest.slice(quoteAt + quote[0].length);
    const close = afterOpen.search(/\[\/quote\]/i);
    const inner = close === -1 ? afterOpen : afterOpen.slice(0, close);
    rest = close === -1 ? '' : afterOpen.slice(close + '[/quote]'.length);
    const [username = '', ...attrs] = (quote[1] ?? '').split(',').map((s) => s.trim());
    const data: string[] = [];
    if (username) data.push(`data-username="${escapeHtml(username)}"`);
    for (const attr of attrs) {
      const m = /^(post|topic):\s*(\d+)$/.exec(attr);
      if (m) data.push(`data-${m[1]}="${m[2]}"`);
    }
    const title = username ? `<div class="title">\n<div class="quote-controls"></div>\n${escapeHtml(username)}:</div>\n` : '';
    const body = cook(inner.trim(), userExists).html;
    blocks.push(`<aside class="quote no-group"${data.length ? ` ${data.join(' ')}` : ''}>\n${title}<blockquote>\n${body}\n</blockquote>\n</aside>`);
  }
  return { html: blocks.join('\n'), mentions: mentionsIn(withoutQuotes(raw), userExists) };
}

/** The text outside [quote]...[/quote] blocks, found with indexOf so it stays linear. */
function withoutQuotes(raw: string): string {
  const lower = raw.toLowerCase();
  let out = '';
  let at = 0;
  for (;;) {
    const open = lower.indexOf('[quote', at);
    if (open === -1) return out + raw.slice(at);
    const close = lower.indexOf('[/quote]', open);
    // An unclosed [quote is ordinary text.
    if (close === -1) return out + raw.slice(at);
    out += `${raw.slice(at, open)} `;
    at = close + '[/quote]'.length;
  }
}

/** Plain-text excerpt of cooked HTML (Discourse's excerpts are about 200 characters). */
export function excerpt(cooked: string, max = 200): { text: string; truncated: boolean } {
  const text = cooked
    .replace(/<aside[\s\S]*?<\/aside>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
  return text.length > max ? { text: `${text.slice(0, max)}…`, truncated: true } : { text, truncated: false };
}
