// The lease's local rules, on an in-memory lease row and a clock the test moves: holds() turns
// false by the instance's own clock (a paused process knows before any query), a refused renewal
// or an unreachable database past the expiry means stepping down, and a standby waits its turn.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../logging.js';
import type { LeaseRepository } from '../store/index.js';
import { ActiveLease } from './active-lease.js';

/** One lease row, on the test's clock (the "database's" clock here is the same one). */
function memoryLease(now: () => number): LeaseRepository & { down: boolean; row: { holder: string; epoch: number; expiresAt: number } | null } {
  const repo = {
    down: false,
    row: null as { holder: string; epoch: number; expiresAt: number } | null,
    async tryAcquire(holder: string, ttlMs: number) {
      if (repo.down) throw new Error('connection refused');
      const row = repo.row;
      if (row && row.expiresAt >= now() && row.holder !== holder) return null;
      repo.row = { holder, epoch: (row?.epoch ?? 0) + 1, expiresAt: now() + ttlMs };
      return repo.row.epoch;
    },
    async renew(holder: string, epoch: number, ttlMs: number) {
      if (repo.down) throw new Error('connection refused');
      if (!repo.row || repo.row.holder !== holder || repo.row.epoch !== epoch) return false;
      repo.row.expiresAt = now() + ttlMs;
      return true;
    },
    async release(holder: string, epoch: number) {
      if (repo.row?.holder === holder && repo.row.epoch === epoch) repo.row.expiresAt = 0;
    },
    async current() {
      return repo.row ? { holder: repo.row.holder, epoch: repo.row.epoch, remainingMs: repo.row.expiresAt - now() } : null;
    },
  };
  return repo;
}

describe('ActiveLease', () => {
  let now = 0;
  const clock = () => now;
  const logger = createLogger({ level: 'silent' });
  /** Moves the test's clock and the timers together. */
  const advance = async (ms: number) => {
    for (let step = 0; step < ms; step += 100) {
      now += 100;
      await vi.advanceTimersByTimeAsync(100);
    }
  };

  beforeEach(() => {
    vi.useFakeTimers();
    now = 1_000_000;
  });
  afterEach(() => vi.useRealTimers());

  it('stays active while it renews, and gives the lease back on release', async () => {
    const repo = memoryLease(clock);
    const lease = new ActiveLease({ repository: repo, holder: 'A', ttlMs: 8000, logger, clock });
    await lease.acquire(new AbortController().signal);
    expect(lease.holds()).toBe(true);
    await advance(60_000);
    expect(lease.holds()).toBe(true);
    expect(repo.row!.expiresAt).toBeGreaterThan(now);
    await lease.release();
    expect(lease.holds()).toBe(false);
    expect(repo.row!.expiresAt).toBe(0);
  });

  it('stops holding by its own clock when paused, before any timer or query runs, and steps down on the next tick', async () => {
    const repo = memoryLease(clock);
    const lease = new ActiveLease({ repository: repo, holder: 'A', ttlMs: 8000, logger, clock });
    const { lost } = await lease.acquire(new AbortController().signal);
    // A pause (SIGSTOP): the clock moves on, no timer has run yet.
    now += 9000;
    expect(lease.holds()).toBe(false);
    await vi.advanceTimersByTimeAsync(2000);
    await expect(lost).resolves.toMatch(/expired before it was renewed/);
  });

  it('counts as lost 80% into the lease, before a standby could take it', async () => {
    const repo = memoryLease(clock);
    const lease = new ActiveLease({ repository: repo, holder: 'A', ttlMs: 10_000, logger, clock });
    await lease.acquire(new AbortController().signal);
    now += 7900;
    expect(lease.holds()).toBe(true);
    now += 200;
    expect(lease.holds()).toBe(false);
    // The row itself has not expired yet: nobody else can be active while holds() was true.
    expect(repo.row!.expiresAt).toBeGreaterThan(now);
  });

  it('steps down when the database stays unreachable until the lease runs out, and takes it again when it is back', async () => {
    const repo = memoryLease(clock);
    const lease = new ActiveLease({ repository: repo, holder: 'A', ttlMs: 8000, logger, clock });
    const { lost } = await lease.acquire(new AbortController().signal);
    repo.down = true;
    await advance(4000);
    expect(lease.holds()).toBe(true); // still within its lease
    await advance(4000);
    expect(lease.holds()).toBe(false);
    await expect(lost).resolves.toMatch(/could not be reached/);
    repo.down = false;
    const again = lease.acquire(new AbortController().signal);
    await advance(1000);
    await again;
    expect(lease.holds()).toBe(true);
    expect(repo.row).toMatchObject({ holder: 'A', epoch: 2 });
  });

  it('steps down when another instance took the lease, and a standby waits until the lease is free', async () => {
    const repo = memoryLease(clock);
    const a = new ActiveLease({ repository: repo, holder: 'A', ttlMs: 8000, logger, clock });
    const b = new ActiveLease({ repository: repo, holder: 'B', ttlMs: 8000, logger, clock });
    const aHeld = await a.acquire(new AbortController().signal);
    let standing = 0;
    let bHeld: { lost: Promise<string> } | undefined;
    void b
      .acquire(new AbortController().signal, () => standing++)
      .then((held) => {
        bHeld = held;
      });
    await advance(5000);
    expect(standing).toBeGreaterThan(0);
    expect(bHeld).toBeUndefined();
    await a.release();
    await advance(1000);
    expect(bHeld).toBeDefined();
    expect(b.holds()).toBe(true);
    expect(a.holds()).toBe(false);
    // A's heartbeat had stopped with its release; a lease A still thought it held would be refused.
    const c = new ActiveLease({ repository: repo, holder: 'A', ttlMs: 8000, logger, clock });
    repo.row!.expiresAt = 0; // B "died"
    const cHeld = await c.acquire(new AbortController().signal);
    expect(cHeld).toBeDefined();
    await advance(2100);
    await expect(bHeld!.lost).resolves.toBe('another instance took the active lease');
    void aHeld;
  });

  it('stops waiting when aborted', async () => {
    const repo = memoryLease(clock);
    repo.row = { holder: 'X', epoch: 1, expiresAt: Number.MAX_SAFE_INTEGER };
    const lease = new ActiveLease({ repository: repo, holder: 'A', ttlMs: 8000, logger, clock });
    const stop = new AbortController();
    const waiting = lease.acquire(stop.signal);
    await advance(3000);
    stop.abort();
    await expect(waiting).rejects.toThrow();
  });
});
