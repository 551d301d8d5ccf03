// Embedding cache: each text is embedded once per model, keyed by the hash of its content.
// Bulk path on better-sqlite3: through Prisma's adapter 100k 512-d vectors took ~45 s to write
// and ~25 s to read (every BLOB becomes a JS array of numbers); here ~4 s and ~2.5 s on a
// 2-core VM, mostly disk.
import { endianness } from 'node:os';
import type { StoreContext } from './context.js';
import { chunks, toDbDate, yieldToEventLoop } from './sqlite.js';

export interface EmbeddingRepository {
  /** Cached vectors of the given content hashes; hashes with no vector are absent. */
  get(modelId: string, hashes: readonly string[]): Promise<Map<string, Float32Array>>;
  /** Stores vectors (little-endian float32), replacing any with the same model and hash. */
  put(modelId: string, entries: Iterable<readonly [hash: string, vector: Float32Array]>): Promise<number>;
  /** How many vectors are cached for a model. */
  count(modelId: string): Promise<number>;
}

// SQLite allows 32766 bound parameters; 500 hashes per IN list keeps statements small.
const READ_CHUNK = 500;
// Rows per write transaction: one fsync per batch, and the event loop gets a turn in between.
const WRITE_BATCH = 5000;
const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** Float32Array -> little-endian bytes, bit for bit (NaN payloads and -0 included). */
export function encodeVector(vector: Float32Array): Buffer {
  if (LITTLE_ENDIAN_HOST) return Buffer.from(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.byteLength));
  const bytes = Buffer.alloc(vector.length * 4);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  vector.forEach((value, i) => view.setFloat32(i * 4, value, true));
  return bytes;
}

/** Little-endian bytes -> a fresh, aligned Float32Array. */
export function decodeVector(bytes: Uint8Array, dims: number): Float32Array {
  if (bytes.byteLength !== dims * 4) {
    throw new Error(`stored vector has ${bytes.byteLength} bytes, expected ${dims} float32 values`);
  }
  const vector = new Float32Array(dims);
  if (LITTLE_ENDIAN_HOST) {
    // Copy: the driver's buffer may not be 4-byte aligned and may be reused.
    new Uint8Array(vector.buffer).set(bytes);
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < dims; i++) vector[i] = view.getFloat32(i * 4, true);
  }
  return vector;
}

export function embeddingRepository(ctx: StoreContext): EmbeddingRepository {
  const { db } = ctx;
  const upsert = db.prepare(
    `INSERT INTO "Embedding" ("modelId", "contentHash", "dims", "vector", "createdAt") VALUES (?, ?, ?, ?, ?)
     ON CONFLICT ("modelId", "contentHash") DO UPDATE SET "dims" = excluded."dims", "vector" = excluded."vector"`,
  );
  // PostgreSQL: one statement per batch (arrays unnested into rows), not a round trip per row.
  const upsertMany =
    ctx.dialect === 'postgresql'
      ? db.prepare(
          `INSERT INTO "Embedding" ("modelId", "contentHash", "dims", "vector", "createdAt")
     SELECT ?, h, d, v, ?::timestamp FROM unnest(?::text[], ?::integer[], ?::bytea[]) AS t(h, d, v)
     ON CONFLICT ("modelId", "contentHash") DO UPDATE SET "dims" = excluded."dims", "vector" = excluded."vector"`,
        )
      : undefined;
  const writeBatch = db.transaction((modelId: string, batch: readonly (readonly [string, Float32Array])[], now: string) => {
    if (upsertMany) {
      upsertMany.run(
        modelId,
        now,
        batch.map(([hash]) => hash),
        batch.map(([, v]) => v.length),
        batch.map(([, v]) => encodeVector(v)),
      );
      return;
    }
    for (const [hash, vector] of batch) upsert.run(modelId, hash, vector.length, encodeVector(vector), now);
  });
  const selectCount = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM "Embedding" WHERE "modelId" = ?');

  // One prepared statement per IN-list length; at most two lengths occur per call.
  const selects = new Map<number, ReturnType<typeof prepareSelect>>();
  function prepareSelect(size: number) {
    return db.prepare<string[], { contentHash: string; dims: number; vector: Buffer }>(
      `SELECT "contentHash", "dims", "vector" FROM "Embedding"
       WHERE "modelId" = ? AND "contentHash" IN (${Array.from({ length: size }, () => '?').join(', ')})`,
    );
  }
  function selectFor(size: number) {
    let statement = selects.get(size);
    if (!statement) {
      statement = prepareSelect(size);
      if (selects.size < 8) selects.set(size, statement);
    }
    return statement;
  }

  return {
    get: async (modelId, hashes) => {
      const found = new Map<string, Float32Array>();
      const unique = [...new Set(hashes)];
      let sinceYield = 0;
      for (const chunk of chunks(unique, READ_CHUNK)) {
        for (const row of selectFor(chunk.length).iterate(modelId, ...chunk)) {
          found.set(row.contentHash, decodeVector(row.vector, row.dims));
        }
        sinceYield += chunk.length;
        if (sinceYield >= 10_000) {
          sinceYield = 0;
          await yieldToEventLoop();
        }
      }
      return found;
    },

    put: (modelId, entries) =>
      ctx.write(async () => {
        const all = [...entries];
        const now = toDbDate(new Date());
        let first = true;
        // Each batch commits on its own: a cache needs no all-or-nothing, and a 100k-row call
        // must not hold the event loop for its whole duration.
        for (const batch of chunks(all, WRITE_BATCH)) {
          if (!first) await yieldToEventLoop();
          first = false;
          writeBatch(modelId, batch, now);
        }
        return all.length;
      }),

    count: async (modelId) => selectCount.get(modelId)?.n ?? 0,
  };
}
