// End-to-end engine latency for one new problem (tags + similar topics + member routing), with a
// knowledge base of real community texts and embedding-like vectors, excluding the new text's own
// embedding (that is the embedding benchmark's job).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ADD_WINDOW, DEFAULT_ENGINE_SETTINGS, PARALLEL_TERMS_FROM } from '../../core/engine/engine.js';
import { buildHelpPrototypes, detectHelpRequest } from '../../core/engine/help-detection.js';
import { KnowledgeBase, lexicalText } from '../../core/engine/knowledge-base.js';
import { MemberProfiles } from '../../core/engine/member-profiles.js';
import { PRIOR_RANKER } from '../../core/engine/routing-learner.js';
import { DEFAULT_ROUTING, rankMembers } from '../../core/engine/routing.js';
import { DEFAULT_SIMILAR, findSimilarTopics } from '../../core/engine/similar-topics.js';
import { DEFAULT_TAGGING, TAG_TRAINING_LIMIT, TagModel, taggedDocuments } from '../../core/engine/tagging.js';
import { mulberry32 } from '../../core/random.js';
import { ParallelTerms, type WindowTerms } from '../../core/search/parallel-terms.js';
import { syntheticEmbeddingStream } from '../../core/search/synthetic-vectors.js';
import type { VectorPrecision } from '../../core/search/vector-index.js';
import { cleanText } from '../../core/text/clean.js';
import { documentId, memberId, type KnowledgeDocument } from '../../core/types.js';
import { nearestRankPercentile } from '../../core/stats/percentile.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const DATASET = path.resolve(here, '..', '..', '..', 'shared', 'datasets', 'startups-se', 'questions.jsonl');

export interface EngineBenchResult {
  docs: number;
  members: number;
  p50Ms: number;
  p95Ms: number;
  /** Building the knowledge base (vectors generated, kb.add, bookkeeping) and training the tag model, ms. */
  buildMs: number;
  /** Training the tag classifier alone (part of buildMs), ms, and the tagged documents it learned from. */
  trainMs: number;
  trainedOn: number;
  /** Tagged documents in the knowledge base (more than trainedOn when training was capped). */
  tagged: number;
}

/** Real question and answer texts when the shared dataset is there; generated sentences otherwise. */
function communityTexts(n: number): { title: string; text: string; tags: string[] }[] {
  const out: { title: string; text: string; tags: string[] }[] = [];
  if (existsSync(DATASET)) {
    const rows = readFileSync(DATASET, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { title: string; body: string; tags: string[]; answers: { body: string }[] });
    for (const r of rows) {
      out.push({ title: r.title, text: cleanText(r.body, 'auto'), tags: r.tags });
      for (const a of r.answers) out.push({ title: '', text: cleanText(a.body, 'auto'), tags: [] });
    }
  } else {
    const words = 'budget hiring team sales equity funding product pricing marketing legal contract customer churn roadmap planning onboarding'.split(' ');
    const random = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      const pick = (): string => words[Math.floor(random() * words.length)]!;
      out.push({ title: `${pick()} ${pick()} question`, text: Array.from({ length: 40 }, pick).join(' '), tags: [pick(), pick()] });
    }
  }
  return Array.from({ length: n }, (_, i) => out[i % out.length]!);
}

export interface BenchCommunity {
  kb: KnowledgeBase;
  tags: TagModel;
  profiles: MemberProfiles;
  /** Held-out problems: text and vector. */
  queries: { text: string; vector: Float32Array }[];
  now: Date;
  author: () => number;
  /** Time spent in kb.add (vector index, BM25, document map, threads) and in tags/profiles.observe, ms. */
  kbAddMs: number;
  observeMs: number;
  /** Tag classifier training, ms (0 when not trained), and the tagged documents it learned from. */
  trainMs: number;
  trainedOn: number;
  tagged: number;
}

/**
 * `train`: trains the tag model as the service does, on the newest TAG_TRAINING_LIMIT tagged
 * documents (all of them below that).
 */
function trainTags(tags: TagModel, kb: KnowledgeBase, train: boolean): { trainMs: number; trainedOn: number; tagged: number } {
  const t0 = performance.now();
  if (!train) return { trainMs: 0, trainedOn: 0, tagged: 0 };
  tags.train(kb);
  const tagged = taggedDocuments(kb).length;
  return { trainMs: performance.now() - t0, trainedOn: Math.min(tagged, TAG_TRAINING_LIMIT), tagged };
}

/** A knowledge base of `docs` documents by `members` authors, plus `queries` held-out problems. */
export async function benchCommunity(
  docs: number,
  members: number,
  queries: number,
  train = true,
  precision: VectorPrecision = 'float32',
): Promise<BenchCommunity> {
  // Generated a window at a time, as a service reads them from its store in batches: holding all
  // of them at once would leave their freed memory in the allocator and inflate the memory bench.
  const vectors = syntheticEmbeddingStream(docs + queries, { seed: 11 });
  const next = (): Float32Array => vectors.next().value as Float32Array;
  const texts = communityTexts(docs + queries);
  const random = mulberry32(5);
  // Zipf-like authorship: a few members write much of the history, as in real communities.
  const author = (): number => 1 + Math.min(members - 1, Math.floor(members * Math.pow(random(), 2.5)));
  const kb = new KnowledgeBase(512, { precision });
  kb.reserve(docs);
  const tags = new TagModel();
  const profiles = new MemberProfiles(kb);
  const day = 86_400_000;
  let thread = 0;
  let kbAddMs = 0;
  let observeMs = 0;
  // As the service's start-up indexes (Engine.addDocuments): a window at a time, and from
  // PARALLEL_TERMS_FROM documents on, tokenized on a worker thread one window ahead. kbAddMs
  // counts kb.add and any wait for the worker, not making up the documents.
  const terms = docs >= PARALLEL_TERMS_FROM ? await ParallelTerms.start(kb.lexical) : undefined;
  const windowAt = (from: number): { docs: KnowledgeDocument[]; vectors: Float32Array[]; terms?: Promise<WindowTerms> } | undefined => {
    if (from >= docs) return undefined;
    const made: KnowledgeDocument[] = [];
    const vectorsOf: Float32Array[] = [];
    for (let i = from; i < Math.min(docs, from + ADD_WINDOW); i++) {
      const t = texts[i]!;
      const isQuestion = t.title !== '' || i % 3 === 0;
      if (isQuestion) thread++;
      vectorsOf.push(next());
      made.push({
        id: documentId(i + 1),
        platform: i % 2 ? 'matrix' : 'discourse',
        threadId: String(thread),
        kind: isQuestion ? 'question' : 'answer',
        title: t.title || undefined,
        text: t.text,
        authorId: memberId(author()),
        createdAt: new Date(Date.UTC(2024, 0, 1) + i * (day / 10)),
        tags: t.tags,
        accepted: random() < 0.2,
        score: Math.floor(random() * 5),
      });
    }
    return { docs: made, vectors: vectorsOf, ...(terms ? { terms: terms.request(made.map(lexicalText)) } : {}) };
  };
  try {
    let window = windowAt(0);
    for (let from = 0; window; from += ADD_WINDOW) {
      const current = window;
      window = windowAt(from + ADD_WINDOW);
      const t0 = performance.now();
      const tokenized = await current.terms;
      kbAddMs += performance.now() - t0;
      for (const [i, d] of current.docs.entries()) {
        const t1 = performance.now();
        const doc = kb.add(d, current.vectors[i]!, tokenized && (() => tokenized.of(i)));
        const t2 = performance.now();
        tags.observe(doc);
        profiles.observe(doc);
        kbAddMs += t2 - t1;
        observeMs += performance.now() - t2;
      }
    }
  } finally {
    await terms?.close();
  }
  const trained = trainTags(tags, kb, train);
  const held = Array.from({ length: queries }, (_, q) => {
    const t = texts[docs + q]!;
    return { text: `${t.title}\n\n${t.text}`, vector: next() };
  });
  return { kb, tags, profiles, queries: held, now: new Date(Date.UTC(2024, 0, 1) + docs * (day / 10)), author, kbAddMs, observeMs, ...trained };
}

export async function benchEngine(options: { docs?: number; members?: number; queries?: number } = {}): Promise<EngineBenchResult> {
  const docs = options.docs ?? 10_000;
  const members = options.members ?? 500;
  const started = performance.now();
  const { kb, tags, profiles, queries, now, author, trainMs, trainedOn, tagged } = await benchCommunity(docs, members, options.queries ?? 200);
  const buildMs = performance.now() - started;
  const prototypes = buildHelpPrototypes(
    queries.slice(0, 5).map((q) => q.vector),
    queries.slice(5, 10).map((q) => q.vector),
  );
  const times: number[] = [];
  for (const { text, vector } of queries) {
    const t0 = performance.now();
    detectHelpRequest({ text, vector }, prototypes);
    const prepared = kb.prepare({ vector, text }, DEFAULT_ENGINE_SETTINGS.candidates);
    tags.suggest(kb, prepared, {}, DEFAULT_TAGGING);
    findSimilarTopics(kb, prepared, {}, DEFAULT_SIMILAR);
    // Learned weights cost the same as the prior's: the same features, one dot product each.
    rankMembers(kb, { ranker: PRIOR_RANKER, profiles, interests: new Map() }, prepared, { now, originatorId: memberId(author()), tags: [] }, DEFAULT_ROUTING);
    times.push(performance.now() - t0);
  }
  return { docs, members, p50Ms: nearestRankPercentile(times, 50), p95Ms: nearestRankPercentile(times, 95), buildMs, trainMs, trainedOn, tagged };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const r = await benchEngine();
  console.log(
    `engine: ${r.docs} docs, ${r.members} members: p50 ${r.p50Ms.toFixed(1)} ms, p95 ${r.p95Ms.toFixed(1)} ms (knowledge base built in ${(r.buildMs / 1000).toFixed(1)} s)`,
  );
}
