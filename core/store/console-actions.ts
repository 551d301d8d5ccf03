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
  /** The member chosen or passed over, for routing's feedback. */
  memberId: number | null;
  detail: string;
  outcome: string;
  createdAt: Date;
}

export type NewConsoleAction = Omit<ConsoleActionRecord, 'id' | 'outcome' | 'memberId'>;

/** Kinds of console action that choose a member, and that pass one over. */
export const CHOOSING_KINDS = ['invite', 'reroute', 'approve'] as const;
export const SKIPPING_KINDS = ['skip'] as const;

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
  /** Records how it ended, and the member it chose or passed over (when it did). */
  finish(id: number, outcome: string, memberId?: number | null): Promise<void>;
  /** Per member, since then: how often staff chose them, and how often they passed them over (done actions only). */
  choiceCounts(since: Date): Promise<{ chosen: Map<number, number>; skipped: Map<number, number> }>;
  /** Newest first. */
  list(filter?: ConsoleActionFilter): Promise<ConsoleActionRecord[]>;
}

interface Row extends Omit<ConsoleActionRecord, 'createdAt'> {
  createdAt: string;
}
const toRecord = (r: Row): ConsoleActionRecord => ({ ...r, createdAt: fromDbDate(r.createdAt) });
const COLUMNS = '"id", "requestId", "staff", "role", "kind", "subject", "memberId", "detail", "outcome", "createdAt"';

export function consoleActionRepository(ctx: StoreContext): ConsoleActionRepository {
  const { db } = ctx;
  const byRequest = db.prepare(`SELECT ${COLUMNS} FROM "ConsoleAction" WHERE "requestId" = ?`);
  const insert = db.prepare(
    'INSERT OR IGNORE INTO "ConsoleAction" ("requestId", "staff", "role", "kind", "subject", "detail", "outcome", "createdAt") VALUES (?, ?, ?, ?, ?, ?, \'pending\', ?)',
  );
  const update = db.prepare('UPDATE "ConsoleAction" SET "outcome" = ?, "memberId" = COALESCE(?, "memberId") WHERE "id" = ?');
  const choices = db.prepare(`SELECT "memberId", "kind", COUNT(*) AS "n" FROM "ConsoleAction"
    WHERE "memberId" IS NOT NULL AND "outcome" = 'done' AND "createdAt" >= ? GROUP BY "memberId", "kind"`);
  // Only the filters given go into the SQL: `? IS NULL OR ...` leaves PostgreSQL unable to type
  // the parameter. One prepared statement per combination of filters (16 at most).
  const lists = new Map<string, ReturnType<typeof db.prepare>>();
  const listFor = (f: { staff: boolean; kind: boolean; since: boolean; until: boolean }) => {
    const key = JSON.stringify(f);
    let statement = lists.get(key);
    if (!statement) {
      const where = [
        ...(f.staff ? ['"staff" = @staff'] : []),
        ...(f.kind ? ['"kind" = @kind'] : []),
        ...(f.since ? ['"createdAt" >= @since'] : []),
        ...(f.until ? ['"createdAt" < @until'] : []),
      ];
      statement = db.prepare(`SELECT ${COLUMNS} FROM "ConsoleAction" ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY "createdAt" DESC, "id" DESC LIMIT @limit`);
      lists.set(key, statement);
    }
    return statement;
  };
  return {
    claim: (a) =>
      ctx.write(() => {
        const created = insert.run(a.requestId, a.staff, a.role, a.kind, a.subject, a.detail, toDbDate(a.createdAt)).changes === 1;
        return { record: toRecord(byRequest.get(a.requestId) as Row), created };
      }),
    finish: (id, outcome, memberId) => ctx.write(() => void update.run(outcome, memberId ?? null, id)),
    choiceCounts: async (since) => {
      const chosen = new Map<number, number>();
      const skipped = new Map<number, number>();
      for (const row of choices.all(toDbDate(since)) as { memberId: number; kind: string; n: number }[]) {
        const into = (CHOOSING_KINDS as readonly string[]).includes(row.kind)
          ? chosen
          : (SKIPPING_KINDS as readonly string[]).includes(row.kind)
            ? skipped
            : null;
        into?.set(row.memberId, (into.get(row.memberId) ?? 0) + row.n);
      }
      return { chosen, skipped };
    },
    list: async (f = {}) => {
      const params = {
        ...(f.staff !== undefined ? { staff: f.staff } : {}),
        ...(f.kind !== undefined ? { kind: f.kind } : {}),
        ...(f.since ? { since: toDbDate(f.since) } : {}),
        ...(f.until ? { until: toDbDate(f.until) } : {}),
        limit: Math.min(Math.max(f.limit ?? 200, 1), 1000),
      };
      const statement = listFor({ staff: 'staff' in params, kind: 'kind' in params, since: 'since' in params, until: 'until' in params });
      return (statement.all(params) as Row[]).map(toRecord);
    },
  };
}
