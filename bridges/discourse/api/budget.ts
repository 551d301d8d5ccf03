// One client-side budget for every Discourse API call. A stock forum counts every request made
// with an API key against one site-wide limiter (60 a minute); the bot keeps below its own
// budget (default 40) so the forum's other integrations keep the rest. Calls wait for a slot,
// most urgent first: replies to a waiting member, then catch-up, then history. A 429 from the
// forum (Retry-After / extras.wait_seconds) pauses everyone: the limit is the site's, not ours.
// A few slots of every minute are kept for replies: polling and history reads that fill the
// window in a burst would otherwise make a member's answer wait for that burst to expire (up to a
// whole minute), however urgent it is.

export type Priority = 'reply' | 'catch-up' | 'backfill';

const RANK: Record<Priority, number> = { reply: 0, 'catch-up': 1, backfill: 2 };

export interface BudgetOptions {
  /** Requests per rolling minute. */
  perMinute: number;
  /** How long that minute lasts: 60,000 ms, less against a forum stand-in running its clock faster. */
  windowMs?: number;
  /** Injectable clock (ms, monotonic). */
  now?: () => number;
  /** Slots of every window only replies may take; default an eighth of `perMinute` (none below 4). */
  replyReserve?: number;
}

interface Waiter {
  priority: Priority;
  rank: number;
  seq: number;
  grant: () => void;
  reject: (error: Error) => void;
}

export interface BudgetStats {
  /** Requests granted in the last minute. */
  used: number;
  /** Calls waiting for a slot, by priority. */
  waiting: Record<Priority, number>;
  /** Requests granted since the start. */
  granted: number;
  /** Times the forum answered 429 and everyone paused. */
  pauses: number;
}

export class RequestBudget {
  readonly perMinute: number;
  readonly replyReserve: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  /** Grant times within the window, oldest first. */
  readonly #granted: number[] = [];
  readonly #waiters: Waiter[] = [];
  #seq = 0;
  #pausedUntil = 0;
  #timer: NodeJS.Timeout | undefined;
  #total = 0;
  #pauses = 0;
  #closed = false;

  constructor(options: BudgetOptions) {
    if (!(Number.isFinite(options.perMinute) && options.perMinute >= 1)) throw new RangeError(`perMinute must be at least 1, got ${options.perMinute}`);
    this.perMinute = options.perMinute;
    const reserve = options.replyReserve ?? (options.perMinute >= 4 ? Math.max(1, Math.floor(options.perMinute / 8)) : 0);
    if (!(Number.isInteger(reserve) && reserve >= 0 && reserve < options.perMinute))
      throw new RangeError(`replyReserve must be a whole number below perMinute, got ${reserve}`);
    this.replyReserve = reserve;
    this.#windowMs = options.windowMs ?? 60_000;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Resolves when this call may go out. */
  acquire(priority: Priority): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the Discourse request budget is closed'));
    return new Promise<void>((grant, reject) => {
      this.#waiters.push({ priority, rank: RANK[priority], seq: this.#seq++, grant, reject });
      this.#waiters.sort((a, b) => a.rank - b.rank || a.seq - b.seq);
      this.#pump();
    });
  }

  /** The forum said "wait": nothing goes out for `ms`. */
  pauseFor(ms: number): void {
    if (!(ms > 0)) return;
    this.#pauses += 1;
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
    this.#pump();
  }

  stats(): BudgetStats {
    this.#expire();
    const waiting: Record<Priority, number> = { reply: 0, 'catch-up': 0, backfill: 0 };
    for (const w of this.#waiters) waiting[w.priority] += 1;
    return { used: this.#granted.length, waiting, granted: this.#total, pauses: this.#pauses };
  }

  /** Refuses calls still waiting (on shutdown). */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    for (const w of this.#waiters.splice(0)) w.reject(new Error('the Discourse request budget is closed'));
  }

  #expire(): void {
    const since = this.#now() - this.#windowMs;
    while (this.#granted.length > 0 && (this.#granted[0] ?? 0) <= since) this.#granted.shift();
  }

  #pump(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    for (;;) {
      if (this.#waiters.length === 0) return;
      this.#expire();
      const now = this.#now();
      const head = this.#waiters[0] as Waiter;
      // Waiters are sorted most urgent first, so a blocked head means nothing else may go either.
      const limit = head.rank === RANK.reply ? this.perMinute : this.perMinute - this.replyReserve;
      const used = this.#granted.length;
      const wait = Math.max(this.#pausedUntil - now, used < limit ? 0 : (this.#granted[used - limit] ?? now) + this.#windowMs - now);
      if (wait > 0) {
        this.#timer = setTimeout(() => this.#pump(), Math.ceil(wait));
        return;
      }
      const next = this.#waiters.shift() as Waiter;
      this.#granted.push(now);
      this.#total += 1;
      next.grant();
    }
  }
}
