// The one test file that runs the real USE-lite model: the worker pool (2 threads, started
// through the TypeScript worker bootstrap under Vitest), agreement with the single-thread
// embedder, messy inputs end to end, and broken model directories. ~20-40 s on 2 cores.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, truncateSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isZeroVector, TextEmbedder } from '../../../core/embedding/text-embedder.js';
import { locateModelFiles, ModelFileError, UseEmbedder } from '../../../core/embedding/use-model.js';
import { EmbedderPool, MAX_TEXT_CHARS } from '../../../core/embedding/worker-pool.js';

const dot = (a: Float32Array, b: Float32Array): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

let pool: EmbedderPool;
let single: UseEmbedder;

beforeAll(async () => {
  [pool, single] = await Promise.all([EmbedderPool.load({ workers: 2 }), UseEmbedder.load()]);
});
afterAll(async () => {
  await pool?.close();
});

describe('EmbedderPool with USE-lite', () => {
  it('reports the model and backend', () => {
    expect(pool.modelId).toBe(single.modelId);
    expect(pool.dims).toBe(512);
    expect(['tensorflow', 'wasm', 'cpu']).toContain(pool.backend);
    expect(pool.backendNotes.at(-1)).toBe('2 worker thread(s), one model each');
  });

  it('scores related sentences higher than unrelated ones', async () => {
    const [age, age2, phone, nginx, proxy] = await pool.embedBatch([
      'How old are you?',
      'What is your age?',
      'I like my phone.',
      'nginx returns 502 bad gateway behind the reverse proxy',
      'my reverse proxy gives a bad gateway error',
    ]);
    expect(dot(age!, age2!)).toBeGreaterThan(0.7);
    expect(dot(age!, age2!)).toBeGreaterThan(dot(age!, phone!) + 0.3);
    expect(dot(nginx!, proxy!)).toBeGreaterThan(dot(nginx!, age!) + 0.2);
  });

  it('gives the same vectors as the single-thread embedder (within 1e-4)', async () => {
    const texts = ['The server crashes on upload.', 'Wie alt bist du?', '👍', 'a', 'Matrix bridge drops messages after restart of synapse', ''];
    const [fromPool, fromSingle] = await Promise.all([pool.embedBatch(texts), single.embedBatch(texts)]);
    expect(fromPool).toHaveLength(texts.length);
    fromPool.forEach((v, i) => {
      expect(v).toHaveLength(512);
      let maxDiff = 0;
      for (let d = 0; d < 512; d++) maxDiff = Math.max(maxDiff, Math.abs(v[d]! - fromSingle[i]![d]!));
      expect(maxDiff, texts[i]).toBeLessThan(1e-4);
    });
  });

  it('cuts an unchunked huge text instead of stalling a worker', async () => {
    const t = performance.now();
    const [huge, head] = await pool.embedBatch(['word '.repeat(200_000), 'word '.repeat(MAX_TEXT_CHARS / 5)]);
    expect(performance.now() - t).toBeLessThan(10_000);
    expect(dot(huge!, head!)).toBeCloseTo(1, 4);
  });

  it('embeds messy real-world inputs through TextEmbedder without failing', async () => {
    const te = new TextEmbedder(pool);
    const inputs = [
      '',
      '   \n ',
      '👍🎉',
      '```python\nimport numpy as np\nnp.linalg.solve(a, b)\n```',
      '服务器上传大文件时崩溃了，怎么办？',
      'a\uD800b \u0000 \u202E control',
      '<p>Upload fails with <code>413 Request Entity Too Large</code></p>',
      `${'The upload fails with a timeout after thirty seconds. '.repeat(20_000)}`,
      'x'.repeat(100_000),
    ];
    const t = performance.now();
    const vs = await te.embedMany(inputs);
    expect(performance.now() - t).toBeLessThan(30_000);
    expect(isZeroVector(vs[0]!)).toBe(true);
    expect(isZeroVector(vs[1]!)).toBe(true);
    for (const v of vs.slice(2)) {
      expect(dot(v, v)).toBeCloseTo(1, 4);
      expect(v.every(Number.isFinite)).toBe(true);
    }
    // The 1 MB post is about upload timeouts, like the short one about an upload failing.
    expect(dot(vs[7]!, vs[6]!)).toBeGreaterThan(dot(vs[7]!, vs[3]!));
  });
});

describe('broken model directories', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'coagent-model-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A copy of the model package's files that the test can damage. */
  function copyModel(name: string): string {
    const src = locateModelFiles().dir;
    const dst = path.join(dir, name);
    rmSync(dst, { recursive: true, force: true });
    mkdirSync(dst, { recursive: true });
    for (const f of readdirSync(src)) copyFileSync(path.join(src, f), path.join(dst, f));
    return dst;
  }

  it('fails the pool load with the missing vocabulary file named', async () => {
    const modelDir = copyModel('no-vocab');
    unlinkSync(path.join(modelDir, 'vocab.json'));
    const load = EmbedderPool.load({ workers: 1, modelDir });
    await expect(load).rejects.toBeInstanceOf(ModelFileError);
    await expect(load).rejects.toMatchObject({ file: path.join(modelDir, 'vocab.json'), message: expect.stringContaining('missing') });
  });

  it('fails the pool load with the truncated shard named', async () => {
    const modelDir = copyModel('short-shard');
    truncateSync(path.join(modelDir, 'group1-shard3of7'), 1000);
    const load = EmbedderPool.load({ workers: 1, modelDir });
    await expect(load).rejects.toBeInstanceOf(ModelFileError);
    await expect(load).rejects.toMatchObject({ file: path.join(modelDir, 'group1-shard3of7'), message: expect.stringContaining('truncated') });
  });
});
