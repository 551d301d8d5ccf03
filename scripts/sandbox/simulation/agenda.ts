// What the simulated community will do next, in time order. Ties keep insertion order, so a
// run with the same seed always plays the same way.

export interface Planned<T> {
  at: number;
  seq: number;
  item: T;
}

export class Agenda<T> {
  #items: Planned<T>[] = [];
  #seq = 0;

  get size(): number {
    return this.#items.length;
  }

  add(at: number, item: T): void {
    const entry = { at, seq: this.#seq++, item };
    // Binary search for the first entry that comes later.
    let lo = 0;
    let hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.#items[mid] as Planned<T>).at <= at) lo = mid + 1;
      else hi = mid;
    }
    this.#items.splice(lo, 0, entry);
  }

  /** The time of the next item, or undefined when nothing is planned. */
  peekTime(): number | undefined {
    return this.#items[0]?.at;
  }

  /** Removes and returns the next item if it is due by `until`. */
  takeDue(until: number): Planned<T> | undefined {
    const next = this.#items[0];
    if (!next || next.at > until) return undefined;
    this.#items.shift();
    return next;
  }
}
