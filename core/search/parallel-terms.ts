// Tokenizing on a second core while the main thread indexes: a worker thread (term-worker.ts)
// turns each window of texts into term ids of its own dictionary; here they become ids of one
// Bm25Index, a document at a time, just before that document is added. Built for start-up,
// when a large history is indexed in one go: the main thread's share of the work drops by about
// half and the two run side by side.
import { Worker } from 'node:worker_threads';
import { workerTarget } from '../worker-target.js';
import type { Bm25Index } from './bm25.js';
import type { TermReply, TermRequest } from './term-worker.js';

/** One window's texts as term ids: `of(i)` gives text i's ids in the index, at the time of the call. */
export class WindowTerms {
  private readonly offsets: Int32Array;

  constructor(
    private readonly reply: TermReply,
    private readonly owner: ParallelTerms,
  ) {
    this.offsets = new Int32Array(reply.lengths.length + 1);
    for (let i = 0; i < reply.lengths.length; i++) this.offsets[i + 1] = this.offsets[i]! + reply.lengths[i]!;
  }

  get size(): number {
    return this.reply.lengths.length;
  }

  /**
   * Text i's tokens as the index's term ids. Call right before adding the document, with no
   * await in between: a removal may forget a term and free its id for another.
   */
  of(i: number): Int32Array {
    const ids = this.reply.termIds.subarray(this.offsets[i], this.offsets[i + 1]);
    this.owner.toIndexIds(ids);
    return ids;
  }
}

export class ParallelTerms {
  /** Workers started in this process (tests check which path indexing took). */
  static started = 0;
  /** The worker's term strings by its id. */
  private readonly terms: string[] = [];
  /** The index's id for each worker id, -1 when not looked up since the last forgotten term. */
  private toIndex = new Int32Array(1024).fill(-1);
  private forgottenSeen: number;
  private seq = 0;
  private readonly waiting: { seq: number; resolve: (t: WindowTerms) => void; reject: (e: Error) => void }[] = [];
  private failure: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly index: Bm25Index,
  ) {
    this.forgottenSeen = index.termsForgotten;
    worker.on('message', (reply: TermReply) => this.received(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => this.fail(new Error(`term worker exited with code ${code}`)));
  }

  /** Starts the worker; rejects if it cannot start. */
  static async start(index: Bm25Index): Promise<ParallelTerms> {
    const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
    const { target, eval: isCode } = workerTarget(new URL(`./term-worker${ext}`, import.meta.url));
    const worker = new Worker(target, { eval: isCode });
    ParallelTerms.started++;
    // Listening from the start: an error after 'online' (its module failing to load) must reach
    // fail(), never be an unhandled 'error' event.
    const terms = new ParallelTerms(worker, index);
    await new Promise<void>((resolve, reject) => {
      worker.once('online', resolve);
      worker.once('error', reject);
    });
    return terms;
  }

  /** Tokenizes `texts` on the worker; replies come in request order. */
  request(texts: string[]): Promise<WindowTerms> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    const message: TermRequest = { seq, texts };
    return new Promise<WindowTerms>((resolve, reject) => {
      this.waiting.push({ seq, resolve, reject });
      this.worker.postMessage(message);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error('term worker closed');
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
    this.rejectAll(this.failure);
  }

  /** Rewrites worker term ids as the index's, in place. */
  toIndexIds(ids: Int32Array): void {
    if (this.index.termsForgotten !== this.forgottenSeen) {
      // A removal freed term ids since: look every term up again as it comes.
      this.toIndex.fill(-1);
      this.forgottenSeen = this.index.termsForgotten;
    }
    for (let k = 0; k < ids.length; k++) {
      const w = ids[k]!;
      let id = this.toIndex[w]!;
      if (id < 0) id = this.toIndex[w] = this.index.termIdFor(this.terms[w]!);
      ids[k] = id;
    }
  }

  private received(reply: TermReply): void {
    const next = this.waiting.shift();
    if (!next || next.seq !== reply.seq) {
      const error = new Error(`term worker replied to request ${reply.seq}, expected ${next?.seq ?? 'none'}`);
      next?.reject(error);
      this.fail(error);
      return;
    }
    for (const term of reply.newTerms) this.terms.push(term);
    if (this.terms.length > this.toIndex.length) {
      const grown = new Int32Array(Math.max(this.terms.length, Math.ceil(this.toIndex.length * 1.5))).fill(-1);
      grown.set(this.toIndex);
      this.toIndex = grown;
    }
    next.resolve(new WindowTerms(reply, this));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.rejectAll(error);
  }

  private rejectAll(error: Error): void {
    for (const w of this.waiting.splice(0)) w.reject(error);
  }
}
