// A hash table from words to values, looked up by a range of a larger string and a hash the
// caller computed while scanning it, so a word already seen costs no substring and no second
// pass over its characters. Tokenizing looks up every word of every document at start-up: with a
// Map, slicing each word out and hashing it again was most of the tokenizer's time.

/** FNV-1a over UTF-16 code units: start from FNV_OFFSET, then `h = mix(h, code)` per unit. */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const mix = (h: number, code: number): number => Math.imul(h ^ code, 0x01000193);

export function hashOf(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return h;
}

/** Open addressing with linear probing, at most half full; entries are never removed one by one. */
export class WordTable<V> {
  private keys: (string | undefined)[] = [];
  private values: V[] = [];
  private hashes = new Int32Array(0);
  private mask = -1;
  private count = 0;

  constructor(private readonly initialCapacity = 1024) {
    this.clear();
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.keys = new Array<string | undefined>(this.initialCapacity).fill(undefined);
    this.values = new Array<V>(this.initialCapacity);
    this.hashes = new Int32Array(this.initialCapacity);
    this.mask = this.initialCapacity - 1;
    this.count = 0;
  }

  /** The value stored for text[start, end) (whose hash is `hash`), or `missing`. */
  get<M>(text: string, start: number, end: number, hash: number, missing: M): V | M {
    const length = end - start;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const key = this.keys[i];
      if (key === undefined) return missing;
      if (this.hashes[i] === hash && key.length === length && sameText(key, text, start, length)) return this.values[i]!;
    }
  }

  /** Stores a value for `key` (not yet in the table; `hash` is hashOf(key)). */
  set(key: string, hash: number, value: V): void {
    if (2 * (this.count + 1) > this.keys.length) this.rehash(this.keys.length * 2);
    this.place(key, hash, value);
    this.count++;
  }

  private place(key: string, hash: number, value: V): void {
    let i = hash & this.mask;
    while (this.keys[i] !== undefined) i = (i + 1) & this.mask;
    this.keys[i] = key;
    this.hashes[i] = hash;
    this.values[i] = value;
  }

  private rehash(capacity: number): void {
    const { keys, values, hashes } = this;
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.values = new Array<V>(capacity);
    this.hashes = new Int32Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key !== undefined) this.place(key, hashes[i]!, values[i]!);
    }
  }
}

function sameText(key: string, text: string, start: number, length: number): boolean {
  for (let j = 0; j < length; j++) if (key.charCodeAt(j) !== text.charCodeAt(start + j)) return false;
  return true;
}
