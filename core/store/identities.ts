// Reads about accounts across members, for matching and linking them: every account with its
// member, how active each member is (to offer a link on the platform used most), the e-mail
// hashes, and who authored documents now (to bring the engine in line after a merge or split).
import { documentId, memberId, type DocumentId, type MemberId, type Platform } from '../types.js';
import { asPlatform, type StoreContext } from './context.js';
import { fromDbDateOrNull, toDbDate, type SqliteDatabase } from './sqlite.js';
import type { IdentityRef } from './types.js';

export interface AccountRow extends IdentityRef {
  memberId: MemberId;
  /** The account's own name, else its member's. */
  name: string;
  optedOut: boolean;
  leftAt: Date | null;
  emailHash: string | null;
}

export interface IdentityQueries {
  /** Every account with its member, in member then account order. */
  accounts(): Promise<AccountRow[]>;
  /** Per member: messages written (not deleted) plus interactions begun. */
  activity(): Promise<Map<MemberId, number>>;
  /** Stores the hash of an account's e-mail (null: none given) and when it was asked. */
  setEmailHash(account: IdentityRef, emailHash: string | null, checkedAt: Date): Promise<void>;
  /** Accounts on the platform whose e-mail was never asked, oldest first. */
  withoutEmailCheck(platform: Platform, limit: number): Promise<IdentityRef[]>;
  /** Forgets every stored e-mail hash (e-mail matching switched off). */
  clearEmailHashes(): Promise<number>;
  /** The current author of each document (null when it has none). */
  documentAuthors(ids: readonly DocumentId[]): Promise<Map<DocumentId, MemberId | null>>;
}

type Raw = unknown[];

/** Every account with its member (shared with the dashboard's read layer). */
export function readAccounts(db: SqliteDatabase): AccountRow[] {
  return (
    db
      .prepare(
        `SELECT i."memberId", i."platform", i."externalId", coalesce(i."displayName", m."displayName"),
      m."optedOut", m."leftAt", i."emailHash"
      FROM "Identity" i JOIN "Member" m ON m."id" = i."memberId" ORDER BY i."memberId", i."id"`,
      )
      .raw()
      .all() as Raw[]
  ).map((r) => ({
    memberId: memberId(Number(r[0])),
    platform: asPlatform(String(r[1])),
    externalId: String(r[2]),
    name: String(r[3]),
    optedOut: Number(r[4]) === 1,
    leftAt: fromDbDateOrNull(r[5]),
    emailHash: r[6] === null ? null : String(r[6]),
  }));
}

export function identityQueries(ctx: StoreContext): IdentityQueries {
  const { db } = ctx;
  const activitySql = db
    .prepare(
      `SELECT m, sum(n) FROM (
      SELECT "authorId" AS m, count(*) AS n FROM "Document" WHERE "authorId" IS NOT NULL AND "deletedAt" IS NULL GROUP BY "authorId"
      UNION ALL SELECT "fromMemberId", count(*) FROM "Interaction" GROUP BY "fromMemberId") AS counts GROUP BY m`,
    )
    .raw();
  return {
    accounts: async () => readAccounts(db),
    activity: async () => new Map((activitySql.all() as Raw[]).map((r) => [memberId(Number(r[0])), Number(r[1])])),
    setEmailHash: (account, emailHash, checkedAt) =>
      ctx.write(() => {
        db.prepare('UPDATE "Identity" SET "emailHash" = ?, "emailCheckedAt" = ? WHERE "platform" = ? AND "externalId" = ?').run(
          emailHash,
          toDbDate(checkedAt),
          account.platform,
          account.externalId,
        );
      }),
    withoutEmailCheck: async (platform, limit) =>
      (
        db
          .prepare(
            `SELECT "externalId" FROM "Identity" WHERE "platform" = ? AND "emailCheckedAt" IS NULL
        ORDER BY "id" LIMIT ?`,
          )
          .pluck()
          .all(platform, limit) as string[]
      ).map((externalId) => ({ platform, externalId })),
    clearEmailHashes: () =>
      ctx.write(
        () =>
          db.prepare('UPDATE "Identity" SET "emailHash" = NULL, "emailCheckedAt" = NULL WHERE "emailHash" IS NOT NULL OR "emailCheckedAt" IS NOT NULL').run()
            .changes,
      ),
    documentAuthors: async (ids) => {
      const out = new Map<DocumentId, MemberId | null>();
      const sql = db.prepare('SELECT "authorId" FROM "Document" WHERE "id" = ?').pluck();
      for (const id of ids) {
        const author = sql.get(id) as number | null | undefined;
        if (author !== undefined) out.set(documentId(id), author === null ? null : memberId(author));
      }
      return out;
    },
  };
}
