// HTML -> text
import { codeMarker, INLINE_CODE_MAX } from './code-blocks.js';
import { decodeEntities } from './entities.js';
import { Finder } from './forward-search.js';
import { afterClosing, CELL, classList, findClosing, LINE, PARAGRAPH, parseTag, RAW_TEXT, SKIP_ELEMENTS, skipElement, type Tag } from './html-tags.js';
import { charClass } from './whitespace.js';

function imageText(tag: Tag): string {
  let alt = decodeEntities(tag.attrs.get('alt') ?? tag.attrs.get('title') ?? '').trim();
  // Discourse and Matrix emoji: ":slight_smile:" -> "slight smile", so emoji-only replies still say something.
  const emoji = /^:([\w+-]{1,60}):$/.exec(alt);
  if (emoji) alt = emoji[1]!.replace(/_/g, ' ');
  alt = alt.replace(/\|\d+x\d+.*$/, '');
  return /^(?:image|img|screenshot|)$/i.test(alt) ? '' : ` ${alt} `;
}

/**
 * The HTML pass. `keepNewlines`: text newlines are meaningful (markdown) rather than plain
 * whitespace (HTML). `knownOnly`: only known HTML tag names count as tags.
 */
export function htmlToText(s: string, keepNewlines: boolean, knownOnly: boolean): string {
  const find = new Finder(s);
  const out: string[] = [];
  let quoteDepth = 0;
  const unclosed = new Set<string>();
  let i = 0;
  // Text since the last real tag; a literal '<' does not end it, so hostile "<<<<" input
  // does not turn into a million tiny pieces.
  let textStart = 0;
  // Newlines owed before the next text (1 line break, 2 paragraph break). Block elements only
  // raise it, so "</li>\n<li>" or "</p><p>" give one break, not a pile of them.
  let pendingBreak = 0;
  const brk = (level: number): void => {
    pendingBreak = Math.max(pendingBreak, level);
  };
  const emit = (text: string): void => {
    if (pendingBreak > 0) {
      // Whitespace right after a block boundary is layout, not content.
      let k = 0;
      let newlines = 0;
      while (k < text.length && charClass(text.charCodeAt(k)) !== 0) {
        if (text.charCodeAt(k) === 10) newlines++;
        k++;
      }
      const level = keepNewlines ? Math.min(2, Math.max(pendingBreak, newlines)) : pendingBreak;
      if (k === text.length) {
        pendingBreak = level;
        return;
      }
      out.push(level > 1 ? '\n\n' : '\n');
      pendingBreak = 0;
      text = text.slice(k);
    }
    out.push(text);
  };
  const flushText = (to: number): void => {
    if (to <= textStart) return;
    const decoded = decodeEntities(s.slice(textStart, to));
    // In HTML a newline is plain whitespace; normalizeWhitespace later collapses the runs.
    // (split/join: a global replace with 10^6 matches takes ~0.4 s, split/join ~0.06 s.)
    emit(keepNewlines || !decoded.includes('\n') ? decoded : decoded.split('\n').join(' '));
  };
  while (i < s.length) {
    const lt = find.next('<', i);
    if (lt === -1) break;
    let end = -1;
    let tag: Tag | undefined;
    if (s.startsWith('<!--', lt)) {
      const close = find.next('-->', lt + 4);
      end = close === -1 ? s.length : close + 3;
    } else if (s[lt + 1] === '!' || s[lt + 1] === '?') {
      const gt = find.next('>', lt);
      if (gt !== -1) end = gt + 1;
    } else {
      tag = parseTag(s, lt, find, knownOnly);
    }
    if (end === -1 && !tag) {
      i = lt + 1;
      continue;
    }
    flushText(lt);
    i = end !== -1 ? end : tag!.end;
    if (tag) i = handleTag(tag, i);
    textStart = i;
  }
  flushText(s.length);
  return out.join('');

  /**
   * Where scanning resumes after skipping the element opened before `at`. An element that is
   * never closed loses only its tag: one stray "<script>" in prose must not eat the message.
   * Once a nested scan for a name has failed, later ones use the first closing tag, so hostile
   * runs of unclosed tags stay linear.
   */
  function skipped(name: string, at: number, nests: boolean): number {
    if (nests && !unclosed.has(name)) {
      const end = skipElement(s, name, at, find);
      if (end !== -1) return end;
      unclosed.add(name);
    }
    const close = findClosing(s, name, at, find);
    return close === -1 ? at : afterClosing(s, close, find);
  }

  /** Emits what an element means for the text; returns where scanning resumes. */
  function handleTag(tag: Tag, at: number): number {
    const { name } = tag;
    if (tag.closing) {
      if (name === 'aside' && quoteDepth > 0) quoteDepth--;
      blockBreak(name);
      return at;
    }
    if (SKIP_ELEMENTS.has(name)) {
      if (tag.selfClosing) return at;
      if (name === 'mx-reply') brk(1);
      return skipped(name, at, !RAW_TEXT.has(name));
    }
    if (name === 'pre' || name === 'code') {
      const close = findClosing(s, name, at, find);
      // Unclosed (a truncated excerpt, or "the <code> tag" in markdown prose): only the tag goes.
      if (close === -1) return at;
      const inner = s.slice(at, close);
      const firstCode = name === 'pre' ? firstTag(inner, 'code') : undefined;
      const code = innerText(inner);
      if (name === 'code' && code.length <= INLINE_CODE_MAX && !code.includes('\n')) {
        emit(code);
      } else {
        brk(2);
        emit(codeMarker(code, codeLanguage(tag, firstCode)));
        brk(2);
      }
      return afterClosing(s, close, find);
    }
    const classes = classList(tag);
    // Discourse decorations: image meta ("image 1920x1080 120 KB") and the quote title (avatar, "bob:").
    if (name === 'div' && (classes.includes('meta') || (quoteDepth > 0 && classes.includes('title')))) {
      return skipped(name, at, true);
    }
    if (name === 'aside' && classes.includes('quote')) quoteDepth++;
    if (name === 'img') emit(imageText(tag));
    // Each <br> is one line break: two in a row make a blank line.
    else if (name === 'br') pendingBreak = Math.min(2, pendingBreak + 1);
    else blockBreak(name);
    return at;
  }

  function blockBreak(name: string): void {
    if (PARAGRAPH.has(name)) brk(2);
    else if (LINE.has(name)) brk(1);
    else if (CELL.has(name)) emit(' ');
  }
}

function firstTag(fragment: string, name: string): Tag | undefined {
  const find = new Finder(fragment);
  const lt = find.next(`<${name}`, 0);
  return lt === -1 ? undefined : parseTag(fragment, lt, find);
}

function codeLanguage(...tags: (Tag | undefined)[]): string | undefined {
  for (const tag of tags) {
    if (!tag) continue;
    for (const c of classList(tag)) {
      const m = /^(?:lang|language)-(.+)$/.exec(c);
      if (m) return m[1];
    }
  }
  return undefined;
}

/** Text content of an HTML fragment with tags removed and entities decoded, line breaks kept. */
function innerText(fragment: string): string {
  const find = new Finder(fragment);
  const parts: string[] = [];
  let textStart = 0;
  let i = 0;
  while (i < fragment.length) {
    const lt = find.next('<', i);
    if (lt === -1) break;
    const tag = parseTag(fragment, lt, find);
    if (!tag) {
      i = lt + 1;
      continue;
    }
    parts.push(fragment.slice(textStart, lt));
    if (tag.name === 'br') parts.push('\n');
    i = textStart = tag.end;
  }
  parts.push(fragment.slice(textStart));
  return decodeEntities(parts.join(''));
}
