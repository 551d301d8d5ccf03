// Every document's distinct terms for the BM25 index, packed in one shared Uint32Array: a span
// (start, count) per slot.
//
// One small typed array per document cost a JS object pair and an off-heap buffer each: at 1M
// documents that is a million buffers for the garbage collector to track on every full
// collection (and ~150 bytes of bookkeeping per document), which made loading history slower
// the more of it there was. Spans are appended at the end; a removed document's span becomes a
// hole, and holes are squeezed out whenever the array has to grow anyway.
export class DocTerms {
  private data: Uint32Array;
  private starts: Uint32Array;
  private counts: Uint32Array;
  /** Entries written so far (live spans and holes). */
  private used = 0;
  /** Entries in holes left by released spans. */
  private dead = 0;

  constructor(slots: number) {
    this.data = new Uint32Array(1024);
    this.starts = new Uint32Array(slots);
    this.counts = new Uint32Array(slots);
  }

  /** The shared array: read a slot's entries at [start(slot), start(slot) + count(slot)). It moves when it grows. */
  get values(): Uint32Array {
    return this.data;
  }

  get byteLength(): number {
    return this.data.byteLength + this.starts.byteLength + this.counts.byteLength;
  }

  start(slot: number): number {
    return this.starts[slot]!;
  }

  count(slot: number): number {
    return this.counts[slot]!;
  }

  /** Room for slots 0 .. capacity - 1. */
  reserveSlots(capacity: number): void {
    if (capacity <= this.starts.length) return;
    const starts = new Uint32Array(capacity);
    starts.set(this.starts);
    this.starts = starts;
    const counts = new Uint32Array(capacity);
    counts.set(this.counts);
    this.counts = counts;
  }

  /**
   * Gives `slot` (which holds no span) a span of `n` entries and returns the array to write them
   * into, at start(slot).
   */
  allocate(slot: number, n: number): Uint32Array {
    if (this.used + n > this.data.length) this.regrow(n);
    this.starts[slot] = this.used;
    this.counts[slot] = n;
    this.used += n;
    return this.data;
  }

  /** Frees the slot's span (its entries become a hole until the next regrowth). */
  release(slot: number): void {
    this.dead += this.counts[slot]!;
    this.starts[slot] = 0;
    this.counts[slot] = 0;
  }

  /** A new array with room for the live entries plus `more`, and half as much again; holes dropped. */
  private regrow(more: number): void {
    const live = this.used - this.dead;
    const data = new Uint32Array(Math.max(1024, Math.ceil((live + more) * 1.5)));
    if (this.dead === 0) {
      data.set(this.data.subarray(0, this.used));
    } else {
      let at = 0;
      for (let slot = 0; slot < this.counts.length; slot++) {
        const n = this.counts[slot]!;
        if (n === 0) continue;
        const from = this.starts[slot]!;
        data.set(this.data.subarray(from, from + n), at);
        this.starts[slot] = at;
        at += n;
      }
    }
    this.data = data;
    this.used = live;
    this.dead = 0;
  }
}
