// An embedding cache in plain files, for scripts (eval, bench, imports) that run without the
// database: one append-only binary file per model under a directory such as .cache/embeddings.
//
// Layout (little-endian): header "COAVEC01", u32 dims, u32 byte length of the model id, the
// model id (UTF-8), zero padding to a multiple of 4; then fixed-size records: 32-byte SHA-256,
// dims float32, u32 CRC-32 of the hash and vector. Fixed records load with one read and no
// parsing (100k vectors of 512 dims: one 208 MB read, vectors are views into it). Appends are
// one write per put(); a crash can only leave a torn last record, which the CRC or the length
// check drops and the next put() cuts off before appending. One writing process at a time.
import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { endianness } from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { EmbeddingCache, EmbeddingCacheEntry } from './cache.js';

const MAGIC = 'COAVEC01';
const HASH_BYTES = 32;
const HEX_HASH = /^[0-9a-f]{64}$/;

interface ModelFile {
  file: string;
  dims: number;
  headerBytes: number;
  vectors: Map<string, Float32Array>;
  /** File bytes that hold the header and whole records; anything after is a torn write. */
  validBytes: number;
  fileBytes: number;
  /** Records whose checksum failed while loading. */
  corrupt: number;
}

function recordBytes(dims: number): number {
  return HASH_BYTES + dims * 4 + 4;
}

function header(modelId: string, dims: number): Buffer {
  const id = Buffer.from(modelId, 'utf8');
  const size = Math.ceil((16 + id.length) / 4) * 4;
  const buf = Buffer.alloc(size);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(dims, 8);
  buf.writeUInt32LE(id.length, 12);
  id.copy(buf, 16);
  return buf;
}

export class FileEmbeddingCache implements EmbeddingCache {
  private readonly models = new Map<string, ModelFile>();

  /** `dir` is created on first write; e.g. path.join(projectRoot, '.cache/embeddings'). */
  constructor(readonly dir: string) {
    if (endianness() !== 'LE') throw new Error('FileEmbeddingCache stores little-endian floats; this host is big-endian');
  }

  /** The file holding `modelId`'s vectors. */
  fileFor(modelId: string): string {
    const slug = modelId.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
    const tag = createHash('sha256').update(modelId).digest('hex').slice(0, 12);
    return path.join(this.dir, `${slug}-${tag}.vec`);
  }

  /** Vectors stored for `modelId` (loads the file on first use), and how many records were corrupt. */
  stats(modelId: string): { vectors: number; corrupt: number; file: string } {
    const m = this.open(modelId);
    return { vectors: m.vectors.size, corrupt: m.corrupt, file: m.file };
  }

  /** Every vector stored for `modelId` (one per distinct text), in file order: for benchmarks. */
  all(modelId: string): Float32Array[] {
    return [...this.open(modelId).vectors.values()];
  }

  async get(modelId: string, hashes: readonly string[]): Promise<Map<string, Float32Array>> {
    const { vectors } = this.open(modelId);
    const found = new Map<string, Float32Array>();
    for (const h of hashes) {
      const v = vectors.get(h);
      if (v) found.set(h, v);
    }
    return found;
  }

  async put(modelId: string, entries: readonly EmbeddingCacheEntry[]): Promise<void> {
    const m = this.open(modelId);
    const fresh = new Map<string, Float32Array>();
    for (const { hash, vector } of entries) {
      if (!HEX_HASH.test(hash)) throw new Error(`FileEmbeddingCache keys are SHA-256 hex digests, got "${hash.slice(0, 80)}"`);
      if (!m.vectors.has(hash)) fresh.set(hash, vector);
    }
    if (fresh.size === 0) return;
    if (m.dims === 0) {
      m.dims = fresh.values().next().value!.length;
      const head = header(modelId, m.dims);
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(m.file, head);
      m.headerBytes = m.validBytes = m.fileBytes = head.length;
    }
    const size = recordBytes(m.dims);
    const out = Buffer.alloc(fresh.size * size);
    let off = 0;
    for (const [hash, vector] of fresh) {
      if (vector.length !== m.dims) throw new Error(`vector of ${vector.length} dims for a cache of ${m.dims} (${m.file})`);
      out.write(hash, off, 'hex');
      Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).copy(out, off + HASH_BYTES);
      out.writeUInt32LE(crc32(out.subarray(off, off + size - 4)), off + size - 4);
      off += size;
    }
    // Cut a torn record left by a crash, so the new records stay aligned.
    if (m.fileBytes > m.validBytes) truncateSync(m.file, m.validBytes);
    appendFileSync(m.file, out);
    m.validBytes = m.fileBytes = m.validBytes + out.length;
    for (const [hash, vector] of fresh) m.vectors.set(hash, vector.slice());
  }

  private open(modelId: string): ModelFile {
    let m = this.models.get(modelId);
    if (m) return m;
    const file = this.fileFor(modelId);
    m = { file, dims: 0, headerBytes: 0, vectors: new Map(), validBytes: 0, fileBytes: 0, corrupt: 0 };
    let buf: Buffer | undefined;
    try {
      buf = readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (buf) load(buf, modelId, m);
    this.models.set(modelId, m);
    return m;
  }
}

/** Reads a cache file into `m`; a file too short for its header counts as empty (torn first write). */
function load(buf: Buffer, modelId: string, m: ModelFile): void {
  m.fileBytes = buf.length;
  if (buf.length < 16) return;
  if (buf.toString('latin1', 0, 8) !== MAGIC) throw new Error(`${m.file} is not an embedding cache file`);
  const dims = buf.readUInt32LE(8);
  const idLength = buf.readUInt32LE(12);
  const headerBytes = Math.ceil((16 + idLength) / 4) * 4;
  if (buf.length < headerBytes) return;
  const storedId = buf.toString('utf8', 16, 16 + idLength);
  if (storedId !== modelId) throw new Error(`${m.file} holds vectors of "${storedId}", not "${modelId}"`);
  m.dims = dims;
  m.headerBytes = headerBytes;
  const size = recordBytes(dims);
  const records = Math.floor((buf.length - headerBytes) / size);
  m.validBytes = headerBytes + records * size;
  // Float32Array views need 4-byte alignment; a large read is its own allocation, but be sure.
  const data = buf.byteOffset % 4 === 0 ? buf : Buffer.from(buf);
  for (let r = 0, off = headerBytes; r < records; r++, off += size) {
    if (crc32(data.subarray(off, off + size - 4)) !== data.readUInt32LE(off + size - 4)) {
      m.corrupt++;
      continue;
    }
    m.vectors.set(data.toString('hex', off, off + HASH_BYTES), new Float32Array(data.buffer, data.byteOffset + off + HASH_BYTES, dims));
  }
}
