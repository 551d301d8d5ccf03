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
import { wellFormed } from './well-formed.js';

export type TextFormat = 'plain' | 'html' | 'markdown' | 'auto';

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

// ---------------------------------------------------------------------------------------------
// Format detection

const HTML_BLOCK = /<\/?(?:p|div|br|pre|ul|ol|li|h[1-6]|blockquote|table|tr|td|mx-reply|aside|hr)(?=[\s>/])/i;
const HTML_INLINE = /<\/?(?:a|span|strong|em|b|i|u|s|code|img|del|sup|sub|kbd|font|details|summary)(?=[\s>/])/i;
const MD_STRONG = /(?:^|\n) {0,3}(?:```|~~~|#{1,6} )|\]\(|\]\[/;
const MD_WEAK = /(?:^|\n) {0,3}(?:[-*+] \S|> |\d{1,9}[.)] \S)|\*\*\S|__\S|`[^`\n]{1,200}`|(?:^|\n)(?: {4}|\t)\S/;

const STARTS_WITH_HTML = /^\s*<(?:p|div|pre|ul|ol|h[1-6]|blockquote|table|mx-reply|aside|hr|span|a|img|strong|em|b|i|code|details)(?=[\s>/])/i;

function detectFormat(s: string): Exclude<TextFormat, 'auto'> {
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

// ---------------------------------------------------------------------------------------------
// Unicode and whitespace

// Whitespace classes for normalizeWhitespace: 0 text, 1 horizontal space or control character,
// 2 newline, 3 invisible (zero-width and bidi controls: no meaning, but they split words for the
// tokenizer). U+200D (zero-width joiner) counts as text: it glues emoji sequences together.
function charClass(c: number): number {
  if (c > 32 && c < 127) return 0;
  if (c === 10) return 2;
  if (c <= 32 || (c >= 0x7f && c <= 0x9f)) return 1;
  if (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f || c === 0x3000) return 1;
  if (c === 0xad || c === 0x200b || c === 0x200c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x2064) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff) return 3;
  return 0;
}

/**
 * One pass: drops invisible characters, turns runs of spaces into one space, trims lines, keeps
 * at most one blank line, trims the ends. Stretches that need no change are copied as one
 * slice, so ordinary text makes few pieces (chained regexes allocate a match per newline and
 * took ~0.3 s on a megabyte of blank lines).
 */
function normalizeWhitespace(s: string): string {
  const parts: string[] = [];
  let copyFrom = 0;
  let emitted = false;
  let i = 0;
  while (i < s.length) {
    if (charClass(s.charCodeAt(i)) === 0) {
      emitted = true;
      i++;
      continue;
    }
    const start = i;
    let spaces = false;
    let newlines = 0;
    while (i < s.length) {
      const kind = charClass(s.charCodeAt(i));
      if (kind === 0) break;
      if (kind === 1) spaces = true;
      else if (kind === 2) newlines++;
      i++;
    }
    const atEdge = !emitted || i === s.length;
    const replacement = atEdge ? '' : newlines > 1 ? '\n\n' : newlines === 1 ? '\n' : spaces ? ' ' : '';
    if (i - start === replacement.length && s.startsWith(replacement, start)) continue;
    if (start > copyFrom) parts.push(s.slice(copyFrom, start));
    if (replacement) parts.push(replacement);
    copyFrom = i;
  }
  if (copyFrom === 0) return s;
  if (copyFrom < s.length) parts.push(s.slice(copyFrom));
  return parts.join('');
}

// Bounded-free but linear: one character class, then a literal.
const URL_RE = /\b(?:https?|ftp):\/\/[^\s<>"'`]+/gi;

function shortenUrls(s: string): string {
  return s.replace(URL_RE, (url) => {
    let trail = '';
    let end = url.length;
    while (end > 0 && '.,;:!?)]}'.includes(url[end - 1]!)) end--;
    trail = url.slice(end);
    const rest = url.slice(url.indexOf('//') + 2, end);
    let hostEnd = rest.length;
    for (const stop of ['/', '?', '#']) {
      const k = rest.indexOf(stop);
      if (k !== -1 && k < hostEnd) hostEnd = k;
    }
    let host = rest.slice(0, hostEnd);
    host = host.slice(host.lastIndexOf('@') + 1).replace(/:\d{1,5}$/, '').replace(/^www\./i, '');
    return host + trail;
  });
}

// ---------------------------------------------------------------------------------------------
// Matrix plain-text reply fallback: "> <@user:server> quoted" lines, then a blank line.

function stripPlainReplyFallback(s: string): string {
  if (!s.startsWith('> <@') && !s.startsWith('> * <@')) return s;
  let i = 0;
  while (i < s.length && s[i] === '>') {
    const nl = s.indexOf('\n', i);
    if (nl === -1) return '';
    i = nl + 1;
  }
  if (s[i] === '\n') i++;
  return s.slice(i);
}

// ---------------------------------------------------------------------------------------------
// Entities: the named references community posts actually contain, plus numeric ones. A full
// HTML5 table (2,000+ names) would add weight for names nobody types.

const LATIN1_NAMES =
  'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr ' +
  'deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest ' +
  'Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ' +
  'ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig ' +
  'agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml ' +
  'eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml';

const OTHER_ENTITIES: Record<string, number> = {
  amp: 0x26, lt: 0x3c, gt: 0x3e, quot: 0x22, apos: 0x27, ensp: 0x2002, emsp: 0x2003, thinsp: 0x2009,
  zwnj: 0x200c, zwj: 0x200d, lrm: 0x200e, rlm: 0x200f, ndash: 0x2013, mdash: 0x2014, hellip: 0x2026,
  lsquo: 0x2018, rsquo: 0x2019, sbquo: 0x201a, ldquo: 0x201c, rdquo: 0x201d, bdquo: 0x201e,
  lsaquo: 0x2039, rsaquo: 0x203a, bull: 0x2022, prime: 0x2032, Prime: 0x2033, dagger: 0x2020,
  Dagger: 0x2021, permil: 0x2030, trade: 0x2122, euro: 0x20ac, larr: 0x2190, uarr: 0x2191,
  rarr: 0x2192, darr: 0x2193, harr: 0x2194, lArr: 0x21d0, rArr: 0x21d2, hArr: 0x21d4, le: 0x2264,
  ge: 0x2265, ne: 0x2260, asymp: 0x2248, equiv: 0x2261, infin: 0x221e, minus: 0x2212, check: 0x2713,
  hearts: 0x2665, tab: 0x09, newline: 0x0a, colon: 0x3a, lpar: 0x28, rpar: 0x29, lsqb: 0x5b,
  rsqb: 0x5d, lbrace: 0x7b, rbrace: 0x7d, grave: 0x60, ast: 0x2a, num: 0x23, excl: 0x21, dollar: 0x24,
  percnt: 0x25, commat: 0x40, sol: 0x2f, bsol: 0x5c, verbar: 0x7c, equals: 0x3d, plus: 0x2b,
  lowbar: 0x5f, period: 0x2e, comma: 0x2c, semi: 0x3b, quest: 0x3f,
};

const NAMED_ENTITIES = new Map<string, string>();
LATIN1_NAMES.split(' ').forEach((name, i) => NAMED_ENTITIES.set(name, String.fromCharCode(0xa0 + i)));
for (const [name, cp] of Object.entries(OTHER_ENTITIES)) NAMED_ENTITIES.set(name, String.fromCodePoint(cp));

/** Names that browsers (and so authors) also accept without the closing semicolon. */
const LEGACY_NO_SEMICOLON = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg']);

/** HTML maps these C1 code points to the Windows-1252 characters that old editors meant. */
const WINDOWS_1252: Record<number, number> = {
  0x80: 0x20ac, 0x85: 0x2026, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c, 0x94: 0x201d,
  0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x99: 0x2122,
};

function fromCodePointSafe(cp: number): string {
  if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(WINDOWS_1252[cp] ?? cp);
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlnum(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/** The character reference at text[amp] === '&': its value and end, or undefined if none. */
function entityAt(text: string, amp: number): { value: string; end: number } | undefined {
  let j = amp + 1;
  if (text[j] === '#') {
    j++;
    const hex = text[j] === 'x' || text[j] === 'X';
    if (hex) j++;
    const digitsFrom = j;
    while (j < text.length && j - digitsFrom < 9 && (hex ? isHex : isDigit)(text.charCodeAt(j))) j++;
    if (j === digitsFrom) return undefined;
    const value = fromCodePointSafe(parseInt(text.slice(digitsFrom, j), hex ? 16 : 10));
    return { value, end: text[j] === ';' ? j + 1 : j };
  }
  const nameFrom = j;
  while (j < text.length && j - nameFrom < 32 && isAlnum(text.charCodeAt(j))) j++;
  const name = text.slice(nameFrom, j);
  const value = NAMED_ENTITIES.get(name);
  if (value === undefined) return undefined;
  if (text[j] === ';') return { value, end: j + 1 };
  return LEGACY_NO_SEMICOLON.has(name) ? { value, end: j } : undefined;
}

/** Decodes character references; unknown names stay as written (probably literal text). */
export function decodeEntities(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  const parts: string[] = [];
  let copyFrom = 0;
  while (amp !== -1) {
    const ref = entityAt(text, amp);
    if (ref) {
      if (amp > copyFrom) parts.push(text.slice(copyFrom, amp));
      parts.push(ref.value);
      copyFrom = ref.end;
    }
    amp = text.indexOf('&', ref ? ref.end : amp + 1);
  }
  parts.push(text.slice(copyFrom));
  return parts.join('');
}

// ---------------------------------------------------------------------------------------------
// Code blocks -> "[code lang: identifiers]"

const CODE_SCAN_LIMIT = 20_000;
const MAX_CODE_TOKENS = 6;
// Keywords and boilerplate of common languages: they say "code" but not what the code is about.
const CODE_STOPWORDS = new Set((
  'abstract and any args argv as assert async await begin bool boolean break byte case catch char class ' +
  'console const continue def default del delete do double echo elif else end enum err error export extends ' +
  'false final finally float fn for from func function get global if impl import in include instanceof int ' +
  'interface is let log long main match mod module mut new nil none not null number object of or package pass ' +
  'print printf println private protected pub public raise require return self set static str string struct ' +
  'super switch then this throw throws true try type typeof undefined use using val var void where while with yield'
).split(' '));

const IDENTIFIER = /[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*/g;

/** Looks like a specific name (camelCase, snake_case, dotted path, CONSTANT, FooError) rather than a word. */
function identifierLike(tok: string): boolean {
  return /[a-z][A-Z]|[A-Za-z0-9]_[A-Za-z0-9]|\.|^[A-Z][A-Z0-9_]{3,}$|(?:Error|Exception)$/.test(tok);
}

/** A short stand-in for a code block: the language (if known) and a few telling identifiers. */
export function codeMarker(code: string, lang?: string): string {
  const sample = code.length > CODE_SCAN_LIMIT ? code.slice(0, CODE_SCAN_LIMIT) : code;
  const seen = new Set<string>();
  const specific: string[] = [];
  const plain: string[] = [];
  for (const m of sample.matchAll(IDENTIFIER)) {
    const tok = m[0].replace(/^\$+|\.+$/g, '');
    if (tok.length < 3 || tok.length > 48 || seen.has(tok) || CODE_STOPWORDS.has(tok.toLowerCase())) continue;
    seen.add(tok);
    if (identifierLike(tok)) specific.push(tok);
    else if (tok.length >= 4) plain.push(tok);
    if (specific.length >= MAX_CODE_TOKENS) break;
  }
  const picked = [...specific, ...plain].slice(0, MAX_CODE_TOKENS);
  const language = lang && /^[\w+#.-]{1,20}$/.test(lang) && !/^(?:auto|text|plaintext|nohighlight|none)$/i.test(lang) ? ` ${lang.toLowerCase()}` : '';
  return `[code${language}${picked.length > 0 ? `: ${picked.join(' ')}` : ''}]`;
}

// ---------------------------------------------------------------------------------------------
// HTML -> text

/**
 * Finds the next occurrence of a needle at or after `from`, remembering the last answer per
 * needle so that repeated forward searches (one per '<' in hostile input) cost linear time.
 */
class Finder {
  private readonly memo = new Map<string, [from: number, at: number]>();
  /** The same memo for findClosing, per element name. */
  readonly closing = new Map<string, [from: number, at: number]>();
  constructor(private readonly s: string) {}

  next(needle: string, from: number): number {
    let m = this.memo.get(needle);
    if (!m) {
      m = [-1, -1];
      this.memo.set(needle, m);
    } else if (m[0] !== -1 && from >= m[0] && (m[1] === -1 || from <= m[1])) {
      return m[1];
    }
    m[0] = from;
    m[1] = this.s.indexOf(needle, from);
    return m[1];
  }
}

interface Tag {
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
function parseTag(s: string, lt: number, find: Finder, knownOnly = false): Tag | undefined {
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
    if (c === '/') { selfClosing = s[j + 1] === '>'; j++; continue; }
    if (c === ' ' || c === '\n' || c === '\t' || c === '\f') { j++; continue; }
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
function findClosing(s: string, name: string, from: number, find: Finder): number {
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
function skipElement(s: string, name: string, from: number, find: Finder): number {
  let depth = 1;
  let at = from;
  while (at < s.length) {
    const lt = find.next('<', at);
    if (lt === -1) return -1;
    const tag = parseTag(s, lt, find);
    if (!tag) { at = lt + 1; continue; }
    at = tag.end;
    if (tag.name !== name || tag.selfClosing) continue;
    depth += tag.closing ? -1 : 1;
    if (depth === 0) return at;
  }
  return -1;
}

/** End index after the closing tag at `closeAt`, or the input end. */
function afterClosing(s: string, closeAt: number, find: Finder): number {
  const gt = find.next('>', closeAt);
  return gt === -1 ? s.length : gt + 1;
}

function classList(tag: Tag): string[] {
  return (tag.attrs.get('class') ?? '').split(/\s+/).filter(Boolean);
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
    if (!tag) { i = lt + 1; continue; }
    parts.push(fragment.slice(textStart, lt));
    if (tag.name === 'br') parts.push('\n');
    i = textStart = tag.end;
  }
  parts.push(fragment.slice(textStart));
  return decodeEntities(parts.join(''));
}

// Elements whose content is never readable text (or, for mx-reply, repeats another message).
const SKIP_ELEMENTS = new Set(['script', 'style', 'template', 'head', 'noscript', 'svg', 'iframe', 'object', 'mx-reply', 'button', 'select', 'textarea']);
const RAW_TEXT = new Set(['script', 'style', 'textarea']);
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'ul', 'ol', 'dl', 'table', 'aside', 'section', 'article', 'header', 'footer', 'nav', 'main', 'details', 'figure', 'hr', 'pre', 'form', 'fieldset']);
const LINE = new Set(['br', 'li', 'tr', 'div', 'dt', 'dd', 'summary', 'figcaption', 'caption', 'thead', 'tbody', 'tfoot', 'address', 'center']);
const CELL = new Set(['td', 'th']);
// In markdown mode only these names are treated as tags, so "List<String>" or "a<b" survive.
const KNOWN_TAGS = new Set([
  ...SKIP_ELEMENTS, ...PARAGRAPH, ...LINE, ...CELL, 'a', 'abbr', 'b', 'big', 'cite', 'code', 'del', 'dfn',
  'em', 'font', 'i', 'img', 'input', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strike',
  'strong', 'sub', 'sup', 'time', 'u', 'var', 'wbr', 'html', 'body', 'meta', 'link', 'title', 'source',
  'video', 'audio', 'picture', 'label', 'col', 'colgroup',
]);
const INLINE_CODE_MAX = 160;
// Only these elements' attributes are read (class, alt, title); others skip building the map.
const ATTRIBUTE_TAGS = new Set(['img', 'pre', 'code', 'div', 'aside']);

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
function htmlToText(s: string, keepNewlines: boolean, knownOnly: boolean): string {
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

// ---------------------------------------------------------------------------------------------
// Markdown -> text (the output still goes through the HTML pass for inline tags and entities,
// so literal '<' from code spans is escaped here).

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

function markdownToText(src: string): string {
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
      if (blank || isIndentedCode(line)) { indented.push(line); continue; }
      flushIndented();
    }
    const opened = openFence(line);
    if (opened) { fence = opened; continue; }
    if (blank) { out.push(''); prevBlank = true; continue; }
    // An indented block after a blank line is code, unless it continues a list item.
    if (prevBlank && !inList && isIndentedCode(line)) { indented = [line]; continue; }
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
  if (marker) { t = t.slice(marker[0].length); listItem = true; }
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
    if (!INLINE_SPECIAL.has(c)) { i++; continue; }
    const rewrite = inlineAt(s, i, c, find, depth);
    if (!rewrite) { i++; continue; }
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
    const literal =
      (spaceBefore && spaceAfter) ||
      (c === '_' && isWordChar(before) && isWordChar(after)) ||
      (c === '~' && k - i < 2);
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
