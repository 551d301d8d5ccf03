// Delivery bookkeeping: which platform events were handled, and where each sync stopped.
import type { Platform } from '../types.js';
import type { StoreContext } from './context.js';
import { toDbDate } from './sqlite.js';

export interface ProcessedEventRepository {
  /**
   * Claims an event: true the first time, false when it was already processed. One INSERT OR
   * IGNORE decides, so two deliveries racing for the same event cannot both win.
   */
  markProcessed(platform: Platform, eventId: string, at?: Date): Promise<boolean>;
  isProcessed(platform: Platform, eventId: string): Promise<boolean>;
}

export interface SyncCursorRepository {
  get(platform: Platform, key: string): Promise<string | null>;
  set(platform: Platform, key: string, value: string): Promise<void>;
  /** Forgets a platform's cursors (all, or those whose key starts with `prefix`); returns how many. */
  clear(platform: Platform, prefix?: string): Promise<number>;
}

export function processedEventRepository(ctx: StoreContext): ProcessedEventRepository {
  // Prepared statements on the bulk connection: webhook receivers call these on every delivery,
  // where Prisma's per-query overhead was most of the route's time.
  const { db } = ctx;
  const insert = db.prepare('INSERT OR IGNORE INTO "ProcessedEvent" ("platform", "eventId", "processedAt") VALUES (?, ?, ?)');
  const exists = db.prepare('SELECT 1 FROM "ProcessedEvent" WHERE "platform" = ? AND "eventId" = ?');
  return {
    // One INSERT OR IGNORE decides, so two deliveries racing for the same event cannot both win.
    markProcessed: (platform, eventId, at = new Date()) => ctx.write(() => insert.run(platform, eventId, toDbDate(at)).changes === 1),
    isProcessed: async (platform, eventId) => exists.get(platform, eventId) !== undefined,
  };
}

export function syncCursorRepository(ctx: StoreContext): SyncCursorRepository {
  const { prisma } = ctx;
  return {
    get: async (platform, key) => (await prisma.syncCursor.findUnique({ where: { platform_key: { platform, key } } }))?.value ?? null,
    set: (platform, key, value) =>
      ctx.write(async () => {
        await prisma.syncCursor.upsert({
          where: { platform_key: { platform, key } },
          create: { platform, key, value },
          update: { value },
        });
      }),
    clear: (platform, prefix = '') => ctx.write(async () => (await prisma.syncCursor.deleteMany({ where: { platform, key: { startsWith: prefix } } })).count),
  };
}
