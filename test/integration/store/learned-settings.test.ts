import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/index.js';
import { openTempStore, type TempStore } from './helpers.js';

describe('store: learned settings', () => {
  let store: Store;
  let temp: TempStore;
  beforeEach(async () => {
    temp = await openTempStore();
    store = temp.store;
  });
  afterEach(async () => {
    await store.close();
    await temp.done();
  });

  it('keeps the latest fit per key across a restart, with its document count and date', async () => {
    expect(await store.learned.get('tag-classifier')).toBeNull();
    await store.learned.put('tag-classifier', { weights: 'AAAA', n: 1 }, 10, new Date('2026-01-02T03:04:05.678Z'));
    await store.learned.put('tag-classifier', { weights: 'BBBB', n: 2 }, 12, new Date('2026-02-03T04:05:06.789Z'));
    await store.learned.put('engine-calibration', { documents: 5 }, 5, new Date('2026-03-01T00:00:00.000Z'));
    await store.close();
    store = await temp.reopen();
    expect(await store.learned.get('tag-classifier')).toEqual({
      json: { weights: 'BBBB', n: 2 },
      documents: 12,
      fittedAt: new Date('2026-02-03T04:05:06.789Z'),
    });
    expect((await store.learned.get('engine-calibration'))?.json).toEqual({ documents: 5 });
  });

  it('stores megabytes (written on a worker thread) and reads them back exactly', async () => {
    const big = { weights: 'x'.repeat(3_000_000), note: 'ünïcødé ✓' };
    await store.learned.put('tag-classifier', { weights: 'small' }, 1, new Date('2026-01-01T00:00:00.000Z'));
    await store.learned.put('tag-classifier', big, 7, new Date('2026-04-05T06:07:08.090Z'));
    expect(await store.learned.get('tag-classifier')).toEqual({ json: big, documents: 7, fittedAt: new Date('2026-04-05T06:07:08.090Z') });
    await store.learned.put('tag-classifier', { weights: 'small again' }, 8, new Date('2026-05-01T00:00:00.000Z'));
    expect((await store.learned.get('tag-classifier'))?.json).toEqual({ weights: 'small again' });
  });

  it('treats unreadable JSON as nothing stored (the engine fits again)', async () => {
    await store.learned.put('engine-calibration', { documents: 5 }, 5, new Date());
    temp.runSql('UPDATE "LearnedSettings" SET "json" = ? WHERE "key" = ?', '{not json', 'engine-calibration');
    expect(await store.learned.get('engine-calibration')).toBeNull();
  });
});
