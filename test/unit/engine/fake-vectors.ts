// A deterministic stand-in for the sentence encoder in unit tests: hashed bag of stemmed words,
// so texts sharing words are close. Real-model behaviour is covered by the evaluation tests.
import type { TextVectors } from '../../../core/engine/engine.js';
import { tokenize } from '../../../core/text/tokenize.js';

export const FAKE_DIMS = 64;

function hash(word: string): number {
  let h = 2166136261;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 16777619);
  return (h >>> 0) % FAKE_DIMS;
}

export function fakeVector(text: string): Float32Array {
  const v = new Float32Array(FAKE_DIMS);
  v[0] = 0.3; // a shared component, as real embeddings have
  for (const t of tokenize(text)) v[hash(t)]! += 1;
  let n = 0;
  for (const x of v) n += x * x;
  return v.map((x) => x / Math.sqrt(n));
}

export class FakeVectors implements TextVectors {
  readonly modelId = 'fake-bag-of-words';
  readonly dims = FAKE_DIMS;
  calls = 0;
  async embedMany(texts: readonly string[], options: { onProgress?: (done: number, total: number) => void } = {}): Promise<Float32Array[]> {
    this.calls++;
    const vectors = texts.map(fakeVector);
    options.onProgress?.(texts.length, texts.length);
    return vectors;
  }
}
