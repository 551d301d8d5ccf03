// Splits cleaned text into sentence-aware chunks for the sentence encoder.
//
// Why chunk: USE-lite was trained on sentences and short paragraphs, and its JS tokenizer copies
// the rest of the string at every character (quadratic), so a 1 MB post sent whole would take
// minutes. Chunk vectors are averaged into one document vector (see TextEmbedder).
//
// Defaults, measured here (2 vCPUs shared with other jobs, WASM+SIMD, batch 32):
// - Speed per word varies little with chunk size: 650-950 words/s from 16 to 128 words per
//   chunk (embedding-bench --chunk-sizes; 128-word chunks are ~20% cheaper per word than
//   32-word ones: less per-sequence overhead). So the size is chosen for quality. On
//   SemEval-2016 task 3B (question-question similarity, 67 questions, mean of chunk vectors
//   with the first chunk doubled) MAP/MRR were: 16 words .817/.906, 24 .820/.899,
//   32 .821/.896, 48 .803/.872, 64 .817/.884, one chunk per text .817/.884. Small
//   differences on a small set; 32 words (one or two sentences, the length USE-lite is good
//   at) is at least as good as any and costs ~20% more than the longest chunks.
// - At most 16 chunks (~512 words) per document: 90% of Startups Stack Exchange posts are
//   shorter (p90 352 words); what a longer post adds is mostly logs and detail, and the cap
//   bounds the cost of a huge post to 16 chunks.
// - No overlap: the chunk vectors are averaged, so overlap would only re-embed text.

export const DEFAULT_MAX_WORDS = 32;
export const DEFAULT_MAX_CHUNKS = 16;
/** Characters per word allowed on average before a chunk is cut by length instead of words. */
const CHARS_PER_WORD = 8;
/** Longer whitespace-free tokens are hashes, base64, minified code or unsegmented scripts. */
const MAX_TOKEN_CHARS = 40;

export interface ChunkOptions {
  /** Upper bound on words per chunk (a chunk also ends at maxWords * 8 characters). */
  maxWords?: number;
  /**
   * Words of context repeated at the start of the next chunk: the previous chunk's last
   * sentence, when it is at most this long. 0 (default) repeats nothing.
   */
  overlap?: number;
  /** Chunks kept per document; the rest of the text is ignored (see `truncated`). */
  maxChunks?: number;
}

export interface ChunkResult {
  chunks: string[];
  /** True when text beyond `maxChunks` chunks was left out. */
  truncated: boolean;
}

/** Sentence-aware chunks of at most ~maxWords words; [] for empty or blank text. */
export function chunkText(text: string, options: ChunkOptions = {}): string[] {
  return chunkTextDetailed(text, options).chunks;
}

export function chunkTextDetailed(text: string, options: ChunkOptions = {}): ChunkResult {
  const maxWords = Math.max(1, Math.floor(options.maxWords ?? DEFAULT_MAX_WORDS));
  const maxChars = maxWords * CHARS_PER_WORD;
  const overlap = Math.max(0, Math.floor(options.overlap ?? 0));
  const maxChunks = Math.max(1, Math.floor(options.maxChunks ?? DEFAULT_MAX_CHUNKS));

  const chunks: string[] = [];
  let current: string[] = [];
  let currentChars = 0;
  let lastSentence: string[] = [];

  const flush = (carry: boolean): void => {
    if (current.length === 0) return;
    chunks.push(current.join(' '));
    const repeat = carry && overlap > 0 && lastSentence.length <= overlap && lastSentence.length < current.length;
    current = repeat ? [...lastSentence] : [];
    currentChars = repeat ? charCount(current) : 0;
  };

  for (const sentence of sentences(text)) {
    for (const part of splitLong(sentence.words, maxWords, maxChars)) {
      const partChars = charCount(part);
      if (current.length > 0 && (current.length + part.length > maxWords || currentChars + partChars > maxChars)) {
        flush(true);
        // A carried-over sentence that leaves no room for the next one is dropped again.
        if (current.length + part.length > maxWords || currentChars + partChars > maxChars) {
          current = [];
          currentChars = 0;
        }
      }
      if (chunks.length >= maxChunks) return { chunks, truncated: true };
      current.push(...part);
      currentChars += partChars;
      lastSentence = part;
    }
    // Prefer to end chunks where the author ended a paragraph, once a chunk has some substance.
    if (sentence.paragraphEnd && current.length >= maxWords / 2) flush(false);
  }
  if (current.length > 0) {
    if (chunks.length >= maxChunks) return { chunks, truncated: true };
    chunks.push(current.join(' '));
  }
  return { chunks, truncated: false };
}

function charCount(words: readonly string[]): number {
  let n = words.length;
  for (const w of words) n += w.length;
  return n;
}

/** Splits an over-long sentence into balanced parts that fit both limits. */
function splitLong(words: string[], maxWords: number, maxChars: number): string[][] {
  const chars = charCount(words);
  if (words.length <= maxWords && chars <= maxChars) return [words];
  const parts = Math.max(Math.ceil(words.length / maxWords), Math.ceil(chars / maxChars));
  const target = Math.ceil(words.length / parts);
  const out: string[][] = [];
  let part: string[] = [];
  let partChars = 0;
  for (const w of words) {
    if (part.length > 0 && (part.length >= target || partChars + w.length + 1 > maxChars)) {
      out.push(part);
      part = [];
      partChars = 0;
    }
    part.push(w);
    partChars += w.length + 1;
  }
  if (part.length > 0) out.push(part);
  return out;
}

interface Sentence {
  words: string[];
  /** The sentence ends a paragraph (blank line) or the text. */
  paragraphEnd: boolean;
}

const SENTENCE_END = new Set(['.', '!', '?', '…', '。', '！', '？']);
/** Run-on text without punctuation is cut here, so the scan stays bounded per chunk. */
const MAX_SENTENCE_WORDS = 1024;
const CLOSERS = new Set(['"', "'", ')', ']', '»', '”', '’', '*', '_']);
const NO_SPACE_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

function endsSentence(word: string): boolean {
  let k = word.length - 1;
  while (k > 0 && CLOSERS.has(word[k]!)) k--;
  return SENTENCE_END.has(word[k]!);
}

/** Cuts at most `max` UTF-16 units without splitting a surrogate pair. */
function cutAt(word: string, start: number, max: number): number {
  let end = Math.min(word.length, start + max);
  const c = word.charCodeAt(end - 1);
  if (end < word.length && c >= 0xd800 && c <= 0xdbff) end--;
  return end;
}

/**
 * Whitespace-free tokens longer than MAX_TOKEN_CHARS: text in scripts written without spaces
 * is cut into pieces (each counts as a word); anything else (hashes, base64, minified code)
 * keeps only its first MAX_TOKEN_CHARS characters.
 */
function tokenPieces(word: string): string[] {
  if (word.length <= MAX_TOKEN_CHARS) return [word];
  if (!NO_SPACE_SCRIPT.test(word.slice(0, MAX_TOKEN_CHARS * 4))) return [word.slice(0, cutAt(word, 0, MAX_TOKEN_CHARS))];
  const pieces: string[] = [];
  for (let start = 0; start < word.length;) {
    const end = cutAt(word, start, MAX_TOKEN_CHARS);
    pieces.push(word.slice(start, end));
    start = end;
  }
  return pieces;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13 || c === 12 || c === 11 || c === 0xa0 || c === 0x3000;
}

/**
 * Lazily yields sentences: a sentence ends at end punctuation followed by whitespace, at a line
 * break (chat messages and list items put one thought per line) or at a blank line (paragraph).
 * Lazy, so a 1 MB text costs only as much scanning as the chunks that are kept.
 */
function* sentences(text: string): Generator<Sentence> {
  let words: string[] = [];
  let ended = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    let newlines = 0;
    while (i < n && isSpace(text.charCodeAt(i))) {
      if (text.charCodeAt(i) === 10) newlines++;
      i++;
    }
    // A sentence is yielded at the whitespace after it, so a following blank line is known.
    if (words.length > 0 && (ended || newlines > 0 || i >= n)) {
      yield { words, paragraphEnd: newlines > 1 || i >= n };
      words = [];
    }
    if (i >= n) break;
    const start = i;
    while (i < n && !isSpace(text.charCodeAt(i))) i++;
    const word = text.slice(start, i);
    for (const piece of tokenPieces(word)) words.push(piece);
    ended = endsSentence(word) || words.length >= MAX_SENTENCE_WORDS;
  }
  if (words.length > 0) yield { words, paragraphEnd: true };
}
