// Who may try a password now. Wrong passwords are counted three ways: per client and role
// (a client's own budget), per role from all clients together (guessing from many addresses
// gets no further than from one), and all together per minute (a ceiling that pauses every
// login for the rest of the minute and logs a warning). Over a count, the waits double up to
// maxWaitMs (backoff.ts). A login clears only its own client-and-role count: a viewer's
// success says nothing about guesses at the admin password.
import { Backoff } from './backoff.js';
import { realTime, type Clock } from './clock.js';

export interface LoginLimits {
  /** Wrong passwords a client may send per role before it must wait. */
  perClient: number;
  /** Wrong passwords from all clients per role before that role's password is not tried for a while. */
  perRole: number;
  maxWaitMs: number;
  /** Wrong passwords a minute from everyone, beyond which every login waits for the next minute. */
  failuresPerMinute: number;
}

export interface LoginLimiterOptions extends LoginLimits {
  now?: Clock;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** The first wait; each further failure doubles it. */
const FIRST_WAIT_MS = 60_000;
const MINUTE_MS = 60_000;

export class LoginLimiter<Target extends string> {
  readonly #byClient: Backoff;
  readonly #byTarget: Backoff;
  readonly #options: LoginLimiterOptions;
  readonly #now: Clock;
  #minute = { start: -Infinity, failures: 0 };

  constructor(options: LoginLimiterOptions) {
    this.#options = options;
    this.#now = options.now ?? realTime;
    const common = { baseMs: FIRST_WAIT_MS, maxMs: options.maxWaitMs, now: this.#now };
    this.#byClient = new Backoff({ ...common, free: options.perClient });
    this.#byTarget = new Backoff({ ...common, free: options.perRole });
  }

  /** Whole seconds until `client` may try `target`'s password (0: now). */
  retryAfter(client: string, target: Target): number {
    const ms = Math.max(this.#byClient.waitMs(clientTarget(client, target)), this.#byTarget.waitMs(target), this.#ceilingWaitMs());
    return Math.ceil(ms / 1000);
  }

  /** A wrong password, compared with these targets' passwords. */
  failed(client: string, targets: readonly Target[]): void {
    for (const target of targets) {
      this.#byClient.failed(clientTarget(client, target));
      const lockMs = this.#byTarget.failed(target);
      if (lockMs > 0) {
        this.#options.warn(
          { role: target, failures: this.#byTarget.failures(target), waitSeconds: Math.ceil(lockMs / 1000) },
          'dashboard password locked for everyone after failed logins from all clients: is someone guessing it?',
        );
      }
    }
    this.#countMinute();
  }

  succeeded(client: string, target: Target): void {
    this.#byClient.forget(clientTarget(client, target));
  }

  #countMinute(): void {
    const now = this.#now();
    if (now - this.#minute.start >= MINUTE_MS) this.#minute = { start: now, failures: 0 };
    this.#minute.failures += 1;
    if (this.#minute.failures === this.#options.failuresPerMinute) {
      this.#options.warn(
        { failures: this.#minute.failures, waitSeconds: Math.ceil(this.#ceilingWaitMs() / 1000) },
        'dashboard login failures reached the ceiling for this minute: every login waits for the next minute',
      );
    }
  }

  #ceilingWaitMs(): number {
    const left = this.#minute.start + MINUTE_MS - this.#now();
    return left > 0 && this.#minute.failures >= this.#options.failuresPerMinute ? left : 0;
  }
}

const clientTarget = (client: string, target: string): string => `${target} ${client}`;
