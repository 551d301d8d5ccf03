// The engine's one entry point: given a problem, say whether it asks for help, what it is about,
// what the community already discussed, and who can help. Platform-neutral; the workflow decides
// what to do with the answer.
import { ParallelTerms, type WindowTerms } from '../search/parallel-terms.js';
import type { VectorPrecision } from '../search/vector-index.js';
import type { FoundContentHash, KnowledgeDocument, MemberId } from '../types.js';
import { answerFeatures } from './answer-ranker.js';
import { calibrate, nextTick, type EngineCalibration, type Pause } from './calibration.js';
import { scoreRow } from './linear-ranker.js';
import { learnedHelp } from './help-calibration.js';
import {
  buildHelpPrototypes,
  detectHelpRequest,
  HELP_EXAMPLES,
  NOT_HELP_EXAMPLES,
  type HelpDetection,
  type HelpPrototypes,
  type LearnedHelp,
} from './help-detection.js';
import { KnowledgeBase, lexicalText } from './knowledge-base.js';
import { MemberProfiles } from './member-profiles.js';
import { PRIOR_RANKER } from './routing-learner.js';
import { DEFAULT_ROUTING, rankMembers, type DeclaredInterests, type MemberStanding, type RoutingResult, type RoutingSettings } from './routing.js';
import { DEFAULT_SIMILAR, findSimilarTopics, type SimilarSettings, type SimilarTopic } from './similar-topics.js';
import { outsideForeground } from '../foreground.js';
import { drainSliced, SLICE_MS, timeSlices, yieldToLoop } from './steps.js';
import { TagClassifier, type StoredTagClassifier } from './tag-classifier.js';
import { DEFAULT_TAGGING, TagModel, type TagDefinition, type TaggingSettings, type TagSuggestion, type TrainedTags } from './tagging.js';

/** Raw text in (any markup), one unit vector per text out; cached per model. */

/** Documents embedded (or read from the cache) and indexed per step of addDocuments. */
export const ADD_WINDOW = 500;
/**
 * From this many documents at once addDocuments tokenizes on a worker thread: starting one costs
 * tens of milliseconds, tokenizing 20,000 documents about a second.
 */
export const PARALLEL_TERMS_FROM = 20_000;
export interface TextVectors {
  readonly modelId: string;
  readonly dims: number;
  embedMany(texts: readonly string[], options?: { onProgress?: (done: number, total: number) => void }): Promise<Float32Array[]>;
  /** embedMany that takes known content hashes and returns each text's (see TextEmbedder). */
  embedManyHashed?(
    texts: readonly string[],
    known: readonly (string | undefined)[],
    options?: { onProgress?: (done: number, total: number) => void },
  ): Promise<{ vectors: Float32Array[]; hashes: (string | undefined)[] }>;
}

export interface EngineSettings {
  /** Documents retrieved from each index (embedding, BM25) per problem before scoring. */
  candidates: number;
  /** Built-in values; calibration replaces the learnable ones unless `overrides` fix them. */
  similar: SimilarSettings;
  tagging: TaggingSettings;
  routing: RoutingSettings;
  helpThreshold: number;
  /** Settings the operator fixed: calibration leaves these alone. */
  overrides: {
    similarMinScore?: number | undefined;
    tagMinConfidence?: number | undefined;
    helpThreshold?: number | undefined;
    learnHelp?: boolean | undefined;
  };
  /** Fit routing, tagging and similar topics on the history in the background as it grows. */
  autoCalibrate: boolean;
  /** How document vectors are held in memory: int8 takes a quarter of float32's (see VectorIndex). */
  vectorPrecision: VectorPrecision;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  candidates: 100,
  similar: DEFAULT_SIMILAR,
  tagging: DEFAULT_TAGGING,
  routing: DEFAULT_ROUTING,
  helpThreshold: 0.5,
  overrides: {},
  autoCalibrate: false,
  vectorPrecision: 'float32',
};

/** Thrown out of a calibration the engine was asked to stop. */
export class CalibrationStopped extends Error {
  constructor() {
    super('engine calibration stopped');
  }
}

/** The history must grow by this share before the engine calibrates again. */
export const RECALIBRATE_GROWTH = 0.1;
/** Documents before a first calibration: with fewer, every part keeps its prior anyway. */
export const MIN_DOCUMENTS_TO_CALIBRATE = 50;

export interface ProblemInput {
  text: string;
  title?: string;
  /** Tags the problem already has (a forum topic's); routing uses the suggested ones otherwise. */
  tags?: readonly string[];
  mentionsBot?: boolean;
  originatorId?: MemberId;
  /** Threads not to suggest or learn from for this problem (its own thread). */
  excludeThreads?: ReadonlySet<string>;
  now?: Date;
  standing?: (member: MemberId) => MemberStanding | undefined;
}

export interface Analysis {
  help: HelpDetection;
  tags: TagSuggestion[];
  similar: SimilarTopic[];
  members: RoutingResult;
}

/** What a tag is embedded as, for matching requests before it has history: "name: description". */
const tagText = (d: Omit<TagDefinition, 'vector'>): string => `${d.name.replace(/[-_]/g, ' ')}${d.description ? `: ${d.description}` : ''}`;

/** The text a document or problem is embedded and matched as: the title names the problem. */
export const documentText = (d: { title?: string | undefined; text: string }): string => (d.title ? `${d.title}\n\n${d.text}` : d.text);

/** A trained tag classifier as the service stores it between restarts. */
export interface StoredTags {
  fingerprint: string;
  examples: number;
  classifier: StoredTagClassifier;
}

const storedTags = (t: TrainedTags): StoredTags | undefined =>
  t.classifier ? { fingerprint: t.fingerprint, examples: t.examples, classifier: t.classifier.toStored() } : undefined;

export class Engine {
  readonly kb: KnowledgeBase;
  readonly tags: TagModel;
  readonly profiles: MemberProfiles;
  private readonly interests = new Map<MemberId, DeclaredInterests>();
  private fitted: EngineCalibration | undefined;
  private learnedHelp: LearnedHelp | undefined;
  private running: Promise<EngineCalibration | undefined> | undefined;
  private training: Promise<void> | undefined;
  private trainAgain = false;
  private stopped = false;
  /** Called with every new calibration (the service stores it), and with background failures. */
  onCalibrated: ((c: EngineCalibration) => Promise<void> | void) | undefined;
  /** Called with every newly trained tag classifier (the service stores it for the next start). */
  onTagsTrained: ((stored: StoredTags) => Promise<void> | void) | undefined;
  onCalibrationError: ((e: unknown) => void) | undefined;

  private constructor(
    private readonly vectors: TextVectors,
    private readonly prototypes: HelpPrototypes,
    readonly settings: EngineSettings,
  ) {
    this.kb = new KnowledgeBase(vectors.dims, { precision: settings.vectorPrecision });
    this.tags = new TagModel();
    this.profiles = new MemberProfiles(this.kb);
  }

  static async create(vectors: TextVectors, settings: Partial<EngineSettings> = {}): Promise<Engine> {
    const [help, notHelp] = await Promise.all([vectors.embedMany(HELP_EXAMPLES), vectors.embedMany(NOT_HELP_EXAMPLES)]);
    return new Engine(vectors, buildHelpPrototypes(help, notHelp), { ...DEFAULT_ENGINE_SETTINGS, ...settings });
  }

  get modelId(): string {
    return this.vectors.modelId;
  }

  /** Adds or updates the community's tags; names and descriptions are embedded for cold start. */
  async defineTags(defs: readonly Omit<TagDefinition, 'vector'>[]): Promise<void> {
    const vectors = await this.vectors.embedMany(defs.map(tagText));
    defs.forEach((d, i) => this.tags.define({ ...d, vector: vectors[i] }));
  }

  /**
   * Replaces the tag set while running (an admin approved, renamed or merged tags): `renamed`
   * maps old names to new ones in the history's tags first. Only new or changed definitions are
   * embedded again; suggestions use the new set from the next request on.
   */
  async redefineTags(defs: readonly Omit<TagDefinition, 'vector'>[], renamed: ReadonlyMap<string, string> = new Map()): Promise<void> {
    for (const [from, to] of renamed) this.kb.renameTag(from, to);
    const fresh = defs.filter((d) => {
      const known = this.tags.definition(d.name);
      return !known?.vector || known.description !== d.description;
    });
    const vectors = await this.vectors.embedMany(fresh.map(tagText));
    const embedded = new Map(fresh.map((d, i) => [d.name, vectors[i]!]));
    this.tags.reset(
      defs.map((d) => ({ ...d, vector: embedded.get(d.name) ?? this.tags.definition(d.name)!.vector })),
      this.kb,
    );
    if (this.tags.stale) await this.trainTags();
  }

  /** What a member says they can help with (`!coagent interests`, profile text); empty forgets it. */
  async setInterests(member: MemberId, text: string): Promise<void> {
    const trimmed = text.trim();
    if (!trimmed) {
      this.interests.delete(member);
      return;
    }
    this.interests.set(member, { text: trimmed, vector: await this.embed(trimmed) });
  }

  /**
   * Learns from past documents (embedding only those the cache does not hold yet). `known[i]`:
   * the content hash of docs[i]'s text as the store keeps it, from an earlier start; only a
   * caller that read text and hash together may pass it (a hash of other text would find that
   * text's vector). Returns the hashes found that differ from `known`, for the store to keep: the
   * next start then skips cleaning and hashing those documents.
   */
  async addDocuments(
    docs: readonly KnowledgeDocument[],
    onProgress?: (done: number, total: number) => void,
    known: readonly (string | null | undefined)[] = [],
  ): Promise<FoundContentHash[]> {
    this.kb.reserve(docs.length);
    const found: FoundContentHash[] = [];
    // A window at a time: the index copies each vector, so only one window's vectors are alive
    // at once (100k at once held 200 MB more at start-up and left it fragmented afterwards).
    // Indexing 10k documents is seconds of work: the event loop gets a turn every slice, so
    // requests, webhooks and the bridges' start-up run meanwhile (vectors read from the cache
    // resolve without ever leaving the microtask queue otherwise).
    const due = timeSlices(SLICE_MS);
    // A large history is tokenized on a second thread meanwhile (one window ahead); if that
    // thread cannot start or fails, the rest is tokenized here, as a small batch always is.
    let terms = docs.length >= PARALLEL_TERMS_FROM ? await ParallelTerms.start(this.kb.lexical).catch(() => undefined) : undefined;
    const lexicalWindow = (from: number): Promise<WindowTerms | undefined> | undefined =>
      terms && from < docs.length ? terms.request(docs.slice(from, from + ADD_WINDOW).map(lexicalText)).catch(() => undefined) : undefined;
    let nextTerms = lexicalWindow(0);
    try {
      for (let from = 0; from < docs.length; from += ADD_WINDOW) {
        const window = docs.slice(from, from + ADD_WINDOW);
        const windowTerms = nextTerms;
        nextTerms = lexicalWindow(from + ADD_WINDOW);
        const progress = onProgress ? { onProgress: (done: number): void => onProgress(from + done, docs.length) } : {};
        const texts = window.map(documentText);
        const { vectors, hashes } = this.vectors.embedManyHashed
          ? await this.vectors.embedManyHashed(
              texts,
              window.map((_, i) => known[from + i] ?? undefined),
              progress,
            )
          : { vectors: await this.vectors.embedMany(texts, progress), hashes: [] };
        const tokenized = await windowTerms;
        if (windowTerms && !tokenized && terms) {
          await terms.close();
          terms = undefined;
          nextTerms = undefined;
        }
        for (const [i, d] of window.entries()) {
          const hash = hashes[i];
          if (hash !== undefined && hash !== known[from + i]) found.push({ id: d.id, contentHash: hash, title: d.title, text: d.text });
          const added = this.kb.add(d, vectors[i]!, tokenized && (() => tokenized.of(i)));
          this.tags.observe(added);
          this.profiles.observe(added);
          if (due()) await yieldToLoop();
        }
        if (due()) await yieldToLoop();
      }
    } finally {
      await terms?.close();
    }
    // Never inline: at 10k documents training takes seconds, and a webhook backlog would wait.
    if (this.tags.stale) this.trainTagsInBackground();
    if (this.settings.autoCalibrate && this.calibrationDue) this.calibrateInBackground();
    return found;
  }

  /**
   * Uses a classifier stored by an earlier run at once (a slightly stale one beats none): the
   * first training after the history is added compares fingerprints and only retrains when the
   * tagged history changed. False when `stored` is malformed (it is then ignored).
   */
  useStoredTags(stored: unknown): boolean {
    if (!stored || typeof stored !== 'object') return false;
    const { fingerprint, examples, classifier } = stored as Partial<StoredTags>;
    const parsed = TagClassifier.fromStored(classifier);
    if (!parsed || typeof fingerprint !== 'string' || typeof examples !== 'number') return false;
    this.tags.use({ classifier: parsed, fingerprint, examples, observed: 0 });
    return true;
  }

  /**
   * Trains the tag classifier in slices of at most ~20 ms of work, the event loop running
   * requests and webhooks in between; a call while one runs makes it run once more after.
   */
  trainTags(): Promise<void> {
    this.trainAgain = this.training !== undefined;
    this.training ??= (async () => {
      try {
        do {
          this.trainAgain = false;
          const trained = await drainSliced(this.tags.trainSteps(this.kb), async () => {
            if (this.stopped) throw new CalibrationStopped();
            await yieldToLoop();
          });
          if (this.stopped) return;
          if (trained) {
            this.tags.use(trained);
            const stored = storedTags(trained);
            if (stored) await this.onTagsTrained?.(stored);
          }
          // Documents added meanwhile ask again; a tenth more tagged history is worth a rerun.
        } while (this.trainAgain && this.tags.stale);
      } finally {
        this.training = undefined;
      }
    })();
    return this.training;
  }

  private trainTagsInBackground(): void {
    if (this.stopped) return;
    // Background work even when a request sets it off: it yields to requests (core/foreground.ts).
    // (A request that awaits the training, as redefineTags does, runs it as its own work.)
    outsideForeground(() => this.trainTags()).catch((e: unknown) => {
      if (!(e instanceof CalibrationStopped)) this.onCalibrationError?.(e);
    });
  }

  /** Resolves once background tag training (if any) has finished: tests and benchmarks wait here. */
  async settled(): Promise<void> {
    while (this.training) await this.training.catch(() => undefined);
  }

  /**
   * Resolves once nothing is being fitted in the background: neither tag training nor a
   * calibration (which settled() does not wait for). Benchmarks measure the steady state here.
   */
  async quiet(): Promise<void> {
    while (this.training || this.running) {
      await this.running?.catch(() => undefined);
      await this.settled();
    }
  }

  /** Drops every document by this author and their interests (a member erased outside this process). */
  forgetAuthor(author: MemberId): void {
    for (const doc of [...this.kb.docs.values()]) if (doc.authorId === author) this.removeDocument(doc.id);
    this.interests.delete(author);
  }

  removeDocument(id: KnowledgeDocument['id']): void {
    const doc = this.kb.get(id);
    this.kb.remove(id);
    if (doc?.authorId !== undefined) this.profiles.recount(doc.authorId);
  }

  /** The calibration in use (undefined: built-in priors everywhere). */
  get calibration(): EngineCalibration | undefined {
    return this.fitted;
  }

  /** Uses a calibration (a stored one at start, or a fresh one). */
  applyCalibration(c: EngineCalibration): void {
    this.fitted = c;
    const threshold = this.settings.overrides.helpThreshold;
    const usable = c.help && this.settings.overrides.learnHelp !== false && c.help.weights.length === this.kb.dims + 5;
    this.learnedHelp = usable ? learnedHelp(threshold === undefined ? c.help! : { ...c.help!, threshold }) : undefined;
  }

  /** True when the history grew enough since the last calibration (or there was none). */
  get calibrationDue(): boolean {
    const n = this.kb.size;
    return n >= MIN_DOCUMENTS_TO_CALIBRATE && (!this.fitted || n >= this.fitted.documents * (1 + RECALIBRATE_GROWTH));
  }

  /**
   * Fits routing, tagging and similar topics on the history and starts using the result. Runs in
   * small steps that give the event loop back; a second call while one runs joins it.
   */
  calibrate(pause: Pause = nextTick): Promise<EngineCalibration | undefined> {
    this.running ??= (async () => {
      try {
        const stoppable: Pause = async () => {
          if (this.stopped) throw new CalibrationStopped();
          await pause();
        };
        const c = await calibrate(this.kb, this.tags, { ...DEFAULT_TAGGING, maxTagsCap: this.settings.tagging.maxTags }, this.settings.candidates, stoppable);
        if (this.stopped) return undefined;
        this.applyCalibration(c);
        await this.onCalibrated?.(c);
        return c;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private calibrateInBackground(): void {
    if (this.running || this.stopped) return;
    outsideForeground(() => this.calibrate()).catch((e: unknown) => {
      if (!(e instanceof CalibrationStopped)) this.onCalibrationError?.(e);
    });
  }

  /** Stops background calibration (at its next pause) and waits for it; call before closing the store. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.running?.catch(() => undefined);
    await this.settled();
  }

  /** The settings in effect: built-in, then what calibration chose, then what the operator fixed. */
  effectiveSettings(): Pick<EngineSettings, 'similar' | 'tagging'> {
    const c = this.fitted;
    const s = this.settings;
    const tagging: TaggingSettings = { ...s.tagging };
    if (c?.tagging) {
      tagging.classifierWeight = c.tagging.classifierWeight;
      tagging.lexShare = c.tagging.lexShare;
      tagging.maxTags = Math.min(s.tagging.maxTags, c.tagging.maxTags);
      tagging.minConfidence = c.tagging.minConfidence;
    }
    if (s.overrides.tagMinConfidence !== undefined) tagging.minConfidence = s.overrides.tagMinConfidence;
    const similar: SimilarSettings = { ...s.similar, ...(c?.similar ? { lexicalWeight: c.similar.lexicalWeight, minScore: c.similar.minScore } : {}) };
    if (s.overrides.similarMinScore !== undefined) similar.minScore = s.overrides.similarMinScore;
    return { similar, tagging };
  }

  /**
   * The learned estimate of how helpful each answer is (log-odds, for the digest's order), or
   * undefined before the community's history taught one.
   */
  answerPriors(
    problem: Float32Array,
    answers: readonly { text: string; vector?: Float32Array | undefined; authorId: MemberId; createdAt: Date }[],
    askerId: MemberId,
  ): number[] | undefined {
    const ranker = this.fitted?.answers?.ranker;
    if (!ranker) return undefined;
    const rows = answerFeatures(
      problem,
      answers.map((a) => {
        const p = this.profiles.get(a.authorId);
        return {
          text: a.text,
          vector: a.vector,
          postedAt: a.createdAt.getTime(),
          author: { answers: p?.answers ?? 0, judged: p?.judged ?? 0, accepted: p?.accepted ?? 0 },
          byAsker: a.authorId === askerId,
        };
      }),
    );
    return rows.map((r) => scoreRow(ranker, r));
  }

  async embed(text: string): Promise<Float32Array> {
    const [v] = await this.vectors.embedMany([text]);
    return v!;
  }

  async analyze(problem: ProblemInput): Promise<Analysis> {
    return this.analyzeWithVector(problem, await this.embed(documentText(problem)));
  }

  /** Everything after the embedding: synchronous and fast, so benchmarks can time it alone. */
  analyzeWithVector(problem: ProblemInput, vector: Float32Array): Analysis {
    const text = documentText(problem);
    const now = problem.now ?? new Date();
    const prepared = this.kb.prepare({ vector, text }, this.settings.candidates);
    const scope = { excludeThreads: problem.excludeThreads, before: now.getTime() };
    const settings = this.effectiveSettings();
    const tags = this.tags.suggest(this.kb, prepared, scope, settings.tagging);
    return {
      help: detectHelpRequest({ text, vector, mentionsBot: problem.mentionsBot ?? false }, this.prototypes, this.settings.helpThreshold, this.learnedHelp),
      tags,
      similar: findSimilarTopics(this.kb, prepared, scope, settings.similar),
      members: rankMembers(
        this.kb,
        { ranker: this.fitted?.routing?.ranker ?? PRIOR_RANKER, profiles: this.profiles, interests: this.interests },
        prepared,
        {
          now,
          tags: problem.tags?.length ? problem.tags : tags.map((t) => t.tag),
          ...(problem.excludeThreads ? { excludeThreads: problem.excludeThreads } : {}),
          ...(problem.originatorId !== undefined ? { originatorId: problem.originatorId } : {}),
          ...(problem.standing ? { standing: problem.standing } : {}),
        },
        this.settings.routing,
      ),
    };
  }
}
