// Pairs of accounts on different platforms that may be one person, and what became of each:
// offered to the member, accepted, refused ("not me"), ignored, linked, or separated by an admin.
// A pair has one row whichever way round it is named, so it is offered once and a "not me" is
// never asked again.
import type { Platform } from '../types.js';
import { asOneOf, asPlatform, type StoreContext } from './context.js';
import { fromDbDateOrNull, toDbDate, type SqliteDatabase } from './sqlite.js';
import type { IdentityRef } from './types.js';

export const PAIR_STATUSES = ['offered', 'accepted', 'refused', 'ignored', 'linked', 'separated'] as const;
export type PairStatus = (typeof PAIR_STATUSES)[number];

export interface AccountPair {
  id: number;
  /** The pair in a fixed order (platform, then external id). */
  a: IdentityRef;
  b: IdentityRef;
  /** Why they look alike (e.g. same-name, username-from-name). */
  reasons: string[];
  status: PairStatus;
  /** The account the offer went to; null when the pair was never offered. */
  recipient: IdentityRef | null;
  offeredAt: Date | null;
  /** The offer message as its platform knows it. */
  messageId: string | null;
  decidedAt: Date | null;
  decidedBy: string | null;
}

export interface OfferInput {
  a: IdentityRef;
  b: IdentityRef;
  reasons: readonly string[];
  recipient: IdentityRef;
  at: Date;
}

export interface AccountPairRepository {
  /** Records the offer of a pair never recorded before; null when the pair has a record already. */
  offer(input: OfferInput): Promise<AccountPair | null>;
  get(x: IdentityRef, y: IdentityRef): Promise<AccountPair | null>;
  list(): Promise<AccountPair[]>;
  /** The latest offer to this account still waiting for its answer (status offered). */
  openOfferTo(account: IdentityRef): Promise<AccountPair | null>;
  /** Offers to this account that are offered or accepted and not older than `since`. */
  pendingFor(account: IdentityRef, since: Date): Promise<AccountPair[]>;
  findByMessage(platform: Platform, messageId: string): Promise<AccountPair | null>;
  setMessage(id: number, messageId: string): Promise<void>;
  /** The member's answer to an open offer (a refusal also after a yes); null when it changes nothing (a replay). */
  answer(id: number, status: 'accepted' | 'refused', at: Date): Promise<AccountPair | null>;
  /** Offers nobody answered since `before` become ignored; returns how many. */
  expire(before: Date, at: Date): Promise<number>;
  /** A decision about a pair whether or not it was offered: linked, separated (an admin split) or refused. */
  decide(
    x: IdentityRef,
    y: IdentityRef,
    decision: { status: 'linked' | 'separated' | 'refused'; by: string; at: Date; reasons?: readonly string[] },
  ): Promise<void>;
}

/** The pair in its stored order. */
export function orderPair(x: IdentityRef, y: IdentityRef): [IdentityRef, IdentityRef] {
  const key = (i: IdentityRef) => `${i.platform}\u0000${i.externalId}`;
  return key(x) <= key(y) ? [x, y] : [y, x];
}

const COLUMNS = `"id", "aPlatform", "aExternalId", "bPlatform", "bExternalId", "reasons", "status", "recipientPlatform",
  "recipientExternalId", "offeredAt", "messageId", "decidedAt", "decidedBy"`;
type Raw = unknown[];

function toPair(r: Raw): AccountPair {
  const s = (i: number) => (r[i] === null ? null : String(r[i]));
  return {
    id: Number(r[0]),
    a: { platform: asPlatform(String(r[1])), externalId: String(r[2]) },
    b: { platform: asPlatform(String(r[3])), externalId: String(r[4]) },
    reasons: String(r[5]).split(',').filter(Boolean),
    status: asOneOf(PAIR_STATUSES, String(r[6]), 'account pair status'),
    recipient: r[7] === null ? null : { platform: asPlatform(String(r[7])), externalId: String(r[8]) },
    offeredAt: fromDbDateOrNull(r[9]),
    messageId: s(10),
    decidedAt: fromDbDateOrNull(r[11]),
    decidedBy: s(12),
  };
}

/**
 * Records a decision about a pair on the bulk connection, inside the caller's transaction (a
 * merge or a split decides its pairs in the same transaction as its rows).
 */
export function recordPairDecision(
  db: SqliteDatabase,
  x: IdentityRef,
  y: IdentityRef,
  d: { status: PairStatus; by: string; at: Date; reasons?: readonly string[] },
): void {
  const [a, b] = orderPair(x, y);
  db.prepare(
    `INSERT INTO "AccountPair" ("aPlatform", "aExternalId", "bPlatform", "bExternalId", "reasons", "status", "decidedAt", "decidedBy", "createdAt")
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT ("aPlatform", "aExternalId", "bPlatform", "bExternalId")
      DO UPDATE SET "status" = excluded."status", "decidedAt" = excluded."decidedAt", "decidedBy" = excluded."decidedBy"`,
  ).run(a.platform, a.externalId, b.platform, b.externalId, (d.reasons ?? []).join(','), d.status, toDbDate(d.at), d.by, toDbDate(d.at));
}

/** Every recorded pair (shared with the dashboard's read layer). */
export const readPairs = (db: SqliteDatabase): AccountPair[] =>
  (db.prepare(`SELECT ${COLUMNS} FROM "AccountPair" ORDER BY "id"`).raw().all() as Raw[]).map(toPair);

export function accountPairRepository(ctx: StoreContext): AccountPairRepository {
  const { db } = ctx;
  const byPair = db.prepare(`SELECT ${COLUMNS} FROM "AccountPair" WHERE "aPlatform" = ? AND "aExternalId" = ? AND "bPlatform" = ? AND "bExternalId" = ?`).raw();
  const byId = db.prepare(`SELECT ${COLUMNS} FROM "AccountPair" WHERE "id" = ?`).raw();
  const get = (x: IdentityRef, y: IdentityRef): AccountPair | null => {
    const [a, b] = orderPair(x, y);
    const r = byPair.get(a.platform, a.externalId, b.platform, b.externalId) as Raw | undefined;
    return r ? toPair(r) : null;
  };
  const must = (id: number): AccountPair => toPair(byId.get(id) as Raw);

  return {
    offer: (input) =>
      ctx.write(() => {
        const [a, b] = orderPair(input.a, input.b);
        const at = toDbDate(input.at);
        const { changes, lastInsertRowid } = db
          .prepare(
            `INSERT OR IGNORE INTO "AccountPair"
          ("aPlatform", "aExternalId", "bPlatform", "bExternalId", "reasons", "status", "recipientPlatform", "recipientExternalId", "offeredAt", "createdAt")
          VALUES (?, ?, ?, ?, ?, 'offered', ?, ?, ?, ?)`,
          )
          .run(a.platform, a.externalId, b.platform, b.externalId, input.reasons.join(','), input.recipient.platform, input.recipient.externalId, at, at);
        return changes === 0 ? null : must(Number(lastInsertRowid));
      }),

    get: async (x, y) => get(x, y),

    list: async () => readPairs(db),

    openOfferTo: async (account) => {
      const r = db
        .prepare(
          `SELECT ${COLUMNS} FROM "AccountPair" WHERE "recipientPlatform" = ? AND "recipientExternalId" = ? AND "status" = 'offered'
          ORDER BY "offeredAt" DESC, "id" DESC LIMIT 1`,
        )
        .raw()
        .get(account.platform, account.externalId) as Raw | undefined;
      return r ? toPair(r) : null;
    },

    pendingFor: async (account, since) =>
      (
        db
          .prepare(
            `SELECT ${COLUMNS} FROM "AccountPair"
        WHERE "recipientPlatform" = ? AND "recipientExternalId" = ? AND "status" IN ('offered', 'accepted') AND "offeredAt" >= ?`,
          )
          .raw()
          .all(account.platform, account.externalId, toDbDate(since)) as Raw[]
      ).map(toPair),

    findByMessage: async (platform, messageId) => {
      const r = db.prepare(`SELECT ${COLUMNS} FROM "AccountPair" WHERE "messageId" = ? AND "recipientPlatform" = ?`).raw().get(messageId, platform) as
        Raw | undefined;
      return r ? toPair(r) : null;
    },

    setMessage: (id, messageId) =>
      ctx.write(() => {
        db.prepare('UPDATE "AccountPair" SET "messageId" = ? WHERE "id" = ?').run(messageId, id);
      }),

    answer: (id, status, at) =>
      ctx.write(() => {
        // Only an offer still waiting changes: answering twice (a replay, a second tap) keeps the first answer.
        // A member who said yes may still say "not me" before the link is made.
        const from = status === 'accepted' ? "('offered')" : "('offered', 'accepted')";
        const { changes } = db
          .prepare(
            `UPDATE "AccountPair" SET "status" = ?, "decidedAt" = ?, "decidedBy" = 'member'
          WHERE "id" = ? AND "status" IN ${from}`,
          )
          .run(status, toDbDate(at), id);
        return changes === 0 ? null : must(id);
      }),

    expire: (before, at) =>
      ctx.write(
        () =>
          db
            .prepare(
              `UPDATE "AccountPair" SET "status" = 'ignored', "decidedAt" = ?
        WHERE "status" = 'offered' AND "offeredAt" < ?`,
            )
            .run(toDbDate(at), toDbDate(before)).changes,
      ),

    decide: (x, y, d) => ctx.write(() => recordPairDecision(db, x, y, d)),
  };
}
