// Dashboard logins, kept by the SHA-256 of their id (the id itself is only in the browser's
// cookie), so a restart logs nobody out and a copy of the database logs nobody in. Read on
// every dashboard request: prepared statements on the bulk connection; writes take the
// store's write lock like every other write.
import type { StoreContext } from './context.js';
import { fromDbDate, toDbDate } from './sqlite.js';

export interface StoredSession {
  idHash: string;
  /** As written by the dashboard; it checks the value when it reads it back. */
  role: string;
  /** The named staff account it belongs to; null for a shared role password. */
  staff: string | null;
  createdAt: Date;
  lastSeenAt: Date;
}

export interface NewSessionLimits {
  /** Sessions of the new one's role (and staff account) kept at most, the new one included. */
  maxForRole: number;
  /** Sessions of any role not seen since then are over and dropped. */
  idleSince: Date;
}

export interface DashboardSessionRepository {
  find(idHash: string): Promise<StoredSession | null>;
  /**
   * Stores a new session; in the same transaction drops every idle session, then the least
   * recently seen sessions of the same role beyond its cap (never another role's). Returns how
   * many of that role were pushed out.
   */
  create(session: { idHash: string; role: string; staff?: string | null; at: Date }, limits: NewSessionLimits): Promise<{ evicted: number }>;
  touch(idHash: string, at: Date): Promise<void>;
  delete(idHash: string): Promise<void>;
}

interface Row {
  idHash: string;
  role: string;
  staff: string | null;
  createdAt: string;
  lastSeenAt: string;
}

export function dashboardSessionRepository(ctx: StoreContext): DashboardSessionRepository {
  const { db } = ctx;
  const select = db.prepare('SELECT "idHash", "role", "staff", "createdAt", "lastSeenAt" FROM "DashboardSession" WHERE "idHash" = ?');
  const insert = db.prepare('INSERT INTO "DashboardSession" ("idHash", "role", "staff", "createdAt", "lastSeenAt") VALUES (?, ?, ?, ?, ?)');
  const dropIdle = db.prepare('DELETE FROM "DashboardSession" WHERE "lastSeenAt" < ?');
  // Newest first, ties by insertion order: everything after the first `maxForRole` goes.
  const dropBeyondCap = db.prepare(`DELETE FROM "DashboardSession" WHERE "rowid" IN (
    SELECT "rowid" FROM "DashboardSession" WHERE "role" = ? AND "staff" IS ? ORDER BY "lastSeenAt" DESC, "rowid" DESC LIMIT -1 OFFSET ?)`);
  const update = db.prepare('UPDATE "DashboardSession" SET "lastSeenAt" = ? WHERE "idHash" = ?');
  const remove = db.prepare('DELETE FROM "DashboardSession" WHERE "idHash" = ?');
  const create = db.transaction((s: { idHash: string; role: string; staff?: string | null; at: Date }, limits: NewSessionLimits): number => {
    dropIdle.run(toDbDate(limits.idleSince));
    insert.run(s.idHash, s.role, s.staff ?? null, toDbDate(s.at), toDbDate(s.at));
    return dropBeyondCap.run(s.role, s.staff ?? null, Math.max(1, limits.maxForRole)).changes;
  });
  return {
    find: async (idHash) => {
      const row = select.get(idHash) as Row | undefined;
      return row ? { ...row, createdAt: fromDbDate(row.createdAt), lastSeenAt: fromDbDate(row.lastSeenAt) } : null;
    },
    create: (session, limits) => ctx.write(() => ({ evicted: create(session, limits) })),
    touch: (idHash, at) => ctx.write(() => void update.run(toDbDate(at), idHash)),
    delete: (idHash) => ctx.write(() => void remove.run(idHash)),
  };
}
