// HTML tags: which elements mean what for the text, and a tolerant linear-time tag parser.
import { Finder } from './forward-search.js';

// Elements whose content is never readable text (or, for mx-reply, repeats another message).
export const SKIP_ELEMENTS = new Set([
  'script',
  'style',
  'template',
  'head',
  'noscript',
  'svg',
  'iframe',
  'object',
  'mx-reply',
  'button',
  'select',
  'textarea',
]);
export const RAW_TEXT = new Set(['script', 'style', 'textarea']);
// Block elements: a paragraph break, a line break, or (table cells) a space.
export const PARAGRAPH = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'ul',
  'ol',
  'dl',
  'table',
  'aside',
  'section',
  'article',
  'header',
  'footer',
  'nav',
  'main',
  'details',
  'figure',
  'hr',
  'pre',
  'form',
  'fieldset',
]);
export const LINE = new Set(['br', 'li', 'tr', 'div', 'dt', 'dd', 'summary', 'figcaption', 'caption', 'thead', 'tbody', 'tfoot', 'address', 'center']);
export const CELL = new Set(['td', 'th']);
// In markdown mode only these names are treated as tags, so "List<String>" or "a<b" survive.
const KNOWN_TAGS = new Set([
  ...SKIP_ELEMENTS,
  ...PARAGRAPH,
  ...LINE,
  ...CELL,
  'a',
  'abbr',
  'b',
  'big',
  'cite',
  'code',
  'del',
  'dfn',
  'em',
  'font',
  'i',
  'img',
  'input',
  'ins',
  'kbd',
  'mark',
  'q',
  's',
  'samp',
  'small',
  'span',
  'strike',
  'strong',
  'sub',
  'sup',
  'time',
  'u',
  'var',
  'wbr',
  'html',
  'body',
  'meta',
  'link',
  'title',
  'source',
  'video',
  'audio',
  'picture',
  'label',
  'col',
  'colgroup',
]);
// Only these elements' attributes are read (class, alt, title); others skip building the map.
const ATTRIBUTE_TAGS = new Set(['img', 'pre', 'code', 'div', 'aside']);

export interface Tag {
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attrs: Map<string, string>;
  /** Index just after the tag's '>'. */
  end: number;
}

function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 45;
}
const MAX_TAG_NAME = 40;

function isAsciiLetter(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
}

/**
 * Parses the tag starting at s[lt] === '<'; undefined when it is not a tag (a literal '<').
 * With `knownOnly`, unknown names are rejected before their attributes are scanned, so a run
 * of "<foo x='" fragments cannot make the scan quadratic.
 */
export function parseTag(s: string, lt: number, find: Finder, knownOnly = false): Tag | undefined {
  let j = lt + 1;
  const closing = s[j] === '/';
  if (closing) j++;
  if (!isAsciiLetter(s[j])) return undefined;
  const nameStart = j;
  while (j < s.length && j - nameStart < MAX_TAG_NAME && isNameChar(s.charCodeAt(j))) j++;
  const name = s.slice(nameStart, j).toLowerCase();
  if (knownOnly && !KNOWN_TAGS.has(name)) return undefined;
  const gt = find.next('>', j);
  if (gt === -1) return undefined;
  const attrs = new Map<string, string>();
  let selfClosing = false;
  while (j < s.length) {
    const c = s[j]!;
    if (c === '>') return { name, closing, selfClosing, attrs, end: j + 1 };
    if (c === '/') {
      selfClosing = s[j + 1] === '>';
      j++;
      continue;
    }
    if (c === ' ' || c === '\n' || c === '\t' || c === '\f') {
      j++;
      continue;
    }
    const attrStart = j;
    while (j < s.length && !' \n\t\f=>/'.includes(s[j]!)) j++;
    const attr = s.slice(attrStart, j).toLowerCase();
    let value = '';
    while (s[j] === ' ' || s[j] === '\n' || s[j] === '\t') j++;
    if (s[j] === '=') {
      j++;
      while (s[j] === ' ' || s[j] === '\n' || s[j] === '\t') j++;
      const q = s[j];
      if (q === '"' || q === "'") {
        const close = find.next(q, j + 1);
        // An unterminated quote: give up on attributes and end the tag at the first '>'.
        if (close === -1) return { name, closing, selfClosing: false, attrs, end: gt + 1 };
        value = s.slice(j + 1, close);
        j = close + 1;
      } else {
        const vStart = j;
        while (j < s.length && !' \n\t\f>'.includes(s[j]!)) j++;
        value = s.slice(vStart, j);
      }
    }
    if (attr && ATTRIBUTE_TAGS.has(name)) attrs.set(attr, value);
  }
  return { name, closing, selfClosing, attrs, end: s.length };
}

/**
 * Index of `</name` (case-insensitive) at or after `from`, or -1. Memoised per name like
 * Finder: runs of unclosed "<script>" or "<pre>" among other closing tags would otherwise
 * rescan to the end once per tag.
 */
export function findClosing(s: string, name: string, from: number, find: Finder): number {
  const memo = find.closing.get(name);
  if (memo && from >= memo[0] && (memo[1] === -1 || from <= memo[1])) return memo[1];
  let at = from;
  let found = -1;
  for (;;) {
    const k = find.next('</', at);
    if (k === -1) break;
    if (s.slice(k + 2, k + 2 + name.length).toLowerCase() === name && !isNameChar(s.charCodeAt(k + 2 + name.length))) {
      found = k;
      break;
    }
    at = k + 2;
  }
  find.closing.set(name, [from, found]);
  return found;
}

/**
 * End index of the element opened just before `from`, counting nested elements of the same
 * name; -1 when it is never closed.
 */
export function skipElement(s: string, name: string, from: number, find: Finder): number {
  let depth = 1;
  let at = from;
  while (at < s.length) {
    const lt = find.next('<', at);
    if (lt === -1) return -1;
    const tag = parseTag(s, lt, find);
    if (!tag) {
      at = lt + 1;
      continue;
    }
    at = tag.end;
    if (tag.name !== name || tag.selfClosing) continue;
    depth += tag.closing ? -1 : 1;
    if (depth === 0) return at;
  }
  return -1;
}

/** End index after the closing tag at `closeAt`, or the input end. */
export function afterClosing(s: string, closeAt: number, find: Finder): number {
  const gt = find.next('>', closeAt);
  return gt === -1 ? s.length : gt + 1;
}

export function classList(tag: Tag): string[] {
  return (tag.attrs.get('class') ?? '').split(/\s+/).filter(Boolean);
}
