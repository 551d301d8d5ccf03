// Tag suggestions from the community's own tag set. Two sources of evidence, blended per tag by
// how much tagged history that tag has:
//  - history: a word-to-tag classifier trained on tagged history, blended with the tags of the
//    most similar tagged documents (embedding and BM25 neighbours);
//  - description: the tag's name and description (embedding similarity, and the name's words
//    appearing in the text), which is all there is for a new community.
import { createHash } from 'node:crypto';
import { tokenize } from '../text/tokenize.js';
import type { DocumentId } from '../types.js';
import { drain, type Steps } from './steps.js';
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

export const DEFAULT_TAGGING: TaggingSettings = {
  maxTags: 3,
  minConfidence: 0.1,
  neighbours: 25,
  historyHalfWeight: 1,
  sharpness: 12,
  nameBonus: 0.05,
  lexShare: 0.65,
  classifierWeight: 0.6,
};

/** A classifier and what it was trained on, so a restart can tell whether it is still current. */
export interface TrainedTags {
  classifier: TagClassifier | undefined;
  /** Hash of the tagged documents (ids, tags, text) it learned from. */
  fingerprint: string;
  /** Tagged documents it learned from. */
  examples: number;
  /** Tagged documents the model had observed when training began (0 for a stored one). */
  observed: number;
}

/** Tagged documents between yields of the fingerprint and tokenizing loops (~1 ms of work). */
const DOCS_PER_STEP = 50;
/** Bump when the training or its features change: stored classifiers then no longer match. */
const TRAINING_VERSION = 'tags-1';

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
  /** Fingerprint of the history the classifier in use learned from (undefined: none yet). */
  private trainedOn: string | undefined;

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
    this.trainedOn = undefined;
    for (const d of definitions) this.define(d);
    for (const doc of kb.docs.values()) this.observe(doc);
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

  /** (Re)trains the word-to-tag classifier on every tagged document of the knowledge base, at once. */
  train(kb: KnowledgeBase): void {
    const trained = drain(this.trainSteps(kb));
    if (trained) this.use(trained);
  }

  /**
   * Training as steps that yield every millisecond or so, for the engine to run in time slices.
   * Works on the tagged documents as they are when it starts, and fingerprints them first: if
   * the classifier in use learned from exactly these, it returns undefined instead of training.
   * Returns what to `use` (the caller applies it, so a stopped run changes nothing).
   */
  *trainSteps(kb: KnowledgeBase, limit: number = TAG_TRAINING_LIMIT): Steps<TrainedTags | undefined> {
    const observed = this.observed;
    const tagged = newestOf(taggedDocuments(kb), limit);
    const fingerprint = yield* fingerprintSteps(tagged);
    if (fingerprint === this.trainedOn) {
      this.trainedAt = Math.max(this.trainedAt, observed);
      return undefined;
    }
    const examples: { terms: string[]; tags: readonly string[] }[] = [];
    for (const d of tagged) {
      examples.push({ terms: tokenize(lexicalText(d)), tags: d.tags });
      if (examples.length % DOCS_PER_STEP === 0) yield;
    }
    const classifier = yield* TagClassifier.trainSteps(examples, { yieldEvery: 10 });
    return { classifier, fingerprint, examples: examples.length, observed };
  }

  /** Uses a classifier trained (or stored) on the given history from now on. */
  use(trained: TrainedTags): void {
    this.classifier = trained.classifier;
    this.trainedOn = trained.fingerprint;
    this.trainedAt = Math.max(this.trainedAt, trained.observed);
  }

  /** The classifier in use (undefined before one is trained or loaded). */
  get trained(): TagClassifier | undefined {
    return this.classifier;
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
    const lexVotes = vote(
      kb,
      lexHits.map((h) => ({ id: h.id, score: topLex > 0 ? h.score / topLex : 0 })),
      3,
    );
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

/** Hash of tagged documents' ids, tags and text, in id order: ~50 ms per 100k documents. */
export function* fingerprintSteps(tagged: readonly Pick<IndexedDocument, 'id' | 'tags' | 'title' | 'text'>[]): Steps<string> {
  const hash = createHash('sha256').update(TRAINING_VERSION);
  for (const [i, d] of tagged.entries()) {
    hash.update(`\u0000${d.id}\u0001${d.tags.join('\u0002')}\u0001${lexicalText(d)}`);
    if ((i + 1) % (DOCS_PER_STEP * 10) === 0) yield;
  }
  return hash.digest('base64url');
}

/** The tagged documents of a knowledge base, for a fingerprint to compare with a stored one. */
export const taggedDocuments = (kb: KnowledgeBase): IndexedDocument[] => [...kb.docs.values()].filter((d) => d.tags.length > 0).sort((a, b) => a.id - b.id);

/**
 * The classifier learns from at most this many tagged documents, the newest. Its training cost
 * grows with the examples (30 epochs over all of them): at 360,000 tagged documents (a
 * million-document history) it took a core for hours; the newest 20,000 train in about half a
 * minute, and a community's recent tagging is the part that says how it tags today.
 */
export const TAG_TRAINING_LIMIT = 20_000;

/** The newest `limit` of documents sorted oldest first. */
export const newestOf = <T>(sorted: readonly T[], limit: number = TAG_TRAINING_LIMIT): readonly T[] =>
  sorted.length > limit ? sorted.slice(sorted.length - limit) : sorted;
