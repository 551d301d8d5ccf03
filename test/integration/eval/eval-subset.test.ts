// A real slice of the evaluation, with the real sentence encoder and the same protocol as
// `npm run eval` (time split, baselines tuned on the tuning part, report part only): the engine
// must stay ahead of the strong baselines, so a change that loses its real advantage fails CI.
// The full figures, with intervals, come from `npm run eval`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorpusEmbedder, type CorpusEmbedderHandle } from '../../../scripts/eval/embedder.js';
import { runEvaluation, type DatasetReport } from '../../../scripts/eval/run.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const datasets = path.resolve(process.env.CO_AGENT_DATASETS ?? path.join(here, '..', '..', '..', '..', 'shared', 'datasets'));
const STARTUPS = path.join(datasets, 'startups-se', 'questions.jsonl');
const SEMEVAL = path.join(datasets, 'semeval2016-qatarliving', 'questions.jsonl');

describe('evaluation subset (real model, first 1,000 questions)', () => {
  let embedder: CorpusEmbedderHandle;
  let qa: DatasetReport;
  let ranking: DatasetReport;

  beforeAll(async () => {
    for (const file of [STARTUPS, SEMEVAL]) {
      if (!existsSync(file))
        throw new Error(`the shared dataset ${file} is missing (set CO_AGENT_DATASETS to the folder holding startups-se/ and semeval2016-qatarliving/)`);
    }
    // CO_AGENT_EVAL_CACHE lets a developer reuse vectors between runs; CI embeds afresh.
    embedder = await createCorpusEmbedder({ workers: 2, cacheDir: process.env.CO_AGENT_EVAL_CACHE });
    const report = await runEvaluation({ datasets: [STARTUPS, SEMEVAL], limit: 1000 }, embedder);
    [qa, ranking] = report.datasets as [DatasetReport, DatasetReport];
  }, 1_500_000);

  afterAll(async () => {
    await embedder?.close();
  });

  it('splits by time and reports the newer half', () => {
    const r = qa.routing!;
    expect(r.questions.tuning).toBeGreaterThan(400);
    expect(r.questions.report).toBeGreaterThan(400);
    expect(qa.tagging!.questions).toEqual({ tuning: 500, report: 500 });
  });

  it('routes better than recency with its half-life tuned on the tuning part', () => {
    const r = qa.routing!;
    expect(Object.values(r.recencyHalfLife).every((h) => [3, 7, 10, 14, 30, 90].includes(h))).toBe(true);
    expect(r.learned.ranker).toBe('learned');
    expect(r.engine.recall5).toBeGreaterThan(r.baselines.recencyTuned!.recall5!);
    expect(r.engine.mrr).toBeGreaterThan(r.baselines.recencyTuned!.mrr!);
    const mrr = r.comparisons.find((c) => c.metric === 'mrr')!;
    expect(mrr.difference.low).toBeLessThan(mrr.difference.value);
    expect(mrr.difference.high).toBeGreaterThan(mrr.difference.value);
  });

  it('tags at least 5% better than the better kNN baseline (k chosen on the tuning part)', () => {
    const t = qa.tagging!;
    const best = Math.max(t.baselines.knnBm25!.f1_3!, t.baselines.knnEmbedding!.f1_3!);
    expect(t.engine.f1_3).toBeGreaterThan(1.05 * best);
    // With the tuning part's tag names only and no history it still finds real tags.
    expect(t.coldStart.f1_3).toBeGreaterThan(0.1);
  });

  it('puts the accepted answer first more often than longest-first, without votes', () => {
    const a = qa.answers!;
    expect(a.questions.report).toBeGreaterThan(100);
    expect(a.engine.top1).toBeGreaterThan(a.baselines.longestFirst!.top1!);
    expect(a.engine.top1).toBeGreaterThan(a.baselines.random!.top1!);
  });

  it('recognises requests for help far better than a question mark, once it learned them', () => {
    const d = qa.detection!;
    expect(d.engine.f1).toBeGreaterThan(d.baselines.questionMark!.f1! + 0.05);
  });

  it('ranks similar questions at least as well as the search engine, tuned BM25 and embedding cosine', () => {
    const s = ranking.similar!;
    expect(s.questions.report).toBeGreaterThan(25);
    for (const b of Object.values(s.baselines)) expect(s.engine.map).toBeGreaterThanOrEqual(b.map!);
  });
});
