// Okapi BM25 over an incrementally built in-memory inverted index.
import { tokenize } from '../text/tokenize.js';
import type { Hit } from './hit.js';

export interface Bm25Options {
  k1?: number;
  b?: number;
  /** Long queries keep only their most informative terms: as good for ranking, far faster. */
  maxQueryTerms?: number;
}

interface DocEntry {
  length: number;
  /** Distinct terms, for removal; frequencies live only in the postings (half the memory). */
  terms: string[];
}

function termCounts(tokens: readonly string[]): Map<string, number> {
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  return tf;
}

export class Bm25Index {
  private readonly k1: number;
  private readonly b: number;
  private readonly maxQueryTerms: number;
  private readonly docs = new Map<number, DocEntry>();
  private readonly postings = new Map<string, Map<number, number>>();
  private totalLength = 0;

  constructor(options: Bm25Options = {}) {
    this.k1 = options.k1 ?? 1.2;
    this.b = options.b ?? 0.75;
    this.maxQueryTerms = options.maxQueryTerms ?? 48;
  }

  get size(): number {
    return this.docs.size;
  }

  add(id: number, text: string): void {
    this.addTokens(id, tokenize(text));
  }

  addTokens(id: number, tokens: readonly string[]): void {
    if (this.docs.has(id)) this.remove(id);
    const terms = termCounts(tokens);
    this.docs.set(id, { length: tokens.length, terms: [...terms.keys()] });
    this.totalLength += tokens.length;
    for (const [t, n] of terms) {
      let p = this.postings.get(t);
      if (!p) this.postings.set(t, (p = new Map()));
      p.set(id, n);
    }
  }

  remove(id: number): void {
    const d = this.docs.get(id);
    if (!d) return;
    for (const t of d.terms) {
      const p = this.postings.get(t);
      p?.delete(id);
      if (p && p.size === 0) this.postings.delete(t);
    }
    this.totalLength -= d.length;
    this.docs.delete(id);
  }

  /** Inverse document frequency (BM25+ style, never negative). */
  idf(term: string): number {
    const df = this.postings.get(term)?.size ?? 0;
    const n = this.docs.size;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  private termScore(tf: number, docLength: number, idf: number): number {
    const avg = this.docs.size ? this.totalLength / this.docs.size : 1;
    const norm = this.k1 * (1 - this.b + (this.b * docLength) / (avg || 1));
    return (idf * tf * (this.k1 + 1)) / (tf + norm);
  }

  /** The query's terms with their counts and idf, the rarest first, capped at maxQueryTerms. */
  queryTerms(query: string | readonly string[]): { term: string; count: number; idf: number }[] {
    const terms = [...termCounts(typeof query === 'string' ? tokenize(query) : query)]
      .filter(([t]) => this.postings.has(t))
      .map(([term, count]) => ({ term, count, idf: this.idf(term) }));
    terms.sort((a, b) => b.idf * b.count - a.idf * a.count || (a.term < b.term ? -1 : 1));
    return terms.slice(0, this.maxQueryTerms);
  }

  /** Top-k documents for a query, best first (ties by id). */
  search(query: string | readonly string[], k: number, filter?: (id: number) => boolean): Hit[] {
    if (k <= 0) return [];
    const scores = new Map<number, number>();
    for (const { term, count, idf } of this.queryTerms(query)) {
      for (const [id, tf] of this.postings.get(term)!) {
        const len = this.docs.get(id)!.length;
        scores.set(id, (scores.get(id) ?? 0) + count * this.termScore(tf, len, idf));
      }
    }
    const hits: Hit[] = [];
    // Filtering after scoring calls the filter once per matching document, not once per posting.
    for (const [id, score] of scores) if (!filter || filter(id)) hits.push({ id, score });
    hits.sort((a, b) => b.score - a.score || a.id - b.id);
    return hits.slice(0, k);
  }

  /** BM25 score of the query against each given document (0 when it shares no term). */
  scoreDocuments(query: string | readonly string[], ids: readonly number[]): Map<number, number> {
    const q = this.queryTerms(query);
    const out = new Map<number, number>();
    for (const id of ids) {
      const d = this.docs.get(id);
      let s = 0;
      if (d) {
        for (const { term, count, idf } of q) {
          const tf = this.postings.get(term)?.get(id);
          if (tf) s += count * this.termScore(tf, d.length, idf);
        }
      }
      out.set(id, s);
    }
    return out;
  }
}
