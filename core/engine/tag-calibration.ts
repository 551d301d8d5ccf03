// Chooses how tagging blends its evidence, and how many tags it suggests, on the community's own
// tagged history: the newest part of it is tagged by a model that only knows the older part
// (classifier trained on it, neighbours and counts from it), and the settings that would have
// tagged the newer part best are kept. A community whose tags follow its wording leans on the
// classifier; one whose tags follow topics leans on the neighbours.
import { tokenize } from '../text/tokenize.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { lexicalText } from './knowledge-base.js';
import { TagClassifier } from './tag-classifier.js';
import { blend, newestOf, type TagEvidence, type TagModel, type TaggingSettings } from './tagging.js';
import { drain, type Steps } from './steps.js';

export interface TaggingCalibration {
  classifierWeight: number;
  lexShare: number;
  /** How many tags to suggest at most, and the confidence below which none is. */
  maxTags: number;
  minConfidence: number;
  /** Tagged documents validated on, and how well the chosen settings did there. */
  validated: number;
  f1At3: number;
  setF1: number;
}

/** Tagged documents needed before calibrating: below this the validation part is too small to trust. */
export const MIN_TAGGED_FOR_CALIBRATION = 60;
/** Share of the tagged history (newest) that validates, at most MAX_VALIDATION documents. */
const VALIDATION_SHARE = 0.2;
const MAX_VALIDATION = 400;
const GRID = [0, 0.2, 0.4, 0.6, 0.8, 1];
const CONFIDENCE_GRID = [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5];

/** Precision and recall of a ranked tag list against the gold tags. */
function hitsAt(ranked: readonly string[], gold: ReadonlySet<string>, k: number): number {
  let hits = 0;
  for (const t of ranked.slice(0, k)) if (gold.has(t)) hits++;
  return hits;
}

const f1 = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);

/**
 * Fits the blend and the cut-off on the newest tagged documents of `kb`. `maxTagsCap` bounds the
 * number of tags (a display limit). Undefined while there is too little tagged history.
 */
export function calibrateTagging(
  kb: KnowledgeBase,
  model: TagModel,
  base: TaggingSettings,
  maxTagsCap: number,
  candidates: number,
): TaggingCalibration | undefined {
  return drain(calibrateTaggingSteps(kb, model, base, maxTagsCap, candidates));
}

/** The same, yielding now and then (background calibration). */
export function* calibrateTaggingSteps(
  kb: KnowledgeBase,
  model: TagModel,
  base: TaggingSettings,
  maxTagsCap: number,
  candidates: number,
): Steps<TaggingCalibration | undefined> {
  const tagged = [...kb.docs.values()].filter((d) => d.tags.length > 0).sort((a, b) => a.time - b.time || a.id - b.id);
  if (tagged.length < MIN_TAGGED_FOR_CALIBRATION) return undefined;
  const nValid = Math.min(MAX_VALIDATION, Math.ceil(tagged.length * VALIDATION_SHARE));
  const older = tagged.slice(0, tagged.length - nValid);
  // As the service's classifier: from the newest TAG_TRAINING_LIMIT before the validation part.
  const train = newestOf(older);
  const valid = tagged.slice(tagged.length - nValid);
  const cut = valid[0]!.time;
  const examples: { terms: string[]; tags: readonly string[] }[] = [];
  for (const d of train) {
    examples.push({ terms: tokenize(lexicalText(d)), tags: d.tags });
    if (examples.length % 50 === 0) yield;
  }
  // Fine-grained yields: the caller pauses by time (drainSliced), not at every yield.
  const classifier = yield* TagClassifier.trainSteps(examples, { yieldEvery: 10 });
  const counts = new Map<string, number>();
  for (const d of older) for (const t of d.tags) counts.set(t, (counts.get(t) ?? 0) + 1);

  const cases: { gold: Set<string>; evidence: TagEvidence[] }[] = [];
  for (const d of valid) {
    yield;
    const vector = kb.vectorOf(d.id);
    if (!vector) continue;
    const prepared = kb.prepare({ vector: vector.slice(), text: d.title ? `${d.title}\n\n${d.text}` : d.text }, candidates);
    const evidence = model.evidence(kb, prepared, { before: cut }, base, { classifier, count: (t) => counts.get(t) ?? 0 });
    cases.push({ gold: new Set(d.tags), evidence });
  }
  if (cases.length === 0) return undefined;

  const rank = (settings: TaggingSettings, e: readonly TagEvidence[]): { tag: string; c: number }[] =>
    e.map((x) => ({ tag: x.tag, c: blend(x, settings) })).sort((a, b) => b.c - a.c || a.tag.localeCompare(b.tag));

  // The blend: F1 of the top three (the evaluation's measure, independent of any cut-off).
  let best = { classifierWeight: base.classifierWeight, lexShare: base.lexShare, f1At3: -1 };
  for (const classifierWeight of GRID) {
    yield;
    for (const lexShare of GRID) {
      const settings = { ...base, classifierWeight, lexShare };
      let p = 0;
      let r = 0;
      for (const c of cases) {
        const hits = hitsAt(
          rank(settings, c.evidence).map((x) => x.tag),
          c.gold,
          3,
        );
        p += hits / 3;
        r += hits / c.gold.size;
      }
      const score = f1(p / cases.length, r / cases.length);
      if (score > best.f1At3 + 1e-9) best = { classifierWeight, lexShare, f1At3: score };
    }
  }

  // The cut-off: how many tags, and from which confidence, gives the best F1 of the suggested set.
  const settings = { ...base, classifierWeight: best.classifierWeight, lexShare: best.lexShare };
  const ranked = cases.map((c) => ({ gold: c.gold, list: rank(settings, c.evidence) }));
  let cutOff = { maxTags: Math.min(3, maxTagsCap), minConfidence: base.minConfidence, setF1: -1 };
  for (let maxTags = 1; maxTags <= maxTagsCap; maxTags++) {
    for (const minConfidence of CONFIDENCE_GRID) {
      let suggested = 0;
      let hits = 0;
      let gold = 0;
      for (const c of ranked) {
        const chosen = c.list.filter((x) => x.c > 0 && x.c >= minConfidence).slice(0, maxTags);
        suggested += chosen.length;
        hits += chosen.filter((x) => c.gold.has(x.tag)).length;
        gold += c.gold.size;
      }
      const score = f1(suggested ? hits / suggested : 0, gold ? hits / gold : 0);
      if (score > cutOff.setF1 + 1e-9) cutOff = { maxTags, minConfidence, setF1: score };
    }
  }
  return { ...best, ...cutOff, validated: cases.length };
}
