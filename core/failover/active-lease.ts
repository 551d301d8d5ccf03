// Exactly one active instance among those sharing a database: the active one holds a lease row
// (store/lease.ts) and renews it every heartbeat; a standby polls and takes it once it has
// expired (the active one died) or was given back (a clean stop).
//
// Whether this instance may act is decided locally, from the monotonic clock: the lease counts as
// ours only until `ttl - margin` after the last renewal that *started* before the database wrote
// it. So an instance that was paused (SIGSTOP, a VM migration, a long GC) and comes back after the
// lease expired knows at once, before any timer or query runs, that it may no longer send.
import type { Logger } from '../logging.js';
import type { LeaseRepository } from '../store/index.js';
import { pause } from '../retry.js';

export interface ActiveLeaseOptions {
  repository: LeaseRepository;
  /** This instance's name in the lease row (host, pid and a random part). */
  holder: string;
  /** How long a lease lasts without a heartbeat: the longest a dead active instance blocks a standby. */
  ttlMs: number;
  /** Between renewals (a quarter of the ttl by default). */
  heartbeatMs?: number;
  /** Between a standby's attempts to take the lease. */
  pollMs?: number;
  logger: Logger;
  /** Monotonic milliseconds (tests). */
  clock?: () => number;
}

export type LeaseRole = 'standby' | 'active';

/** Kept back from the ttl: clock rates differ a little, and a send takes a moment to leave. */
const SAFETY_MARGIN_FRACTION = 0.2;

export class ActiveLease {
  readonly #o: Required<Omit<ActiveLeaseOptions, 'logger' | 'repository' | 'holder'>> & ActiveLeaseOptions;
  #epoch: number | undefined;
  #validUntil = 0;
  #heartbeat: NodeJS.Timeout | undefined;
  #renewing = false;
  #failingSince: number | undefined;
  #lost: ((reason: string) => void) | undefined;

  constructor(options: ActiveLeaseOptions) {
    this.#o = { heartbeatMs: Math.max(100, Math.floor(options.ttlMs / 4)), pollMs: 1000, clock: () => performance.now(), ...options };
  }

  get holder(): string {
    return this.#o.holder;
  }

  get role(): LeaseRole {
    return this.holds() ? 'active' : 'standby';
  }

  /** True while this instance may act (sync, send, take work off the queues). Synchronous on purpose: checked right before each send. */
  holds(): boolean {
    return this.#epoch !== undefined && this.#o.clock() < this.#validUntil;
  }

  /**
   * Waits until this instance holds the lease (polling while another does); resolves with a
   * promise that settles, with the reason, when the lease is lost. Rejects if aborted.
   * `standingBy` runs when another instance is found active.
   */
  async acquire(signal: AbortSignal, standingBy: () => void = () => undefined): Promise<{ lost: Promise<string> }> {
    const { repository, holder, ttlMs, pollMs, clock, logger } = this.#o;
    let saidWaiting = false;
    let saidFailing = false;
    for (;;) {
      signal.throwIfAborted();
      const startedAt = clock();
      try {
        const epoch = await repository.tryAcquire(holder, ttlMs);
        saidFailing = false;
        if (epoch !== null) {
          this.#epoch = epoch;
          this.#validUntil = startedAt + ttlMs * (1 - SAFETY_MARGIN_FRACTION);
          this.#failingSince = undefined;
          const lost = new Promise<string>((resolve) => {
            this.#lost = resolve;
          });
          this.#heartbeat = setInterval(() => void this.#beat(), this.#o.heartbeatMs);
          logger.info({ holder, epoch }, 'took the active lease: this instance is active');
          return { lost };
        }
        if (!saidWaiting) {
          const current = await repository.current().catch(() => null);
          logger.info({ active: current?.holder, expiresInMs: current?.remainingMs }, 'another instance is active: standing by');
          saidWaiting = true;
        }
        standingBy();
      } catch (error) {
        if (!saidFailing) logger.warn({ err: error }, 'could not reach the database to take the active lease; trying again');
        saidFailing = true;
      }
      await pause(pollMs, signal);
    }
  }

  /** Gives the lease back (clean stop): a standby takes over at its next poll. */
  async release(): Promise<void> {
    const epoch = this.#epoch;
    this.#stopBeating();
    if (epoch === undefined) return;
    try {
      await this.#o.repository.release(this.#o.holder, epoch);
      this.#o.logger.info({ epoch }, 'gave the active lease back');
    } catch (error) {
      // It expires by itself within the ttl.
      this.#o.logger.warn({ err: error }, 'could not give the active lease back; it expires by itself');
    }
  }

  async #beat(): Promise<void> {
    const { repository, holder, ttlMs, clock, logger } = this.#o;
    const epoch = this.#epoch;
    if (epoch === undefined) return;
    // Checked at every tick, even while a renewal hangs on an unreachable database.
    if (!this.holds())
      return this.#lose(
        this.#failingSince !== undefined
          ? 'the database could not be reached to renew the active lease before it expired'
          : 'the active lease expired before it was renewed (was this process paused?)',
      );
    if (this.#renewing) return;
    this.#renewing = true;
    const startedAt = clock();
    try {
      const renewed = await repository.renew(holder, epoch, ttlMs);
      if (this.#epoch !== epoch) return;
      if (!renewed) return this.#lose('another instance took the active lease');
      // A renewal that took longer than the lease lasts proves nothing about now.
      if (this.holds()) this.#validUntil = startedAt + ttlMs * (1 - SAFETY_MARGIN_FRACTION);
      if (this.#failingSince !== undefined) logger.info('renewing the active lease again');
      this.#failingSince = undefined;
    } catch (error) {
      if (this.#failingSince === undefined) logger.warn({ err: error }, 'could not renew the active lease; still active until it expires');
      this.#failingSince ??= startedAt;
    } finally {
      this.#renewing = false;
    }
  }

  #lose(reason: string): void {
    this.#stopBeating();
    this.#o.logger.warn({ reason }, 'lost the active lease: stepping down');
    this.#lost?.(reason);
    this.#lost = undefined;
  }

  #stopBeating(): void {
    clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    this.#epoch = undefined;
  }
}
