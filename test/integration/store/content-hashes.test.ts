// Start-up reads each document's vector by the content hash an earlier start kept, instead of
// cleaning and hashing every text again: the engine, the text embedder and the store together.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../core/engine/engine.js';
import { storeEmbeddingCache } from '../../../core/engine/engine-service.js';
import type { Embedder } from '../../../core/embedding/embedder.js';
import { TextEmbedder } from '../../../core/embedding/text-embedder.js';
import type { Store } from '../../../core/store/index.js';
import { FAKE_DIMS, fakeVector } from '../../unit/engine/fake-vectors.js';
import { openTempStore } from './helpers.js';

/** Counts the texts it is asked to embed. */
class CountingEmbedder implements Embedder {
  readonly modelId = 'counting-fake';
  readonly dims = FAKE_DIMS;
  readonly backend = 'fake';
  embedded: string[] = [];
  async embedBatch(texts: readonly string[]): Promise<Float32Array[]> {
    this.embedded.push(...texts);
    return texts.map(fakeVector);
  }
  async close(): Promise<void> {}
}

describe('content hashes across starts', () => {
  let store: Store;
  let done: () => Promise<void>;
  beforeEach(async () => ({ store, done } = await openTempStore()));
  afterEach(async () => done());

  /** What start-up does: read the live history with its hashes, index it, keep what it found. */
  async function start(): Promise<{ engine: Engine; found: number; embedded: string[] }> {
    const embedder = new CountingEmbedder();
    const engine = await Engine.create(new TextEmbedder(embedder, { cache: storeEmbeddingCache(store) }), { autoCalibrate: false });
    embedder.embedded = []; // the engine's own help examples, embedded (or cached) at create
    const { docs, contentHashes } = await store.documents.listLiveWithHashes();
    const found = await engine.addDocuments(docs, undefined, contentHashes);
    await store.documents.keepContentHashes(found);
    return { engine, found: found.length, embedded: embedder.embedded };
  }

  it('hashes and embeds on a first start, reads by hash on the next, and works out an edited text again', async () => {
    for (const [i, text] of ['hiring a first engineer', 'pricing a subscription plan', 'vesting schedule for a cofounder'].entries())
      await store.documents.upsert({
        platform: 'discourse',
        externalId: `d${i}`,
        threadId: `t${i}`,
        kind: 'topic',
        title: `Topic ${i}`,
        text,
        createdAt: new Date(i * 1000),
      });

    const first = await start();
    expect(first.found).toBe(3);
    expect(first.embedded).toHaveLength(3);
    expect((await store.documents.listLiveWithHashes()).contentHashes.every((h) => typeof h === 'string')).toBe(true);

    const second = await start();
    expect(second.found).toBe(0);
    expect(second.embedded).toEqual([]);
    // The same index as the first start built: each document finds itself first.
    const q = fakeVector('Topic 1\n\npricing a subscription plan');
    expect(second.engine.kb.vectors.search(q, 1)[0]!.id).toBe(first.engine.kb.vectors.search(q, 1)[0]!.id);

    // An edit forgets the document's hash: the next start cleans, hashes and embeds its new text.
    await store.documents.upsert({
      platform: 'discourse',
      externalId: 'd1',
      threadId: 't1',
      kind: 'topic',
      title: 'Topic 1',
      text: 'annual pricing discounts',
      createdAt: new Date(1000),
    });
    const third = await start();
    expect(third.found).toBe(1);
    expect(third.embedded).toEqual(['Topic 1 annual pricing discounts']);
    const edited = (await store.documents.find('discourse', 'd1'))!;
    const expected = fakeVector('Topic 1 annual pricing discounts');
    const got = third.engine.kb.vectorOf(edited.id)!;
    expect(got.reduce((s, x, i) => s + x * expected[i]!, 0)).toBeCloseTo(1, 5);
  });
});
