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
  amp: 0x26,
  lt: 0x3c,
  gt: 0x3e,
  quot: 0x22,
  apos: 0x27,
  ensp: 0x2002,
  emsp: 0x2003,
  thinsp: 0x2009,
  zwnj: 0x200c,
  zwj: 0x200d,
  lrm: 0x200e,
  rlm: 0x200f,
  ndash: 0x2013,
  mdash: 0x2014,
  hellip: 0x2026,
  lsquo: 0x2018,
  rsquo: 0x2019,
  sbquo: 0x201a,
  ldquo: 0x201c,
  rdquo: 0x201d,
  bdquo: 0x201e,
  lsaquo: 0x2039,
  rsaquo: 0x203a,
  bull: 0x2022,
  prime: 0x2032,
  Prime: 0x2033,
  dagger: 0x2020,
  Dagger: 0x2021,
  permil: 0x2030,
  trade: 0x2122,
  euro: 0x20ac,
  larr: 0x2190,
  uarr: 0x2191,
  rarr: 0x2192,
  darr: 0x2193,
  harr: 0x2194,
  lArr: 0x21d0,
  rArr: 0x21d2,
  hArr: 0x21d4,
  le: 0x2264,
  ge: 0x2265,
  ne: 0x2260,
  asymp: 0x2248,
  equiv: 0x2261,
  infin: 0x221e,
  minus: 0x2212,
  check: 0x2713,
  hearts: 0x2665,
  tab: 0x09,
  newline: 0x0a,
  colon: 0x3a,
  lpar: 0x28,
  rpar: 0x29,
  lsqb: 0x5b,
  rsqb: 0x5d,
  lbrace: 0x7b,
  rbrace: 0x7d,
  grave: 0x60,
  ast: 0x2a,
  num: 0x23,
  excl: 0x21,
  dollar: 0x24,
  percnt: 0x25,
  commat: 0x40,
  sol: 0x2f,
  bsol: 0x5c,
  verbar: 0x7c,
  equals: 0x3d,
  plus: 0x2b,
  lowbar: 0x5f,
  period: 0x2e,
  comma: 0x2c,
  semi: 0x3b,
  quest: 0x3f,
};

const NAMED_ENTITIES = new Map<string, string>();
LATIN1_NAMES.split(' ').forEach((name, i) => NAMED_ENTITIES.set(name, String.fromCharCode(0xa0 + i)));
for (const [name, cp] of Object.entries(OTHER_ENTITIES)) NAMED_ENTITIES.set(name, String.fromCodePoint(cp));

/** Names that browsers (and so authors) also accept without the closing semicolon. */
const LEGACY_NO_SEMICOLON = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg']);

/** HTML maps these C1 code points to the Windows-1252 characters that old editors meant. */
const WINDOWS_1252: Record<number, number> = {
  0x80: 0x20ac,
  0x85: 0x2026,
  0x91: 0x2018,
  0x92: 0x2019,
  0x93: 0x201c,
  0x94: 0x201d,
  0x95: 0x2022,
  0x96: 0x2013,
  0x97: 0x2014,
  0x99: 0x2122,
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
