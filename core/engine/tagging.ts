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

  /**
   * Uses exactly these definitions from now on (the community team approved, renamed or merged
   * tags): counts and the classifier are rebuilt from the knowledge base's tagged documents, as
   * at start.
   */
  reset(definitions: readonly TagDefinition[], kb: KnowledgeBase): void {
    this.tags.clear();
    this.observed = 0;
    this.trainedAt = 0;
    this.classifier = undefined;
    for (const d of definitions) this.define(d);
    for (const doc of kb.docs.values()) this.observe(doc);
    if (this.observed > 0) this.train(kb);
  }

  /** A tag's definition (with its vector), if the model has it. */
  definition(name: string): TagDefinition | undefined {
    return this.tags.get(name)?.def;
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

  /** The tags to suggest for a query, best first, blended and cut off as `settings` say. */
  suggest(kb: KnowledgeBase, query: PreparedQuery, scope: QueryScope = {}, settings: TaggingSettings = DEFAULT_TAGGING): TagSuggestion[] {
    const scored = this.evidence(kb, query, scope, settings).map((e) => ({ e, confidence: blend(e, settings) }));
    scored.sort((a, b) => b.confidence - a.confidence || a.e.tag.localeCompare(b.e.tag));
    return scored
      .filter((t) => t.confidence > 0 && t.confidence >= settings.minConfidence)
      .slice(0, settings.maxTags)
      .map(({ e, confidence }) => ({
        tag: e.tag,
        confidence,
        reason: e.history(settings) > 0.15 ? 'used on the most similar past topics' : e.nameHit ? `"${e.tag}" is mentioned` : 'close to the tag description',
      }));
  }

  /**
   * Each tag's evidence for a query, before blending: what calibration varies. `classifier`
   * and `counts` default to the model's own; calibration passes ones fitted on older history.
   */
  evidence(
    kb: KnowledgeBase,
    query: PreparedQuery,
    scope: QueryScope,
    settings: Pick<TaggingSettings, 'neighbours' | 'sharpness'>,
    fitted: { classifier?: TagClassifier | undefined; count?: (tag: string) => number } = { classifier: this.classifier },
  ): TagEvidence[] {
    if (this.tags.size === 0) return [];
    const scoped = scope.before !== undefined || (scope.excludeThreads?.size ?? 0) > 0;
    const allowed = (id: number): boolean => inScope(kb.get(id as DocumentId), scope);
    const embHits = kb.nearestTagged(query.vector, settings.neighbours, scoped ? allowed : undefined);
    const embVotes = vote(kb, embHits, settings.sharpness);
    const lexHits = query.lexical.filter((h) => (kb.get(h.id as DocumentId)?.tags.length ?? 0) > 0 && allowed(h.id)).slice(0, settings.neighbours);
    const topLex = lexHits[0]?.score ?? 0;
    const lexVotes = vote(kb, lexHits.map((h) => ({ id: h.id, score: topLex > 0 ? h.score / topLex : 0 })), 3);
    const queryTokens = new Set(query.terms);
    const predicted = fitted.classifier?.predict(query.terms);
    const out: TagEvidence[] = [];
    for (const [name, s] of this.tags) {
      const nameHit = s.nameTokens.length > 0 && s.nameTokens.every((t) => queryTokens.has(t));
      const descSim = s.def.vector ? Math.max(0, dot(query.vector, s.def.vector)) : 0;
      const count = fitted.count ? fitted.count(name) : s.count;
      out.push(new TagEvidence(name, predicted?.get(name), embVotes.get(name) ?? 0, lexVotes.get(name) ?? 0, nameHit, descSim, count));
    }
    return out;
  }
}

/** What speaks for one tag, from history (classifier, neighbours) and from its name and description. */
export class TagEvidence {
  constructor(
    readonly tag: string,
    /** Classifier probability; undefined before there is a classifier. */
    readonly classifier: number | undefined,
    readonly embeddingVotes: number,
    readonly lexicalVotes: number,
    readonly nameHit: boolean,
    readonly descriptionSimilarity: number,
    /** Tagged documents carrying the tag. */
    readonly count: number,
  ) {}

  history(settings: Pick<TaggingSettings, 'lexShare' | 'classifierWeight'>): number {
    const votes = (1 - settings.lexShare) * this.embeddingVotes + settings.lexShare * this.lexicalVotes;
    return this.classifier === undefined ? votes : settings.classifierWeight * this.classifier + (1 - settings.classifierWeight) * votes;
  }

  /**
   * Description evidence: the name in the text is strong; embedding closeness to the name and
   * description is weaker (short descriptions embed coarsely).
   */
  get description(): number {
    return 0.6 * (this.nameHit ? 1 : 0) + 0.4 * Math.max(0, (this.descriptionSimilarity - 0.2) / 0.6);
  }
}

/** A tag's confidence: history and description evidence, weighted by how much history the tag has. */
export function blend(e: TagEvidence, settings: TaggingSettings): number {
  const h = e.count / (e.count + settings.historyHalfWeight);
  return Math.min(1, h * e.history(settings) + (1 - h) * e.description + settings.nameBonus * (e.nameHit ? 1 : 0));
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
