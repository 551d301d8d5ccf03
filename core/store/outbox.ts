// The durable outbox: actions the workflow decided, waiting for the executor. Each action has a
// deterministic key, so deciding twice (a replay after a crash) records it once, and the key
// doubles as the platform's transaction id, so sending twice posts once.
import type { Platform } from '../types.js';
import type { StoreContext } from './context.js';
import { fromDbDate, fromDbDateOrNull, toDbDate } from './sqlite.js';

export type OutboxStatus = 'pending' | 'done' | 'failed';

export interface NewOutboxAction {
  key: string;
  platform: Platform;
  kind: string;
  /** JSON the executor understands for this kind. */
  payload: string;
  notBefore?: Date;
}

export interface OutboxAction extends Required<Omit<NewOutboxAction, 'notBefore'>> {
  id: number;
  status: OutboxStatus;
  attempts: number;
  notBefore: Date;
  lastError: string | null;
  result: string | null;
  createdAt: Date;
  doneAt: Date | null;
}

export interface OutboxRepository {
  /** Adds actions whose keys are new, in one transaction; returns how many were new. */
  add(actions: readonly NewOutboxAction[]): Promise<number>;
  /** Pending actions whose time has come, oldest first. */
  due(platform: Platform, now: Date, limit: number): Promise<OutboxAction[]>;
  get(key: string): Promise<OutboxAction | null>;
  markDone(id: number, result: unknown, at?: Date): Promise<void>;
  /** Counts a failed attempt and schedules the next, or parks it as failed for good. */
  markRetry(id: number, error: string, next: Date | null): Promise<void>;
  counts(platform: Platform): Promise<Record<OutboxStatus, number>>;
}

interface OutboxRow {
  id: number;
  key: string;
  platform: Platform;
  kind: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  notBefore: string;
  lastError: string | null;
  result: string | null;
  createdAt: string;
  doneAt: string | null;
}

const toAction = (r: OutboxRow): OutboxAction => ({
  ...r,
  notBefore: fromDbDate(r.notBefore),
  createdAt: fromDbDate(r.createdAt),
  doneAt: fromDbDateOrNull(r.doneAt),
});

export function outboxRepository(ctx: StoreContext): OutboxRepository {
  const { db } = ctx;
  const insert = db.prepare(`INSERT OR IGNORE INTO "OutboxAction" ("key", "platform", "kind", "payload", "notBefore", "createdAt") VALUES (?, ?, ?, ?, ?, ?)`);
  const insertMany = db.transaction((actions: readonly NewOutboxAction[], now: Date) =>
    actions.reduce((n, a) => n + insert.run(a.key, a.platform, a.kind, a.payload, toDbDate(a.notBefore ?? now), toDbDate(now)).changes, 0),
  );
  const selectDue = db.prepare(
    `SELECT * FROM "OutboxAction" WHERE "platform" = ? AND "status" = 'pending' AND "notBefore" <= ? ORDER BY "notBefore", "id" LIMIT ?`,
  );
  const selectByKey = db.prepare(`SELECT * FROM "OutboxAction" WHERE "key" = ?`);
  const setDone = db.prepare(`UPDATE "OutboxAction" SET "status" = 'done', "attempts" = "attempts" + 1, "result" = ?, "doneAt" = ? WHERE "id" = ?`);
  const setRetry = db.prepare(
    `UPDATE "OutboxAction" SET "attempts" = "attempts" + 1, "lastError" = ?, "status" = ?, "notBefore" = COALESCE(?, "notBefore") WHERE "id" = ?`,
  );
  const countByStatus = db.prepare(`SELECT "status", COUNT(*) AS n FROM "OutboxAction" WHERE "platform" = ? GROUP BY "status"`);

  return {
    add: (actions) => ctx.write(() => insertMany(actions, new Date())),
    due: async (platform, now, limit) => (selectDue.all(platform, toDbDate(now), limit) as OutboxRow[]).map(toAction),
    get: async (key) => {
      const row = selectByKey.get(key) as OutboxRow | undefined;
      return row ? toAction(row) : null;
    },
    markDone: (id, result, at = new Date()) =>
      ctx.write(() => {
        setDone.run(result === undefined ? null : JSON.stringify(result), toDbDate(at), id);
      }),
    markRetry: (id, error, next) =>
      ctx.write(() => {
        setRetry.run(error.slice(0, 2000), next ? 'pending' : 'failed', next ? toDbDate(next) : null, id);
      }),
    counts: async (platform) => {
      const out: Record<OutboxStatus, number> = { pending: 0, done: 0, failed: 0 };
      for (const row of countByStatus.all(platform) as { status: OutboxStatus; n: number }[]) out[row.status] = row.n;
      return out;
    },
  };
}
