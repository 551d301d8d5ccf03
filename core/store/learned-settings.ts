// What the engine fitted on the community's history, kept between restarts so start-up does not
// refit it. The engine owns the format; the store keeps the JSON text and when it was fitted.
// On the bulk connection (better-sqlite3), not Prisma: the tag classifier is megabytes of JSON,
// which Prisma's query compiler took 1-2 s to pass through on the event loop (read and write).
// Values that large are written on a worker thread (big-write.ts).
import { writeTextOffThread } from './big-write.js';
import type { StoreContext } from './context.js';
import { fromDbDate, toDbDate } from './sqlite.js';

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

/** Values longer than this are written off the event loop (the tag classifier: ~7 MB at 10k documents). */
const OFF_THREAD_CHARS = 256 * 1024;

const UPSERT = `INSERT INTO "LearnedSettings" ("key", "json", "documents", "fittedAt") VALUES (?, ?, ?, ?)
  ON CONFLICT ("key") DO UPDATE SET "json" = excluded."json", "documents" = excluded."documents", "fittedAt" = excluded."fittedAt"`;

export function learnedSettingsRepository(ctx: StoreContext): LearnedSettingsRepository {
  const { db } = ctx;
  const select = db.prepare<[string], { json: string; documents: number; fittedAt: string }>(
    'SELECT "json", "documents", "fittedAt" FROM "LearnedSettings" WHERE "key" = ?',
  );
  const upsert = db.prepare(UPSERT);
  return {
    get: async (key) => {
      const row = select.get(key);
      if (!row) return null;
      let json: unknown;
      try {
        json = JSON.parse(row.json);
      } catch {
        return null; // unreadable: the engine fits again
      }
      return { json, documents: row.documents, fittedAt: fromDbDate(row.fittedAt) };
    },
    put: (key, json, documents, fittedAt) =>
      ctx.write(async () => {
        const text = JSON.stringify(json);
        // PostgreSQL's connection already does its work on a thread of its own (postgres/sync-connection.ts).
        if (text.length < OFF_THREAD_CHARS || ctx.dialect !== 'sqlite') upsert.run(key, text, documents, toDbDate(fittedAt));
        else await writeTextOffThread(db.name, UPSERT, [key], text, [documents, toDbDate(fittedAt)]);
      }),
  };
}
