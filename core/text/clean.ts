// Turns community messages (Discourse "cooked" HTML, Matrix formatted_body, Markdown, Stack
// Exchange bodies) into plain readable text for embedding and lexical search.
//
// Everything here is a hand-written forward scanner or a regex without nested unbounded
// quantifiers, so the cost is linear in the input: a 1 MB post from a hostile user must not
// stall the engine. cleanText never throws; on an internal bug it falls back to crude tag removal.
//
// Decisions:
// - Links keep their text; a URL becomes its host ("github.com"). Paths and query strings
//   are long, high-entropy token runs that cost model time and drown short messages, while
//   the host still says which project or site is meant. The raw text keeps the full URL.
// - Code blocks become "[code <lang>: a few identifiers]". Code tokenises into many pieces
//   and would swamp a sentence encoder; the identifiers (error names, APIs) keep the topic.
//   Short inline code (`npm install`) stays as text: it is usually the key term.
// - Matrix reply fallbacks (the quoted parent message) are removed: they repeat another
//   message and would make every reply look like its parent.
//
// The parts, one module each: format-detection, reply-fallback, html-text (with html-tags),
// markdown-text, entities, code-blocks, urls and whitespace.
import { detectFormat, type ConcreteFormat } from './format-detection.js';
import { htmlToText } from './html-text.js';
import { markdownToText } from './markdown-text.js';
import { stripPlainReplyFallback } from './reply-fallback.js';
import { shortenUrls } from './urls.js';
import { wellFormed } from './well-formed.js';
import { normalizeWhitespace } from './whitespace.js';

export type TextFormat = ConcreteFormat | 'auto';

/** Cleans `input` into plain text; `format` 'auto' (default) guesses from the content. */
export function cleanText(input: string, format: TextFormat = 'auto'): string {
  const raw = typeof input === 'string' ? input : String(input ?? '');
  try {
    let s = wellFormed(raw);
    if (s.includes('\r')) s = s.split('\r\n').join('\n').split('\r').join('\n');
    const kind = format === 'auto' ? detectFormat(s) : format;
    if (kind !== 'html') s = stripPlainReplyFallback(s);
    if (kind === 'html') s = htmlToText(s, false, false);
    else if (kind === 'markdown') s = htmlToText(markdownToText(s), true, true);
    return normalizeWhitespace(shortenUrls(s));
  } catch {
    return fallbackClean(raw);
  }
}

function fallbackClean(raw: string): string {
  try {
    return normalizeWhitespace(wellFormed(raw).replace(/<[^<>]*>/g, ' '));
  } catch {
    return '';
  }
}
