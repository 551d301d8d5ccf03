// Secrets the service makes up for itself on first start and keeps, by name: the same value
// after every restart, without anyone having to configure one.
import type { StoreContext } from './context.js';
import { toDbDate } from './sqlite.js';

export interface GeneratedSecretRepository {
  /** The secret kept under `name`; the first call makes it with `make` and stores it. */
  obtain(name: string, make: () => string): Promise<string>;
}

export function generatedSecretRepository(ctx: StoreContext): GeneratedSecretRepository {
  const { db } = ctx;
  const insert = db.prepare('INSERT OR IGNORE INTO "GeneratedSecret" ("name", "value", "createdAt") VALUES (?, ?, ?)');
  const select = db.prepare('SELECT "value" FROM "GeneratedSecret" WHERE "name" = ?');
  return {
    // Under the write lock, so two callers at first start agree on one value.
    obtain: (name, make) =>
      ctx.write(() => {
        const kept = select.get(name) as { value: string } | undefined;
        if (kept) return kept.value;
        insert.run(name, make(), toDbDate(new Date()));
        return (select.get(name) as { value: string }).value;
      }),
  };
}
