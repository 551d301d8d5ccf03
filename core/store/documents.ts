// Community history (topics, posts, messages) and its tags. These are the bulk paths: a first
// sync ingests tens of thousands of documents and the engine loads them all at start-up, where
// Prisma's driver-adapter path measured ~0.6 ms per inserted row and ~6 s to list 50k rows. So
// this module uses prepared better-sqlite3 statements in batched transactions.
import { documentId, memberId, type DocumentId, type FoundContentHash, type KnowledgeDocument, type MemberId, type Platform } from '../types.js';
import { asDocumentKind, asPlatform, type StoreContext } from './context.js';
import { chunks, fromDbDate, fromDbDateOrNull, toDbDate, yieldToEventLoop } from './sqlite.js';
import type { DocumentInput, ScoredTag, StoredDocument, UpsertedDocument } from './types.js';

export interface DocumentRepository {
  /** Inserts or updates documents by (platform, externalId); see DocumentInput.tags. */
  upsertMany(documents: readonly DocumentInput[]): Promise<UpsertedDocument[]>;
  upsert(document: DocumentInput): Promise<UpsertedDocument>;
  /** Every document not marked deleted, with its people-given tags, for the engine. */
  listLive(): Promise<KnowledgeDocument[]>;
  /**
   * listLive, with each document's stored content hash (null when none is kept): the hash of
   * its cleaned text as the engine embedded it, read together with the text it belongs to.
   */
  listLiveWithHashes(): Promise<{ docs: KnowledgeDocument[]; contentHashes: (string | null)[] }>;
  /**
   * Keeps content hashes the engine found. Each is written only while the document still has
   * the title and text it was computed from (an edit meanwhile leaves it unset). Stops between
   * batches once `signal` aborts. Returns how many were written.
   */
  keepContentHashes(found: readonly FoundContentHash[], signal?: AbortSignal): Promise<number>;
  find(platform: Platform, externalId: string): Promise<StoredDocument | null>;
  /** Replaces the engine's suggested tags; tags people gave are kept and win over suggestions. */
  setSuggestedTags(id: DocumentId, tags: readonly ScoredTag[]): Promise<void>;
  /** Marks a document deleted on its platform; false when it is unknown. */
  markDeleted(platform: Platform, externalId: string, at?: Date): Promise<boolean>;
  /** Undoes markDeleted (a recovered post); false when it is unknown. */
  restore(platform: Platform, externalId: string): Promise<boolean>;
  /**
   * Forgets what a member wrote (they opted out): their live documents are marked deleted and
   * their text erased. Returns the ids, for the engine to drop.
   */
  eraseByAuthor(author: MemberId, at?: Date): Promise<DocumentId[]>;
}

interface DocumentRow {
  id: number;
  platform: string;
  externalId: string;
  threadId: string;
  containerId: string | null;
  replyToId: string | null;
  kind: string;
  title: string | null;
  text: string;
  url: string | null;
  authorId: number | null;
  score: number;
  accepted: number;
  contentHash: string | null;
  deletedAt: string | null;
  createdAt: string;
  ingestedAt: string;
}

interface TagRow {
  documentId: number;
  name: string;
  source: string;
  confidence: number;
}

// Documents per write transaction: large enough to be fast, small enough that one batch never
// holds the event loop for long.
const WRITE_BATCH = 1000;

function toKnowledge(row: DocumentRow, tags: readonly string[]): KnowledgeDocument {
  return {
    id: documentId(row.id),
    platform: asPlatform(row.platform),
    threadId: row.threadId,
    kind: asDocumentKind(row.kind),
    title: row.title ?? undefined,
    text: row.text,
    url: row.url ?? undefined,
    authorId: row.authorId === null ? undefined : memberId(row.authorId),
    createdAt: fromDbDate(row.createdAt),
    tags,
    accepted: row.accepted !== 0,
    score: row.score,
  };
}

export function documentRepository(ctx: StoreContext): DocumentRepository {
  const { db } = ctx;
  const findId = db.prepare<[string, string], { id: number }>('SELECT "id" FROM "Document" WHERE "platform" = ? AND "externalId" = ?');
  const insert = db.prepare<unknown[], { id: number }>(
    `INSERT INTO "Document" ("platform", "externalId", "threadId", "containerId", "replyToId", "kind", "title",
       "text", "url", "authorId", "score", "accepted", "contentHash", "createdAt", "ingestedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
  );
  // deletedAt and ingestedAt are left alone: a late edit must not revive a deleted post.
  const update = db.prepare(
    `UPDATE "Document" SET "threadId" = ?, "containerId" = ?, "replyToId" = ?, "kind" = ?, "title" = ?,
       "text" = ?, "url" = ?, "authorId" = ?, "score" = ?, "accepted" = ?, "contentHash" = ?, "createdAt" = ?
     WHERE "id" = ?`,
  );
  const insertTag = db.prepare('INSERT INTO "Tag" ("name", "createdAt") VALUES (?, ?) ON CONFLICT ("name") DO NOTHING');
  const findTag = db.prepare<[string], { id: number }>('SELECT "id" FROM "Tag" WHERE "name" = ?');
  const deleteTagsFrom = db.prepare('DELETE FROM "DocumentTag" WHERE "documentId" = ? AND "source" = ?');
  // A person's tag replaces the engine's suggestion of the same tag.
  const putPlatformTag = db.prepare(
    `INSERT INTO "DocumentTag" ("documentId", "tagId", "source", "confidence") VALUES (?, ?, 'platform', 1)
     ON CONFLICT ("documentId", "tagId") DO UPDATE SET "source" = 'platform', "confidence" = 1`,
  );
  // The hash goes with the text: it would still confirm a guess of what was written.
  const eraseAuthor = db.prepare(
    `UPDATE "Document" SET "deletedAt" = ?, "text" = '', "contentHash" = NULL WHERE "authorId" = ? AND "deletedAt" IS NULL RETURNING "id"`,
  );
  const putSuggestedTag = db.prepare(
    `INSERT INTO "DocumentTag" ("documentId", "tagId", "source", "confidence") VALUES (?, ?, 'engine', ?)
     ON CONFLICT ("documentId", "tagId") DO NOTHING`,
  );
  const setDeleted = db.prepare('UPDATE "Document" SET "deletedAt" = ? WHERE "platform" = ? AND "externalId" = ?');
  const selectOne = db.prepare<[string, string], DocumentRow>('SELECT * FROM "Document" WHERE "platform" = ? AND "externalId" = ?');
  const tagsOf = db.prepare<[number], TagRow>(
    `SELECT dt."documentId", t."name", dt."source", dt."confidence"
     FROM "DocumentTag" dt JOIN "Tag" t ON t."id" = dt."tagId" WHERE dt."documentId" = ? ORDER BY t."name"`,
  );
  const selectLive = db.prepare<[], DocumentRow>('SELECT * FROM "Document" WHERE "deletedAt" IS NULL ORDER BY "id"');
  const selectLiveTags = db.prepare<[], { documentId: number; name: string }>(
    `SELECT dt."documentId", t."name" FROM "DocumentTag" dt
       JOIN "Tag" t ON t."id" = dt."tagId"
       JOIN "Document" d ON d."id" = dt."documentId"
     WHERE d."deletedAt" IS NULL AND dt."source" = 'platform' ORDER BY dt."documentId", t."name"`,
  );

  const tagIdCache = new Map<string, number>();
  let cachedGeneration = ctx.tagGeneration.value;
  function tagId(rawName: string, now: string): number {
    const name = rawName.trim();
    if (cachedGeneration !== ctx.tagGeneration.value) {
      tagIdCache.clear();
      cachedGeneration = ctx.tagGeneration.value;
    }
    const cached = tagIdCache.get(name);
    if (cached !== undefined) return cached;
    insertTag.run(name, now);
    const row = findTag.get(name);
    if (!row) throw new Error(`tag ${name} vanished`);
    // Valid until a tag is renamed or merged away (tagGeneration).
    tagIdCache.set(name, row.id);
    return row.id;
  }

  const writeBatch = db.transaction((batch: readonly DocumentInput[], now: string): UpsertedDocument[] =>
    batch.map((doc) => {
      const fields = [
        doc.threadId,
        doc.containerId ?? null,
        doc.replyToId ?? null,
        doc.kind,
        doc.title ?? null,
        doc.text,
        doc.url ?? null,
        doc.authorId ?? null,
        doc.score ?? 0,
        doc.accepted ? 1 : 0,
        doc.contentHash ?? null,
        toDbDate(doc.createdAt),
      ];
      const existing = findId.get(doc.platform, doc.externalId);
      let id: number;
      if (existing) {
        id = existing.id;
        update.run(...fields, id);
      } else {
        const row = insert.get(doc.platform, doc.externalId, ...fields, now);
        if (!row) throw new Error('INSERT ... RETURNING gave no row');
        id = row.id;
      }
      if (doc.tags) {
        deleteTagsFrom.run(id, 'platform');
        for (const name of new Set(doc.tags.map((t) => t.trim()).filter((t) => t !== ''))) {
          putPlatformTag.run(id, tagId(name, now));
        }
      }
      return { id: documentId(id), externalId: doc.externalId, created: !existing };
    }),
  );

  // PostgreSQL: a batch is a few statements (arrays unnested into rows), not several round trips
  // per document. Same outcome as writeBatch: ids, created flags, platform tags replaced.
  const pg =
    ctx.dialect === 'postgresql'
      ? {
          upsert: db.prepare<unknown[], { id: number; created: number }>(
            `INSERT INTO "Document" ("platform", "externalId", "threadId", "containerId", "replyToId", "kind", "title",
         "text", "url", "authorId", "score", "accepted", "contentHash", "createdAt", "ingestedAt")
       SELECT u.*, ?::timestamp FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
         ?::text[], ?::text[], ?::integer[], ?::integer[], ?::boolean[], ?::text[], ?::timestamp[]) AS u
       ON CONFLICT ("platform", "externalId") DO UPDATE SET "threadId" = excluded."threadId", "containerId" = excluded."containerId",
         "replyToId" = excluded."replyToId", "kind" = excluded."kind", "title" = excluded."title", "text" = excluded."text",
         "url" = excluded."url", "authorId" = excluded."authorId", "score" = excluded."score", "accepted" = excluded."accepted",
         "contentHash" = excluded."contentHash", "createdAt" = excluded."createdAt"
       RETURNING "id", (xmax = 0) AS created`,
          ),
          deletePlatformTags: db.prepare(`DELETE FROM "DocumentTag" WHERE "documentId" = ANY(?::integer[]) AND "source" = 'platform'`),
          putPlatformTags: db.prepare(
            `INSERT INTO "DocumentTag" ("documentId", "tagId", "source", "confidence") SELECT d, t, 'platform', 1 FROM unnest(?::integer[], ?::integer[]) AS u(d, t)
       ON CONFLICT ("documentId", "tagId") DO UPDATE SET "source" = 'platform', "confidence" = 1`,
          ),
        }
      : undefined;

  const writeBatchPostgres = db.transaction((batch: readonly DocumentInput[], now: string): UpsertedDocument[] => {
    if (!pg) throw new Error('not on PostgreSQL');
    // A document twice in one batch: its last version is written (ON CONFLICT may touch a row
    // once per statement), and only its first mention can have created it.
    const last = new Map<string, DocumentInput>();
    for (const doc of batch) last.set(`${doc.platform}\u0000${doc.externalId}`, doc);
    const docs = [...last.values()];
    const column = <T>(f: (d: DocumentInput) => T) => docs.map(f);
    const rows = pg.upsert.all(
      now,
      column((d) => d.platform),
      column((d) => d.externalId),
      column((d) => d.threadId),
      column((d) => d.containerId ?? null),
      column((d) => d.replyToId ?? null),
      column((d) => d.kind),
      column((d) => d.title ?? null),
      column((d) => d.text),
      column((d) => d.url ?? null),
      column((d) => d.authorId ?? null),
      column((d) => d.score ?? 0),
      column((d) => Boolean(d.accepted)),
      column((d) => d.contentHash ?? null),
      column((d) => toDbDate(d.createdAt)),
    ) as { id: number; created: number }[];
    if (rows.length !== docs.length) throw new Error(`upserted ${rows.length} of ${docs.length} documents`);
    const written = new Map(docs.map((d, i) => [`${d.platform}\u0000${d.externalId}`, rows[i] as { id: number; created: number }]));
    // An occurrence without tags leaves them alone; one with tags replaces them: the last such wins.
    const lastTags = new Map<string, readonly string[]>();
    for (const doc of batch) if (doc.tags) lastTags.set(`${doc.platform}\u0000${doc.externalId}`, doc.tags);
    const tagged = [...lastTags].map(([key, tags]) => [tags, (written.get(key) as { id: number }).id] as const);
    if (tagged.length > 0) {
      pg.deletePlatformTags.run(tagged.map(([, id]) => id));
      const pairs = tagged.flatMap(([tags, id]) =>
        [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))].map((name) => [id, tagId(name, now)] as const),
      );
      if (pairs.length > 0)
        pg.putPlatformTags.run(
          pairs.map(([d]) => d),
          pairs.map(([, t]) => t),
        );
    }
    const seen = new Set<string>();
    return batch.map((doc) => {
      const key = `${doc.platform}\u0000${doc.externalId}`;
      const row = written.get(key) as { id: number; created: number };
      const created = !seen.has(key) && row.created === 1;
      seen.add(key);
      return { id: documentId(row.id), externalId: doc.externalId, created };
    });
  });

  const readLive = db.transaction((): { docs: KnowledgeDocument[]; contentHashes: (string | null)[] } => {
    const tags = new Map<number, string[]>();
    for (const row of selectLiveTags.iterate()) {
      const list = tags.get(row.documentId);
      if (list) list.push(row.name);
      else tags.set(row.documentId, [row.name]);
    }
    const docs: KnowledgeDocument[] = [];
    const contentHashes: (string | null)[] = [];
    for (const row of selectLive.iterate()) {
      docs.push(toKnowledge(row, tags.get(row.id) ?? []));
      contentHashes.push(row.contentHash);
    }
    return { docs, contentHashes };
  });
  // Only while the document is live and still has the title and text the hash was computed from.
  const setContentHash = db.prepare(
    `UPDATE "Document" SET "contentHash" = ?
     WHERE "id" = ? AND "deletedAt" IS NULL AND "text" = ? AND "title" IS NOT DISTINCT FROM ?`,
  );
  const keepHashBatch = db.transaction((batch: readonly FoundContentHash[]): number => {
    let kept = 0;
    for (const f of batch) kept += setContentHash.run(f.contentHash, f.id, f.text, f.title ?? null).changes;
    return kept;
  });

  const upsertMany = (documents: readonly DocumentInput[]) =>
    ctx.write(async () => {
      const out: UpsertedDocument[] = [];
      const now = toDbDate(new Date());
      for (const batch of chunks(documents, WRITE_BATCH)) {
        if (out.length > 0) await yieldToEventLoop();
        try {
          out.push(...(pg ? writeBatchPostgres(batch, now) : writeBatch(batch, now)));
        } catch (error) {
          // The failed batch rolled back, and with it maybe tags first created in it.
          tagIdCache.clear();
          throw error;
        }
      }
      return out;
    });

  return {
    upsertMany,
    upsert: async (document) => {
      const [result] = await upsertMany([document]);
      if (!result) throw new Error('upsert gave no result');
      return result;
    },

    // better-sqlite3 reads synchronously; one read transaction gives documents and tags from
    // the same snapshot even while the workflow writes.
    listLive: async () => readLive().docs,
    listLiveWithHashes: async () => readLive(),
    keepContentHashes: async (found, signal) => {
      let kept = 0;
      // A write turn per batch: a million of them must not hold other writers back meanwhile.
      for (const batch of chunks(found, WRITE_BATCH)) {
        if (signal?.aborted) break;
        kept += await ctx.write(() => keepHashBatch(batch));
      }
      return kept;
    },

    find: async (platform, externalId) => {
      const row = selectOne.get(platform, externalId);
      if (!row) return null;
      const tags = tagsOf.all(row.id);
      return {
        ...toKnowledge(
          row,
          tags.filter((t) => t.source === 'platform').map((t) => t.name),
        ),
        externalId: row.externalId,
        containerId: row.containerId,
        replyToId: row.replyToId,
        contentHash: row.contentHash,
        deletedAt: fromDbDateOrNull(row.deletedAt),
        ingestedAt: fromDbDate(row.ingestedAt),
        suggestedTags: tags.filter((t) => t.source !== 'platform').map((t) => ({ name: t.name, confidence: t.confidence })),
      };
    },

    setSuggestedTags: (id, tags) =>
      ctx.write(() => {
        const now = toDbDate(new Date());
        try {
          db.transaction(() => {
            deleteTagsFrom.run(id, 'engine');
            for (const tag of tags) {
              if (tag.name.trim() !== '') putSuggestedTag.run(id, tagId(tag.name, now), tag.confidence);
            }
          })();
        } catch (error) {
          tagIdCache.clear();
          throw error;
        }
      }),

    markDeleted: (platform, externalId, at = new Date()) => ctx.write(() => setDeleted.run(toDbDate(at), platform, externalId).changes > 0),
    restore: (platform, externalId) => ctx.write(() => setDeleted.run(null, platform, externalId).changes > 0),
    eraseByAuthor: (author, at = new Date()) => ctx.write(() => (eraseAuthor.all(toDbDate(at), author) as { id: number }[]).map((r) => documentId(r.id))),
  };
}
