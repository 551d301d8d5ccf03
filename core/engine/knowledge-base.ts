// The engine's in-memory view of community history: documents with their vectors, a BM25
// index, threads, and who contributed what. Built from the store at start-up (or replayed by
// the evaluation harness) and kept current as documents arrive.
import { Bm25Index } from '../search/bm25.js';
import type { Hit } from '../search/hit.js';
import { VectorIndex, type VectorPrecision } from '../search/vector-index.js';
import { tokenize } from '../text/tokenize.js';
import type { DocumentId, KnowledgeDocument, MemberId } from '../types.js';

/** A document as the engine holds it; its vector lives only in the vector index (see vectorOf). */
export interface IndexedDocument extends KnowledgeDocument {
  /** threadKey(), kept so hot filters do not rebuild the string. */
  thread: string;
  /** createdAt in epoch ms. */
  time: number;
  /** Opening post of its thread (question, topic, thread root, or a message with no thread). */
  isRoot: boolean;
}

/**
 * The document as held, built field by field: `{ ...doc, isRoot, thread, time }` made objects of
 * ~750 bytes (spread then extended) where a literal of the same fields takes ~300, which at 1M
 * documents was 450 MB more heap for every full collection to trace. Fields beyond
 * KnowledgeDocument's (a store row's extras) are not kept.
 */
function indexedDocument(doc: KnowledgeDocument, isRoot: boolean, thread: string): IndexedDocument {
  return {
    id: doc.id,
    platform: doc.platform,
    threadId: doc.threadId,
    kind: doc.kind,
    title: doc.title,
    text: doc.text,
    url: doc.url,
    authorId: doc.authorId,
    createdAt: doc.createdAt,
    tags: doc.tags,
    accepted: doc.accepted,
    score: doc.score,
    thread,
    time: doc.createdAt.getTime(),
    isRoot,
  };
}

export interface ThreadInfo {
  key: string;
  rootId?: DocumentId;
  docIds: DocumentId[];
}

/** Key of a document's thread; thread ids are only unique within a platform. */
export const threadKey = (d: Pick<KnowledgeDocument, 'platform' | 'threadId'>): string => `${d.platform}:${d.threadId}`;

const ROOT_KINDS = new Set(['question', 'topic']);
const DAY_MS = 86_400_000;
/** Running sums of `weight * 2^((created - epoch) / halfLife)` per member. */
interface ActivitySums {
  epoch: number;
  sums: Map<MemberId, number>;
}

/** How much a document shows its author is active: answering counts fully, asking a little. */
export const contributionMass = (d: Pick<IndexedDocument, 'isRoot'>): number => (d.isRoot ? 0.3 : 1);

export class KnowledgeBase {
  readonly docs = new Map<DocumentId, IndexedDocument>();
  readonly threads = new Map<string, ThreadInfo>();
  readonly vectors: VectorIndex;
  /** Documents with at least one tag: tagging's neighbours come from these. */
  private tagged = 0;
  readonly lexical = new Bm25Index();
  private readonly activitySums = new Map<number, ActivitySums>();

  /** `precision`: how document vectors are stored (int8 takes a quarter of the memory; see VectorIndex). */
  constructor(
    readonly dims: number,
    options: { precision?: VectorPrecision } = {},
  ) {
    this.vectors = new VectorIndex(dims, { precision: options.precision ?? 'float32' });
  }

  get size(): number {
    return this.docs.size;
  }

  /** Room for `more` documents beyond those held: loading history in one go skips regrowth. */
  reserve(more: number): void {
    this.vectors.reserve(this.docs.size + more);
  }

  /**
   * `termIds`: the document's lexical text as BM25 term ids, when tokenized elsewhere
   * (ParallelTerms). Read only after any older version of the document is removed, since a
   * removal may free term ids.
   */
  add(doc: KnowledgeDocument, vector: Float32Array, termIds?: () => Int32Array): IndexedDocument {
    if (this.docs.has(doc.id)) this.remove(doc.id);
    const key = threadKey(doc);
    let thread = this.threads.get(key);
    if (!thread) this.threads.set(key, (thread = { key, docIds: [] }));
    const isRoot = ROOT_KINDS.has(doc.kind) || (doc.kind === 'message' && thread.rootId === undefined && thread.docIds.length === 0);
    // thread.key, not key: the documents of a thread share one string.
    const indexed = indexedDocument(doc, isRoot, thread.key);
    this.docs.set(doc.id, indexed);
    thread.docIds.push(doc.id);
    if (isRoot) thread.rootId = doc.id;
    this.vectors.add(doc.id, vector, doc.tags.length > 0);
    if (doc.tags.length > 0) this.tagged++;
    if (termIds) this.lexical.addTermIds(doc.id, termIds());
    else this.lexical.addTokens(doc.id, tokenize(lexicalText(doc)));
    for (const [halfLife, acc] of this.activitySums) this.accumulate(acc, halfLife, indexed, 1);
    return indexed;
  }

  /**
   * Gives documents carrying tag `from` the tag `to` instead (a tag renamed or merged by the
   * community team); a document with both keeps one.
   */
  renameTag(from: string, to: string): void {
    for (const [id, doc] of this.docs) {
      if (!doc.tags.includes(from)) continue;
      this.docs.set(id, indexedDocument({ ...doc, tags: [...new Set(doc.tags.map((t) => (t === from ? to : t)))] }, doc.isRoot, doc.thread));
    }
  }

  remove(id: DocumentId): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    this.docs.delete(id);
    for (const [halfLife, acc] of this.activitySums) this.accumulate(acc, halfLife, doc, -1);
    this.vectors.remove(id);
    if (doc.tags.length > 0) this.tagged--;
    this.lexical.remove(id);
    const thread = this.threads.get(threadKey(doc));
    if (thread) {
      thread.docIds = thread.docIds.filter((d) => d !== id);
      if (thread.rootId === id) delete thread.rootId;
      if (thread.docIds.length === 0) this.threads.delete(thread.key);
    }
  }

  /**
   * Recency-weighted contributions per member: each document counts
   * `mass(doc) * 0.5^((now - created) / halfLife)`. Kept as running sums per half-life, so a
   * query costs O(members), not O(documents).
   */
  activity(now: number, halfLifeDays: number): Map<MemberId, number> {
    let acc = this.activitySums.get(halfLifeDays);
    if (!acc) {
      acc = { epoch: Number.NaN, sums: new Map() };
      this.activitySums.set(halfLifeDays, acc);
      for (const d of this.docs.values()) this.accumulate(acc, halfLifeDays, d, 1);
    }
    const out = new Map<MemberId, number>();
    if (Number.isNaN(acc.epoch)) return out;
    const scale = Math.pow(2, -(now - acc.epoch) / (halfLifeDays * DAY_MS));
    for (const [m, sum] of acc.sums) {
      const v = sum * scale;
      if (v > 0) out.set(m, v);
    }
    return out;
  }

  private accumulate(acc: ActivitySums, halfLifeDays: number, d: IndexedDocument, sign: 1 | -1): void {
    if (d.authorId === undefined) return;
    const unit = halfLifeDays * DAY_MS;
    if (Number.isNaN(acc.epoch)) acc.epoch = d.time;
    // Rebase before the exponent grows large: older sums shrink by the same factor (and the
    // negligible ones underflow to zero), so every member's ratio to the others is kept.
    if ((d.time - acc.epoch) / unit > 500) {
      const shift = Math.pow(2, -(d.time - acc.epoch) / unit);
      for (const [m, v] of acc.sums) acc.sums.set(m, v * shift);
      acc.epoch = d.time;
    }
    const w = contributionMass(d) * Math.pow(2, (d.time - acc.epoch) / unit);
    acc.sums.set(d.authorId, Math.max(0, (acc.sums.get(d.authorId) ?? 0) + sign * w));
  }

  /** A document's author changed (two members merged into one person, or split again): its contributions move with it. */
  setAuthor(id: DocumentId, authorId: MemberId | undefined): void {
    const doc = this.docs.get(id);
    if (!doc || doc.authorId === authorId) return;
    for (const [halfLife, acc] of this.activitySums) this.accumulate(acc, halfLife, doc, -1);
    const moved = indexedDocument({ ...doc, authorId }, doc.isRoot, doc.thread);
    this.docs.set(id, moved);
    for (const [halfLife, acc] of this.activitySums) this.accumulate(acc, halfLife, moved, 1);
  }

  get(id: DocumentId): IndexedDocument | undefined {
    return this.docs.get(id);
  }

  get taggedCount(): number {
    return this.tagged;
  }

  /**
   * The k nearest tagged documents that `allowed` admits. One index filtered, not a second index
   * of tagged documents (that copy cost 77 MB at 100k documents); searched exactly whenever a
   * separate index of the tagged documents would have been, so results do not change with the
   * number of untagged documents around them.
   */
  nearestTagged(vector: Float32Array, k: number, allowed?: (id: number) => boolean): Hit[] {
    if (this.tagged === 0) return [];
    return this.vectors.search(vector, k, { marked: true, ...(allowed ? { filter: allowed } : {}), exact: this.vectors.exactFor(this.tagged, k) });
  }

  /** The document's vector, read in place: use it at once, before the knowledge base changes. */
  vectorOf(id: DocumentId): Float32Array | undefined {
    return this.vectors.view(id);
  }

  /** Adds document `id`'s vector into `target` (see VectorIndex.addInto); false if it has none. */
  addVectorInto(id: DocumentId, target: Float32Array): boolean {
    return this.vectors.addInto(id, target);
  }

  /** The document that stands for a thread in results: its root, else its earliest document. */
  representative(thread: ThreadInfo): IndexedDocument | undefined {
    if (thread.rootId !== undefined) return this.docs.get(thread.rootId);
    const first = thread.docIds[0];
    return first === undefined ? undefined : this.docs.get(first);
  }

  /**
   * Retrieves once what tagging, similar topics and routing all start from: the query's terms,
   * and the nearest documents by embedding and by BM25. Callers drop what their filters exclude.
   */
  prepare(query: { vector: Float32Array; text: string }, candidates: number): PreparedQuery {
    const terms = tokenize(query.text);
    return {
      ...query,
      terms,
      semantic: this.vectors.search(query.vector, candidates),
      lexical: this.lexical.search(terms, candidates),
    };
  }
}

export interface PreparedQuery {
  vector: Float32Array;
  text: string;
  terms: string[];
  /** Nearest documents by embedding, best first, unfiltered. */
  semantic: Hit[];
  /** Best documents by BM25, best first, unfiltered. */
  lexical: Hit[];
}

/** Which documents a query may use: not its own thread, nothing from its future. */
export interface QueryScope {
  excludeThreads?: ReadonlySet<string> | undefined;
  /** Epoch ms; only documents created before it. */
  before?: number | undefined;
}

export function inScope(doc: IndexedDocument | undefined, scope: QueryScope): doc is IndexedDocument {
  if (!doc) return false;
  if (scope.before !== undefined && doc.time >= scope.before) return false;
  return !scope.excludeThreads?.has(doc.thread);
}

/** The text BM25 sees: the title counts twice because titles name the problem. */
export function lexicalText(doc: Pick<KnowledgeDocument, 'title' | 'text'>): string {
  return doc.title ? `${doc.title}\n${doc.title}\n${doc.text}` : doc.text;
}
