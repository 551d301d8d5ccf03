// The engine's one entry point: given a problem, say whether it asks for help, what it is about,
// what the community already discussed, and who can help. Platform-neutral; the workflow decides
// what to do with the answer.
import type { KnowledgeDocument, MemberId } from '../types.js';
import { buildHelpPrototypes, detectHelpRequest, HELP_EXAMPLES, NOT_HELP_EXAMPLES, type HelpDetection, type HelpPrototypes } from './help-detection.js';
import { KnowledgeBase } from './knowledge-base.js';
import { DEFAULT_ROUTING, rankMembers, type MemberStanding, type RoutingResult, type RoutingSettings } from './routing.js';
import { DEFAULT_SIMILAR, findSimilarTopics, type SimilarSettings, type SimilarTopic } from './similar-topics.js';
import { DEFAULT_TAGGING, TagModel, type TagDefinition, type TaggingSettings, type TagSuggestion } from './tagging.js';

/** Raw text in (any markup), one unit vector per text out; cached per model. */
export interface TextVectors {
  readonly modelId: string;
  readonly dims: number;
  embedMany(texts: readonly string[], options?: { onProgress?: (done: number, total: number) => void }): Promise<Float32Array[]>;
}

export interface EngineSettings {
  /** Documents retrieved from each index (embedding, BM25) per problem before scoring. */
  candidates: number;
  similar: SimilarSettings;
  tagging: TaggingSettings;
  routing: RoutingSettings;
  helpThreshold: number;
}

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  candidates: 100,
  similar: DEFAULT_SIMILAR,
  tagging: DEFAULT_TAGGING,
  routing: DEFAULT_ROUTING,
  helpThreshold: 0.5,
};

export interface ProblemInput {
  text: string;
  title?: string;
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

/** The text a document or problem is embedded and matched as: the title names the problem. */
export const documentText = (d: { title?: string | undefined; text: string }): string => (d.title ? `${d.title}\n\n${d.text}` : d.text);

export class Engine {
  readonly kb: KnowledgeBase;
  readonly tags: TagModel;

  private constructor(
    private readonly vectors: TextVectors,
    private readonly prototypes: HelpPrototypes,
    readonly settings: EngineSettings,
  ) {
    this.kb = new KnowledgeBase(vectors.dims);
    this.tags = new TagModel();
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
    const vectors = await this.vectors.embedMany(defs.map((d) => `${d.name.replace(/[-_]/g, ' ')}${d.description ? `: ${d.description}` : ''}`));
    defs.forEach((d, i) => this.tags.define({ ...d, vector: vectors[i] }));
  }

  /** Learns from past documents (embedding only those the cache does not hold yet). */
  async addDocuments(docs: readonly KnowledgeDocument[], onProgress?: (done: number, total: number) => void): Promise<void> {
    const vectors = await this.vectors.embedMany(docs.map(documentText), onProgress ? { onProgress } : {});
    docs.forEach((d, i) => this.tags.observe(this.kb.add(d, vectors[i]!)));
    if (this.tags.stale) this.tags.train(this.kb);
  }

  removeDocument(id: KnowledgeDocument['id']): void {
    this.kb.remove(id);
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
    return {
      help: detectHelpRequest({ text, vector, mentionsBot: problem.mentionsBot ?? false }, this.prototypes, this.settings.helpThreshold),
      tags: this.tags.suggest(this.kb, prepared, scope, this.settings.tagging),
      similar: findSimilarTopics(this.kb, prepared, scope, this.settings.similar),
      members: rankMembers(
        this.kb,
        prepared,
        {
          now,
          ...(problem.excludeThreads ? { excludeThreads: problem.excludeThreads } : {}),
          ...(problem.originatorId !== undefined ? { originatorId: problem.originatorId } : {}),
          ...(problem.standing ? { standing: problem.standing } : {}),
        },
        this.settings.routing,
      ),
    };
  }
}
