// Code blocks -> "[code lang: identifiers]"

/** Code beyond this many characters is not scanned for identifiers (nor kept from a fence). */
export const CODE_SCAN_LIMIT = 20_000;
/** Inline code up to this length (on one line) stays as text; longer becomes a code marker. */
export const INLINE_CODE_MAX = 160;
const MAX_CODE_TOKENS = 6;
// Keywords and boilerplate of common languages: they say "code" but not what the code is about.
const CODE_STOPWORDS = new Set(
  (
    'abstract and any args argv as assert async await begin bool boolean break byte case catch char class ' +
    'console const continue def default del delete do double echo elif else end enum err error export extends ' +
    'false final finally float fn for from func function get global if impl import in include instanceof int ' +
    'interface is let log long main match mod module mut new nil none not null number object of or package pass ' +
    'print printf println private protected pub public raise require return self set static str string struct ' +
    'super switch then this throw throws true try type typeof undefined use using val var void where while with yield'
  ).split(' '),
);

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
