// One-vs-rest logistic regression from words to tags, trained on the community's tagged history.
// Sparse TF-IDF features keep training to about a second for thousands of tagged topics, and it
// complements the neighbour votes: it weighs every word's evidence for a tag across all of history
// instead of only looking at the closest few topics.
import { seededShuffle } from './shuffle.js';
import { drain, type Steps } from './steps.js';

export interface TagExample {
  terms: readonly string[];
  tags: readonly string[];
}

export interface TagClassifierOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Terms seen in fewer examples than this are not features. */
  minDocumentFrequency?: number;
  /** Examples between yields: small for a caller that pauses by time (default 500). */
  yieldEvery?: number;
}

/** A trained classifier as stored between restarts: the float arrays as base64 of their bytes. */
export interface StoredTagClassifier {
  format: typeof STORED_FORMAT;
  vocabulary: string[];
  tags: string[];
  idf: string;
  weights: string;
  bias: string;
}

const STORED_FORMAT = 'tag-classifier-v1';

// Little-endian bytes on every platform Node runs on; decoding copies into an aligned buffer.
const encode = (a: Float32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
function decode(s: unknown, length: number): Float32Array | undefined {
  if (typeof s !== 'string') return undefined;
  const bytes = Buffer.from(s, 'base64');
  if (bytes.byteLength !== length * 4) return undefined;
  const out = new Float32Array(length);
  new Uint8Array(out.buffer).set(bytes);
  return out.every(Number.isFinite) ? out : undefined;
}

interface SparseVector {
  index: Int32Array;
  value: Float32Array;
}

export class TagClassifier {
  private constructor(
    private readonly vocabulary: Map<string, number>,
    private readonly idf: Float32Array,
    readonly tags: readonly string[],
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
  ) {}

  /** The classifier as JSON for the store (a few MB at 10k tagged documents). */
  toStored(): StoredTagClassifier {
    return {
      format: STORED_FORMAT,
      vocabulary: [...this.vocabulary.keys()],
      tags: [...this.tags],
      idf: encode(this.idf),
      weights: encode(this.weights),
      bias: encode(this.bias),
    };
  }

  /** A stored classifier, checked: anything malformed or of another format gives undefined. */
  static fromStored(json: unknown): TagClassifier | undefined {
    if (!json || typeof json !== 'object') return undefined;
    const s = json as Partial<StoredTagClassifier>;
    if (s.format !== STORED_FORMAT || !Array.isArray(s.vocabulary) || !Array.isArray(s.tags)) return undefined;
    if (!s.vocabulary.every((t) => typeof t === 'string') || !s.tags.every((t) => typeof t === 'string')) return undefined;
    const idf = decode(s.idf, s.vocabulary.length);
    const weights = decode(s.weights, s.vocabulary.length * s.tags.length);
    const bias = decode(s.bias, s.tags.length);
    if (!idf || !weights || !bias) return undefined;
    return new TagClassifier(new Map(s.vocabulary.map((t, i) => [t, i])), idf, s.tags, weights, bias);
  }

  static train(examples: readonly TagExample[], options: TagClassifierOptions = {}): TagClassifier | undefined {
    return drain(TagClassifier.trainSteps(examples, options));
  }

  /** Training that yields every few hundred examples, for a caller that gives the event loop back. */
  static *trainSteps(examples: readonly TagExample[], options: TagClassifierOptions = {}): Steps<TagClassifier | undefined> {
    const epochs = options.epochs ?? 30;
    const rate = options.learningRate ?? 1.5;
    const l2 = options.l2 ?? 1e-6;
    const minDf = options.minDocumentFrequency ?? 2;
    const every = Math.max(1, options.yieldEvery ?? 500);
    const tagged = examples.filter((e) => e.tags.length > 0);
    if (tagged.length < 10) return undefined;

    const df = new Map<string, number>();
    // Counting and featurising are slices too: at 100k examples each is a second of work.
    for (const [i, e] of tagged.entries()) {
      for (const t of new Set(e.terms)) df.set(t, (df.get(t) ?? 0) + 1);
      if ((i + 1) % every === 0) yield;
    }
    const vocabulary = new Map<string, number>();
    const idfValues: number[] = [];
    for (const [t, n] of [...df].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
      if (n < minDf) continue;
      vocabulary.set(t, vocabulary.size);
      idfValues.push(Math.log(tagged.length / n));
    }
    const idf = Float32Array.from(idfValues);
    const tags = [...new Set(tagged.flatMap((e) => e.tags))].sort();
    const tagIndex = new Map(tags.map((t, i) => [t, i]));
    const T = tags.length;
    const weights = new Float32Array(vocabulary.size * T);
    const bias = new Float32Array(T);
    const counts = new Float64Array(T);
    for (const e of tagged) for (const t of e.tags) counts[tagIndex.get(t)!]!++;
    for (let t = 0; t < T; t++) {
      const p = (counts[t]! + 0.5) / (tagged.length + 1);
      bias[t] = Math.log(p / (1 - p));
    }

    const model = new TagClassifier(vocabulary, idf, tags, weights, bias);
    const data: { x: SparseVector; y: number[] }[] = [];
    for (const e of tagged) {
      data.push({ x: model.features(e.terms), y: e.tags.map((t) => tagIndex.get(t)!) });
      if (data.length % every === 0) yield;
    }
    const logits = new Float32Array(T);
    const isGold = new Uint8Array(T);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const lr = rate / (1 + epoch);
      let seen = 0;
      for (const { x, y } of seededShuffle(data, epoch + 1)) {
        if (++seen % every === 0) yield;
        model.logits(x, logits);
        for (const t of y) isGold[t] = 1;
        for (let t = 0; t < T; t++) {
          const g = 1 / (1 + Math.exp(-logits[t]!)) - isGold[t]!;
          // Skip negligible updates: most tags are far from most examples.
          if (Math.abs(g) < 1e-3) continue;
          bias[t] = bias[t]! - lr * g;
          for (let k = 0; k < x.index.length; k++) {
            const w = x.index[k]! * T + t;
            weights[w] = weights[w]! * (1 - lr * l2) - lr * g * x.value[k]!;
          }
        }
        for (const t of y) isGold[t] = 0;
      }
    }
    return model;
  }

  /** Probability of each tag for a text's terms. */
  predict(terms: readonly string[]): Map<string, number> {
    const logits = new Float32Array(this.tags.length);
    this.logits(this.features(terms), logits);
    const out = new Map<string, number>();
    this.tags.forEach((t, i) => out.set(t, 1 / (1 + Math.exp(-logits[i]!))));
    return out;
  }

  private logits(x: SparseVector, out: Float32Array): void {
    const T = this.tags.length;
    out.set(this.bias);
    for (let k = 0; k < x.index.length; k++) {
      const row = x.index[k]! * T;
      const v = x.value[k]!;
      for (let t = 0; t < T; t++) out[t]! += v * this.weights[row + t]!;
    }
  }

  /** Log-scaled term frequency times idf, unit length. */
  private features(terms: readonly string[]): SparseVector {
    const tf = new Map<number, number>();
    for (const t of terms) {
      const i = this.vocabulary.get(t);
      if (i !== undefined) tf.set(i, (tf.get(i) ?? 0) + 1);
    }
    const index = Int32Array.from(tf.keys());
    const value = new Float32Array(index.length);
    let norm = 0;
    index.forEach((i, k) => {
      const v = (1 + Math.log(tf.get(i)!)) * this.idf[i]!;
      value[k] = v;
      norm += v * v;
    });
    if (norm > 0) for (let k = 0; k < value.length; k++) value[k] = value[k]! / Math.sqrt(norm);
    return { index, value };
  }
}
