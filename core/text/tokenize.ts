// Word tokens for lexical search (BM25) and tag-name matching: lower-cased, stop words out,
// light suffix stripping so "hiring"/"hire"/"hires" meet. Language-agnostic splitting keeps
// non-English words as they are.

import { FNV_OFFSET, hashOf, mix, WordTable } from './word-table.js';

const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have having ' +
    'he her here hers herself him himself his how i if in into is it its itself just me more most my myself no ' +
    'nor not now of off on once only or other our ours ourselves out over own same she should so some such than ' +
    'that the their theirs them themselves then there these they this those through to too under until up very ' +
    'was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    'im ive id dont doesnt didnt cant wont isnt arent wasnt get got one would like want need know thanks thank ' +
    'hi hello please anyone someone something us let lets may might must shall etc eg ie via per'
  ).split(' '),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** A small, predictable stemmer: strips common English inflections only. */
export function stem(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word.replace(/['’]s$/, '').replace(/['’]/g, '');
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith('ed') && w.length > 4) w = w.slice(0, -2);
  else if (w.endsWith('ly') && w.length > 4) w = w.slice(0, -2);
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  // "hiring" -> "hir", "hire" -> "hir": undouble a final consonant pair left by -ing/-ed ("planned" -> "plan").
  if (w.length > 3 && w[w.length - 1] === w[w.length - 2] && !'lsz'.includes(w[w.length - 1]!)) w = w.slice(0, -1);
  return w;
}

// Words repeat across a community's history: the token of each distinct word is kept (up to a
// bound), which made tokenizing 10k documents at start-up about a third faster.
const TOKEN_CACHE_LIMIT = 200_000;
/** Word as matched -> its token, or null for a stop word. */
const tokenOf = new WordTable<string | null>();
const MISSING = 0;

/** The token of the word text[start, end), whose hash (see word-table.ts) is `hash`. */
function token(text: string, start: number, end: number, hash: number): string | null {
  const cached = tokenOf.get(text, start, end, hash, MISSING);
  if (cached !== MISSING) return cached;
  const raw = text.slice(start, end);
  const t = STOP_WORDS.has(raw.includes("'") || raw.includes('’') ? raw.replace(/['’]/g, '') : raw) ? null : stem(raw);
  if (tokenOf.size >= TOKEN_CACHE_LIMIT) tokenOf.clear();
  tokenOf.set(raw, hash, t);
  return t;
}

/** Tokens for indexing: stemmed, without stop words and one-letter words. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  // NFKC leaves ASCII as it is: skip it for the common case.
  if (!NON_ASCII.test(text)) {
    tokenizeAscii(text.toLowerCase(), out);
    return out;
  }
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    const raw = m[0];
    if (raw.length < 2) continue;
    const t = token(raw, 0, raw.length, hashOf(raw));
    if (t !== null) out.push(t);
  }
  return out;
}

const isLetter = (c: number): boolean => c >= 97 && c <= 122; // a-z: the ASCII \p{L} once lower-cased
const isWordChar = (c: number): boolean => isLetter(c) || (c >= 48 && c <= 57);

/**
 * WORD's matches in lower-cased ASCII text, found by scanning character codes: the same tokens,
 * without a match object per word (tokenizing is a quarter of building the index at start-up,
 * and the garbage it left behind made the collector run more often).
 */
function tokenizeAscii(lower: string, out: string[]): void {
  const n = lower.length;
  let i = 0;
  while (i < n) {
    let c = lower.charCodeAt(i);
    if (!isWordChar(c)) {
      i++;
      continue;
    }
    const start = i;
    let hash = FNV_OFFSET;
    do {
      hash = mix(hash, c);
      c = ++i < n ? lower.charCodeAt(i) : -1;
    } while (isWordChar(c));
    // An apostrophe followed by letters belongs to the word ("don't", "team's"); ASCII has only '.
    if (c === 39 && i + 1 < n && isLetter(lower.charCodeAt(i + 1))) {
      do {
        hash = mix(hash, c);
        c = ++i < n ? lower.charCodeAt(i) : -1;
      } while (isLetter(c));
    }
    if (i - start < 2) continue;
    const t = token(lower, start, i, hash);
    if (t !== null) out.push(t);
  }
}

/** Like tokenize, but each token keeps the word as written (lower-cased), for naming things. */
export function words(text: string): { stem: string; word: string }[] {
  const out: { stem: string; word: string }[] = [];
  for (const m of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    const raw = m[0].replace(/['’]s$/, '');
    if (raw.length < 2 || STOP_WORDS.has(raw.replace(/['’]/g, ''))) continue;
    out.push({ stem: stem(raw), word: raw });
  }
  return out;
}
