// Merging two members into one person, and splitting them again. A merge folds everything of one
// member (accounts, documents, problems, invitations, responses, feedback, interactions,
// introductions, link codes, private answers) into the other, in one transaction, and journals
// every row it moved, removed or changed; a split replays the journal backwards, restores the
// folded member with its id, and returns rows recorded since the merge by the platform they
// came from. Rows that only made sense between two people (an interaction, an invitation, thanks
// or an introduction between the two accounts of one person) are removed by the merge, so every
// figure computed afterwards equals that of a history that was one member from the start.
import { err, memberId, ok, type MemberId, type Platform, type Result } from '../types.js';
import { recordPairDecision } from './account-pairs.js';
import { asPlatform, type StoreContext } from './context.js';
import { fromDbDate, fromDbDateOrNull, toDbDate, type SqliteDatabase } from './sqlite.js';
import type { IdentityRef } from './types.js';

export interface MemberMergeRecord {
  id: number;
  keptMemberId: MemberId;
  mergedMemberId: MemberId;
  /** The folded member's name and accounts at the merge. */
  mergedName: string;
  identities: IdentityRef[];
  by: string;
  reason: string;
  at: Date;
  splitAt: Date | null;
  splitBy: string | null;
}

export type MergeRefusal = { kind: 'same-member'; memberId: MemberId } | { kind: 'unknown-member'; memberId: MemberId };

export interface MergeOutcome {
  merge: MemberMergeRecord;
  /** Rows that now belong to the kept member. */
  moved: number;
  /** Rows removed because they were between the two accounts of one person. */
  removed: number;
}

export type SplitRefusal =
  | { kind: 'unknown-merge'; mergeId: number }
  | { kind: 'already-split'; merge: MemberMergeRecord }
  /** A later merge into the same member must be split first (splits undo merges last-first). */
  | { kind: 'later-merge'; merge: MemberMergeRecord; later: MemberMergeRecord }
  /** The kept member was itself merged into another since. */
  | { kind: 'kept-member-merged'; merge: MemberMergeRecord; later: MemberMergeRecord };

export interface SplitOutcome {
  merge: MemberMergeRecord;
  /** Rows the merge had moved or removed that are back with the restored member. */
  restored: number;
  /** Rows recorded after the merge that went back to the restored member by their platform. */
  laterReturned: number;
  /** Rows recorded after the merge that stay with the kept member (their platform does not tell whose they are). */
  laterKept: number;
}

export interface MergeMeta {
  /** Who decided: an admin's name, or "member" for a link the member proved. */
  by: string;
  reason: string;
  at?: Date;
}

export interface MemberMergeRepository {
  /** Folds `gone` into `keep`; refused for the same member twice or an unknown member. */
  merge(keep: MemberId, gone: MemberId, meta: MergeMeta): Promise<Result<MergeOutcome, MergeRefusal>>;
  /** Undoes a merge (see SplitRefusal for when it cannot). */
  split(mergeId: number, meta: { by: string; at?: Date }): Promise<Result<SplitOutcome, SplitRefusal>>;
  get(mergeId: number): Promise<MemberMergeRecord | null>;
  /** Every merge, oldest first. */
  list(): Promise<MemberMergeRecord[]>;
}

// ---------------------------------------------------------------------------------------------

type Row = Record<string, unknown>;

/** Member columns a merge moves, with the row key of their table. */
const MOVES: readonly [table: string, key: string, column: string][] = [
  ['Identity', 'id', 'memberId'],
  ['Document', 'id', 'authorId'],
  ['Problem', 'id', 'originatorId'],
  ['Invitation', 'id', 'memberId'],
  ['Response', 'id', 'memberId'],
  ['Feedback', 'id', 'fromMemberId'],
  ['Feedback', 'id', 'toMemberId'],
  ['Interaction', 'id', 'fromMemberId'],
  ['Interaction', 'id', 'toMemberId'],
  ['LinkCode', 'code', 'memberId'],
  ['PendingRelay', 'id', 'memberId'],
];

/** Tables whose later rows a split sorts by platform: the member column and how the platform is found. */
const LATER: readonly [table: string, column: string, platformOf: string][] = [
  ['Document', 'authorId', '"platform"'],
  ['Problem', 'originatorId', '"platform"'],
  ['Response', 'memberId', '"platform"'],
  ['PendingRelay', 'memberId', '"platform"'],
  ['Interaction', 'fromMemberId', '"platform"'],
  ['Interaction', 'toMemberId', '"platform"'],
  ['Invitation', 'memberId', '(SELECT p."platform" FROM "Problem" p WHERE p."id" = "problemId")'],
  ['Feedback', 'fromMemberId', '(SELECT p."platform" FROM "Problem" p WHERE p."id" = "problemId")'],
  ['Feedback', 'toMemberId', '(SELECT p."platform" FROM "Problem" p WHERE p."id" = "problemId")'],
];
const WATERMARK_TABLES = ['Document', 'Problem', 'Invitation', 'Response', 'Feedback', 'Interaction', 'Introduction', 'PendingRelay'];

/** The member settings a merge combines (and a split gives back). */
const SETTINGS = ['optedOut', 'pausedUntil', 'weeklyBudget', 'quietHours', 'timeZone', 'recognitionDigest', 'leftAt', 'interests'] as const;
type Settings = Record<(typeof SETTINGS)[number], unknown>;

/** Invitation statuses from least to most advanced: when both accounts were asked, the most advanced answer stands. */
const INVITATION_RANK =
  "CASE \"status\" WHEN 'answered' THEN 5 WHEN 'accepted' THEN 4 WHEN 'declined' THEN 3 WHEN 'ignored' THEN 2 WHEN 'sent' THEN 1 ELSE 0 END";

const q = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** The settings of one person with two accounts: privacy and pauses win, the kept member's choices first. */
function combined(keep: Row, gone: Row): Settings {
  const later = (x: unknown, y: unknown) => (x === null ? y : y === null ? x : String(x) >= String(y) ? x : y);
  return {
    optedOut: Number(keep['optedOut']) === 1 || Number(gone['optedOut']) === 1 ? 1 : 0,
    pausedUntil: later(keep['pausedUntil'], gone['pausedUntil']),
    weeklyBudget: keep['weeklyBudget'] ?? gone['weeklyBudget'],
    quietHours: keep['quietHours'] ?? gone['quietHours'],
    timeZone: keep['timeZone'] ?? gone['timeZone'],
    recognitionDigest: Number(keep['recognitionDigest']) === 1 || Number(gone['recognitionDigest']) === 1 ? 1 : 0,
    // Still in the community while either account is.
    leftAt: keep['leftAt'] === null || gone['leftAt'] === null ? null : later(keep['leftAt'], gone['leftAt']),
    // What either account said it can help with: routing should know both.
    interests: [keep['interests'], gone['interests']].filter((x) => typeof x === 'string' && x.trim() !== '').join('; ') || null,
  };
}

const pick = (row: Row): Settings => Object.fromEntries(SETTINGS.map((k) => [k, row[k] ?? null])) as Settings;

function toRecord(r: Row): MemberMergeRecord {
  const merged = JSON.parse(String(r['mergedMember'])) as { member: Row; identities: { platform: string; externalId: string }[] };
  return {
    id: Number(r['id']),
    keptMemberId: memberId(Number(r['keptMemberId'])),
    mergedMemberId: memberId(Number(r['mergedMemberId'])),
    mergedName: String(merged.member['displayName']),
    identities: merged.identities.map((i) => ({ platform: asPlatform(i.platform), externalId: i.externalId })),
    by: String(r['by']),
    reason: String(r['reason']),
    at: fromDbDate(r['at']),
    splitAt: fromDbDateOrNull(r['splitAt']),
    splitBy: r['splitBy'] === null ? null : String(r['splitBy']),
  };
}

class Journal {
  count = 0;
  constructor(
    private readonly db: SqliteDatabase,
    private readonly mergeId: number,
  ) {}

  /** Removes the rows `where` selects, keeping each whole in the journal. */
  remove(table: string, key: string, where: string, ...params: unknown[]): number {
    const rows = this.db.prepare(`SELECT * FROM ${q(table)} WHERE ${where}`).all(...params) as Row[];
    const note = this.db.prepare('INSERT INTO "MemberMergeChange" ("mergeId", "tableName", "rowKey", "action", "before") VALUES (?, ?, ?, \'deleted\', ?)');
    const drop = this.db.prepare(`DELETE FROM ${q(table)} WHERE ${q(key)} = ?`);
    for (const row of rows) {
      note.run(this.mergeId, table, String(row[key]), JSON.stringify(row));
      drop.run(row[key]);
    }
    this.count += rows.length;
    return rows.length;
  }

  /** Points `column` of the rows where it is `from` at `to`, noting each row. */
  move(table: string, key: string, column: string, from: MemberId, to: MemberId): number {
    this.db
      .prepare(
        `INSERT INTO "MemberMergeChange" ("mergeId", "tableName", "rowKey", "action", "column")
        SELECT ?, ?, CAST(${q(key)} AS TEXT), 'moved', ? FROM ${q(table)} WHERE ${q(column)} = ?`,
      )
      .run(this.mergeId, table, column, from);
    return this.db.prepare(`UPDATE ${q(table)} SET ${q(column)} = ? WHERE ${q(column)} = ?`).run(to, from).changes;
  }

  /** Notes the old values of a row about to be updated. */
  updated(table: string, rowKey: string, before: Row): void {
    this.db
      .prepare('INSERT INTO "MemberMergeChange" ("mergeId", "tableName", "rowKey", "action", "before") VALUES (?, ?, ?, \'updated\', ?)')
      .run(this.mergeId, table, rowKey, JSON.stringify(before));
    this.count += 1;
  }
}

function identitiesOf(db: SqliteDatabase, member: MemberId): IdentityRef[] {
  return (db.prepare('SELECT "platform", "externalId" FROM "Identity" WHERE "memberId" = ? ORDER BY "id"').all(member) as Row[]).map((r) => ({
    platform: asPlatform(String(r['platform'])),
    externalId: String(r['externalId']),
  }));
}

/** Records that each cross-platform pair of the two account lists is decided (linked or separated). */
function decidePairs(db: SqliteDatabase, xs: readonly IdentityRef[], ys: readonly IdentityRef[], status: 'linked' | 'separated', by: string, at: Date): void {
  for (const x of xs) for (const y of ys) if (x.platform !== y.platform) recordPairDecision(db, x, y, { status, by, at });
}

/**
 * Folds `gone` into `keep` in the caller's transaction (the write lock held). Exported for the
 * member repository, whose link flow merges inside its own write.
 */
export function mergeMembersSync(db: SqliteDatabase, keep: MemberId, gone: MemberId, meta: MergeMeta): Result<MergeOutcome, MergeRefusal> {
  if (keep === gone) return err({ kind: 'same-member', memberId: keep });
  const memberRow = db.prepare('SELECT * FROM "Member" WHERE "id" = ?');
  const keepRow = memberRow.get(keep) as Row | undefined;
  const goneRow = memberRow.get(gone) as Row | undefined;
  if (!keepRow) return err({ kind: 'unknown-member', memberId: keep });
  if (!goneRow) return err({ kind: 'unknown-member', memberId: gone });
  const at = meta.at ?? new Date();
  const keepIdentities = identitiesOf(db, keep);
  const goneIdentities = identitiesOf(db, gone);
  const watermarks = Object.fromEntries(
    WATERMARK_TABLES.map((t) => [
      t,
      Number(
        db
          .prepare(`SELECT coalesce(max("id"), 0) FROM ${q(t)}`)
          .pluck()
          .get(),
      ),
    ]),
  );
  const after = combined(keepRow, goneRow);
  const { lastInsertRowid } = db
    .prepare(
      `INSERT INTO "MemberMerge" ("keptMemberId", "mergedMemberId", "mergedMember", "keptBefore", "keptAfter", "watermarks", "by", "reason", "at")
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      keep,
      gone,
      JSON.stringify({ member: goneRow, identities: goneIdentities }),
      JSON.stringify(pick(keepRow)),
      JSON.stringify(after),
      JSON.stringify(watermarks),
      meta.by,
      meta.reason,
      toDbDate(at),
    );
  const mergeId = Number(lastInsertRowid);
  const j = new Journal(db, mergeId);
  const both = [keep, gone];

  // What only existed between two people. (Interactions keep the id order; the journal restores them.)
  let removed = j.remove('Interaction', 'id', '("fromMemberId" = ? AND "toMemberId" = ?) OR ("fromMemberId" = ? AND "toMemberId" = ?)', keep, gone, gone, keep);
  const ownProblem = '"problemId" IN (SELECT "id" FROM "Problem" WHERE "originatorId" IN (?, ?))';
  removed += j.remove('Invitation', 'id', `"memberId" IN (?, ?) AND ${ownProblem}`, ...both, ...both);
  removed += j.remove('Response', 'id', `"memberId" IN (?, ?) AND ${ownProblem}`, ...both, ...both);
  removed += j.remove('Feedback', 'id', '("fromMemberId" = ? AND "toMemberId" = ?) OR ("fromMemberId" = ? AND "toMemberId" = ?)', keep, gone, gone, keep);
  // Both accounts asked to help with one problem: the most advanced answer stands.
  removed += j.remove(
    'Invitation',
    'id',
    `"id" IN (SELECT g."id" FROM "Invitation" g JOIN "Invitation" k ON k."problemId" = g."problemId"
      WHERE g."memberId" = ? AND k."memberId" = ? AND (SELECT ${INVITATION_RANK} FROM "Invitation" x WHERE x."id" = g."id") <= (SELECT ${INVITATION_RANK} FROM "Invitation" x WHERE x."id" = k."id"))`,
    gone,
    keep,
  );
  removed += j.remove(
    'Invitation',
    'id',
    `"id" IN (SELECT k."id" FROM "Invitation" k JOIN "Invitation" g ON g."problemId" = k."problemId"
      WHERE k."memberId" = ? AND g."memberId" = ?)`,
    keep,
    gone,
  );
  // One event that reached both accounts the same way counts once.
  for (const [mine, other] of [
    ['fromMemberId', 'toMemberId'],
    ['toMemberId', 'fromMemberId'],
  ] as const) {
    removed += j.remove(
      'Interaction',
      'id',
      `"id" IN (SELECT g."id" FROM "Interaction" g JOIN "Interaction" k ON k."platform" = g."platform"
        AND k."sourceEventId" = g."sourceEventId" AND k."kind" = g."kind" AND k.${q(other)} = g.${q(other)}
        WHERE g.${q(mine)} = ? AND k.${q(mine)} = ?)`,
      gone,
      keep,
    );
  }
  removed += foldIntroductions(db, j, keep, gone);

  let moved = 0;
  for (const [table, key, column] of MOVES) moved += j.move(table, key, column, gone, keep);

  db.prepare(`UPDATE "Member" SET ${SETTINGS.map((k) => `${q(k)} = ?`).join(', ')}, "updatedAt" = ? WHERE "id" = ?`).run(
    ...SETTINGS.map((k) => after[k]),
    toDbDate(at),
    keep,
  );
  db.prepare('DELETE FROM "Member" WHERE "id" = ?').run(gone);
  decidePairs(db, keepIdentities, goneIdentities, 'linked', meta.by, at);
  const merge = toRecord(db.prepare('SELECT * FROM "MemberMerge" WHERE "id" = ?').get(mergeId) as Row);
  return ok({ merge, moved, removed });
}

/** Introductions keep their pair in id order: re-ordered when one side changes, removed when both sides are one person. */
function foldIntroductions(db: SqliteDatabase, j: Journal, keep: MemberId, gone: MemberId): number {
  let removed = 0;
  const rows = db.prepare('SELECT * FROM "Introduction" WHERE "memberAId" = ? OR "memberBId" = ? ORDER BY "id"').all(gone, gone) as Row[];
  for (const row of rows) {
    const id = Number(row['id']);
    const swap = (m: unknown) => (Number(m) === gone ? keep : Number(m));
    const [a, b] = [swap(row['memberAId']), swap(row['memberBId'])].sort((x, y) => x - y) as [number, number];
    const clash = db
      .prepare('SELECT 1 FROM "Introduction" WHERE "memberAId" = ? AND "memberBId" = ? AND "problemId" IS ? AND "id" <> ?')
      .get(a, b, row['problemId'], id);
    if (a === b || clash) {
      removed += j.remove('Introduction', 'id', '"id" = ?', id);
      continue;
    }
    j.updated('Introduction', String(id), { memberAId: row['memberAId'], memberBId: row['memberBId'] });
    db.prepare('UPDATE "Introduction" SET "memberAId" = ?, "memberBId" = ? WHERE "id" = ?').run(a, b, id);
  }
  return removed;
}

function splitSync(db: SqliteDatabase, mergeId: number, meta: { by: string; at?: Date }): Result<SplitOutcome, SplitRefusal> {
  const row = db.prepare('SELECT * FROM "MemberMerge" WHERE "id" = ?').get(mergeId) as Row | undefined;
  if (!row) return err({ kind: 'unknown-merge', mergeId });
  const merge = toRecord(row);
  if (merge.splitAt) return err({ kind: 'already-split', merge });
  const later = db
    .prepare(`SELECT * FROM "MemberMerge" WHERE "splitAt" IS NULL AND "id" > ? AND ("keptMemberId" = ? OR "mergedMemberId" = ?) ORDER BY "id" DESC LIMIT 1`)
    .get(mergeId, merge.keptMemberId, merge.keptMemberId) as Row | undefined;
  if (later) {
    const l = toRecord(later);
    return err(l.mergedMemberId === merge.keptMemberId ? { kind: 'kept-member-merged', merge, later: l } : { kind: 'later-merge', merge, later: l });
  }
  const at = meta.at ?? new Date();
  const keep = merge.keptMemberId;
  const gone = merge.mergedMemberId;
  const { member } = JSON.parse(String(row['mergedMember'])) as { member: Row };
  const columns = Object.keys(member);
  db.prepare(`INSERT INTO "Member" (${columns.map(q).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`).run(...columns.map((c) => member[c]));

  let restored = 0;
  const changes = db.prepare('SELECT * FROM "MemberMergeChange" WHERE "mergeId" = ? ORDER BY "id" DESC').all(mergeId) as Row[];
  for (const c of changes) restored += undoChange(db, c, keep, gone);

  // Rows recorded since the merge: back to the restored member when their platform says whose they are.
  const watermarks = JSON.parse(String(row['watermarks'])) as Record<string, number>;
  const keptPlatforms = new Set(identitiesOf(db, keep).map((i) => i.platform));
  const returning = [...new Set(identitiesOf(db, gone).map((i) => i.platform))].filter((p) => !keptPlatforms.has(p));
  let laterReturned = 0;
  for (const [table, column, platformOf] of LATER) {
    const since = watermarks[table] ?? 0;
    for (const platform of returning) {
      laterReturned += db
        .prepare(`UPDATE OR IGNORE ${q(table)} SET ${q(column)} = ? WHERE ${q(column)} = ? AND "id" > ? AND ${platformOf} = ?`)
        .run(gone, keep, since, platform).changes;
    }
  }
  laterReturned += returnLaterIntroductions(db, keep, gone, watermarks['Introduction'] ?? 0, returning);
  const laterKept = countLaterKept(db, keep, watermarks);

  // The kept member's settings go back to what they were, unless changed since the merge.
  const before = JSON.parse(String(row['keptBefore'])) as Settings;
  const afterMerge = JSON.parse(String(row['keptAfter'])) as Settings;
  const current = db.prepare('SELECT * FROM "Member" WHERE "id" = ?').get(keep) as Row;
  for (const k of SETTINGS) {
    if (JSON.stringify(current[k] ?? null) === JSON.stringify(afterMerge[k] ?? null)) {
      db.prepare(`UPDATE "Member" SET ${q(k)} = ? WHERE "id" = ?`).run(before[k] ?? null, keep);
    }
  }
  db.prepare('UPDATE "MemberMerge" SET "splitAt" = ?, "splitBy" = ? WHERE "id" = ?').run(toDbDate(at), meta.by, mergeId);
  // An admin said these are two people: never offer them as one again.
  decidePairs(db, identitiesOf(db, keep), identitiesOf(db, gone), 'separated', meta.by, at);
  return ok({ merge: toRecord(db.prepare('SELECT * FROM "MemberMerge" WHERE "id" = ?').get(mergeId) as Row), restored, laterReturned, laterKept });
}

function undoChange(db: SqliteDatabase, c: Row, keep: MemberId, gone: MemberId): number {
  const table = String(c['tableName']);
  const key = table === 'LinkCode' ? 'code' : 'id';
  const rowKey = table === 'LinkCode' ? String(c['rowKey']) : Number(c['rowKey']);
  switch (String(c['action'])) {
    case 'moved': {
      const column = String(c['column']);
      return db.prepare(`UPDATE OR IGNORE ${q(table)} SET ${q(column)} = ? WHERE ${q(key)} = ? AND ${q(column)} = ?`).run(gone, rowKey, keep).changes;
    }
    case 'updated': {
      const before = JSON.parse(String(c['before'])) as Row;
      const cols = Object.keys(before);
      return db
        .prepare(`UPDATE OR IGNORE ${q(table)} SET ${cols.map((k) => `${q(k)} = ?`).join(', ')} WHERE ${q(key)} = ?`)
        .run(...cols.map((k) => before[k]), rowKey).changes;
    }
    default: {
      const before = JSON.parse(String(c['before'])) as Row;
      const cols = Object.keys(before);
      try {
        return db
          .prepare(`INSERT OR IGNORE INTO ${q(table)} (${cols.map(q).join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`)
          .run(...cols.map((k) => before[k])).changes;
      } catch {
        // What it pointed at is gone since (a deleted problem): nothing to put back.
        return 0;
      }
    }
  }
}

function returnLaterIntroductions(db: SqliteDatabase, keep: MemberId, gone: MemberId, since: number, platforms: readonly Platform[]): number {
  let n = 0;
  for (const platform of platforms) {
    const rows = db
      .prepare('SELECT * FROM "Introduction" WHERE ("memberAId" = ? OR "memberBId" = ?) AND "id" > ? AND "platform" = ?')
      .all(keep, keep, since, platform) as Row[];
    for (const row of rows) {
      const swap = (m: unknown) => (Number(m) === keep ? gone : Number(m));
      const [a, b] = [swap(row['memberAId']), swap(row['memberBId'])].sort((x, y) => x - y);
      n += db.prepare('UPDATE OR IGNORE "Introduction" SET "memberAId" = ?, "memberBId" = ? WHERE "id" = ?').run(a, b, row['id']).changes;
    }
  }
  return n;
}

/** Rows recorded since the merge that still belong to the kept member after the split. */
function countLaterKept(db: SqliteDatabase, keep: MemberId, watermarks: Record<string, number>): number {
  let n = 0;
  for (const [table, column] of LATER) {
    n += Number(
      db
        .prepare(`SELECT count(*) FROM ${q(table)} WHERE ${q(column)} = ? AND "id" > ?`)
        .pluck()
        .get(keep, watermarks[table] ?? 0),
    );
  }
  return n;
}

export function memberMergeRepository(ctx: StoreContext): MemberMergeRepository {
  const { db } = ctx;
  const all = () => (db.prepare('SELECT * FROM "MemberMerge" ORDER BY "id"').all() as Row[]).map(toRecord);
  return {
    merge: (keep, gone, meta) =>
      ctx.write(() => {
        const outcome = db.transaction(() => mergeMembersSync(db, keep, gone, meta))();
        if (outcome.ok) ctx.logger.info({ mergeId: outcome.value.merge.id, keptMemberId: keep, mergedMemberId: gone, by: meta.by }, 'members merged');
        return outcome;
      }),
    split: (mergeId, meta) =>
      ctx.write(() => {
        const outcome = db.transaction(() => splitSync(db, mergeId, meta))();
        if (outcome.ok) ctx.logger.info({ mergeId, restoredMemberId: outcome.value.merge.mergedMemberId, by: meta.by }, 'merge split');
        return outcome;
      }),
    get: async (mergeId) => {
      const r = db.prepare('SELECT * FROM "MemberMerge" WHERE "id" = ?').get(mergeId) as Row | undefined;
      return r ? toRecord(r) : null;
    },
    list: async () => all(),
  };
}
