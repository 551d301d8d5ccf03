// Delivery bookkeeping: which platform events were handled, and where each sync stopped.
import type { Platform } from '../types.js';
import type { StoreContext } from './context.js';

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
}

export function processedEventRepository(ctx: StoreContext): ProcessedEventRepository {
  const { prisma } = ctx;
  return {
    markProcessed: (platform, eventId, at = new Date()) => ctx.write(async () => {
      const inserted = await prisma.$executeRaw`
        INSERT OR IGNORE INTO "ProcessedEvent" ("platform", "eventId", "processedAt") VALUES (${platform}, ${eventId}, ${at})`;
      return inserted === 1;
    }),
    isProcessed: async (platform, eventId) =>
      (await prisma.processedEvent.count({ where: { platform, eventId } })) > 0,
  };
}

export function syncCursorRepository(ctx: StoreContext): SyncCursorRepository {
  const { prisma } = ctx;
  return {
    get: async (platform, key) =>
      (await prisma.syncCursor.findUnique({ where: { platform_key: { platform, key } } }))?.value ?? null,
    set: (platform, key, value) => ctx.write(async () => {
      await prisma.syncCursor.upsert({
        where: { platform_key: { platform, key } },
        create: { platform, key, value },
        update: { value },
      });
    }),
  };
}
