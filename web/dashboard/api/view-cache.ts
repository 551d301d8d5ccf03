// Computed answers, kept until the data behind them changes. The metrics over 100k
// interactions take around a second to compute, and a manager reads the same few views again
// and again, so each answer is computed once per change of the store's fingerprint, and the
// fingerprint itself is read at most every `fingerprintTtlMs` (a busy community changes every
// few seconds; without that bound every page view would recompute).
export interface ViewCacheOptions {
  /** What the answers depend on; a new value drops every entry. */
  fingerprint: () => string;
  /** How long a fingerprint is trusted before it is read again (ms); 0 reads it on every call. */
  fingerprintTtlMs?: number;
  /** Most entries kept; the least recently used goes first. */
  maxEntries?: number;
  now?: () => number;
}

export class ViewCache {
  readonly #entries = new Map<string, unknown>();
  #fingerprint: string | undefined;
  #checkedAt = -Infinity;
  readonly #options: Required<ViewCacheOptions>;

  constructor(options: ViewCacheOptions) {
    this.#options = { fingerprintTtlMs: 1000, maxEntries: 500, now: () => performance.now(), ...options };
  }

  /** The cached value for `key`, computing (and keeping) it when missing or out of date. */
  get<T>(key: string, compute: () => T): T {
    this.#refresh();
    if (this.#entries.has(key)) {
      const hit = this.#entries.get(key) as T;
      // Re-inserted: the map's order is least recently used first.
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const value = compute();
    if (this.#entries.size >= this.#options.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, value);
    return value;
  }

  /** Forgets `key` (an answer that failed, so the next request tries again). */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #refresh(): void {
    const now = this.#options.now();
    if (now - this.#checkedAt < this.#options.fingerprintTtlMs) return;
    this.#checkedAt = now;
    const current = this.#options.fingerprint();
    if (current !== this.#fingerprint) {
      this.#entries.clear();
      this.#fingerprint = current;
    }
  }
}
