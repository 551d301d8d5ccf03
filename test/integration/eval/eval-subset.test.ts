// A small, real slice of the evaluation: the engine, with the real sentence encoder, must not
// drop below the baselines computed in the same run. The full figures come from `npm run eval`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCorpusEmbedder, type CorpusEmbedderHandle } from '../../../scripts/eval/embedder.js';
import { runEvaluation, type EvaluationReport } from '../../../scripts/eval/run.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const datasets = path.resolve(here, '..', '..', '..', '..', 'shared', 'datasets');

describe('evaluation subset (real model)', () => {
  let embedder: CorpusEmbedderHandle;
  let report: EvaluationReport;

  beforeAll(async () => {
    // CO_AGENT_EVAL_CACHE lets a developer reuse vectors between runs; CI embeds afresh.
    embedder = await createCorpusEmbedder({ workers: 2, cacheDir: process.env.CO_AGENT_EVAL_CACHE });
    report = await runEvaluation(
      {
        datasets: [path.join(datasets, 'startups-se', 'questions.jsonl'), path.join(datasets, 'semeval2016-qatarliving', 'questions.jsonl')],
        limit: 700,
        answers: false,
      },
      embedder,
    );
  }, 900_000);

  afterAll(async () => {
    await embedder?.close();
  });

  it('ranks similar questions better than the search engine, BM25 and plain embedding cosine', () => {
    const s = report.similar!;
    expect(s.questions).toBeGreaterThan(50);
    for (const b of Object.values(s.baselines)) expect(s.engine.map).toBeGreaterThan(b.map);
  });

  it('tags better than kNN over BM25 neighbours', () => {
    const t = report.tagging!;
    expect(t.test).toBeGreaterThan(100);
    expect(t.engine.f1_3).toBeGreaterThan(t.baselines.knnBm25.f1_3);
    // With tag names only and no history it still finds real tags.
    expect(t.coldStart.f1_3).toBeGreaterThan(0.05);
  });

  it('routes better than the most active and the recently active members', () => {
    const r = report.routing!;
    expect(r.questions).toBeGreaterThan(300);
    for (const b of Object.values(r.baselines)) {
      expect(r.engine.mrr).toBeGreaterThan(b.mrr);
      expect(r.engine.recall5).toBeGreaterThan(b.recall5);
    }
  });

  it('puts the accepted answer first more often than ordering answers by time, without using score', () => {
    const a = report.answers!;
    expect(a.questions).toBeGreaterThan(200);
    expect(a.engine.top1).toBeGreaterThan(a.baselines.earliestFirst.top1);
    expect(a.engine.mrr).toBeGreaterThan(a.baselines.earliestFirst.mrr);
    expect(a.engine.top1).toBeGreaterThan(a.baselines.random.top1);
  });
});
