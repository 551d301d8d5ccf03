// The console's audit log: one row per form staff submitted, claimed by the form's one-time id
// before anything is done, so a form sent twice (a double click, a browser resending) finds the
// first row and acts once. Prepared statements on the bulk connection, under the write lock.
import type { StoreContext } from './context.js';
import { fromDbDate, toDbDate } from './sqlite.js';

export interface ConsoleActionRecord {
  id: number;
  requestId: string;
  staff: string;
  role: string;
  kind: string;
  subject: string;
  detail: string;
  outcome: string;
  createdAt: Date;
}

export type NewConsoleAction = Omit<ConsoleActionRecord, 'id' | 'outcome'>;

export interface ConsoleActionFilter {
  staff?: string | undefined;
  kind?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  limit?: number | undefined;
}

export interface ConsoleActionRepository {
  /** Records the action as pending, or returns the row an earlier submission of the same form made. */
  claim(action: NewConsoleAction): Promise<{ record: ConsoleActionRecord; created: boolean }>;
  finish(id: number, outcome: string): Promise<void>;
  /** Newest first. */
  list(filter?: ConsoleActionFilter): Promise<ConsoleActionRecord[]>;
}

interface Row extends Omit<ConsoleActionRecord, 'createdAt'> { createdAt: string }
const toRecord = (r: Row): ConsoleActionRecord => ({ ...r, createdAt: fromDbDate(r.createdAt) });
const COLUMNS = '"id", "requestId", "staff", "role", "kind", "subject", "detail", "outcome", "createdAt"';

export function consoleActionRepository(ctx: StoreContext): ConsoleActionRepository {
  const { db } = ctx;
  const byRequest = db.prepare(`SELECT ${COLUMNS} FROM "ConsoleAction" WHERE "requestId" = ?`);
  const insert = db.prepare('INSERT OR IGNORE INTO "ConsoleAction" ("requestId", "staff", "role", "kind", "subject", "detail", "outcome", "createdAt") VALUES (?, ?, ?, ?, ?, ?, \'pending\', ?)');
  const update = db.prepare('UPDATE "ConsoleAction" SET "outcome" = ? WHERE "id" = ?');
  const list = db.prepare(`SELECT ${COLUMNS} FROM "ConsoleAction"
    WHERE (@staff IS NULL OR "staff" = @staff) AND (@kind IS NULL OR "kind" = @kind)
      AND (@since IS NULL OR "createdAt" >= @since) AND (@until IS NULL OR "createdAt" < @until)
    ORDER BY "createdAt" DESC, "id" DESC LIMIT @limit`);
  return {
    claim: (a) => ctx.write(() => {
      const created = insert.run(a.requestId, a.staff, a.role, a.kind, a.subject, a.detail, toDbDate(a.createdAt)).changes === 1;
      return { record: toRecord(byRequest.get(a.requestId) as Row), created };
    }),
    finish: (id, outcome) => ctx.write(() => void update.run(outcome, id)),
    list: async (f = {}) => (list.all({
      staff: f.staff ?? null, kind: f.kind ?? null,
      since: f.since ? toDbDate(f.since) : null, until: f.until ? toDbDate(f.until) : null,
      limit: Math.min(Math.max(f.limit ?? 200, 1), 1000),
    }) as Row[]).map(toRecord),
  };
}
