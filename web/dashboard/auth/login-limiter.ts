// Failed logins per client address: after `limit` failures within a minute further attempts
// are refused (429, Retry-After) until the minute is over, so passwords cannot be guessed fast.
export interface LoginLimiterOptions {
  limit: number;
  windowMs?: number;
  now?: () => number;
}

interface Window { start: number; failures: number }

export class LoginLimiter {
  readonly #windows = new Map<string, Window>();
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #now: () => number;

  constructor(options: LoginLimiterOptions) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs ?? 60_000;
    // Monotonic, like the session clock: a wall-clock jump must not lift or extend a limit.
    this.#now = options.now ?? (() => performance.now());
  }

  /** Seconds to wait before trying again, or 0 when an attempt is allowed now. */
  retryAfter(client: string): number {
    const w = this.#current(client);
    if (!w || w.failures < this.#limit) return 0;
    return Math.max(1, Math.ceil((w.start + this.#windowMs - this.#now()) / 1000));
  }

  failed(client: string): void {
    const w = this.#current(client);
    if (w) w.failures += 1;
    else {
      this.#prune();
      this.#windows.set(client, { start: this.#now(), failures: 1 });
    }
  }

  succeeded(client: string): void {
    this.#windows.delete(client);
  }

  #current(client: string): Window | undefined {
    const w = this.#windows.get(client);
    if (w && this.#now() - w.start >= this.#windowMs) {
      this.#windows.delete(client);
      return undefined;
    }
    return w;
  }

  // Bounded memory under a flood of addresses: drop windows that are over.
  #prune(): void {
    if (this.#windows.size < 10_000) return;
    const now = this.#now();
    for (const [client, w] of this.#windows) if (now - w.start >= this.#windowMs) this.#windows.delete(client);
  }
}
