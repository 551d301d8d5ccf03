// The active instance's lease (failover, core/failover/): one row that an instance takes when it
// is free or expired, renews while it runs, and gives back when it stops. Each statement is one
// atomic conditional write, so two instances can never both take it. Times are the database's
// own clock on PostgreSQL (instances on hosts with skewed clocks agree); on SQLite, one host,
// the process clock. Outside the store's write lock: a long bulk write must not delay a heartbeat.
import type { StoreContext } from './context.js';

export interface LeaseState {
  holder: string;
  epoch: number;
  /** Milliseconds until it expires by the database's clock (negative: expired). */
  remainingMs: number;
}

export interface LeaseRepository {
  /** Takes the lease if it is free, expired or already ours; returns its new epoch, or null when another instance holds it. */
  tryAcquire(holder: string, ttlMs: number): Promise<number | null>;
  /** Extends our lease; false when it is no longer ours (another instance took it after it expired). */
  renew(holder: string, epoch: number, ttlMs: number): Promise<boolean>;
  /** Gives it back at once (a clean stop), so a standby need not wait for it to expire. */
  release(holder: string, epoch: number): Promise<void>;
  /** Who holds it, if anyone ever did. */
  current(): Promise<LeaseState | null>;
}

const NAME = 'active';

export function leaseRepository(ctx: StoreContext): LeaseRepository {
  const postgres = ctx.dialect === 'postgresql';
  // PostgreSQL numbers its parameters; SQLite (through Prisma) takes `?` in order.
  const p = (n: number): string => (postgres ? `$${n}` : '?');
  // clock_timestamp(), not now(): now() is the transaction's start.
  const nowMs = (n: number): string => (postgres ? '(EXTRACT(EPOCH FROM clock_timestamp()) * 1000)::bigint' : p(n));
  const clockArgs = (): number[] => (postgres ? [] : [Date.now()]);
  const run = async <T>(fn: () => Promise<T>): Promise<T> => (postgres ? fn() : ctx.write(fn));

  return {
    tryAcquire: (holder, ttlMs) =>
      run(async () => {
        // Parameters: holder, ttl, then (SQLite) the clock twice.
        const now1 = nowMs(3);
        const now2 = nowMs(4);
        const rows = await ctx.prisma.$queryRawUnsafe<{ epoch: number | bigint }[]>(
          `INSERT INTO "ServiceLease" ("name", "holder", "epoch", "expiresAt") VALUES ('${NAME}', ${p(1)}, 1, ${now1} + ${p(2)})
         ON CONFLICT ("name") DO UPDATE SET "holder" = excluded."holder", "epoch" = "ServiceLease"."epoch" + 1, "expiresAt" = excluded."expiresAt"
         WHERE "ServiceLease"."expiresAt" < ${now2} OR "ServiceLease"."holder" = excluded."holder"
         RETURNING "epoch"`,
          holder,
          ttlMs,
          ...clockArgs(),
          ...clockArgs(),
        );
        return rows[0] ? Number(rows[0].epoch) : null;
      }),
    renew: (holder, epoch, ttlMs) =>
      run(async () => {
        const changed = await ctx.prisma.$executeRawUnsafe(
          `UPDATE "ServiceLease" SET "expiresAt" = ${nowMs(1)} + ${p(postgres ? 1 : 2)}
         WHERE "name" = '${NAME}' AND "holder" = ${p(postgres ? 2 : 3)} AND "epoch" = ${p(postgres ? 3 : 4)}`,
          ...clockArgs(),
          ttlMs,
          holder,
          epoch,
        );
        return changed === 1;
      }),
    release: (holder, epoch) =>
      run(async () => {
        await ctx.prisma.$executeRawUnsafe(
          `UPDATE "ServiceLease" SET "expiresAt" = 0 WHERE "name" = '${NAME}' AND "holder" = ${p(1)} AND "epoch" = ${p(2)}`,
          holder,
          epoch,
        );
      }),
    current: async () => {
      const rows = await ctx.prisma.$queryRawUnsafe<{ holder: string; epoch: number | bigint; remaining: number | bigint }[]>(
        `SELECT "holder", "epoch", "expiresAt" - ${nowMs(1)} AS "remaining" FROM "ServiceLease" WHERE "name" = '${NAME}'`,
        ...clockArgs(),
      );
      const row = rows[0];
      return row ? { holder: row.holder, epoch: Number(row.epoch), remainingMs: Number(row.remaining) } : null;
    },
  };
}
