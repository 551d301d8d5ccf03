import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../core/engine/knowledge-base.js';
import { calibrateSimilar, judgedFromHistory, type JudgedQuery } from '../../../core/engine/similar-calibration.js';
import { scoreDocuments } from '../../../core/engine/similar-topics.js';
import { calibrateTagging, MIN_TAGGED_FOR_CALIBRATION } from '../../../core/engine/tag-calibration.js';
import { DEFAULT_TAGGING, TagModel } from '../../../core/engine/tagging.js';
import { documentId, type DocumentId } from '../../../core/types.js';
import { FAKE_DIMS, fakeVector } from './fake-vectors.js';

const DAY = 86_400_000;
const TOPICS: Record<string, string[]> = {
  equity: ['equity', 'vesting', 'cofounder', 'shares', 'cliff', 'dilution'],
  hiring: ['hiring', 'interview', 'engineer', 'salary', 'recruiter', 'offer'],
  pricing: ['pricing', 'plans', 'discount', 'subscription', 'churn', 'invoice'],
  legal: ['contract', 'lawyer', 'liability', 'incorporation', 'trademark', 'terms'],
};

/** A tagged history: each question uses words of its one topic and carries that one tag. */
function history(n: number): { kb: KnowledgeBase; model: TagModel } {
  const kb = new KnowledgeBase(FAKE_DIMS);
  const model = new TagModel();
  const names = Object.keys(TOPICS);
  for (let i = 0; i < n; i++) {
    const tag = names[i % names.length]!;
    const words = TOPICS[tag]!;
    const text = `We need advice about ${words[i % 6]} and ${words[(i + 2) % 6]} for our ${words[(i + 4) % 6]} question number ${i}`;
    const doc = kb.add(
      {
        id: documentId(i + 1),
        platform: 'discourse',
        threadId: `t${i}`,
        kind: 'question',
        title: `${words[i % 6]} ${words[(i + 1) % 6]}`,
        text,
        createdAt: new Date(i * DAY),
        tags: [tag],
        accepted: false,
        score: 0,
      },
      fakeVector(`${words[i % 6]} ${words[(i + 1) % 6]} ${text}`),
    );
    model.observe(doc);
  }
  model.train(kb);
  return { kb, model };
}

describe('tagging calibration', () => {
  it('waits for enough tagged history', () => {
    const { kb, model } = history(MIN_TAGGED_FOR_CALIBRATION - 1);
    expect(calibrateTagging(kb, model, DEFAULT_TAGGING, 5, 50)).toBeUndefined();
  });

  it('learns that this community puts one tag on each topic, and tags the newest topics well', () => {
    const { kb, model } = history(200);
    const c = calibrateTagging(kb, model, DEFAULT_TAGGING, 5, 50)!;
    expect(c.validated).toBe(40);
    expect(c.maxTags).toBe(1);
    expect(c.setF1).toBeGreaterThan(0.9);
    expect(c.f1At3).toBeGreaterThan(0.45); // one right tag in the top three: P 1/3, R 1
    for (const w of [c.classifierWeight, c.lexShare]) expect(w).toBeGreaterThanOrEqual(0);
  });
});

describe('similar-topics calibration', () => {
  const kb = new KnowledgeBase(FAKE_DIMS);
  const texts = ['pricing plans for startups', 'discount on annual subscription', 'zebra migration patterns', 'hiring a first engineer'];
  texts.forEach((t, i) =>
    kb.add(
      {
        id: documentId(i + 1),
        platform: 'discourse',
        threadId: `c${i}`,
        kind: 'question',
        text: t,
        createdAt: new Date(0),
        tags: [],
        accepted: false,
        score: 0,
      },
      fakeVector(t),
    ),
  );
  const judged = (relevant: (id: DocumentId) => boolean, n = 30): JudgedQuery[] =>
    Array.from({ length: n }, () => ({
      vector: fakeVector('pricing plans and a discount'),
      text: 'pricing plans and a discount',
      candidates: texts.map((_, i) => ({ id: documentId(i + 1), relevant: relevant(documentId(i + 1)) })),
    }));

  it('needs enough judged queries', () => {
    expect(
      calibrateSimilar(
        kb,
        judged((id) => id <= 2, 5),
      ),
    ).toBeUndefined();
  });

  it('chooses a mix and a threshold that rank and show the related topics', () => {
    const c = calibrateSimilar(
      kb,
      judged((id) => id <= 2),
    )!;
    expect(c.map).toBe(1);
    expect(c.queries).toBe(30);
    const q = judged(() => true, 1)[0]!;
    const scores = scoreDocuments(
      kb,
      q,
      texts.map((_, i) => documentId(i + 1)),
      { lexicalWeight: c.lexicalWeight },
    );
    // Both related topics are shown, the zebras are not.
    expect(scores.get(documentId(1))!.score).toBeGreaterThanOrEqual(c.minScore);
    expect(scores.get(documentId(2))!.score).toBeGreaterThanOrEqual(c.minScore);
    expect(scores.get(documentId(3))!.score).toBeLessThan(c.minScore);
  });

  it('finds judgements in a tagged history: later topics sharing tags with earlier ones', () => {
    const { kb: tagged } = history(120);
    const found = judgedFromHistory(tagged);
    expect(found.length).toBeGreaterThan(50);
    expect(found.filter((q) => q.candidates.some((c) => c.relevant)).length).toBeGreaterThan(0.8 * found.length);
    const c = calibrateSimilar(tagged, found);
    expect(c).toBeDefined();
    expect(c!.map).toBeGreaterThan(0.7);
  });

  it('finds nothing to judge in a history without tags or links', () => {
    expect(judgedFromHistory(kb)).toEqual([]);
  });
});
