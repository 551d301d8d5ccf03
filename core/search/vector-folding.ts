// VectorIndex's folding of repeated vectors into one slot: finding a stored vector identical to
// an incoming one (SlotTable), and holding the other ids of a slot (ExtraIdLists).
//
// SlotTable is an open-addressing hash table in typed arrays: a Map with an entry per vector
// would cost ~80 bytes each on the heap (80 MB at a million), this costs 12 at most.
//
// The table holds slot + 1 (0 = empty) at positions probed linearly from the slot's hash; each
// slot's hash is kept beside it, so probes compare hashes first and only equal hashes compare
// vectors, and growing the table never reads a vector. Deletion shifts later entries of the probe
// run back (no tombstones), so a table through any number of adds and removes probes as if
// freshly built. Everything depends only on the sequence of calls.

/** Hashes `dims` float32 values by their bits (given as the Uint32 view of the floats). */
export function hashWords(words: Uint32Array, offset: number, count: number, seed = 0): number {
  let h = seed ^ count;
  for (let i = 0; i < count; i++) h = mix(h, words[offset + i]!);
  return finish(h);
}

/** Hashes `dims` int8 values and their scale's float bits (int8 slots are equal when both are). */
export function hashBytes(bytes: Int8Array, offset: number, count: number, scaleBits: number): number {
  let h = count;
  let i = 0;
  for (; i + 3 < count; i += 4) {
    const o = offset + i;
    h = mix(h, (bytes[o]! & 0xff) | ((bytes[o + 1]! & 0xff) << 8) | ((bytes[o + 2]! & 0xff) << 16) | (bytes[o + 3]! << 24));
  }
  let rest = 0;
  for (let shift = 0; i < count; i++, shift += 8) rest |= (bytes[offset + i]! & 0xff) << shift;
  h = mix(h, rest);
  return finish(mix(h, scaleBits));
}

/** One MurmurHash3 round over a 32-bit word. */
function mix(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser: every input bit reaches the low bits the table indexes by. */
function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Slots by the hash of their vector. The owner numbers slots densely from 0 and tells the table
 * about every slot it fills, frees or moves; `find` asks the owner whether a slot with an equal
 * hash holds an equal vector.
 */
export class SlotTable {
  /** slot + 1 at each position, 0 where empty; length a power of two, at least twice the slots. */
  private table: Int32Array;
  private mask: number;
  /** Hash of the vector in each slot. */
  private hashes: Uint32Array;
  private count = 0;

  constructor(capacity: number) {
    this.hashes = new Uint32Array(capacity);
    this.table = new Int32Array(tableSizeFor(capacity));
    this.mask = this.table.length - 1;
  }

  get size(): number {
    return this.count;
  }

  get byteLength(): number {
    return this.table.byteLength + this.hashes.byteLength;
  }

  hashOf(slot: number): number {
    return this.hashes[slot]!;
  }

  /** The first slot (in probe order) with this hash whose vector `same` accepts, or -1. */
  find(hash: number, same: (slot: number) => boolean): number {
    const table = this.table;
    const mask = this.mask;
    for (let pos = hash & mask; ; pos = (pos + 1) & mask) {
      const entry = table[pos]!;
      if (entry === 0) return -1;
      const slot = entry - 1;
      if (this.hashes[slot] === hash && same(slot)) return slot;
    }
  }

  /** Records that `slot` (below the capacity) now holds a vector with this hash. */
  insert(slot: number, hash: number): void {
    this.hashes[slot] = hash;
    this.place(slot, hash);
    this.count++;
  }

  /** Forgets `slot`, which must be in the table. */
  delete(slot: number): void {
    const table = this.table;
    const mask = this.mask;
    let hole = this.positionOf(slot);
    // Backward-shift deletion: pull each later entry of the run into the hole when its home
    // position does not lie (cyclically) between the hole and where it sits.
    for (let pos = (hole + 1) & mask; table[pos] !== 0; pos = (pos + 1) & mask) {
      const home = this.hashes[table[pos]! - 1]! & mask;
      const between = hole <= pos ? hole < home && home <= pos : hole < home || home <= pos;
      if (between) continue;
      table[hole] = table[pos]!;
      hole = pos;
    }
    table[hole] = 0;
    this.count--;
  }

  /** Records that the vector in slot `from` (in the table) now sits in the unused slot `to`. */
  move(from: number, to: number): void {
    this.table[this.positionOf(from)] = to + 1;
    this.hashes[to] = this.hashes[from]!;
  }

  /** Room for slots below `capacity`; the slots in use (all below both capacities) are kept. */
  resize(capacity: number): void {
    const hashes = new Uint32Array(capacity);
    hashes.set(this.hashes.subarray(0, Math.min(capacity, this.hashes.length)));
    this.hashes = hashes;
    if (tableSizeFor(capacity) !== this.table.length) this.rebuild(this.count);
  }

  /**
   * Drops every entry and takes slots 0 .. count - 1 with the given hashes (all vectors changed
   * representation, as when int8 quantisation starts), in slot order.
   */
  reset(count: number, hashOf: (slot: number) => number): void {
    for (let slot = 0; slot < count; slot++) this.hashes[slot] = hashOf(slot);
    this.rebuild(count);
  }

  private rebuild(count: number): void {
    this.table = new Int32Array(tableSizeFor(this.hashes.length));
    this.mask = this.table.length - 1;
    this.count = count;
    for (let slot = 0; slot < count; slot++) this.place(slot, this.hashes[slot]!);
  }

  private place(slot: number, hash: number): void {
    const table = this.table;
    const mask = this.mask;
    let pos = hash & mask;
    while (table[pos] !== 0) pos = (pos + 1) & mask;
    table[pos] = slot + 1;
  }

  private positionOf(slot: number): number {
    const table = this.table;
    const mask = this.mask;
    for (let pos = this.hashes[slot]! & mask; ; pos = (pos + 1) & mask) {
      const entry = table[pos]!;
      if (entry === slot + 1) return pos;
      if (entry === 0) throw new Error(`SlotTable: slot ${slot} is not in the table`);
    }
  }
}

/** Smallest power of two at least twice `capacity` (load stays at or below one half). */
function tableSizeFor(capacity: number): number {
  let size = 2;
  while (size < 2 * capacity) size *= 2;
  return size;
}

/** A folded slot's ids beyond its first, and their marks (1 = marked). */
export interface ExtraIds {
  readonly ids: Float64Array;
  readonly marks: Uint8Array;
  readonly length: number;
  /** How many of them are marked. */
  readonly marked: number;
}

interface ExtraIdList {
  ids: Float64Array;
  marks: Uint8Array;
  length: number;
  marked: number;
}

/**
 * The other ids of folded slots, by slot. Most slots hold one id and have no entry, so the
 * common case costs nothing; a list grows by doubling, in typed arrays that `byteLength` counts.
 */
export class ExtraIdLists {
  private readonly bySlot = new Map<number, ExtraIdList>();
  private bytes = 0;

  get byteLength(): number {
    return this.bytes;
  }

  of(slot: number): ExtraIds | undefined {
    return this.bySlot.get(slot);
  }

  /** Appends `id` to the slot's list (made if it has none) and returns the list. */
  add(slot: number, id: number, marked: boolean): ExtraIds {
    let list = this.bySlot.get(slot);
    if (!list) {
      list = { ids: new Float64Array(2), marks: new Uint8Array(2), length: 0, marked: 0 };
      this.bySlot.set(slot, list);
      this.bytes += 2 * 9;
    } else if (list.length === list.ids.length) {
      const ids = new Float64Array(list.length * 2);
      ids.set(list.ids);
      const marks = new Uint8Array(list.length * 2);
      marks.set(list.marks);
      this.bytes += list.length * 9;
      list.ids = ids;
      list.marks = marks;
    }
    list.ids[list.length] = id;
    list.marks[list.length++] = marked ? 1 : 0;
    if (marked) list.marked++;
    return list;
  }

  /**
   * Takes `id` (in the slot's list) out, the last id taking its place; returns the list, or
   * undefined once it is empty (and dropped). Linear in the list: lists are short, except for
   * texts repeated very often.
   */
  remove(slot: number, id: number): ExtraIds | undefined {
    const list = this.bySlot.get(slot)!;
    const last = list.length - 1;
    const at = list.ids.lastIndexOf(id, last);
    list.marked -= list.marks[at]!;
    list.ids[at] = list.ids[last]!;
    list.marks[at] = list.marks[last]!;
    list.length = last;
    if (last > 0) return list;
    this.bySlot.delete(slot);
    this.bytes -= list.ids.length * 9;
    return undefined;
  }

  /** The list of slot `from`, if any, now belongs to slot `to` (which has none); returns it. */
  move(from: number, to: number): ExtraIds | undefined {
    const list = this.bySlot.get(from);
    if (list) {
      this.bySlot.delete(from);
      this.bySlot.set(to, list);
    }
    return list;
  }
}
