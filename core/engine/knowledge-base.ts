// The engine's in-memory view of community history: documents with their vectors, a BM25
// index, threads, and who contributed what. Built from the store at start-up (or replayed by
// the evaluation harness) and kept current as documents arrive.
import { Bm25Index } from '../search/bm25.js';
import type { Hit } from '../search/hit.js';
import { VectorIndex } from '../search/vector-index.js';
import { tokenize } from '../text/tokenize.js';
import type { DocumentId, KnowledgeDocument, MemberId } from '../types.js';

export interface IndexedDocument extends KnowledgeDocument {
  vector: Float32Array;
  /** Opening post of its thread (question, topic, thread root, or a message with no thread). */
  isRoot: boolean;
}

export interface ThreadInfo {
  key: string;
  rootId?: DocumentId;
  docIds: DocumentId[];
}

/** Key of a document's thread; thread ids are only unique within a platform. */
export const threadKey = (d: Pick<KnowledgeDocument, 'platform' | 'threadId'>): string => `${d.platform}:${d.threadId}`;

const ROOT_KINDS = new Set(['question', 'topic']);

export class KnowledgeBase {
  readonly docs = new Map<DocumentId, IndexedDocument>();
  readonly threads = new Map<string, ThreadInfo>();
  /** Documents each member wrote, oldest first. */
  readonly byAuthor = new Map<MemberId, DocumentId[]>();
  readonly vectors: VectorIndex;
  readonly lexical = new Bm25Index();

  constructor(readonly dims: number) {
    this.vectors = new VectorIndex(dims);
  }

  get size(): number {
    return this.docs.size;
  }

  add(doc: KnowledgeDocument, vector: Float32Array): IndexedDocument {
    if (this.docs.has(doc.id)) this.remove(doc.id);
    const key = threadKey(doc);
    let thread = this.threads.get(key);
    if (!thread) this.threads.set(key, (thread = { key, docIds: [] }));
    const isRoot = ROOT_KINDS.has(doc.kind) || (doc.kind === 'message' && (thread.rootId === undefined && thread.docIds.length === 0));
    const indexed: IndexedDocument = { ...doc, vector, isRoot };
    this.docs.set(doc.id, indexed);
    thread.docIds.push(doc.id);
    if (isRoot) thread.rootId = doc.id;
    if (doc.authorId !== undefined) {
      let list = this.byAuthor.get(doc.authorId);
      if (!list) this.byAuthor.set(doc.authorId, (list = []));
      list.push(doc.id);
    }
    this.vectors.add(doc.id, vector);
    this.lexical.addTokens(doc.id, tokenize(lexicalText(doc)));
    return indexed;
  }

  remove(id: DocumentId): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    this.docs.delete(id);
    this.vectors.remove(id);
    this.lexical.remove(id);
    const thread = this.threads.get(threadKey(doc));
    if (thread) {
      thread.docIds = thread.docIds.filter((d) => d !== id);
      if (thread.rootId === id) delete thread.rootId;
      if (thread.docIds.length === 0) this.threads.delete(thread.key);
    }
    if (doc.authorId !== undefined) {
      const list = this.byAuthor.get(doc.authorId)?.filter((d) => d !== id);
      if (list?.length) this.byAuthor.set(doc.authorId, list);
      else this.byAuthor.delete(doc.authorId);
    }
  }

  get(id: DocumentId): IndexedDocument | undefined {
    return this.docs.get(id);
  }

  threadOf(doc: IndexedDocument): ThreadInfo | undefined {
    return this.threads.get(threadKey(doc));
  }

  /** The document that stands for a thread in results: its root, else its earliest document. */
  representative(thread: ThreadInfo): IndexedDocument | undefined {
    if (thread.rootId !== undefined) return this.docs.get(thread.rootId);
    const first = thread.docIds[0];
    return first === undefined ? undefined : this.docs.get(first);
  }

  vectorSearch(query: Float32Array, k: number, filter?: (id: number) => boolean): Hit[] {
    return this.vectors.search(query, k, filter ? { filter } : {});
  }
}

/** The text BM25 sees: the title counts twice because titles name the problem. */
export function lexicalText(doc: Pick<KnowledgeDocument, 'title' | 'text'>): string {
  return doc.title ? `${doc.title}\n${doc.title}\n${doc.text}` : doc.text;
}
