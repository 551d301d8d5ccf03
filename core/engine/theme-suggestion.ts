// Recurring themes in a community's history, for a community with no tags to start from (no
// forum, no configured vocabulary): the admin is shown them as proposed tags. Pure and seeded,
// so the same history gives the same proposals.
//
//  - Clustering: spherical k-means (k-means++ seeding, cosine) on the unit sentence vectors, for
//    every k from 2 to min(maxThemes, n / minClusterSize) + 1 (one more than could all be themes,
//    so stray messages have a cluster to go to); the k with the best mean silhouette (cosine
//    distance) wins. A message whose own silhouette is negative (closer to another cluster than
//    to its own) belongs to no theme; clusters left under minClusterSize are noise, never a tag.
//  - Naming: class-based TF-IDF (c-TF-IDF, as BERTopic names topics): a word's share of the
//    cluster's words times log(1 + average words per class / the word's count in all classes,
//    noise included), so words every cluster uses sink. A word must also occur in at least a
//    fifth of the cluster's messages (and two), so one long message cannot name a cluster, and
//    not be only general words ("first", "way", "work").
//    The name is the best word, joined by the second when it scores nearly as well (1-2 words,
//    3 with a two-word term), e.g. "equity" or "payment-gateway".
import { mulberry32 } from '../random.js';
import { words } from '../text/tokenize.js';
import { drain, type Steps } from './steps.js';

export interface ThemeDocument {
  text: string;
  /** The document's sentence vector (normalised here). */
  vector: Float32Array;
}

export interface ThemeSettings {
  /** Smallest cluster that can become a theme; smaller ones are noise. */
  minClusterSize: number;
  /** Most themes proposed (k is tried up to one more, and noise clusters are dropped). */
  maxThemes: number;
  /** Seed for k-means++: the same input and seed give the same themes. */
  seed: number;
  /** Runs of k-means per k (the tightest one is kept). */
  restarts: number;
}

export const DEFAULT_THEME_SETTINGS: ThemeSettings = { minClusterSize: 5, maxThemes: 8, seed: 1, restarts: 3 };

export interface Theme {
  /** Lower-case tag name, words joined by "-". */
  name: string;
  /** The most distinctive words, best first (as written in the messages). */
  terms: string[];
  /** A sentence for the tag's description (the engine embeds it to match requests). */
  description: string;
  /** Indexes (into the input) of the cluster's documents, closest to its centre first. */
  members: number[];
  /** Mean cosine similarity of the members to the cluster's centre. */
  cohesion: number;
}

export interface ThemeResult {
  themes: Theme[];
  /** The k chosen, and the silhouette of each k tried (for the log and the tests). */
  k: number;
  silhouettes: Record<number, number>;
}

/** Finds the recurring themes in `docs`; none when there are too few documents to cluster. */
export function suggestThemes(docs: readonly ThemeDocument[], settings: Partial<ThemeSettings> = {}): ThemeResult {
  return drain(suggestThemesSteps(docs, settings));
}

/**
 * The same, as steps that yield every millisecond or so (1,000 messages take seconds), for a
 * service to run in time slices (drainSliced) beside its requests and webhooks.
 */
export function* suggestThemesSteps(docs: readonly ThemeDocument[], settings: Partial<ThemeSettings> = {}): Steps<ThemeResult> {
  const s = { ...DEFAULT_THEME_SETTINGS, ...settings };
  const n = docs.length;
  const possible = Math.min(s.maxThemes, Math.floor(n / s.minClusterSize));
  if (possible < 1 || n < 3) return { themes: [], k: 0, silhouettes: {} };
  const kMax = Math.min(possible + 1, n - 1);
  const vectors = docs.map((d) => unit(d.vector));
  const sim = yield* similarities(vectors);
  const random = mulberry32(s.seed);
  let best: { k: number; assign: Int32Array; score: number } | undefined;
  const silhouettes: Record<number, number> = {};
  for (let k = 2; k <= kMax; k++) {
    let assign: Int32Array | undefined;
    let tightest = -Infinity;
    for (let r = 0; r < s.restarts; r++) {
      const run = yield* kMeans(vectors, sim, k, random);
      if (run.objective > tightest) [tightest, assign] = [run.objective, run.assign];
    }
    const score = mean(yield* pointSilhouettes(sim, assign!, k));
    silhouettes[k] = Math.round(score * 1000) / 1000;
    if (!best || score > best.score) best = { k, assign: assign!, score };
  }
  const { k, assign } = best!;

  const own = yield* pointSilhouettes(sim, assign, k);
  const groups: number[][] = Array.from({ length: k }, () => []);
  assign.forEach((c, i) => {
    if (own[i]! >= 0) groups[c]!.push(i);
  });
  const kept = groups.filter((g) => g.length >= s.minClusterSize);
  const noise = [...groups.filter((g) => g.length < s.minClusterSize).flat(), ...[...own].flatMap((v, i) => (v < 0 ? [i] : []))];
  const named = yield* nameClusters(docs, kept, noise);
  const themes: Theme[] = [];
  const used = new Set<string>();
  kept.forEach((members, c) => {
    const terms = named[c]!;
    const name = themeName(terms, used);
    if (!name) return;
    used.add(name);
    const centre = centroid(vectors, members);
    const closeness = members.map((i) => ({ i, sim: dot(vectors[i]!, centre) })).sort((a, b) => b.sim - a.sim || a.i - b.i);
    const words = terms.slice(0, 6).map((t) => t.word);
    themes.push({
      name,
      terms: words,
      description: `Recurring theme in ${members.length} messages: ${words.join(', ')}.`,
      members: closeness.map((m) => m.i),
      cohesion: closeness.reduce((a, m) => a + m.sim, 0) / members.length,
    });
  });
  themes.sort((a, b) => b.members.length - a.members.length || a.name.localeCompare(b.name));
  return { themes: themes.slice(0, s.maxThemes), k, silhouettes };
}

/** Words too general to name anything, on top of the tokenizer's stop words. */
const GENERIC = new Set(
  (
    'first new good best better way ways use using used make made time times question questions thing things ' +
    'really much many lot lots still well even around best great right going go take look looking every since already ' +
    'ask asked answer answers idea ideas help helps try tried work worked year years day days week weeks month months'
  ).split(' '),
);

interface Term {
  key: string;
  word: string;
  score: number;
  /** Words in the term (a two-word term counts two). */
  size: number;
}

/** Per kept cluster, its terms by c-TF-IDF, best first. */
function* nameClusters(docs: readonly ThemeDocument[], clusters: readonly number[][], noise: readonly number[]): Steps<Term[][]> {
  const classes = noise.length > 0 ? [...clusters, noise] : [...clusters];
  const counts = classes.map(() => new Map<string, number>());
  const docFreq = classes.map(() => new Map<string, number>());
  const surface = new Map<string, Map<string, number>>();
  const totals = classes.map(() => 0);
  const all = new Map<string, number>();
  for (const [c, members] of classes.entries()) {
    for (const i of members) {
      yield;
      const tokens = words(docs[i]!.text);
      const seen = new Set<string>();
      const terms: { key: string; word: string }[] = tokens.map((t) => ({ key: t.stem, word: t.word }));
      // Adjacent pairs (after stop words are out): "remote team", "payment gateway".
      for (let j = 1; j < tokens.length; j++) {
        if (tokens[j - 1]!.stem !== tokens[j]!.stem)
          terms.push({ key: `${tokens[j - 1]!.stem} ${tokens[j]!.stem}`, word: `${tokens[j - 1]!.word} ${tokens[j]!.word}` });
      }
      for (const t of terms) {
        if (/^\d+$/.test(t.key)) continue;
        counts[c]!.set(t.key, (counts[c]!.get(t.key) ?? 0) + 1);
        all.set(t.key, (all.get(t.key) ?? 0) + 1);
        if (!t.key.includes(' ')) totals[c]!++;
        const forms = surface.get(t.key) ?? new Map<string, number>();
        forms.set(t.word, (forms.get(t.word) ?? 0) + 1);
        surface.set(t.key, forms);
        if (!seen.has(t.key)) {
          seen.add(t.key);
          docFreq[c]!.set(t.key, (docFreq[c]!.get(t.key) ?? 0) + 1);
        }
      }
    }
  }
  const average = totals.reduce((a, b) => a + b, 0) / classes.length;
  return clusters.map((members, c) => {
    const minDocs = Math.max(2, Math.ceil(members.length / 5));
    const out: Term[] = [];
    for (const [key, count] of counts[c]!) {
      if ((docFreq[c]!.get(key) ?? 0) < minDocs) continue;
      const written = mostCommon(surface.get(key)!);
      if (written.split(' ').every((w) => GENERIC.has(w) || w.length < 3)) continue;
      const score = (count / Math.max(1, totals[c]!)) * Math.log(1 + average / all.get(key)!);
      out.push({ key, word: written, score, size: key.includes(' ') ? 2 : 1 });
    }
    return out.sort((a, b) => b.score - a.score || a.key.localeCompare(b.key));
  });
}

/** 1-3 words: the best term, and the next one when it scores at least 80% as well and adds a word. */
function themeName(terms: readonly Term[], used: ReadonlySet<string>): string | undefined {
  for (let first = 0; first < Math.min(terms.length, 5); first++) {
    const top = terms[first]!;
    const parts = [top.word];
    const next = terms.slice(first + 1).find((t) => !overlaps(t, top));
    if (next && next.score >= 0.8 * top.score && top.size + next.size <= 3) parts.push(next.word);
    const name = parts.join(' ').replace(/\s+/g, '-');
    if (!used.has(name)) return name;
  }
  return undefined;
}

const overlaps = (a: Term, b: Term): boolean => {
  const x = new Set(a.key.split(' '));
  return b.key.split(' ').some((w) => x.has(w));
};

function mostCommon(forms: Map<string, number>): string {
  let best = '';
  let n = -1;
  for (const [w, c] of forms) if (c > n || (c === n && w < best)) [best, n] = [w, c];
  return best;
}

function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (const x of v) n += x * x;
  const norm = Math.sqrt(n) || 1;
  return v.map((x) => x / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function* similarities(vectors: readonly Float32Array[]): Steps<Float32Array> {
  const n = vectors.length;
  const sim = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    yield;
    sim[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) sim[i * n + j] = sim[j * n + i] = dot(vectors[i]!, vectors[j]!);
  }
  return sim;
}

function centroid(vectors: readonly Float32Array[], members: readonly number[]): Float32Array {
  const c = new Float32Array(vectors[0]!.length);
  for (const i of members) for (let d = 0; d < c.length; d++) c[d]! += vectors[i]![d]!;
  return unit(c);
}

/** Spherical k-means: k-means++ seeds on cosine distance, then assign/update until stable. */
function* kMeans(vectors: readonly Float32Array[], sim: Float32Array, k: number, random: () => number): Steps<{ assign: Int32Array; objective: number }> {
  const n = vectors.length;
  const seeds = [Math.floor(random() * n)];
  const nearest = new Float64Array(n).fill(Infinity);
  while (seeds.length < k) {
    yield;
    const last = seeds[seeds.length - 1]!;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.max(0, 1 - sim[i * n + last]!);
      nearest[i] = Math.min(nearest[i]!, d * d);
      total += nearest[i]!;
    }
    let r = random() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= nearest[i]!;
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    seeds.push(pick);
  }
  let centres = seeds.map((i) => vectors[i]!);
  const assign = new Int32Array(n).fill(-1);
  let objective = 0;
  for (let round = 0; round < 50; round++) {
    yield;
    let changed = false;
    objective = 0;
    for (let i = 0; i < n; i++) {
      if (i % 100 === 99) yield;
      let bestC = 0;
      let bestS = -Infinity;
      centres.forEach((c, j) => {
        const sc = dot(vectors[i]!, c);
        if (sc > bestS) [bestS, bestC] = [sc, j];
      });
      objective += bestS;
      if (assign[i] !== bestC) {
        assign[i] = bestC;
        changed = true;
      }
    }
    if (!changed) break;
    yield;
    centres = centres.map((c, j) => {
      const members: number[] = [];
      assign.forEach((a, i) => {
        if (a === j) members.push(i);
      });
      return members.length > 0 ? centroid(vectors, members) : c;
    });
  }
  return { assign, objective };
}

/** Each point's silhouette with cosine distance; a point alone in its cluster scores 0. */
function* pointSilhouettes(sim: Float32Array, assign: Int32Array, k: number): Steps<Float64Array> {
  const n = assign.length;
  const out = new Float64Array(n);
  const sizes = new Array<number>(k).fill(0);
  for (const c of assign) sizes[c]!++;
  const sums = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (i % 50 === 0) yield;
    sums.fill(0);
    for (let j = 0; j < n; j++) if (j !== i) sums[assign[j]!]! += 1 - sim[i * n + j]!;
    const own = assign[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && sizes[c]! > 0) b = Math.min(b, sums[c]! / sizes[c]!);
    if (Number.isFinite(b) && Math.max(a, b) > 0) out[i] = (b - a) / Math.max(a, b);
  }
  return out;
}

const mean = (values: Float64Array): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
