// Markdown -> text (the output still goes through the HTML pass for inline tags and entities,
// so literal '<' from code spans is escaped here).
import { CODE_SCAN_LIMIT, codeMarker, INLINE_CODE_MAX } from './code-blocks.js';
import { Finder } from './forward-search.js';

interface Fence {
  ch: string;
  len: number;
  lang: string;
  lines: string[];
  size: number;
}

function leadingSpaces(line: string): number {
  let k = 0;
  while (k < line.length && line[k] === ' ') k++;
  return k;
}

function openFence(line: string): Fence | undefined {
  const indent = leadingSpaces(line);
  if (indent > 3) return undefined;
  const ch = line[indent];
  if (ch !== '`' && ch !== '~') return undefined;
  let k = indent;
  while (line[k] === ch) k++;
  const len = k - indent;
  if (len < 3) return undefined;
  const info = line.slice(k).trim();
  if (ch === '`' && info.includes('`')) return undefined;
  const lang = /^[\w+#.-]{1,20}/.exec(info)?.[0] ?? '';
  return { ch, len, lang, lines: [], size: 0 };
}

function closesFence(line: string, fence: Fence): boolean {
  const indent = leadingSpaces(line);
  if (indent > 3) return false;
  let k = indent;
  while (line[k] === fence.ch) k++;
  return k - indent >= fence.len && line.slice(k).trim() === '';
}

function isIndentedCode(line: string): boolean {
  return line.startsWith('    ') || line.startsWith('\t');
}

const LIST_MARKER = /^(?:[-*+]|\d{1,9}[.)])[ \t]+(?:\[[ xX]\][ \t]+)?/;
const REFERENCE_DEF = /^ {0,3}\[[^\]\n]{1,999}\]:[ \t]*\S/;
const BBCODE = /\[\/?(?:quote|details|spoiler|poll|date)\b[^[\]\n]{0,500}\]/gi;

export function markdownToText(src: string): string {
  const lines = src.split('\n');
  const out: string[] = [];
  let fence: Fence | undefined;
  let indented: string[] | undefined;
  let prevBlank = true;
  let inList = false;
  const flushIndented = (): void => {
    if (indented) out.push('', codeMarker(indented.join('\n')), '');
    indented = undefined;
  };
  for (const line of lines) {
    if (fence) {
      if (closesFence(line, fence)) {
        out.push('', codeMarker(fence.lines.join('\n'), fence.lang), '');
        fence = undefined;
        prevBlank = true;
      } else if (fence.size < CODE_SCAN_LIMIT) {
        fence.lines.push(line);
        fence.size += line.length + 1;
      }
      continue;
    }
    const blank = line.trim() === '';
    if (indented) {
      if (blank || isIndentedCode(line)) {
        indented.push(line);
        continue;
      }
      flushIndented();
    }
    const opened = openFence(line);
    if (opened) {
      fence = opened;
      continue;
    }
    if (blank) {
      out.push('');
      prevBlank = true;
      continue;
    }
    // An indented block after a blank line is code, unless it continues a list item.
    if (prevBlank && !inList && isIndentedCode(line)) {
      indented = [line];
      continue;
    }
    const { text, listItem } = markdownLine(line);
    inList = listItem || (inList && (!prevBlank || /^\s/.test(line)));
    prevBlank = false;
    if (text !== undefined) out.push(text);
  }
  if (fence) out.push('', codeMarker(fence.lines.join('\n'), fence.lang), '');
  flushIndented();
  return out.join('\n');
}

/** One markdown line without its block syntax; text undefined when the line is pure markup. */
function markdownLine(line: string): { text: string | undefined; listItem: boolean } {
  // Block quotes: drop the markers (however deeply nested), keep the quoted words.
  let q = 0;
  while (q < line.length && (line[q] === '>' || line[q] === ' ' || line[q] === '\t')) q++;
  let t = (line.slice(0, q).includes('>') ? line.slice(q) : line).trim();
  if (t.length >= 3 && /^[-=*_ ]+$/.test(t) && new Set(t.replace(/ /g, '')).size === 1) return { text: undefined, listItem: false };
  if (REFERENCE_DEF.test(t)) return { text: undefined, listItem: false };
  if (t.startsWith('|') || /^:?-{3,}:?\s*\|/.test(t)) {
    if (/^[|:\s-]+$/.test(t)) return { text: undefined, listItem: false };
    t = t.split('|').join(' ');
  }
  let listItem = false;
  const marker = LIST_MARKER.exec(t);
  if (marker) {
    t = t.slice(marker[0].length);
    listItem = true;
  }
  if (t.startsWith('#')) {
    let k = 0;
    while (t[k] === '#') k++;
    if (k <= 6 && (k === t.length || t[k] === ' ' || t[k] === '\t')) {
      t = t.slice(k).trim();
      let e = t.length;
      while (e > 0 && t[e - 1] === '#') e--;
      if (e === 0 || t[e - 1] === ' ') t = t.slice(0, e).trimEnd();
    }
  }
  t = t.replace(BBCODE, ' ');
  return { text: inlineMarkdown(t, 0), listItem };
}

const ASCII_PUNCT = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';
const INLINE_SPECIAL = new Set(['\\', '`', '!', '[', '<', '*', '_', '~']);
const LINK_TEXT_MAX = 1000;
const LINK_URL_MAX = 2000;

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}]/u.test(c);
}

function escapeLt(s: string): string {
  return s.replace(/</g, '&lt;');
}

/** Inline markdown -> text: code spans, links, images, autolinks, emphasis markers. */
function inlineMarkdown(s: string, depth: number): string {
  const find = new Finder(s);
  const out: string[] = [];
  // Text since the last rewrite: literal specials ("a < b", a lone '[') stay inside it.
  let copyFrom = 0;
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (!INLINE_SPECIAL.has(c)) {
      i++;
      continue;
    }
    const rewrite = inlineAt(s, i, c, find, depth);
    if (!rewrite) {
      i++;
      continue;
    }
    if (i > copyFrom) out.push(s.slice(copyFrom, i));
    out.push(rewrite.text);
    i = copyFrom = rewrite.end;
  }
  if (copyFrom === 0) return s;
  out.push(s.slice(copyFrom));
  return out.join('');
}

/** The markdown construct starting at s[i] (a special character) and its text, if any. */
function inlineAt(s: string, i: number, c: string, find: Finder, depth: number): { text: string; end: number } | undefined {
  if (c === '\\') {
    const next = s[i + 1];
    if (next === undefined || !ASCII_PUNCT.includes(next)) return undefined;
    return { text: next === '<' ? '&lt;' : next, end: i + 2 };
  }
  if (c === '`') {
    let k = i;
    while (s[k] === '`') k++;
    if (i > 0 && s[i - 1] === '`') return undefined;
    const close = find.next(s.slice(i, k), k);
    if (close === -1) return { text: s.slice(i, k), end: k };
    const code = s.slice(k, close).trim();
    return { text: code.length > INLINE_CODE_MAX ? ` ${codeMarker(code)} ` : escapeLt(code), end: close + (k - i) };
  }
  if (c === '[' || (c === '!' && s[i + 1] === '[')) {
    if (depth >= 3) return undefined;
    const link = parseLink(s, c === '!' ? i + 1 : i, find);
    if (!link) return undefined;
    return { text: c === '!' ? imageAlt(link.label) : inlineMarkdown(link.label, depth + 1), end: link.end };
  }
  if (c === '<') {
    const gt = find.next('>', i);
    if (gt === -1 || gt - i > LINK_URL_MAX) return undefined;
    const inner = s.slice(i + 1, gt);
    return /^(?:https?|ftp):\/\/[^\s<>]+$|^mailto:[^\s<>]+$/i.test(inner) ? { text: inner, end: gt + 1 } : undefined;
  }
  if (c === '*' || c === '_' || c === '~') {
    if (i > 0 && s[i - 1] === c) return undefined;
    let k = i;
    while (s[k] === c) k++;
    const before = i > 0 ? s[i - 1] : undefined;
    const after = s[k];
    const spaceBefore = before === undefined || /\s/.test(before);
    const spaceAfter = after === undefined || /\s/.test(after);
    // Emphasis markers touch a word on one side; "2 * 3", snake_case and "~/dir" are literal.
    const literal = (spaceBefore && spaceAfter) || (c === '_' && isWordChar(before) && isWordChar(after)) || (c === '~' && k - i < 2);
    return literal ? undefined : { text: '', end: k };
  }
  return undefined;
}

function imageAlt(label: string): string {
  const alt = label.replace(/\|.*$/, '').trim();
  return /^(?:image|img|screenshot|)$/i.test(alt) ? '' : alt;
}

/** [label](url "title"), [label][ref] or [label][]; undefined when s[open] starts no link. */
function parseLink(s: string, open: number, find: Finder): { label: string; end: number } | undefined {
  const close = find.next(']', open + 1);
  if (close === -1 || close - open > LINK_TEXT_MAX) return undefined;
  const label = s.slice(open + 1, close);
  if (s[close + 1] === '(') {
    const paren = find.next(')', close + 2);
    if (paren === -1 || paren - close > LINK_URL_MAX) return undefined;
    return { label, end: paren + 1 };
  }
  if (s[close + 1] === '[') {
    const refEnd = find.next(']', close + 2);
    if (refEnd === -1 || refEnd - close > LINK_TEXT_MAX) return undefined;
    return { label, end: refEnd + 1 };
  }
  return undefined;
}
