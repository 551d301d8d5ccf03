// Okapi BM25 over an incrementally built in-memory inverted index.
//
// Memory layout: a Map of Maps (term -> doc -> tf) cost ~650 MB of heap at 100k documents.
// Here every document gets a dense slot; each term's postings are two growable typed arrays
// (slots, term frequencies), and the documents' own terms and frequencies (for removal and for
// scoring chosen documents) sit packed in one shared array, a span per slot (DocTerms). About
// 10 bytes per posting, plus growth room: 6M postings (100k forum posts) take ~80 MiB.
import { tokenize } from '../text/tokenize.js';
import { DocTerms } from './doc-terms.js';
import type { Hit } from './hit.js';
import { TopK } from './top-k.js';

export interface Bm25Options {
  k1?: number;
  b?: number;
  /** Long queries keep only their most informative terms: as good for ranking, far faster. */
  maxQueryTerms?: number;
}

/**
 * A document's term id and frequency share 32 bits: 24 for the term, 8 for the frequency. A
 * term repeated more often counts as MAX_TF times; BM25 saturates long before (k1 = 1.2 puts
 * tf 255 within 0.5% of the limit).
 */
const TF_BITS = 8;
const MAX_TF = (1 << TF_BITS) - 1;
const MAX_TERMS = 2 ** (32 - TF_BITS);

/** Query-side counting (a query's terms need not be in the index). */
function termCounts(tokens: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

/** One term's postings: the first `count` entries of both arrays are live. */
interface Postings {
  slots: Int32Array;
  tfs: Uint8Array;
  count: number;
}

interface QueryTerm {
  term: string;
  count: number;
  idf: number;
}

export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly maxQueryTerms: number;

  private readonly termIds = new Map<string, number>();
  private readonly termNames: (string | undefined)[] = [];
  private readonly postings: (Postings | undefined)[] = [];
  private readonly freeTermIds: number[] = [];

  private readonly slotOf = new Map<number, number>();
  private readonly freeSlots: number[] = [];
  private slotIds = new Float64Array(64);
  private slotLengths = new Uint32Array(64);
  /** Per slot: the document's distinct terms, each `termId << TF_BITS | tf`. */
  private readonly slotTerms = new DocTerms(64);
  private usedSlots = 0;
  private forgotten = 0;
  /** Term ids of the document being added (addTokens). */
  private scratch = new Int32Array(64);
  private totalLength = 0;

  // Search scratch, grown with the slots: accumulated scores and which slots were touched.
  private scores = new Float64Array(64);
  private touched = new Int32Array(64);
  // Adding scratch: occurrences per term id (all zero between adds), and a document's distinct
  // term ids in order of first occurrence. Counting in arrays rather than a Map per document
  // spares a hash lookup per token and the Map's garbage.
  private termTally = new Uint32Array(64);
  private distinct = new Int32Array(64);

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.maxQueryTerms = options.maxQueryTerms ?? 48;
  }

  get size(): number {
    return this.slotOf.size;
  }

  /** Postings held (one per distinct term per document), for memory reports. */
  get postingCount(): number {
    let n = 0;
    for (const p of this.postings) n += p?.count ?? 0;
    return n;
  }

  /** Bytes held in typed arrays (postings, per-document terms, slots, scratch); Maps not counted. */
  get byteLength(): number {
    let n = this.slotIds.byteLength + this.slotLengths.byteLength + this.scores.byteLength + this.touched.byteLength;
    n += this.termTally.byteLength + this.distinct.byteLength + this.slotTerms.byteLength;
    for (const p of this.postings) if (p) n += p.slots.byteLength + p.tfs.byteLength;
    return n;
  }

  add(id: number, text: string): void {
    this.addTokens(id, tokenize(text));
  }

  addTokens(id: number, tokens: readonly string[]): void {
    if (this.scratch.length < tokens.length) this.scratch = new Int32Array(Math.ceil(tokens.length * 1.5));
    const ids = this.scratch;
    for (let i = 0; i < tokens.length; i++) ids[i] = this.termIdFor(tokens[i]!);
    this.addTermIds(id, ids, tokens.length);
  }

  /**
   * Adds a document given as the term ids of its tokens in order (the first `length` entries of
   * `termIds`), as `termIdFor` gave them: how a document tokenized on another thread is added.
   */
  addTermIds(id: number, termIds: Int32Array, length: number = termIds.length): void {
    if (this.slotOf.has(id)) this.remove(id);
    const slot = this.takeSlot();
    this.slotOf.set(id, slot);
    this.slotIds[slot] = id;
    this.slotLengths[slot] = length;
    this.totalLength += length;
    if (this.distinct.length < length) this.distinct = new Int32Array(Math.ceil(length * 1.5));
    const distinct = this.distinct;
    let count = 0;
    for (let i = 0; i < length; i++) {
      const termId = termIds[i]!;
      const seen = this.termTally[termId]!;
      if (seen === 0) distinct[count++] = termId;
      this.termTally[termId] = seen + 1;
    }
    const terms = this.slotTerms.allocate(slot, count);
    const at = this.slotTerms.start(slot);
    for (let i = 0; i < count; i++) {
      const termId = distinct[i]!;
      const tf = Math.min(this.termTally[termId]!, MAX_TF);
      this.termTally[termId] = 0;
      terms[at + i] = ((termId << TF_BITS) | tf) >>> 0;
      this.appendPosting(termId, slot, tf);
    }
  }

  /**
   * The id of `term` in this index, added to the dictionary if new. Valid until a removal
   * forgets a term: `termsForgotten` then changes, and ids held since must be looked up again.
   */
  termIdFor(term: string): number {
    let termId = this.termIds.get(term);
    if (termId === undefined) {
      termId = this.freeTermIds.pop() ?? this.postings.length;
      if (termId >= MAX_TERMS) throw new Error(`Bm25Index: more than ${MAX_TERMS} distinct terms`);
      this.termIds.set(term, termId);
      this.termNames[termId] = term;
      this.postings[termId] = { slots: new Int32Array(2), tfs: new Uint8Array(2), count: 0 };
      if (termId === this.termTally.length) this.termTally = grow(this.termTally, new Uint32Array(Math.ceil(termId * 1.5)));
    }
    return termId;
  }

  /** How many times a removal has forgotten a term (and so freed its id for reuse). */
  get termsForgotten(): number {
    return this.forgotten;
  }

  remove(id: number): void {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return;
    const terms = this.slotTerms.values;
    const at = this.slotTerms.start(slot);
    const end = at + this.slotTerms.count(slot);
    for (let i = at; i < end; i++) this.removePosting(terms[i]! >>> TF_BITS, slot);
    this.totalLength -= this.slotLengths[slot]!;
    this.slotTerms.release(slot);
    this.slotOf.delete(id);
    this.freeSlots.push(slot);
  }

  /** Inverse document frequency (BM25+ style, never negative). */
  idf(term: string): number {
    return this.idfOf(this.documentFrequency(term));
  }

  private documentFrequency(term: string): number {
    const termId = this.termIds.get(term);
    return termId === undefined ? 0 : this.postings[termId]!.count;
  }

  private idfOf(df: number): number {
    const n = this.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private termScore(tf: number, docLength: number, idf: number): number {
    const avg = this.size ? this.totalLength / this.size : 1;
    const norm = this.k1 * (1 - this.b + (this.b * docLength) / (avg || 1));
    return (idf * tf * (this.k1 + 1)) / (tf + norm);
  }

  /** The query's terms with their counts and idf, the rarest first, capped at maxQueryTerms. */
  queryTerms(query: string | readonly string[]): QueryTerm[] {
    const terms: QueryTerm[] = [];
    for (const [term, count] of termCounts(typeof query === 'string' ? tokenize(query) : query)) {
      const df = this.documentFrequency(term);
      if (df > 0) terms.push({ term, count, idf: this.idfOf(df) });
    }
    terms.sort((a, b) => b.idf * b.count - a.idf * a.count || (a.term < b.term ? -1 : 1));
    return terms.slice(0, this.maxQueryTerms);
  }

  /** Top-k documents for a query, best first (ties by id). */
  search(query: string | readonly string[], k: number, filter?: (id: number) => boolean): Hit[] {
    if (k <= 0) return [];
    const scores = this.scores;
    const touched = this.touched;
    let touchedCount = 0;
    // Terms are added in the same order for every document, so each score is the same float
    // sum as a per-document loop would give.
    for (const { term, count, idf } of this.queryTerms(query)) {
      const p = this.postings[this.termIds.get(term)!]!;
      for (let i = 0; i < p.count; i++) {
        const slot = p.slots[i]!;
        const s = count * this.termScore(p.tfs[i]!, this.slotLengths[slot]!, idf);
        const before = scores[slot]!;
        if (before === 0) touched[touchedCount++] = slot;
        scores[slot] = before + s;
      }
    }
    // A bounded heap, not a sort of every matching document: a long question matches most of a
    // large history, and building and sorting that many hits cost a quarter of the search at 300k.
    const top = new TopK(Math.min(k, touchedCount));
    for (let i = 0; i < touchedCount; i++) {
      const slot = touched[i]!;
      const score = scores[slot]!;
      scores[slot] = 0;
      const id = this.slotIds[slot]!;
      // Filtering after scoring calls the filter once per matching document, not once per posting.
      if (!filter || filter(id)) top.push(score, id);
    }
    return top.result();
  }

  /** BM25 score of the query against each given document (0 when it shares no term). */
  scoreDocuments(query: string | readonly string[], ids: readonly number[]): Map<number, number> {
    const q = this.queryTerms(query).map((t) => ({ ...t, termId: this.termIds.get(t.term)! }));
    const out = new Map<number, number>();
    for (const id of ids) {
      const slot = this.slotOf.get(id);
      let s = 0;
      if (slot !== undefined) {
        const terms = this.slotTerms.values;
        const at = this.slotTerms.start(slot);
        const end = at + this.slotTerms.count(slot);
        for (const { termId, count, idf } of q) {
          for (let i = at; i < end; i++) {
            const packed = terms[i]!;
            if (packed >>> TF_BITS !== termId) continue;
            s += count * this.termScore(packed & MAX_TF, this.slotLengths[slot]!, idf);
            break;
          }
        }
      }
      out.set(id, s);
    }
    return out;
  }

  private appendPosting(termId: number, slot: number, tf: number): void {
    const p = this.postings[termId]!;
    if (p.count === p.slots.length) {
      const capacity = Math.ceil(p.count * 1.5) + 2;
      const slots = new Int32Array(capacity);
      slots.set(p.slots);
      const tfs = new Uint8Array(capacity);
      tfs.set(p.tfs);
      p.slots = slots;
      p.tfs = tfs;
    }
    p.slots[p.count] = slot;
    p.tfs[p.count] = tf;
    p.count++;
  }

  private removePosting(termId: number, slot: number): void {
    const p = this.postings[termId]!;
    const at = p.slots.subarray(0, p.count).indexOf(slot);
    if (at < 0) return;
    const last = --p.count;
    p.slots[at] = p.slots[last]!;
    p.tfs[at] = p.tfs[last]!;
    if (p.count === 0) {
      // Forget the term, so the dictionary does not keep words no document has any more.
      this.termIds.delete(this.termNames[termId]!);
      this.termNames[termId] = undefined;
      this.postings[termId] = undefined;
      this.freeTermIds.push(termId);
      this.forgotten++;
    } else if (p.slots.length > 16 && p.count < p.slots.length / 4) {
      p.slots = p.slots.slice(0, p.count * 2);
      p.tfs = p.tfs.slice(0, p.count * 2);
    }
  }

  private takeSlot(): number {
    const reused = this.freeSlots.pop();
    if (reused !== undefined) return reused;
    const slot = this.usedSlots++;
    if (slot === this.slotIds.length) {
      const capacity = Math.ceil(slot * 1.5);
      this.slotIds = grow(this.slotIds, new Float64Array(capacity));
      this.slotLengths = grow(this.slotLengths, new Uint32Array(capacity));
      this.scores = new Float64Array(capacity);
      this.touched = new Int32Array(capacity);
      this.slotTerms.reserveSlots(capacity);
    }
    return slot;
  }
}

function grow<T extends Float64Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
