// Tagging evaluation: questions are replayed in time order; each is tagged from the tagged
// questions before it (the vocabulary is the tags seen so far), then joins the history. The
// engine retrains its classifier and recalibrates its blend and cut-off as the history grows by
// a tenth, as it does in a community. Precision, recall and F1 of the top 3 on the report part.
// Baselines: kNN voting over BM25 neighbours and over embedding neighbours, with k and the vote
// weighting chosen on the tuning part. Cold start: the engine with the tuning part's tag names
// only and no tagged history, on the report part.
import { DEFAULT_ENGINE_SETTINGS } from '../../core/engine/engine.js';
import { KnowledgeBase } from '../../core/engine/knowledge-base.js';
import { calibrateTagging, type TaggingCalibration } from '../../core/engine/tag-calibration.js';
import { DEFAULT_TAGGING, TagModel, type TagDefinition, type TaggingSettings } from '../../core/engine/tagging.js';
import { documentId, type DocumentId } from '../../core/types.js';
import { chronological } from './datasets.js';
import { f1 } from './metrics.js';
import { timeSplit } from './protocol.js';
import type { QaCorpus } from './qa-corpus.js';
import { Scorecard, type Comparison, type Metric } from './scorecard.js';

const K = 3;
export const KNN_K = [1, 3, 5, 10, 20, 30, 50] as const;
const WEIGHTINGS = ['count', 'similarity'] as const;

export const TAGGING_METRICS: Metric[] = [
  { name: 'p3', components: ['p'], value: (s, n) => (n ? s[0]! / n : 0) },
  { name: 'r3', components: ['r'], value: (s, n) => (n ? s[0]! / n : 0) },
  { name: 'f1_3', components: ['p', 'r'], value: (s, n) => (n ? f1(s[0]! / n, s[1]! / n) : 0) },
  // The engine's own cut-off (how many tags it would show): micro precision, recall and F1.
  { name: 'setF1', components: ['hits', 'shown', 'gold'], value: (s) => f1(s[1]! ? s[0]! / s[1]! : 0, s[2]! ? s[0]! / s[2]! : 0) },
];

export interface TaggingReport {
  questions: { tuning: number; report: number };
  tags: number;
  engine: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  /** k and vote weighting of each kNN baseline, chosen on the tuning part. */
  baselineSettings: Record<string, string>;
  /** The engine with tag names only and no tagged history: the cold start of a new community. */
  coldStart: Record<string, number>;
  comparisons: Comparison[];
  /** The blend and cut-off the engine had calibrated on its history by the end of the replay. */
  learned: TaggingCalibration | undefined;
  recalibrations: number;
}

/** Tags of the k nearest questions: by count (ties by summed similarity) or by summed similarity. */
function knnVote(kb: KnowledgeBase, hits: readonly { id: number; score: number }[], k: number, weighting: (typeof WEIGHTINGS)[number]): string[] {
  const votes = new Map<string, { n: number; s: number }>();
  for (const h of hits.slice(0, k)) {
    for (const t of kb.get(h.id as DocumentId)?.tags ?? []) {
      const v = votes.get(t) ?? { n: 0, s: 0 };
      votes.set(t, { n: v.n + 1, s: v.s + h.score });
    }
  }
  const key = (v: { n: number; s: number }): number => (weighting === 'count' ? v.n + v.s * 1e-6 : v.s);
  return [...votes.entries()]
    .sort((a, b) => key(b[1]) - key(a[1]) || a[0].localeCompare(b[0]))
    .slice(0, K)
    .map(([t]) => t);
}

export function evaluateTagging(corpus: QaCorpus, tagVectors: (names: readonly string[]) => Promise<Float32Array[]>): Promise<TaggingReport> {
  return run(corpus, tagVectors);
}

async function run(corpus: QaCorpus, tagVectors: (names: readonly string[]) => Promise<Float32Array[]>): Promise<TaggingReport> {
  const ordered = chronological(corpus.questions).filter((q) => q.tags.length > 0);
  const split = timeSplit(ordered);
  const kb = new KnowledgeBase(corpus.dims);
  const model = new TagModel();
  const maxK = Math.max(...KNN_K);
  // Cold start: the tag names a new community would configure (those of the tuning part).
  const coldNames = [...new Set(ordered.slice(0, split.cut).flatMap((q) => q.tags))].sort();
  const coldVectors = await tagVectors(coldNames.map((t) => t.replace(/[-_]/g, ' ')));
  const cold = new TagModel(coldNames.map((name, i) => ({ name, vector: coldVectors[i] }) satisfies TagDefinition));
  const emptyKb = new KnowledgeBase(corpus.dims);

  let calibration: TaggingCalibration | undefined;
  let recalibrations = 0;
  const settings = (): TaggingSettings => ({
    ...DEFAULT_TAGGING,
    ...(calibration ? { classifierWeight: calibration.classifierWeight, lexShare: calibration.lexShare } : {}),
  });
  const card = new Scorecard(TAGGING_METRICS);

  ordered.forEach((q, i) => {
    const gold = new Set(q.tags);
    const query = { vector: corpus.questionVector(q), text: corpus.questionText(q) };
    const prepared = kb.prepare(query, Math.max(DEFAULT_ENGINE_SETTINGS.candidates, maxK));
    const ranked = model.suggest(kb, prepared, {}, { ...settings(), maxTags: K, minConfidence: 0 }).map((t) => t.tag);
    const shown = calibration
      ? model.suggest(kb, prepared, {}, { ...settings(), maxTags: calibration.maxTags, minConfidence: calibration.minConfidence }).map((t) => t.tag)
      : ranked;
    const values: Record<string, Record<string, number>> = { engine: scores(ranked, gold, shown) };
    if (split.partOf(q) === 'report') {
      const coldRanked = cold
        .suggest(emptyKb, emptyKb.prepare(query, DEFAULT_ENGINE_SETTINGS.candidates), {}, { ...DEFAULT_TAGGING, maxTags: K, minConfidence: 0 })
        .map((t) => t.tag);
      values.coldStart = scores(coldRanked, gold);
    }
    const lexical = prepared.lexical;
    const semantic = kb.vectors.search(query.vector, maxK);
    for (const k of KNN_K) {
      for (const w of WEIGHTINGS) {
        values[`knnBm25-${k}-${w}`] = scores(knnVote(kb, lexical, k, w), gold);
        values[`knnEmbedding-${k}-${w}`] = scores(knnVote(kb, semantic, k, w), gold);
      }
    }
    card.add(split.partOf(q), i, values);

    const doc = kb.add(
      {
        id: documentId(i + 1),
        platform: 'discourse',
        threadId: String(q.id),
        kind: 'question',
        title: q.title,
        text: corpus.bodyText(q),
        createdAt: new Date(q.date),
        tags: q.tags,
        accepted: false,
        score: q.score,
      },
      corpus.questionVector(q),
    );
    model.observe(doc);
    if (model.stale) {
      model.train(kb);
      calibration = calibrateTagging(kb, model, DEFAULT_TAGGING, 5, DEFAULT_ENGINE_SETTINGS.candidates) ?? calibration;
      recalibrations++;
    }
  });

  const variants = (family: string): string[] => KNN_K.flatMap((k) => WEIGHTINGS.map((w) => `${family}-${k}-${w}`));
  const chosen = { knnBm25: card.chooseOnTuning(variants('knnBm25'), 'f1_3'), knnEmbedding: card.chooseOnTuning(variants('knnEmbedding'), 'f1_3') };
  const baselines = Object.values(chosen);
  return {
    questions: { tuning: card.count('tuning'), report: card.count('report') },
    tags: new Set(ordered.flatMap((q) => q.tags)).size,
    engine: card.scores('engine'),
    baselines: { knnBm25: card.scores(chosen.knnBm25), knnEmbedding: card.scores(chosen.knnEmbedding) },
    baselineSettings: Object.fromEntries(
      Object.entries(chosen).map(([family, v]) => {
        const [, k, w] = v.split('-');
        return [family, `k=${k}, ${w === 'count' ? 'majority vote' : 'similarity-weighted vote'}`];
      }),
    ),
    coldStart: card.scores('coldStart', (u) => u.part === 'report'),
    comparisons: ['p3', 'r3', 'f1_3'].map((m, i) => card.compare('engine', baselines, m, 10 + i)),
    learned: calibration,
    recalibrations,
  };
}

/** A question's components: top-3 precision and recall, and the shown set's hits. */
function scores(ranked: readonly string[], gold: ReadonlySet<string>, shown: readonly string[] = ranked.slice(0, K)): Record<string, number> {
  const hits = ranked.slice(0, K).filter((t) => gold.has(t)).length;
  return { p: hits / K, r: gold.size ? hits / gold.size : 0, hits: shown.filter((t) => gold.has(t)).length, shown: shown.length, gold: gold.size };
}
