// The durable inbound queue: platform events are stored the moment they arrive (sync batch,
// webhook) and handled later, one at a time, in order. A crash loses nothing (the event is on
// disk before its receipt is acknowledged) and a redelivery repeats nothing (one row per event).
import type { Platform } from '../types.js';
import type { StoreContext } from './context.js';
import { fromDbDate, toDbDate } from './sqlite.js';

export type InboxStatus = 'pending' | 'done' | 'failed';

export interface InboxItem {
  id: number;
  platform: Platform;
  eventId: string;
  payload: string;
  priority: number;
  attempts: number;
  receivedAt: Date;
}

export interface NewInboxEvent {
  eventId: string;
  /** Raw platform JSON. */
  payload: string;
  /** 0 live (default), 1 history. */
  priority?: number;
  /** Why the event cannot be handled at all: stored parked (failed) with this error, alone. */
  failed?: string;
}

/** Sync positions to save in the same transaction as the events they lead past. */
export type CursorValues = Readonly<Record<string, string>>;

export interface InboxRepository {
  /**
   * Stores events not seen before, in one transaction; returns how many were new. `cursors`
   * (sync tokens) are written in that same transaction: a position is saved only together
   * with every event before it.
   */
  enqueue(platform: Platform, events: readonly NewInboxEvent[], cursors?: CursorValues): Promise<number>;
  /** The next pending events: live before history, then arrival order. */
  next(platform: Platform, limit: number): Promise<InboxItem[]>;
  complete(id: number, at?: Date): Promise<void>;
  /** Counts a failed attempt; after `maxAttempts` the event is parked as failed. */
  recordFailure(id: number, error: string, maxAttempts: number): Promise<InboxStatus>;
  counts(platform: Platform): Promise<Record<InboxStatus, number>>;
}

interface InboxRow {
  id: number;
  platform: Platform;
  eventId: string;
  payload: string;
  priority: number;
  attempts: number;
  receivedAt: string;
}

export function inboxRepository(ctx: StoreContext): InboxRepository {
  const { db } = ctx;
  const insert = db.prepare(`INSERT OR IGNORE INTO "InboxEvent" ("platform", "eventId", "payload", "priority", "receivedAt") VALUES (?, ?, ?, ?, ?)`);
  const insertParked = db.prepare(
    `INSERT OR IGNORE INTO "InboxEvent" ("platform", "eventId", "payload", "priority", "receivedAt", "status", "lastError") VALUES (?, ?, ?, ?, ?, 'failed', ?)`,
  );
  const upsertCursor = db.prepare(
    `INSERT INTO "SyncCursor" ("platform", "key", "value", "updatedAt") VALUES (?, ?, ?, ?)
     ON CONFLICT ("platform", "key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`,
  );
  const insertMany = db.transaction((platform: Platform, events: readonly NewInboxEvent[], at: string, cursors: CursorValues) => {
    const added = events.reduce(
      (n, e) =>
        n +
        (e.failed === undefined
          ? insert.run(platform, e.eventId, e.payload, e.priority ?? 0, at)
          : insertParked.run(platform, e.eventId, e.payload, e.priority ?? 0, at, e.failed.slice(0, 2000))
        ).changes,
      0,
    );
    for (const [key, value] of Object.entries(cursors)) upsertCursor.run(platform, key, value, at);
    return added;
  });
  const selectNext = db.prepare(
    `SELECT "id", "platform", "eventId", "payload", "priority", "attempts", "receivedAt" FROM "InboxEvent"
     WHERE "platform" = ? AND "status" = 'pending' ORDER BY "priority", "id" LIMIT ?`,
  );
  const markDone = db.prepare(`UPDATE "InboxEvent" SET "status" = 'done', "handledAt" = ? WHERE "id" = ?`);
  const markFailure = db.prepare(
    `UPDATE "InboxEvent" SET "attempts" = "attempts" + 1, "lastError" = ?,
       "status" = CASE WHEN "attempts" + 1 >= ? THEN 'failed' ELSE 'pending' END
     WHERE "id" = ? RETURNING "status"`,
  );
  const countByStatus = db.prepare(`SELECT "status", COUNT(*) AS n FROM "InboxEvent" WHERE "platform" = ? GROUP BY "status"`);

  return {
    enqueue: (platform, events, cursors = {}) => ctx.write(() => insertMany(platform, events, toDbDate(new Date()), cursors)),
    next: async (platform, limit) => (selectNext.all(platform, limit) as InboxRow[]).map((r) => ({ ...r, receivedAt: fromDbDate(r.receivedAt) })),
    complete: (id, at = new Date()) =>
      ctx.write(() => {
        markDone.run(toDbDate(at), id);
      }),
    recordFailure: (id, error, maxAttempts) =>
      ctx.write(() => {
        const row = markFailure.get(error.slice(0, 2000), maxAttempts, id) as { status: InboxStatus } | undefined;
        return row?.status ?? 'failed';
      }),
    counts: async (platform) => {
      const out: Record<InboxStatus, number> = { pending: 0, done: 0, failed: 0 };
      for (const row of countByStatus.all(platform) as { status: InboxStatus; n: number }[]) out[row.status] = row.n;
      return out;
    },
  };
}
