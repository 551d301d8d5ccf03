// Computed answers, kept until the data behind them changes. The metrics over 100k
// interactions take around a second to compute, and a manager reads the same few views again
// and again, so each answer is computed once per change of the store's fingerprint, and the
// fingerprint itself is read at most every `fingerprintTtlMs` (a busy community changes every
// few seconds; without that bound every page view would recompute).
//
// Answers that take long (the figures over the whole history) can be served stale: after a
// change, the previous answer is sent at once while a fresh one is computed for the next
// request, as long as it is younger than `maxStaleMs`. A manager never waits for a recompute
// that only a new post or reaction triggered.
export interface ViewCacheOptions {
  /** What the answers depend on; a new value makes every entry out of date. */
  fingerprint: () => string;
  /** How long a fingerprint is trusted before it is read again (ms); 0 reads it on every call. */
  fingerprintTtlMs?: number;
  /** Most entries kept; the least recently used goes first. */
  maxEntries?: number;
  /** How old (ms since its computation started) an out-of-date answer may be and still be served by `revalidating`; 0 never serves one. */
  maxStaleMs?: number;
  now?: () => number;
}

interface Entry {
  value: unknown;
  /** The fingerprint generation the value was computed under. */
  generation: number;
  /** When its computation started (the data it shows is at least this recent). */
  at: number;
  /** Kept by `revalidating`: may be served stale once settled. */
  revalidates: boolean;
  /** Its value is ready (a `revalidating` promise has resolved). */
  settled: boolean;
  /** A fresh value is being computed in the background. */
  refreshing: boolean;
}

export class ViewCache {
  readonly #entries = new Map<string, Entry>();
  #fingerprint: string | undefined;
  #generation = 0;
  #checkedAt = -Infinity;
  readonly #options: Required<ViewCacheOptions>;

  constructor(options: ViewCacheOptions) {
    this.#options = { fingerprintTtlMs: 1000, maxEntries: 500, maxStaleMs: 0, now: () => performance.now(), ...options };
  }

  /** The cached value for `key`, computing (and keeping) it when missing or out of date. */
  get<T>(key: string, compute: () => T): T {
    this.#refresh();
    const entry = this.#entries.get(key);
    if (entry && entry.generation === this.#generation) return this.#touch(key, entry).value as T;
    const value = compute();
    this.#keep(key, { value, generation: this.#generation, at: this.#options.now(), revalidates: false, settled: true, refreshing: false });
    return value;
  }

  /**
   * Like `get` for answers computed asynchronously, but an out-of-date answer younger than
   * `maxStaleMs` is returned at once while a fresh one is computed in the background (one at a
   * time per key); the next call gets the fresh one. A failed computation is forgotten, so the
   * next call tries again (a failed background one leaves the stale answer in place).
   */
  revalidating<T>(key: string, compute: () => Promise<T>): Promise<T> {
    this.#refresh();
    const entry = this.#entries.get(key);
    if (entry && entry.generation === this.#generation) return this.#touch(key, entry).value as Promise<T>;
    const now = this.#options.now();
    if (entry?.settled && now - entry.at < this.#options.maxStaleMs) {
      if (!entry.refreshing) {
        entry.refreshing = true;
        const generation = this.#generation;
        compute().then(
          (value) => {
            if (this.#entries.get(key) !== entry) return;
            this.#keep(key, { value: Promise.resolve(value), generation, at: now, revalidates: true, settled: true, refreshing: false });
          },
          () => {
            entry.refreshing = false;
          },
        );
      }
      return this.#touch(key, entry).value as Promise<T>;
    }
    const fresh: Entry = { value: undefined, generation: this.#generation, at: now, revalidates: true, settled: false, refreshing: false };
    const promise = compute().then(
      (value) => {
        fresh.settled = true;
        return value;
      },
      (error: unknown) => {
        if (this.#entries.get(key) === fresh) this.#entries.delete(key);
        throw error;
      },
    );
    fresh.value = promise;
    this.#keep(key, fresh);
    return promise;
  }

  /** Forgets `key` (an answer that failed, so the next request tries again). */
  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  #touch(key: string, entry: Entry): Entry {
    // Re-inserted: the map's order is least recently used first.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry;
  }

  #keep(key: string, entry: Entry): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.#options.maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(key, entry);
  }

  #refresh(): void {
    const now = this.#options.now();
    if (now - this.#checkedAt < this.#options.fingerprintTtlMs) return;
    this.#checkedAt = now;
    const current = this.#options.fingerprint();
    if (current === this.#fingerprint) return;
    this.#fingerprint = current;
    this.#generation += 1;
    // What can never be served stale is dropped at once; the rest waits for its next request.
    for (const [key, entry] of this.#entries) if (!entry.revalidates || this.#options.maxStaleMs <= 0) this.#entries.delete(key);
  }
}
