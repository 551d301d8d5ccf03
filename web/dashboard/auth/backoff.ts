// Failures counted per key with an exponential back-off: the `free`-th failure locks the key
// for baseMs, and each further one for twice as long as the one before (2 baseMs, 4 baseMs,
// ... up to maxMs). One failure is forgotten per maxMs without one, so in the long run a key
// gets about one failure per maxMs.
import type { Clock } from './clock.js';

export interface BackoffOptions {
  free: number;
  baseMs: number;
  maxMs: number;
  now: Clock;
  /** Keys kept at most; beyond it the longest-quiet ones are forgotten first (bounded memory). */
  maxKeys?: number;
}

interface Entry {
  failures: number;
  since: number;
  lockedUntil: number;
}

export class Backoff {
  readonly #entries = new Map<string, Entry>();
  readonly #options: Required<BackoffOptions>;

  constructor(options: BackoffOptions) {
    this.#options = { maxKeys: 100_000, ...options };
  }

  /** Milliseconds until the key may fail again without waiting (0: now). */
  waitMs(key: string): number {
    const entry = this.#current(key);
    return entry ? Math.max(0, entry.lockedUntil - this.#options.now()) : 0;
  }

  /** Counts a failure; returns how long the key is now locked for (0: not locked). */
  failed(key: string): number {
    const { free, baseMs, maxMs } = this.#options;
    const now = this.#options.now();
    const entry = this.#current(key) ?? this.#add(key, now);
    entry.failures += 1;
    entry.since = now;
    // Re-inserted: the map stays ordered by the last failure, quietest first.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    if (entry.failures < free) return 0;
    const lockMs = Math.min(maxMs, baseMs * 2 ** Math.min(entry.failures - free, 30));
    entry.lockedUntil = now + lockMs;
    return lockMs;
  }

  failures(key: string): number {
    return this.#current(key)?.failures ?? 0;
  }

  forget(key: string): void {
    this.#entries.delete(key);
  }

  /** The entry with the failures forgotten since its last change taken off; gone when none remain. */
  #current(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    const now = this.#options.now();
    const forgotten = Math.floor((now - entry.since) / this.#options.maxMs);
    if (forgotten > 0) {
      entry.failures -= forgotten;
      entry.since += forgotten * this.#options.maxMs;
    }
    if (entry.failures <= 0 && entry.lockedUntil <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    entry.failures = Math.max(0, entry.failures);
    return entry;
  }

  #add(key: string, now: number): Entry {
    while (this.#entries.size >= this.#options.maxKeys) {
      const quietest = this.#entries.keys().next();
      if (quietest.done) break;
      this.#entries.delete(quietest.value);
    }
    const entry = { failures: 0, since: now, lockedUntil: 0 };
    this.#entries.set(key, entry);
    return entry;
  }
}
