// What the engine fitted on the community's history, kept between restarts so start-up does not
// refit it. The engine owns the format; the store keeps the JSON text and when it was fitted.
import type { StoreContext } from './context.js';

export interface LearnedSettingsRecord {
  json: unknown;
  /** Live documents when it was fitted. */
  documents: number;
  fittedAt: Date;
}

export interface LearnedSettingsRepository {
  get(key: string): Promise<LearnedSettingsRecord | null>;
  put(key: string, json: unknown, documents: number, fittedAt: Date): Promise<void>;
}

export function learnedSettingsRepository(ctx: StoreContext): LearnedSettingsRepository {
  const { prisma } = ctx;
  return {
    get: async (key) => {
      const row = await prisma.learnedSettings.findUnique({ where: { key } });
      if (!row) return null;
      let json: unknown;
      try {
        json = JSON.parse(row.json);
      } catch {
        return null; // unreadable: the engine fits again
      }
      return { json, documents: row.documents, fittedAt: row.fittedAt };
    },
    put: (key, json, documents, fittedAt) => ctx.write(async () => {
      const data = { json: JSON.stringify(json), documents, fittedAt };
      await prisma.learnedSettings.upsert({ where: { key }, create: { key, ...data }, update: data });
    }),
  };
}
