// Tagging evaluation: the oldest 80% of questions (by date) are tagged history, the newest 20%
// are tagged by the engine and by a kNN-BM25 baseline; precision, recall and F1 of the top 3.
import { DEFAULT_ENGINE_SETTINGS } from '../../core/engine/engine.js';
import { KnowledgeBase } from '../../core/engine/knowledge-base.js';
import { DEFAULT_TAGGING, TagModel, type TagDefinition } from '../../core/engine/tagging.js';
import { documentId } from '../../core/types.js';
import { chronological } from './datasets.js';
import { Averages, f1, precisionRecallAt } from './metrics.js';
import type { QaCorpus } from './qa-corpus.js';

export interface TaggingScores {
  p3: number;
  r3: number;
  f1_3: number;
}

export interface TaggingReport {
  history: number;
  test: number;
  tags: number;
  engine: TaggingScores;
  baselines: { knnBm25: TaggingScores };
  /** The engine with tag names only and no tagged history: the cold start of a new community. */
  coldStart: TaggingScores;
}

const K = 3;

export function evaluateTagging(corpus: QaCorpus, tagDefinitions: readonly TagDefinition[]): TaggingReport {
  const ordered = chronological(corpus.questions);
  const cut = Math.floor(ordered.length * 0.8);
  const history = ordered.slice(0, cut);
  const test = ordered.slice(cut).filter((q) => q.tags.length > 0);

  const kb = new KnowledgeBase(corpus.dims);
  const model = new TagModel(tagDefinitions);
  const cold = new TagModel(tagDefinitions);
  const emptyKb = new KnowledgeBase(corpus.dims);
  history.forEach((q, i) => {
    const doc = kb.add(
      {
        id: documentId(i + 1), platform: 'discourse', threadId: String(q.id), kind: 'question', title: q.title, text: corpus.bodyText(q),
        createdAt: new Date(q.date), tags: q.tags, accepted: false, score: q.score,
      },
      corpus.questionVector(q),
    );
    model.observe(doc);
  });

  model.train(kb);
  const avg = new Averages<string>();
  const record = (name: string, predicted: string[], gold: Set<string>): void => {
    const pr = precisionRecallAt(predicted, gold, K);
    avg.add(`${name}.p`, pr.precision);
    avg.add(`${name}.r`, pr.recall);
  };
  const settings = { ...DEFAULT_TAGGING, maxTags: K, minConfidence: 0 };
  for (const q of test) {
    const gold = new Set(q.tags);
    const query = { vector: corpus.questionVector(q), text: corpus.questionText(q) };
    record('engine', model.suggest(kb, kb.prepare(query, DEFAULT_ENGINE_SETTINGS.candidates), {}, settings).map((t) => t.tag), gold);
    record('cold', cold.suggest(emptyKb, emptyKb.prepare(query, DEFAULT_ENGINE_SETTINGS.candidates), {}, settings).map((t) => t.tag), gold);
    record('knnBm25', knnBm25(kb, query.text), gold);
  }
  const scores = (name: string): TaggingScores => {
    const p = avg.get(`${name}.p`);
    const r = avg.get(`${name}.r`);
    return { p3: p, r3: r, f1_3: f1(p, r) };
  };
  return {
    history: history.length,
    test: test.length,
    tags: new Set(corpus.questions.flatMap((q) => q.tags)).size,
    engine: scores('engine'),
    baselines: { knnBm25: scores('knnBm25') },
    coldStart: scores('cold'),
  };
}

/** Baseline: tags voted by the 10 BM25-most-similar history questions (ties by summed score). */
function knnBm25(kb: KnowledgeBase, text: string): string[] {
  const votes = new Map<string, { n: number; s: number }>();
  for (const h of kb.lexical.search(text, 10)) {
    for (const t of kb.get(documentId(h.id))?.tags ?? []) {
      const v = votes.get(t) ?? { n: 0, s: 0 };
      votes.set(t, { n: v.n + 1, s: v.s + h.score });
    }
  }
  return [...votes.entries()].sort((a, b) => b[1].n - a[1].n || b[1].s - a[1].s || a[0].localeCompare(b[0])).slice(0, K).map(([t]) => t);
}
