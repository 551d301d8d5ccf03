// In-memory nearest-neighbour index for unit-length sentence embeddings (cosine = dot product).
//
// Small indexes are searched exactly. Larger ones rank every vector by the Hamming distance
// between 1-bit codes (the sign of each component after subtracting part of the mean vector),
// keep a few hundred candidates, and rerank those with exact dot products, so scores are exact
// (with float32 storage; int8 storage is within ~0.002) and only recall is approximate. Ids
// added with identical vectors share one stored vector (folding). The class comment explains the
// folding, the centring and the two stages.
import { codeWords, encodeSigns, hammingDistances, hammingDistancesOf } from './bit-codes.js';
import type { Hit } from './hit.js';
import { TopK } from './top-k.js';
import { ExtraIdLists, SlotTable, hashBytes, hashWords } from './vector-folding.js';

/** How the stored vectors (used for reranking and exact search) are held. */
export type VectorPrecision = 'float32' | 'int8';

export interface VectorIndexOptions {
  /**
   * 'float32' (default) keeps every vector as given, so scores are exact. 'int8' keeps each
   * vector minus a fixed centre as 8-bit integers with one float scale per vector: a quarter of
   * the memory (512 dims: 516 bytes a vector instead of 2,048), scores within about 0.002 of the
   * float ones (see quantise). The centre is the mean of the first `int8CentreSample` vectors,
   * which are held as float32 until then (an index that never grows that far stays exact).
   * Bit codes are taken from the stored (dequantised) vectors.
   */
  precision?: VectorPrecision;
  /** Vectors whose mean becomes the int8 quantisation centre. Default 1,024. */
  int8CentreSample?: number;
  /** Below this many vectors every search is exact (a scan is cheap there). Default 5,000. */
  exactBelow?: number;
  /** Hamming candidates reranked per result wanted (k). Default 20. */
  overfetch?: number;
  /**
   * Hamming candidates reranked at least, whatever k is. Default 600: on 100k synthetic
   * embedding-like vectors recall@10 was 0.997-1.000 across four data variants (400 gave
   * 0.993-1.000, 200 gave 0.982-0.992); the dot products cost well under a millisecond.
   */
  minCandidates?: number;
  /** Vectors to allocate room for up front (the store grows by half when full). Default 1,024. */
  initialCapacity?: number;
}

export interface SearchOptions {
  /**
   * Only ids for which this returns true are ranked (applied before ranking, not after). It may be
   * called more than once for an id that shares its vector with other ids.
   */
  filter?: (id: number) => boolean;
  /** Only ids added with `marked` (a flag per stored vector is checked first, far cheaper than a filter call). */
  marked?: boolean;
  /** Scan every vector with exact dot products: the reference the fast path is tested against. */
  exact?: boolean;
  /** Drop hits scoring below this. */
  minScore?: number;
}

/** How the last search ran: for tests, benchmarks and logs. Counts are of distinct stored vectors. */
export interface SearchStats {
  /** 'exact' scanned every (filtered) vector; 'coded' used the bit-code prefilter. */
  path: 'exact' | 'coded';
  /** Vectors that passed the first, half-width code stage (all scanned ones, for exact). */
  shortlisted: number;
  /** Exact dot products computed (one per distinct vector, however many ids share it). */
  scored: number;
}

/** Vectors whose mean becomes the int8 quantisation centre (a mean of 1,024 is close to the full one). */
const INT8_CENTRE_SAMPLE = 1_024;
const DEFAULTS = { exactBelow: 5_000, overfetch: 20, minCandidates: 600, initialCapacity: 1_024 };
/**
 * Share of the mean vector subtracted before taking signs. On 6,765 real USE-lite embeddings
 * (recall@10 with 100 candidates) no centring gave 0.993, full centring 0.989, half 0.995: the
 * shared component varies per text and is part of the true dot product, so removing all of it
 * loses information, while removing none leaves bits that are mostly 1 or mostly 0.
 */
const CENTRING = 0.5;
/** Codes of at least this many words are compared in two stages (see searchCoded). */
const TWO_STAGE_WORDS = 16;
/**
 * First-stage survivors per final candidate. At 100k vectors, 10 matched a single full-width
 * scan's recall on most data variants, 5 lost up to 0.004; 20 gained little for more work.
 */
const FIRST_STAGE_FACTOR = 10;
/** Distance marking a vector the filter rejected; above any real distance. */
const EXCLUDED = 0xffff;
const MAX_DIMS = EXCLUDED - 1;
/** Bits of a slot's flags: its first id is marked; one of its other ids is; it has other ids. */
const FIRST_MARKED = 1;
const EXTRA_MARKED = 2;
const ANY_MARKED = FIRST_MARKED | EXTRA_MARKED;
const FOLDED = 4;

/**
 * Top-k by dot product over vectors of one fixed dimension, with exact scores (float32 storage), best first,
 * ties broken by smaller id.
 *
 * Storage is flat: all vectors in one Float32Array (slot i at i * dims), ids in a Float64Array,
 * codes in Uint32Arrays, and a Map from id to slot. Removal moves the last slot into the hole,
 * so the store stays dense and scans never skip tombstones.
 *
 * Folding: ids added with identical vectors (repeated posts, cross-posts, the same short reply)
 * share one slot, found through a hash table of the stored vectors (vector-folding.ts). A slot
 * keeps its first id in `ids`; the rare others sit in lists by slot (ExtraIdLists). Codes,
 * shortlists and dot products are per slot, and a slot that scores expands to its ids (filter
 * and marks are per id), so results are exactly those of one slot per id, found more often on
 * the coded path: a shortlist of 600 slots no longer fills up with 600 copies of a few texts. "Identical" means
 * identical as stored: float bits for float slots; for int8, the quantised bytes and scale (the
 * incoming vector is quantised first), since two vectors stored alike score alike for every
 * query. Slots quantised when the int8 centre is fixed are not merged afterwards; a later
 * identical vector joins the first of them the table finds.
 *
 * Centring: sentence embeddings share a large common direction, so raw sign bits are lopsided
 * (on USE-lite a bit takes its usual value 71% of the time) and carry less information. Codes
 * are signs of (vector - CENTRING * mean), where the mean is taken over the distinct stored
 * vectors when the fast path is first needed, and taken again (all codes recomputed) once as
 * many slots have been filled and freed as there were at the last centring: a doubling, a
 * halving or a full turnover. That is O(dims) amortised work per change and depends only on
 * the sequence of calls, so results are deterministic. Distinct vectors, not ids: the centre is
 * there to balance the bits of the codes that are scanned, which are one per slot, and a text
 * posted a thousand times should not pull it (the int8 centre is likewise the mean of the first
 * distinct vectors).
 *
 * Two stages: for 512-bit codes the first half of every code sits in one array and is scanned
 * for all vectors; only the best ~10 x candidates by that half-distance get the second half
 * added. The full scan, which dominates search time, reads and counts half as many bits.
 */
export class VectorIndex {
  readonly dims: number;
  readonly precision: VectorPrecision;
  private readonly words: number;
  private readonly headWords: number;
  private readonly tailWords: number;
  private readonly exactBelow: number;
  private readonly overfetch: number;
  private readonly minCandidates: number;

  private capacity: number;
  /** The store never shrinks below the capacity it started with. */
  private readonly minCapacity: number;
  /** Slots in use (distinct vectors), and ids held. */
  private count = 0;
  private idCount = 0;
  /**
   * The float vectors in use: the whole store for 'float32'; for 'int8', the first vectors
   * until the quantisation centre is fixed (then null).
   */
  private floats: Float32Array | null;
  /** The same memory as `floats`, as bits: folding compares vectors bit for bit. */
  private floatBits: Uint32Array | null;
  /** int8 store: slot i holds round((v - quantCentre) / scales[i]). Empty for float32. */
  private bytes: Int8Array;
  /** Per-slot scale of int8 vectors (empty for float32). */
  private scales: Float32Array;
  private readonly centreSample: number;
  /** Centre subtracted before quantising (int8, once fixed), and its dot product with the current query. */
  private quantCentre: Float32Array | null = null;
  private centreDot = 0;
  /** One vector's dims, dequantised (int8 only): what encode and sums read. */
  private readonly unpacked: Float32Array;
  /** An incoming vector quantised (int8, once the centre is fixed), before it is looked up. */
  private readonly incoming: Int8Array;
  private readonly scaleBits = new Uint32Array(1);
  private readonly scaleFloat = new Float32Array(this.scaleBits.buffer);
  /** The first id of each slot. */
  private ids: Float64Array;
  /**
   * FIRST_MARKED, EXTRA_MARKED and FOLDED bits per slot. Marked ids (added with `marked`) are a
   * subset searched on its own, e.g. tagged documents.
   */
  private flags: Uint8Array;
  /** Other ids of slots flagged FOLDED. */
  private readonly extras = new ExtraIdLists();
  private readonly slotOf = new Map<number, number>();
  private readonly folds: SlotTable;

  /** Sum of all stored vectors, in float64 so adds and removes do not drift visibly. */
  private readonly sum: Float64Array;
  /** Centre used for the current codes, or null while codes are not kept (before the first fast search). */
  private centre: Float32Array | null = null;
  /** First headWords words of every code, then the remaining tailWords words. */
  private headCodes: Uint32Array;
  private tailCodes: Uint32Array;
  private centredAtSize = 0;
  private changesSinceCentring = 0;
  private stats: SearchStats = { path: 'exact', shortlisted: 0, scored: 0 };

  // Scratch reused by every search (searches are synchronous, so never shared concurrently).
  private readonly code: Uint32Array;
  private readonly queryHead: Uint32Array;
  private readonly queryTail: Uint32Array;
  private distances: Uint16Array;
  private survivors: Int32Array;
  private survivorDistances: Uint16Array;
  private readonly headHistogram: Uint32Array;
  private readonly fullHistogram: Uint32Array;

  constructor(dims: number, options: VectorIndexOptions = {}) {
    if (!Number.isInteger(dims) || dims < 1 || dims > MAX_DIMS) {
      throw new Error(`VectorIndex: dims must be an integer from 1 to ${MAX_DIMS}, got ${dims}`);
    }
    this.dims = dims;
    const precision = options.precision ?? 'float32';
    if (precision !== 'float32' && precision !== 'int8') throw new Error(`VectorIndex: precision must be 'float32' or 'int8', got ${String(precision)}`);
    this.precision = precision;
    this.words = codeWords(dims);
    this.headWords = this.words >= TWO_STAGE_WORDS ? this.words >> 1 : this.words;
    this.tailWords = this.words - this.headWords;
    this.exactBelow = nonNegative('exactBelow', options.exactBelow ?? DEFAULTS.exactBelow);
    this.overfetch = nonNegative('overfetch', options.overfetch ?? DEFAULTS.overfetch);
    this.minCandidates = nonNegative('minCandidates', options.minCandidates ?? DEFAULTS.minCandidates);
    this.capacity = Math.max(1, Math.floor(nonNegative('initialCapacity', options.initialCapacity ?? DEFAULTS.initialCapacity)));
    this.minCapacity = this.capacity;
    this.centreSample = Math.max(1, Math.floor(nonNegative('int8CentreSample', options.int8CentreSample ?? INT8_CENTRE_SAMPLE)));
    const int8 = precision === 'int8';
    this.floats = new Float32Array((int8 ? this.centreSample : this.capacity) * dims);
    this.floatBits = new Uint32Array(this.floats.buffer);
    this.incoming = new Int8Array(int8 ? dims : 0);
    this.folds = new SlotTable(this.capacity);
    this.bytes = new Int8Array(int8 ? this.capacity * dims : 0);
    this.scales = new Float32Array(int8 ? this.capacity : 0);
    this.unpacked = new Float32Array(precision === 'int8' ? dims : 0);
    this.ids = new Float64Array(this.capacity);
    this.flags = new Uint8Array(this.capacity);
    this.headCodes = new Uint32Array(0);
    this.tailCodes = new Uint32Array(0);
    this.distances = new Uint16Array(0);
    this.survivors = new Int32Array(0);
    this.survivorDistances = new Uint16Array(0);
    this.sum = new Float64Array(dims);
    this.code = new Uint32Array(this.words);
    this.queryHead = new Uint32Array(this.headWords);
    this.queryTail = new Uint32Array(this.tailWords);
    this.headHistogram = new Uint32Array(this.headWords * 32 + 1);
    this.fullHistogram = new Uint32Array(this.words * 32 + 1);
  }

  /** Ids held. */
  get size(): number {
    return this.idCount;
  }

  /** Distinct vectors held (ids added with identical vectors share one). */
  get distinctSize(): number {
    return this.count;
  }

  /**
   * Bytes held in typed arrays (vectors, ids, codes, search scratch, the folding table, the other
   * ids of folded slots); the id Map is not counted.
   */
  get byteLength(): number {
    return (
      (this.floats?.byteLength ?? 0) +
      this.bytes.byteLength +
      this.scales.byteLength +
      this.ids.byteLength +
      this.flags.byteLength +
      this.folds.byteLength +
      this.extras.byteLength +
      this.incoming.byteLength +
      this.headCodes.byteLength +
      this.tailCodes.byteLength +
      this.distances.byteLength +
      this.survivors.byteLength +
      this.survivorDistances.byteLength +
      this.sum.byteLength +
      (this.centre?.byteLength ?? 0) +
      (this.quantCentre?.byteLength ?? 0)
    );
  }

  /** How the most recent search() ran (path taken, dot products computed). */
  get lastSearch(): Readonly<SearchStats> {
    return this.stats;
  }

  has(id: number): boolean {
    return this.slotOf.has(id);
  }

  /** A copy of the stored vector (dequantised, for int8), or undefined. */
  get(id: number): Float32Array | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    if (this.floats) return this.floats.slice(slot * this.dims, (slot + 1) * this.dims);
    return this.dequantise(slot, new Float32Array(this.dims));
  }

  /**
   * The stored vector itself, without copying: only valid until the next add or remove (storage
   * moves). For scoring a handful of candidates without keeping a second copy of every vector.
   * With int8 storage it is a fresh dequantised copy (callers may hold several at once).
   */
  view(id: number): Float32Array | undefined {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return undefined;
    if (this.floats) return this.floats.subarray(slot * this.dims, (slot + 1) * this.dims);
    return this.dequantise(slot, new Float32Array(this.dims));
  }

  /**
   * Adds the vector stored for `id` into `target`, element by element, without the copy `view`
   * makes of an int8 vector (member profiles sum a vector per answer: at a million documents
   * those copies were 7 s of start-up). The same sums as adding `view(id)`. False if none.
   */
  addInto(id: number, target: Float32Array): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    const [v, base] = this.floatsOf(slot);
    for (let d = 0; d < this.dims; d++) target[d]! += v[base + d]!;
    return true;
  }

  /**
   * Stores a copy of `vector` under `id` (a safe integer), replacing any vector already stored
   * for that id. Vectors are expected to be unit length: scores are plain dot products. An id
   * whose vector is identical to a stored one shares it (see the class comment).
   */
  add(id: number, vector: Float32Array, marked = false): void {
    if (!Number.isSafeInteger(id)) throw new Error(`VectorIndex: id must be a safe integer, got ${id}`);
    this.checkVector(vector, 'vector');
    if (this.floats && this.precision === 'int8' && this.count >= this.centreSample) this.fixQuantisationCentre();
    if (this.slotOf.has(id)) this.detach(id);
    let slot: number;
    let hash: number;
    const dims = this.dims;
    if (this.floats) {
      const bits = new Uint32Array(vector.buffer, vector.byteOffset, dims);
      const stored = this.floatBits!;
      hash = hashWords(bits, 0, dims);
      slot = this.folds.find(hash, (s) => {
        for (let d = 0, base = s * dims; d < dims; d++) if (stored[base + d] !== bits[d]) return false;
        return true;
      });
    } else {
      // Compared as it would be stored: vectors that quantise alike score alike for every query.
      const incoming = this.incoming;
      this.scaleFloat[0] = quantise(vector, this.quantCentre!, incoming, 0);
      const scale = this.scaleFloat[0];
      const bytes = this.bytes;
      hash = hashBytes(incoming, 0, dims, this.scaleBits[0]!);
      slot = this.folds.find(hash, (s) => {
        if (this.scales[s] !== scale) return false;
        for (let d = 0, base = s * dims; d < dims; d++) if (bytes[base + d] !== incoming[d]) return false;
        return true;
      });
    }
    this.idCount++;
    this.slotOf.set(id, slot >= 0 ? slot : this.count);
    if (slot >= 0) {
      this.attachExtra(slot, id, marked);
      return;
    }
    if (this.count === this.capacity) this.resize(Math.max(this.capacity + 1, Math.ceil(this.capacity * 1.5)));
    slot = this.count++;
    this.ids[slot] = id;
    this.flags[slot] = marked ? FIRST_MARKED : 0;
    if (this.floats) this.floats.set(vector, slot * dims);
    else {
      this.bytes.set(this.incoming, slot * dims);
      this.scales[slot] = this.scaleFloat[0]!;
    }
    this.folds.insert(slot, hash);
    this.addToSum(slot, 1);
    if (this.centre) this.encode(slot, this.centre);
    this.changesSinceCentring++;
  }

  /**
   * Makes room for `total` vectors at once, so loading a known number of documents does not
   * grow the store by halves (leaving up to a third of it unused) or copy it along the way.
   * A small step past the capacity still grows it by half: the engine reserves before every
   * batch, and sizing the store to exactly one more vector copied all of it on every new
   * document (20 MB at 10k float32 vectors, 500 MB at 1M int8 ones).
   */
  reserve(total: number): void {
    if (Number.isSafeInteger(total) && total > this.capacity) this.resize(Math.max(total, Math.ceil(this.capacity * 1.5)));
  }

  /** Removes `id`; returns whether it was present. */
  remove(id: number): boolean {
    if (!this.slotOf.has(id)) return false;
    this.detach(id);
    return true;
  }

  /** Gives `id` a place among the other ids of `slot`, which holds its vector already. */
  private attachExtra(slot: number, id: number, marked: boolean): void {
    const extra = this.extras.add(slot, id, marked);
    this.flags[slot] = this.flags[slot]! | FOLDED | (extra.marked > 0 ? EXTRA_MARKED : 0);
  }

  /**
   * Takes `id` (present) out of its slot: out of the slot's other ids, or, when it is the first
   * id, the last of the others takes its place; the slot is freed when it was its only id.
   */
  private detach(id: number): void {
    const slot = this.slotOf.get(id)!;
    this.slotOf.delete(id);
    this.idCount--;
    const extra = this.extras.of(slot);
    if (!extra) {
      this.freeSlot(slot);
      return;
    }
    let flags = this.flags[slot]!;
    let leaving = id;
    if (this.ids[slot] === id) {
      leaving = extra.ids[extra.length - 1]!; // becomes the first id
      this.ids[slot] = leaving;
      flags = extra.marks[extra.length - 1] === 1 ? flags | FIRST_MARKED : flags & ~FIRST_MARKED;
    }
    const left = this.extras.remove(slot, leaving);
    if (!left) flags &= ~(FOLDED | EXTRA_MARKED);
    else if (left.marked === 0) flags &= ~EXTRA_MARKED;
    this.flags[slot] = flags;
  }

  /** Frees `slot`; the last slot moves into it, so the store stays dense. */
  private freeSlot(slot: number): void {
    this.addToSum(slot, -1);
    this.folds.delete(slot);
    const last = --this.count;
    if (slot !== last) {
      // Keep the store dense: the last vector takes the freed slot.
      const dims = this.dims;
      if (this.floats) this.floats.copyWithin(slot * dims, last * dims, (last + 1) * dims);
      else {
        this.bytes.copyWithin(slot * dims, last * dims, (last + 1) * dims);
        this.scales[slot] = this.scales[last]!;
      }
      if (this.centre) {
        const h = this.headWords;
        const t = this.tailWords;
        this.headCodes.copyWithin(slot * h, last * h, (last + 1) * h);
        this.tailCodes.copyWithin(slot * t, last * t, (last + 1) * t);
      }
      const movedId = this.ids[last]!;
      this.ids[slot] = movedId;
      this.flags[slot] = this.flags[last]!;
      this.slotOf.set(movedId, slot);
      const extra = this.extras.move(last, slot);
      if (extra) for (let i = 0; i < extra.length; i++) this.slotOf.set(extra.ids[i]!, slot);
      this.folds.move(last, slot);
    }
    if (this.count === 0) this.sum.fill(0); // drop accumulated rounding once empty
    this.changesSinceCentring++;
    // Give memory back after large deletions, keeping headroom so add/remove cycles do not thrash.
    if (this.capacity > this.minCapacity && this.count < this.capacity / 4) {
      this.resize(Math.max(this.minCapacity, Math.ceil(this.count * 1.5)));
    }
  }

  /**
   * The k best vectors by dot product with `query` (cosine, for unit vectors), best first, ties
   * broken by smaller id. Scores are exact for float32 storage; without `exact`, an index of `exactBelow` vectors or
   * more may miss a true neighbour that the bit codes ranked badly (recall@10 measured >= 0.99).
   */
  search(query: Float32Array, k: number, options: SearchOptions = {}): Hit[] {
    this.checkVector(query, 'query');
    if (Number.isNaN(k)) throw new Error('VectorIndex: k must be a number, got NaN');
    const want = Math.min(Math.floor(k), this.idCount);
    this.stats = { path: 'exact', shortlisted: 0, scored: 0 };
    if (!(want > 0)) return [];
    this.centreDot = this.quantCentre ? dotFloat(this.quantCentre, 0, query, this.dims) : 0;
    const minScore = options.minScore ?? -Infinity;
    const candidates = this.candidatesFor(want);
    if (options.exact || this.exactFor(this.count, want)) {
      return this.searchExact(query, want, options.filter, options.marked === true, minScore);
    }
    return this.searchCoded(query, want, candidates, options.filter, options.marked === true, minScore);
  }

  /**
   * Whether an index of `size` distinct vectors answers a top-k search exactly by default (the
   * index itself decides by its distinct vectors; a count of ids is an upper bound). A caller that
   * searches a filtered subset of known size uses it to keep the behaviour a separate index of
   * just that subset would have.
   */
  exactFor(size: number, k: number): boolean {
    // When the candidates would be a large share of the index, a plain scan costs about the same.
    return size < this.exactBelow || this.candidatesFor(Math.min(Math.floor(k), size)) * 4 >= size;
  }

  private candidatesFor(k: number): number {
    return Math.max(k * this.overfetch, this.minCandidates, 1);
  }

  private searchExact(query: Float32Array, k: number, filter: ((id: number) => boolean) | undefined, onlyMarked: boolean, minScore: number): Hit[] {
    const top = new TopK(k);
    const ids = this.ids;
    const flags = this.flags;
    let scored = 0;
    for (let slot = 0; slot < this.count; slot++) {
      const f = flags[slot]!;
      if (onlyMarked && (f & ANY_MARKED) === 0) continue;
      if ((f & FOLDED) !== 0) {
        if (!this.slotPasses(slot, filter, onlyMarked)) continue;
      } else if (filter && !filter(ids[slot]!)) continue;
      const score = this.dot(query, slot);
      scored++;
      if (score >= minScore) this.pushIds(top, score, slot, filter, onlyMarked);
    }
    this.stats.shortlisted = scored;
    this.stats.scored = scored;
    return top.result();
  }

  /** Whether any id of `slot` passes the filter and, with onlyMarked, is marked. */
  private slotPasses(slot: number, filter: ((id: number) => boolean) | undefined, onlyMarked: boolean): boolean {
    const f = this.flags[slot]!;
    if ((!onlyMarked || (f & FIRST_MARKED) !== 0) && (!filter || filter(this.ids[slot]!))) return true;
    if ((f & FOLDED) === 0 || (onlyMarked && (f & EXTRA_MARKED) === 0)) return false;
    const extra = this.extras.of(slot)!;
    for (let i = 0; i < extra.length; i++) {
      if ((!onlyMarked || extra.marks[i] === 1) && (!filter || filter(extra.ids[i]!))) return true;
    }
    return false;
  }

  /**
   * Offers every id of `slot` that passes (a slot without other ids has passed already: its one
   * id is offered as it is) with the slot's score.
   */
  private pushIds(top: TopK, score: number, slot: number, filter: ((id: number) => boolean) | undefined, onlyMarked: boolean): void {
    const f = this.flags[slot]!;
    if ((f & FOLDED) === 0) {
      top.push(score, this.ids[slot]!);
      return;
    }
    if ((!onlyMarked || (f & FIRST_MARKED) !== 0) && (!filter || filter(this.ids[slot]!))) top.push(score, this.ids[slot]!);
    const extra = this.extras.of(slot)!;
    for (let i = 0; i < extra.length; i++) {
      if ((!onlyMarked || extra.marks[i] === 1) && (!filter || filter(extra.ids[i]!))) top.push(score, extra.ids[i]!);
    }
  }

  private searchCoded(
    query: Float32Array,
    k: number,
    candidates: number,
    filter: ((id: number) => boolean) | undefined,
    onlyMarked: boolean,
    minScore: number,
  ): Hit[] {
    const centre = this.refreshCodes();
    this.stats.path = 'coded';
    const n = this.count;
    const ids = this.ids;
    encodeSigns(query, 0, this.dims, centre, this.code, 0);
    this.queryHead.set(this.code.subarray(0, this.headWords));
    this.queryTail.set(this.code.subarray(this.headWords));

    // Stage 1: distance over the head words of every code.
    const distances = this.distances;
    const headHistogram = this.headHistogram;
    headHistogram.fill(0);
    if (filter || onlyMarked) {
      const flags = this.flags;
      hammingDistances(this.headCodes, this.headWords, n, this.queryHead, distances);
      for (let slot = 0; slot < n; slot++) {
        const f = flags[slot]!;
        const passes =
          (f & FOLDED) !== 0
            ? (!onlyMarked || (f & ANY_MARKED) !== 0) && this.slotPasses(slot, filter, onlyMarked)
            : (!onlyMarked || (f & FIRST_MARKED) !== 0) && (!filter || filter(ids[slot]!));
        if (passes) headHistogram[distances[slot]!]!++;
        else distances[slot] = EXCLUDED;
      }
    } else {
      hammingDistances(this.headCodes, this.headWords, n, this.queryHead, distances, headHistogram);
    }
    const top = new TopK(k);
    if (this.tailWords === 0) {
      const cutoff = cutoffFor(headHistogram, candidates);
      for (let slot = 0; slot < n; slot++) {
        if (distances[slot]! <= cutoff) this.offer(top, query, slot, minScore, filter, onlyMarked);
      }
      this.stats.shortlisted = this.stats.scored;
      return top.result();
    }
    // Stage 2: the survivors of stage 1 get the tail words' distance added.
    const headCutoff = cutoffFor(headHistogram, candidates * FIRST_STAGE_FACTOR);
    const survivors = this.survivors;
    let survivorCount = 0;
    for (let slot = 0; slot < n; slot++) {
      if (distances[slot]! <= headCutoff) survivors[survivorCount++] = slot;
    }
    this.stats.shortlisted = survivorCount;
    const full = this.survivorDistances;
    hammingDistancesOf(this.tailCodes, this.tailWords, survivors, survivorCount, this.queryTail, full);
    const fullHistogram = this.fullHistogram;
    fullHistogram.fill(0);
    for (let j = 0; j < survivorCount; j++) {
      const distance = full[j]! + distances[survivors[j]!]!;
      full[j] = distance;
      fullHistogram[distance]!++;
    }
    const cutoff = cutoffFor(fullHistogram, candidates);
    for (let j = 0; j < survivorCount; j++) {
      if (full[j]! <= cutoff) this.offer(top, query, survivors[j]!, minScore, filter, onlyMarked);
    }
    return top.result();
  }

  private offer(top: TopK, query: Float32Array, slot: number, minScore: number, filter: ((id: number) => boolean) | undefined, onlyMarked: boolean): void {
    this.stats.scored++;
    const score = this.dot(query, slot);
    if (score >= minScore) this.pushIds(top, score, slot, filter, onlyMarked);
  }

  /** Dot product of `query` with the vector in `slot` as stored (exact for float32). */
  private dot(query: Float32Array, slot: number): number {
    const f = this.floats;
    if (f) return dotFloat(f, slot * this.dims, query, this.dims);
    // (centre + scale * q) . query, with centre . query computed once per search.
    return this.centreDot + this.scales[slot]! * dotInt8(this.bytes, slot * this.dims, query, this.dims);
  }

  /** Writes slot's int8 vector, scaled and moved back by the centre, into `out`. */
  private dequantise(slot: number, out: Float32Array): Float32Array {
    const v = this.bytes;
    const centre = this.quantCentre!;
    const scale = this.scales[slot]!;
    const base = slot * this.dims;
    for (let d = 0; d < this.dims; d++) out[d] = centre[d]! + v[base + d]! * scale;
    return out;
  }

  /**
   * int8: takes the mean of the vectors held so far as the centre, quantises them, and drops
   * their float copies; every later vector is quantised on arrival. Sums and codes are taken
   * again from the quantised values, so later removes cancel what adds put in.
   */
  private fixQuantisationCentre(): void {
    const dims = this.dims;
    const floats = this.floats!;
    const centre = new Float32Array(dims);
    for (let d = 0; d < dims; d++) centre[d] = this.count > 0 ? this.sum[d]! / this.count : 0;
    this.quantCentre = centre;
    for (let slot = 0; slot < this.count; slot++) {
      this.scales[slot] = quantise(floats.subarray(slot * dims, (slot + 1) * dims), centre, this.bytes, slot * dims);
    }
    this.floats = null;
    this.floatBits = null;
    const bits = this.scaleBits;
    this.folds.reset(this.count, (slot) => {
      this.scaleFloat[0] = this.scales[slot]!;
      return hashBytes(this.bytes, slot * dims, dims, bits[0]!);
    });
    this.sum.fill(0);
    for (let slot = 0; slot < this.count; slot++) this.addToSum(slot, 1);
    if (this.centre) for (let slot = 0; slot < this.count; slot++) this.encode(slot, this.centre);
  }

  /** Float values of the stored vector in `slot`, and where they start in the returned array. */
  private floatsOf(slot: number): [Float32Array, number] {
    const f = this.floats;
    return f ? [f, slot * this.dims] : [this.dequantise(slot, this.unpacked), 0];
  }

  /** Centres (again) and recomputes all codes when none exist yet or the data has turned over. */
  private refreshCodes(): Float32Array {
    if (this.centre && this.changesSinceCentring < this.centredAtSize) return this.centre;
    const centre = this.centre ?? new Float32Array(this.dims);
    for (let d = 0; d < this.dims; d++) centre[d] = (CENTRING * this.sum[d]!) / this.count;
    this.centre = centre;
    this.allocateCodes(this.capacity);
    for (let slot = 0; slot < this.count; slot++) this.encode(slot, centre);
    this.centredAtSize = this.count;
    this.changesSinceCentring = 0;
    return centre;
  }

  private encode(slot: number, centre: Float32Array): void {
    const code = this.code;
    const [values, offset] = this.floatsOf(slot);
    encodeSigns(values, offset, this.dims, centre, code, 0);
    for (let w = 0; w < this.headWords; w++) this.headCodes[slot * this.headWords + w] = code[w]!;
    for (let w = 0; w < this.tailWords; w++) this.tailCodes[slot * this.tailWords + w] = code[this.headWords + w]!;
  }

  /** (Re)allocates codes and search scratch for `capacity` slots, keeping the codes in use. */
  private allocateCodes(capacity: number): void {
    if (this.distances.length === capacity) return;
    const head = new Uint32Array(capacity * this.headWords);
    head.set(this.headCodes.subarray(0, Math.min(this.count, capacity) * this.headWords));
    this.headCodes = head;
    const tail = new Uint32Array(capacity * this.tailWords);
    tail.set(this.tailCodes.subarray(0, Math.min(this.count, capacity) * this.tailWords));
    this.tailCodes = tail;
    this.distances = new Uint16Array(capacity);
    this.survivors = new Int32Array(capacity);
    this.survivorDistances = new Uint16Array(capacity);
  }

  private addToSum(slot: number, sign: 1 | -1): void {
    // The stored (for int8, dequantised) values, so an add and its remove cancel exactly.
    const [v, base] = this.floatsOf(slot);
    for (let d = 0; d < this.dims; d++) this.sum[d]! += sign * v[base + d]!;
  }

  private resize(capacity: number): void {
    const dims = this.dims;
    if (this.precision === 'float32') {
      const floats = new Float32Array(capacity * dims);
      floats.set(this.floats!.subarray(0, this.count * dims));
      this.floats = floats;
      this.floatBits = new Uint32Array(floats.buffer);
    } else {
      // Staged float vectors (before the centre is fixed) keep their own fixed-size array.
      const bytes = new Int8Array(capacity * dims);
      bytes.set(this.bytes.subarray(0, this.count * dims));
      this.bytes = bytes;
      const scales = new Float32Array(capacity);
      scales.set(this.scales.subarray(0, this.count));
      this.scales = scales;
    }
    const ids = new Float64Array(capacity);
    ids.set(this.ids.subarray(0, this.count));
    this.ids = ids;
    const flags = new Uint8Array(capacity);
    flags.set(this.flags.subarray(0, this.count));
    this.flags = flags;
    this.folds.resize(capacity);
    if (this.centre) this.allocateCodes(capacity);
    this.capacity = capacity;
  }

  private checkVector(vector: Float32Array, what: string): void {
    if (vector.length !== this.dims) {
      throw new Error(`VectorIndex: ${what} has ${vector.length} dimensions, the index holds ${this.dims}`);
    }
    for (let d = 0; d < vector.length; d++) {
      if (!Number.isFinite(vector[d]!)) {
        throw new Error(`VectorIndex: ${what} has a non-finite value (${vector[d]}) at dimension ${d}`);
      }
    }
  }
}

/**
 * Smallest distance whose cumulative count reaches `wanted` (the last bin if it never does).
 * Callers admit everything at the cut-off distance, so the set does not depend on slot order.
 */
function cutoffFor(histogram: Uint32Array, wanted: number): number {
  let seen = 0;
  for (let d = 0; d < histogram.length; d++) {
    seen += histogram[d]!;
    if (seen >= wanted) return d;
  }
  return histogram.length - 1;
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0) || !Number.isFinite(value)) {
    throw new Error(`VectorIndex: option ${name} must be a finite number >= 0, got ${value}`);
  }
  return value;
}

/** Dot product of `query` with v[base .. base + dims), four running sums for speed. */
function dotFloat(v: Float32Array, base: number, query: Float32Array, dims: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d + 3 < dims; d += 4) {
    s0 += v[base + d]! * query[d]!;
    s1 += v[base + d + 1]! * query[d + 1]!;
    s2 += v[base + d + 2]! * query[d + 2]!;
    s3 += v[base + d + 3]! * query[d + 3]!;
  }
  for (; d < dims; d++) s0 += v[base + d]! * query[d]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * dotFloat over int8 values (the caller multiplies by the vector's scale). Written out twice on
 * purpose: one function over both array types would be polymorphic, and V8 compiles the hot loop
 * of a monomorphic one far tighter.
 */
function dotInt8(v: Int8Array, base: number, query: Float32Array, dims: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let d = 0;
  for (; d + 3 < dims; d += 4) {
    s0 += v[base + d]! * query[d]!;
    s1 += v[base + d + 1]! * query[d + 1]!;
    s2 += v[base + d + 2]! * query[d + 2]!;
    s3 += v[base + d + 3]! * query[d + 3]!;
  }
  for (; d < dims; d++) s0 += v[base + d]! * query[d]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Writes `vector - centre` into out[offset ..) as int8 with one symmetric scale (largest
 * magnitude / 127, rounded to nearest) and returns the scale.
 *
 * Centred: sentence embeddings share a large common component, which shifts every dimension;
 * without it the remaining values are smaller, so the same 8 bits resolve them finer. On 100k
 * synthetic vectors, recall@10 of an exact int8 scan against float search was 0.993 uncentred
 * and 0.998 centred (mean error of the top-10 scores 2.8e-4 and 2.1e-4).
 *
 * One scale per vector rather than per dimension: per-dimension scales (by each dimension's
 * spread) measured no better (0.992), need statistics first, and per vector the same vector
 * always gets the same bytes (repeated texts tie exactly, as in float32). Each component is off
 * by at most scale / 2; a dot product with a unit query is typically off by ~0.0002 and, in
 * tests, never by more than 0.002.
 */
function quantise(vector: Float32Array, centre: Float32Array, out: Int8Array, offset: number): number {
  let largest = 0;
  for (let d = 0; d < vector.length; d++) largest = Math.max(largest, Math.abs(vector[d]! - centre[d]!));
  if (largest === 0) {
    out.fill(0, offset, offset + vector.length);
    return 0;
  }
  const inverse = 127 / largest;
  for (let d = 0; d < vector.length; d++) out[offset + d] = Math.round((vector[d]! - centre[d]!) * inverse);
  return largest / 127;
}
