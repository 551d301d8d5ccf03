// Learns what a request for help looks like in this community: the opening posts of its forum
// threads (questions, topics) are requests, the replies to them are not. A logistic regression
// over the text's embedding and its wording cues is fitted on the older part of that history, and
// the threshold that separates the newer part best is kept. Chat messages are left out: in a
// chat, the first message of a thread is not reliably a request.
import { helpCues, type HelpCues, type LearnedHelp } from './help-detection.js';
import type { IndexedDocument, KnowledgeBase } from './knowledge-base.js';
import type { Steps } from './steps.js';

export interface HelpCalibration {
  weights: number[];
  bias: number;
  threshold: number;
  /** Examples fitted on and validated on, and the F1 on the validation part. */
  trained: number;
  validated: number;
  f1: number;
}

/** One labelled example: a text, its vector, and whether it asked for help. */
export interface HelpExample {
  text: string;
  vector: Float32Array;
  request: boolean;
}

/** Of each class, at least this many examples before fitting. */
export const MIN_HELP_EXAMPLES = 50;
/** Most recent examples fitted on: bounds the cost; a community's style drifts anyway. */
const MAX_EXAMPLES = 4000;
const VALIDATION_SHARE = 0.2;
const ITERATIONS = 150;
/** Examples between yields of the fitting loops (about a millisecond of work). */
const EXAMPLES_PER_STEP = 500;
const L2 = 1e-3;
const THRESHOLDS = Array.from({ length: 19 }, (_, i) => 0.05 + i * 0.05);

/** Cue features on a 0..1 scale, appended to the embedding. */
function cueVector(c: HelpCues): number[] {
  return [Math.min(c.questions, 4) / 4, c.asksForHelp ? 1 : 0, c.readsLikeAdvice ? 1 : 0, c.shortThanks ? 1 : 0, c.veryShort ? 1 : 0];
}

function featuresOf(text: string, vector: Float32Array, cues: HelpCues = helpCues(text)): Float64Array {
  const x = new Float64Array(vector.length + 5);
  x.set(vector);
  x.set(cueVector(cues), vector.length);
  return x;
}

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

/** Full-batch gradient descent with Adam: deterministic, no tuning per community. */
function* fit(xs: readonly Float64Array[], ys: readonly boolean[]): Steps<{ w: Float64Array; b: number }> {
  const d = xs[0]!.length;
  const w = new Float64Array(d);
  let b = 0;
  const m = new Float64Array(d + 1);
  const v = new Float64Array(d + 1);
  const g = new Float64Array(d + 1);
  const rate = 0.05;
  for (let t = 1; t <= ITERATIONS; t++) {
    g.fill(0);
    for (let i = 0; i < xs.length; i++) {
      // A pass over 10k examples of 517 features is tens of ms on a loaded machine: pause inside it.
      if (i % EXAMPLES_PER_STEP === EXAMPLES_PER_STEP - 1) yield;
      const x = xs[i]!;
      let z = b;
      for (let k = 0; k < d; k++) z += w[k]! * x[k]!;
      const err = sigmoid(z) - (ys[i] ? 1 : 0);
      for (let k = 0; k < d; k++) g[k]! += err * x[k]!;
      g[d]! += err;
    }
    for (let k = 0; k <= d; k++) {
      const grad = g[k]! / xs.length + (k < d ? L2 * w[k]! : 0);
      m[k] = 0.9 * m[k]! + 0.1 * grad;
      v[k] = 0.999 * v[k]! + 0.001 * grad * grad;
      const step = (rate * (m[k]! / (1 - 0.9 ** t))) / (Math.sqrt(v[k]! / (1 - 0.999 ** t)) + 1e-8);
      if (k < d) w[k]! -= step;
      else b -= step;
    }
    yield;
  }
  return { w, b };
}

function probability(w: ArrayLike<number>, b: number, x: Float64Array): number {
  let z = b;
  for (let k = 0; k < x.length; k++) z += (w[k] ?? 0) * x[k]!;
  return sigmoid(z);
}

/** Fits on examples in time order (oldest first); undefined with too few of either kind. */
export function* calibrateHelp(examples: readonly HelpExample[]): Steps<HelpCalibration | undefined> {
  const recent = examples.slice(-MAX_EXAMPLES);
  const requests = recent.filter((e) => e.request).length;
  if (requests < MIN_HELP_EXAMPLES || recent.length - requests < MIN_HELP_EXAMPLES) return undefined;
  const xs: Float64Array[] = [];
  for (const e of recent) {
    xs.push(featuresOf(e.text, e.vector));
    if (xs.length % EXAMPLES_PER_STEP === 0) yield;
  }
  const ys = recent.map((e) => e.request);
  const cut = Math.floor(recent.length * (1 - VALIDATION_SHARE));
  const { w, b } = yield* fit(xs.slice(0, cut), ys.slice(0, cut));
  const p = xs.slice(cut).map((x) => probability(w, b, x));
  let best = { threshold: 0.5, f1: -1 };
  for (const threshold of THRESHOLDS) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    p.forEach((pi, i) => {
      const actual = ys[cut + i]!;
      if (pi >= threshold && actual) tp++;
      else if (pi >= threshold) fp++;
      else if (actual) fn++;
    });
    const f1 = tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
    if (f1 > best.f1 + 1e-9) best = { threshold, f1 };
  }
  // The threshold was validated on the newest part; the weights then use all of it.
  const all = yield* fit(xs, ys);
  return { weights: [...all.w], bias: all.b, threshold: best.threshold, trained: xs.length, validated: xs.length - cut, f1: best.f1 };
}

/** The calibration as the detector uses it. */
export function learnedHelp(c: HelpCalibration): LearnedHelp {
  return { threshold: c.threshold, probability: (text, vector, cues) => probability(c.weights, c.bias, featuresOf(text, vector, cues)) };
}

const REQUEST_KINDS = new Set(['question', 'topic']);
const REPLY_KINDS = new Set(['answer', 'post']);

/** The forum part of the history as examples: opening posts ask, replies do not. */
export function helpExamples(kb: KnowledgeBase): HelpExample[] {
  const docs = [...kb.docs.values()]
    .filter((d: IndexedDocument) => REQUEST_KINDS.has(d.kind) || (REPLY_KINDS.has(d.kind) && !d.isRoot))
    .sort((a, b) => a.time - b.time || a.id - b.id);
  return docs.flatMap((d) => {
    const vector = kb.vectorOf(d.id);
    return vector ? [{ text: d.title ? `${d.title}\n\n${d.text}` : d.text, vector: vector.slice(), request: REQUEST_KINDS.has(d.kind) }] : [];
  });
}
