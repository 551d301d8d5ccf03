// Tag suggestions from the community's own tag set. Two sources of evidence, blended per tag by
// how much tagged history that tag has:
//  - history: a word-to-tag classifier trained on tagged history, blended with the tags of the
//    most similar tagged documents (embedding and BM25 neighbours);
//  - description: the tag's name and description (embedding similarity, and the name's words
//    appearing in the text), which is all there is for a new community.
import { tokenize } from '../text/tokenize.js';
import type { DocumentId } from '../types.js';
import { TagClassifier } from './tag-classifier.js';
import { inScope, lexicalText, type IndexedDocument, type KnowledgeBase, type PreparedQuery, type QueryScope } from './knowledge-base.js';
import { dot } from './similar-topics.js';

export interface TagDefinition {
  name: string;
  description?: string | undefined;
  /** Embedding of "name: description"; set by the caller that owns the embedder. */
  vector?: Float32Array | undefined;
}

export interface TagSuggestion {
  tag: string;
  /** 0..1; roughly the share of evidence pointing at this tag. */
  confidence: number;
  /** Short human-readable why, e.g. "3 of the closest past topics". */
  reason: string;
}

export interface TaggingSettings {
  maxTags: number;
  minConfidence: number;
  /** Neighbours consulted in each index. */
  neighbours: number;
  /** Tagged documents at which a tag's history counts as much as its description. */
  historyHalfWeight: number;
  /** How sharply the closest neighbours outweigh the others in the embedding vote. */
  sharpness: number;
  /** Added when the tag's name appears in the text, whatever the history says. */
  nameBonus: number;
  /** Share of the BM25 neighbours' vote against the embedding neighbours' vote. */
  lexShare: number;
  /** Weight of the trained classifier against the neighbour votes, once there is one. */
  classifierWeight: number;
}

export const DEFAULT_TAGGING: TaggingSettings = { maxTags: 3, minConfidence: 0.1, neighbours: 25, historyHalfWeight: 1, sharpness: 12, nameBonus: 0.05, lexShare: 0.65, classifierWeight: 0.6 };


interface TagState {
  def: TagDefinition;
  nameTokens: string[];
  count: number;
}

/** Keeps per-tag statistics current as tagged documents are added to the knowledge base. */
export class TagModel {
  private readonly tags = new Map<string, TagState>();
  private classifier: TagClassifier | undefined;
  private observed = 0;
  private trainedAt = 0;

  constructor(definitions: readonly TagDefinition[] = []) {
    for (const d of definitions) this.define(d);
  }

  define(def: TagDefinition): void {
    const existing = this.tags.get(def.name);
    if (existing) {
      existing.def = { ...existing.def, ...def };
      return;
    }
    this.tags.set(def.name, {
      def,
      nameTokens: tokenize(def.name.replace(/[-_]/g, ' ')),
      count: 0,
    });
  }

  get names(): string[] {
    return [...this.tags.keys()];
  }

  /** Learns from a tagged document (call after adding it to the knowledge base). */
  observe(doc: Pick<IndexedDocument, 'tags'>): void {
    if (doc.tags.length > 0) this.observed++;
    for (const name of doc.tags) {
      if (!this.tags.has(name)) this.define({ name });
      this.tags.get(name)!.count++;
    }
  }

  /** True when tagged history grew by a tenth since the classifier was last trained. */
  get stale(): boolean {
    return this.observed >= 10 && this.observed > this.trainedAt * 1.1;
  }

  /** (Re)trains the word-to-tag classifier on every tagged document of the knowledge base. */
  train(kb: KnowledgeBase): void {
    const examples = [...kb.docs.values()].filter((d) => d.tags.length > 0).map((d) => ({ terms: tokenize(lexicalText(d)), tags: d.tags }));
    this.classifier = TagClassifier.train(examples);
    this.trainedAt = this.observed;
  }

  suggest(kb: KnowledgeBase, query: PreparedQuery, scope: QueryScope = {}, settings: TaggingSettings = DEFAULT_TAGGING): TagSuggestion[] {
    if (this.tags.size === 0) return [];
    const scoped = scope.before !== undefined || (scope.excludeThreads?.size ?? 0) > 0;
    const allowed = (id: number): boolean => inScope(kb.get(id as DocumentId), scope);
    const embHits = kb.taggedVectors.search(query.vector, settings.neighbours, scoped ? { filter: allowed } : {});
    const embVotes = vote(kb, embHits, settings.sharpness);
    const lexHits = query.lexical.filter((h) => (kb.get(h.id as DocumentId)?.tags.length ?? 0) > 0 && allowed(h.id)).slice(0, settings.neighbours);
    const topLex = lexHits[0]?.score ?? 0;
    const lexVotes = vote(kb, lexHits.map((h) => ({ id: h.id, score: topLex > 0 ? h.score / topLex : 0 })), 3);
    const queryTokens = new Set(query.terms);
    const predicted = this.classifier?.predict(query.terms);

    const scored: TagSuggestion[] = [];
    for (const [name, s] of this.tags) {
      const votes = (1 - settings.lexShare) * (embVotes.get(name) ?? 0) + settings.lexShare * (lexVotes.get(name) ?? 0);
      const history = predicted ? settings.classifierWeight * (predicted.get(name) ?? 0) + (1 - settings.classifierWeight) * votes : votes;
      const nameHit = s.nameTokens.length > 0 && s.nameTokens.every((t) => queryTokens.has(t)) ? 1 : 0;
      const descSim = s.def.vector ? Math.max(0, dot(query.vector, s.def.vector)) : 0;
      // Description evidence: the name in the text is strong; embedding closeness to the name
      // and description is weaker (short descriptions embed coarsely).
      const description = 0.6 * nameHit + 0.4 * Math.max(0, (descSim - 0.2) / 0.6);
      const h = s.count / (s.count + settings.historyHalfWeight);
      const confidence = Math.min(1, h * history + (1 - h) * description + settings.nameBonus * nameHit);
      if (confidence <= 0) continue;
      const reason = history > 0.15 ? 'used on the most similar past topics' : nameHit ? `"${name}" is mentioned` : 'close to the tag description';
      scored.push({ tag: name, confidence, reason });
    }
    scored.sort((a, b) => b.confidence - a.confidence || a.tag.localeCompare(b.tag));
    return scored.filter((t) => t.confidence >= settings.minConfidence).slice(0, settings.maxTags);
  }
}

/** Similarity-weighted share of neighbours carrying each tag; sharper weights favour the closest. */
function vote(kb: KnowledgeBase, hits: readonly { id: number; score: number }[], sharpness: number): Map<string, number> {
  const votes = new Map<string, number>();
  const top = hits[0]?.score ?? 0;
  let total = 0;
  for (const h of hits) {
    const w = Math.exp(sharpness * (h.score - top));
    total += w;
    for (const t of kb.get(h.id as DocumentId)?.tags ?? []) votes.set(t, (votes.get(t) ?? 0) + w);
  }
  if (total > 0) for (const [t, v] of votes) votes.set(t, v / total);
  return votes;
}
