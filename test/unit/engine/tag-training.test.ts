// The tag classifier off the event loop and across restarts: training in time slices gives the
// same model as training at once while other callbacks run in between; a stored classifier is
// used at once and retrained only when the tagged history changed.
import { describe, expect, it } from 'vitest';
import { Engine, type StoredTags } from '../../../core/engine/engine.js';
import { useStoredTags } from '../../../core/engine/engine-service.js';
import { createLogger } from '../../../core/logging.js';
import { KnowledgeBase, lexicalText } from '../../../core/engine/knowledge-base.js';
import { drain, drainSliced } from '../../../core/engine/steps.js';
import { TagClassifier } from '../../../core/engine/tag-classifier.js';
import { TagModel } from '../../../core/engine/tagging.js';
import { tokenize } from '../../../core/text/tokenize.js';
import { documentId, type KnowledgeDocument } from '../../../core/types.js';
import { FAKE_DIMS, fakeVector, FakeVectors } from './fake-vectors.js';

const TOPICS: Record<string, string[]> = {
  equity: ['equity', 'vesting', 'cofounder', 'shares', 'cliff', 'dilution'],
  hiring: ['hiring', 'interview', 'engineer', 'salary', 'recruiter', 'offer'],
  pricing: ['pricing', 'plans', 'discount', 'subscription', 'churn', 'invoice'],
};

/** `n` tagged questions, each on one topic with that topic's tag. */
function history(n: number, from = 0): KnowledgeDocument[] {
  const names = Object.keys(TOPICS);
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const tag = names[i % names.length]!;
    const w = TOPICS[tag]!;
    return {
      id: documentId(i + 1),
      platform: 'discourse',
      threadId: `t${i}`,
      kind: 'question',
      title: `${w[i % 6]} ${w[(i + 1) % 6]}`,
      text: `Advice about ${w[i % 6]} and ${w[(i + 2) % 6]} for our ${w[(i + 4) % 6]} question ${i}`,
      createdAt: new Date(i * 86_400_000),
      tags: [tag],
      accepted: false,
      score: 0,
    };
  });
}

const examples = (docs: readonly KnowledgeDocument[]) => docs.map((d) => ({ terms: tokenize(`${d.title}\n${d.text}`), tags: d.tags }));

describe('TagClassifier training in slices', () => {
  it('gives the same model as training at once, with other callbacks running between slices', async () => {
    const data = examples(history(120));
    const atOnce = TagClassifier.train(data)!;
    let yields = 0;
    let pauses = 0;
    let interleaved = false;
    let trainingEnded = false;
    setImmediate(() => {
      interleaved = !trainingEnded;
    });
    const steps = TagClassifier.trainSteps(data, { yieldEvery: 10 });
    const counted = (function* () {
      for (;;) {
        const r = steps.next();
        if (r.done) return r.value;
        yields++;
        yield;
      }
    })();
    // A 0 ms slice pauses at every yield: the structure, not the clock, is under test.
    const sliced = await drainSliced(
      counted,
      async () => {
        pauses++;
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
      0,
    );
    trainingEnded = true;
    expect(interleaved).toBe(true);
    expect(yields).toBeGreaterThan(10);
    expect(pauses).toBe(yields);
    expect(sliced!.toStored()).toEqual(atOnce.toStored());
  });

  it('survives a round trip through the store as JSON, and refuses a damaged one', () => {
    const model = TagClassifier.train(examples(history(60)))!;
    const stored = JSON.parse(JSON.stringify(model.toStored())) as ReturnType<TagClassifier['toStored']>;
    const back = TagClassifier.fromStored(stored)!;
    const terms = tokenize('how much equity and vesting for a cofounder');
    expect([...back.predict(terms)]).toEqual([...model.predict(terms)]);
    expect(TagClassifier.fromStored({ ...stored, weights: stored.weights.slice(0, -8) })).toBeUndefined();
    expect(TagClassifier.fromStored({ ...stored, format: 'other' })).toBeUndefined();
    expect(
      TagClassifier.fromStored({ ...stored, bias: Buffer.from(new Float32Array(stored.tags.length).fill(Number.NaN).buffer).toString('base64') }),
    ).toBeUndefined();
    expect(TagClassifier.fromStored('garbage')).toBeUndefined();
  });
});

describe('TagModel.trainSteps', () => {
  it('trains the same classifier as train(), and skips training when the history it learned from is unchanged', () => {
    const kb = new KnowledgeBase(FAKE_DIMS);
    const model = new TagModel();
    for (const d of history(40)) model.observe(kb.add(d, fakeVector(d.text)));
    const trained = drain(model.trainSteps(kb))!;
    const direct = new TagModel();
    for (const d of kb.docs.values()) direct.observe(d);
    direct.train(kb);
    expect(trained.classifier!.toStored()).toEqual(direct.trained!.toStored());
    model.use(trained);
    expect(drain(model.trainSteps(kb))).toBeUndefined();
    expect(model.stale).toBe(false);
  });

  it('learns from the newest tagged documents only, up to the limit (a large history trains in bounded time)', () => {
    const kb = new KnowledgeBase(FAKE_DIMS);
    const model = new TagModel();
    const docs = history(60);
    for (const d of docs) model.observe(kb.add(d, fakeVector(d.text)));
    // An untagged document among them is never an example.
    model.observe(kb.add({ ...docs[0]!, id: documentId(1000), threadId: 'untagged', tags: [] }, fakeVector('untagged')));
    const limited = drain(model.trainSteps(kb, 25))!;
    expect(limited.examples).toBe(25);
    const asIndexed = (from: number) =>
      [...kb.docs.values()].filter((d) => d.tags.length > 0 && d.id > from).map((d) => ({ terms: tokenize(lexicalText(d)), tags: d.tags }));
    expect(limited.classifier!.toStored()).toEqual(TagClassifier.train(asIndexed(35))!.toStored());
    expect(limited.classifier!.toStored()).not.toEqual(TagClassifier.train(asIndexed(0))!.toStored());
    expect(drain(model.trainSteps(kb, 100))!.examples).toBe(60);
  });
});

describe('Engine tag classifier across restarts', () => {
  async function engineWith(docs: readonly KnowledgeDocument[], stored?: StoredTags): Promise<{ engine: Engine; trained: StoredTags[]; usedStored: boolean }> {
    const engine = await Engine.create(new FakeVectors());
    const trained: StoredTags[] = [];
    engine.onTagsTrained = (t) => {
      trained.push(JSON.parse(JSON.stringify(t)) as StoredTags);
    };
    const usedStored = stored ? engine.useStoredTags(stored) : false;
    // Before the history is even read, a stored classifier is in use.
    if (usedStored) expect(engine.tags.trained).toBeDefined();
    await engine.addDocuments(docs);
    await engine.settled();
    return { engine, trained, usedStored };
  }

  it('trains in the background on a first start, uses the stored classifier without training on the next, and retrains when the history changed', async () => {
    const docs = history(40);
    const first = await engineWith(docs);
    expect(first.trained).toHaveLength(1);
    expect(first.trained[0]!.examples).toBe(40);
    const stored = first.trained[0]!;

    const second = await engineWith(docs, stored);
    expect(second.usedStored).toBe(true);
    expect(second.trained).toEqual([]);
    const problem = { text: 'How should cofounders split equity and vesting?', now: new Date(100 * 86_400_000) };
    expect((await second.engine.analyze(problem)).tags).toEqual((await first.engine.analyze(problem)).tags);

    const grown = await engineWith([...docs, ...history(5, 40)], stored);
    expect(grown.trained).toHaveLength(1);
    expect(grown.trained[0]!.fingerprint).not.toBe(stored.fingerprint);
    expect(grown.trained[0]!.examples).toBe(45);
  });

  it('ignores a malformed stored classifier and trains a new one', async () => {
    const docs = history(20);
    const broken = await engineWith(docs, { fingerprint: 'x', examples: 3, classifier: { format: 'tag-classifier-v1' } } as unknown as StoredTags);
    expect(broken.usedStored).toBe(false);
    expect(broken.trained).toHaveLength(1);
  });
});

describe('useStoredTags (the service across a restart)', () => {
  it('stores the trained classifier as JSON, and the next start uses it without training or storing again', async () => {
    // The store keeps JSON text (learned-settings.ts): the fake does the same round trip.
    const rows = new Map<string, string>();
    let puts = 0;
    const learned = {
      get: (key: string) => Promise.resolve(rows.has(key) ? { json: JSON.parse(rows.get(key)!) as unknown, documents: 0, fittedAt: new Date() } : null),
      put: (key: string, json: unknown) => {
        puts++;
        rows.set(key, JSON.stringify(json));
        return Promise.resolve();
      },
    };
    const log = createLogger({ level: 'silent' });
    const docs = history(30);
    const starts: Engine[] = [];
    for (let run = 0; run < 2; run++) {
      const engine = await Engine.create(new FakeVectors());
      await useStoredTags(engine, learned, log);
      expect(engine.tags.trained !== undefined).toBe(run === 1);
      await engine.addDocuments(docs);
      await engine.settled();
      starts.push(engine);
    }
    expect(puts).toBe(1);
    expect(starts[1]!.tags.trained!.toStored()).toEqual(starts[0]!.tags.trained!.toStored());
  });
});
