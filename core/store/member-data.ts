// Members' data rights: everything Co-Agent holds about one member (export), and erasing it
// (forget-me). Erasure keeps the anonymous facts the metrics count (problems and their states,
// invitations, interactions, feedback) on the member's row, renamed and without identities, and
// removes every text and identifier: their documents, the texts of their problems and answers,
// their identities, link codes, account pairs and merge journal, the raw platform events and
// outbox payloads that name them, and any other text mentioning their names, ids or what they
// wrote (e.g. a reply's quote, a transition's cause). Embeddings go by content hash (the caller
// computes them the way the embedder does).
import type { MemberId } from '../types.js';
import { documentId, memberId, type DocumentId } from '../types.js';
import type { StoreContext } from './context.js';

/** What an erased member's row is called from then on. */
export const ERASED_MEMBER_NAME = 'erased member';
/** What replaces a name, id or text of the member inside someone else's text. */
export const ERASED_MARK = '[erased]';

export interface MemberDataExport {
  member: Record<string, unknown>;
  identities: Record<string, unknown>[];
  documents: Record<string, unknown>[];
  problems: Record<string, unknown>[];
  responses: Record<string, unknown>[];
  invitations: Record<string, unknown>[];
  feedbackGiven: Record<string, unknown>[];
  feedbackReceived: number;
  interactions: { from: number; to: number };
  introductions: Record<string, unknown>[];
  linkCodes: Record<string, unknown>[];
  accountPairs: Record<string, unknown>[];
  pendingRelays: Record<string, unknown>[];
}

export interface ErasureInput {
  member: MemberId;
  /** Embedding cache keys of the member's texts. */
  embeddingHashes: readonly string[];
}

export interface ErasureResult {
  documents: DocumentId[];
  /** Rows changed or removed, by table (for the admin's output). */
  rows: Record<string, number>;
}

export interface MemberDataRepository {
  /** null when there is no such member. */
  export(member: MemberId): Promise<MemberDataExport | null>;
  erase(input: ErasureInput): Promise<ErasureResult>;
  /** Members erased so far (the service drops their documents from the engine's memory). */
  erasedMembers(): Promise<MemberId[]>;
}

/** Shorter strings would match unrelated text ("al" in "also"). */
const MIN_NEEDLE = 3;
/** Rows whose raw platform JSON names the member are removed, not edited. */
const DROP_TABLES = new Set(['InboxEvent', 'OutboxAction']);
const SKIP_TABLES = new Set(['_prisma_migrations', 'Embedding', 'GeneratedSecret', 'DashboardSession']);

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function memberDataRepository(ctx: StoreContext): MemberDataRepository {
  const { db } = ctx;
  const all = (sql: string, ...args: unknown[]) => db.prepare(sql).all(...args) as Record<string, unknown>[];

  function exportOf(id: MemberId): MemberDataExport | null {
    const [member] = all('SELECT * FROM Member WHERE id = ?', id);
    if (!member) return null;
    const identities = all('SELECT platform, externalId, displayName, emailHash, createdAt FROM Identity WHERE memberId = ?', id);
    const pairWhere = identities.map(() => '(aPlatform = ? AND aExternalId = ?) OR (bPlatform = ? AND bExternalId = ?)').join(' OR ');
    return {
      member,
      identities,
      documents: all('SELECT id, platform, externalId, kind, title, text, url, createdAt, deletedAt FROM Document WHERE authorId = ? ORDER BY id', id),
      problems: all('SELECT id, platform, text, status, createdAt FROM Problem WHERE originatorId = ? ORDER BY id', id),
      responses: all('SELECT id, problemId, platform, text, createdAt FROM Response WHERE memberId = ? ORDER BY id', id),
      invitations: all('SELECT problemId, reason, status, createdAt FROM Invitation WHERE memberId = ? ORDER BY id', id),
      feedbackGiven: all('SELECT problemId, kind, createdAt FROM Feedback WHERE fromMemberId = ? ORDER BY id', id),
      feedbackReceived: all('SELECT COUNT(*) AS n FROM Feedback WHERE toMemberId = ?', id)[0]!['n'] as number,
      interactions: {
        from: all('SELECT COUNT(*) AS n FROM Interaction WHERE fromMemberId = ?', id)[0]!['n'] as number,
        to: all('SELECT COUNT(*) AS n FROM Interaction WHERE toMemberId = ?', id)[0]!['n'] as number,
      },
      introductions: all('SELECT id, memberAId, memberBId, reason, platform FROM Introduction WHERE memberAId = ? OR memberBId = ? ORDER BY id', id, id),
      linkCodes: all('SELECT platform, externalId, createdAt FROM LinkCode WHERE memberId = ?', id),
      accountPairs:
        identities.length === 0
          ? []
          : all(
              `SELECT aPlatform, aExternalId, bPlatform, bExternalId, status FROM AccountPair WHERE ${pairWhere}`,
              ...identities.flatMap((i) => [i['platform'], i['externalId'], i['platform'], i['externalId']]),
            ),
      pendingRelays: all('SELECT platform, problemId, text FROM PendingRelay WHERE memberId = ?', id),
    };
  }

  /** Every TEXT column of every table that may hold a person's words or names. */
  function textColumns(): { table: string; columns: string[] }[] {
    if (ctx.dialect === 'postgresql') {
      const byTable = new Map<string, string[]>();
      for (const r of all(`SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = current_schema() AND data_type = 'text' ORDER BY table_name, ordinal_position`)) {
        const table = String(r['table_name']);
        if (!SKIP_TABLES.has(table) && table !== '_prisma_migrations') byTable.set(table, [...(byTable.get(table) ?? []), String(r['column_name'])]);
      }
      return [...byTable].map(([table, columns]) => ({ table, columns }));
    }
    const tables = all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").map((r) => String(r['name']));
    return tables
      .filter((t) => !SKIP_TABLES.has(t))
      .map((table) => ({
        table,
        columns: all(`PRAGMA table_info("${table}")`)
          .filter((c) => String(c['type']).toUpperCase() === 'TEXT')
          .map((c) => String(c['name'])),
      }))
      .filter((t) => t.columns.length > 0);
  }

  const erase = db.transaction((input: ErasureInput): ErasureResult => {
    const id = input.member;
    const rows: Record<string, number> = {};
    const count = (table: string, n: number) => {
      if (n > 0) rows[table] = (rows[table] ?? 0) + n;
    };
    const data = exportOf(id);
    if (!data) return { documents: [], rows };

    // What identifies them: names, ids (and a Matrix id's localpart), and what they wrote.
    const needles = new Set<string>();
    const add = (s: unknown) => {
      if (typeof s === 'string' && s.trim().length >= MIN_NEEDLE && s !== ERASED_MEMBER_NAME) needles.add(s.trim());
    };
    add(data.member['displayName']);
    add(data.member['interests']);
    for (const i of data.identities) {
      add(i['externalId']);
      add(i['displayName']);
      const localpart = /^@([^:]+):/.exec(String(i['externalId']))?.[1];
      add(localpart);
    }
    for (const d of data.documents) {
      add(d['text']);
      add(d['title']);
    }
    for (const p of data.problems) add(p['text']);
    for (const r of data.responses) add(r['text']);
    for (const r of data.pendingRelays) add(r['text']);

    const documents = data.documents.map((d) => documentId(Number(d['id'])));
    count('Document', db.prepare('DELETE FROM Document WHERE authorId = ?').run(id).changes);
    count('Problem', db.prepare("UPDATE Problem SET text = '' WHERE originatorId = ?").run(id).changes);
    count('Response', db.prepare("UPDATE Response SET text = '' WHERE memberId = ?").run(id).changes);
    count('PendingRelay', db.prepare('DELETE FROM PendingRelay WHERE memberId = ?').run(id).changes);
    count('LinkCode', db.prepare('DELETE FROM LinkCode WHERE memberId = ?').run(id).changes);
    for (const i of data.identities) {
      count(
        'AccountPair',
        db
          .prepare(
            'DELETE FROM AccountPair WHERE (aPlatform = ? AND aExternalId = ?) OR (bPlatform = ? AND bExternalId = ?) OR (recipientPlatform = ? AND recipientExternalId = ?)',
          )
          .run(i['platform'], i['externalId'], i['platform'], i['externalId'], i['platform'], i['externalId']).changes,
      );
    }
    count('Identity', db.prepare('DELETE FROM Identity WHERE memberId = ?').run(id).changes);
    count('MemberMerge', db.prepare('DELETE FROM MemberMerge WHERE keptMemberId = ? OR mergedMemberId = ?').run(id, id).changes);
    db.prepare('UPDATE Member SET displayName = ?, interests = NULL, timeZone = NULL, quietHours = NULL, optedOut = 1, recognitionDigest = 0 WHERE id = ?').run(
      ERASED_MEMBER_NAME,
      id,
    );
    for (const hash of input.embeddingHashes) count('Embedding', db.prepare('DELETE FROM Embedding WHERE contentHash = ?').run(hash).changes);

    // Then every other mention, longest needles first (a text before a name inside it), as whole
    // words: "Ana" must not erase "analysis". Raw platform JSON that names them is removed.
    const ordered = [...needles].sort((a, b) => b.length - a.length);
    for (const { table, columns } of textColumns()) {
      for (const needle of ordered) {
        const where = columns.map((c) => `"${c}" LIKE ? ESCAPE '\\'`).join(' OR ');
        const like = `%${needle.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
        const word = `(?<![\\p{L}\\p{N}_])${escapeRegExp(needle)}(?![\\p{L}\\p{N}_])`;
        const test = new RegExp(word, 'iu');
        const replace = new RegExp(word, 'giu');
        for (const row of all(
          `SELECT rowid AS _rowid, ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" WHERE ${where}`,
          ...columns.map(() => like),
        )) {
          const hits = columns.filter((c) => typeof row[c] === 'string' && test.test(row[c] as string));
          if (hits.length === 0) continue;
          if (DROP_TABLES.has(table)) {
            db.prepare(`DELETE FROM "${table}" WHERE rowid = ?`).run(row['_rowid']);
          } else {
            db.prepare(`UPDATE "${table}" SET ${hits.map((c) => `"${c}" = ?`).join(', ')} WHERE rowid = ?`).run(
              ...hits.map((c) => (row[c] as string).replace(replace, ERASED_MARK)),
              row['_rowid'],
            );
          }
          count(table, 1);
        }
      }
    }
    return { documents, rows };
  });

  return {
    export: async (id) => exportOf(id),
    erase: (input) =>
      ctx.write(() => {
        const result = erase(input);
        // Older page images in the WAL still hold what was erased: fold them into the file and reset it.
        db.pragma('wal_checkpoint(TRUNCATE)');
        return result;
      }),
    erasedMembers: async () =>
      all('SELECT m.id FROM Member m WHERE m.displayName = ? AND NOT EXISTS (SELECT 1 FROM Identity i WHERE i.memberId = m.id)', ERASED_MEMBER_NAME).map((r) =>
        memberId(Number(r['id'])),
      ),
  };
}
