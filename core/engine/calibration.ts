// The settings the engine fits on its community's history, kept together so they can be stored
// and loaded at start (fitting them again takes a background replay of the history):
// - routing: the ranker learned from who answered earlier questions (routing-replay.ts);
// - tagging: the blend of classifier and neighbour votes, and how many tags to suggest;
// - similar: the mix of meaning and wording, and the score from which a topic is shown;
// - help detection: what the community's requests look like, against its replies;
// - answers: which answers the askers accepted, for the digest's order.
// Each part is absent while the history is too small to fit it; the built-in priors apply then.
import { ANSWER_FEATURES, AnswerLearner } from './answer-ranker.js';
import { calibrateHelp, helpExamples, type HelpCalibration } from './help-calibration.js';
import { namedWeights, type LinearRanker } from './linear-ranker.js';
import type { KnowledgeBase } from './knowledge-base.js';
import { ROUTING_FEATURES } from './routing-features.js';
import { RoutingReplay } from './routing-replay.js';
import { calibrateSimilar, judgedFromHistorySteps, type SimilarCalibration } from './similar-calibration.js';
import { calibrateTaggingSteps, type TaggingCalibration } from './tag-calibration.js';
import type { TagModel, TaggingSettings } from './tagging.js';
import { drainSliced, SLICE_MS, timeSlices, yieldToLoop } from './steps.js';

export interface RoutingCalibration {
  ranker: LinearRanker;
  /** Past questions with answerers it was trained on, and the ridge penalty validation chose. */
  trainingQuestions: number;
  penalty: number | undefined;
}

export interface EngineCalibration {
  /** Live documents when it was fitted: a tenth more and it is fitted again. */
  documents: number;
  fittedAt: string;
  routing?: RoutingCalibration | undefined;
  tagging?: TaggingCalibration | undefined;
  similar?: SimilarCalibration | undefined;
  help?: HelpCalibration | undefined;
  answers?: { ranker: LinearRanker; threads: number } | undefined;
}

/** Lets long work give the event loop back now and then. */
export type Pause = () => Promise<void>;

/** The event loop's next turn, after any request work in progress (steps.ts). */
export const nextTick: Pause = yieldToLoop;

/** Most recent documents replayed to learn routing: bounds time and memory, and follows drift. */
export const MAX_REPLAY_DOCUMENTS = 30_000;

/** Learns the routing ranker by replaying the history, oldest first, in small steps. */
export async function calibrateRouting(kb: KnowledgeBase, pause: Pause = nextTick): Promise<RoutingCalibration | undefined> {
  const docs = [...kb.docs.values()].sort((a, b) => a.time - b.time || a.id - b.id).slice(-MAX_REPLAY_DOCUMENTS);
  const replay = new RoutingReplay(kb.dims, { refitDuringReplay: false });
  const due = timeSlices(SLICE_MS);
  for (const d of docs) {
    const vector = kb.vectorOf(d.id); // absent when removed since (an opt-out meanwhile)
    if (vector) replay.add(d, vector.slice());
    if (due()) await pause();
  }
  const ranker = await replay.learner.finalFit(pause);
  if (!ranker) return undefined;
  return { ranker, trainingQuestions: replay.learner.trainingGroups, penalty: replay.learner.chosenPenalty };
}

/** Learns the answer ranker from threads whose accepted answer is known, oldest first. */
export async function calibrateAnswers(kb: KnowledgeBase, pause: Pause = nextTick): Promise<EngineCalibration['answers']> {
  const docs = [...kb.docs.values()].sort((a, b) => a.time - b.time || a.id - b.id).slice(-MAX_REPLAY_DOCUMENTS);
  const learner = new AnswerLearner({ refit: false });
  const due = timeSlices(SLICE_MS);
  for (const d of docs) {
    learner.advance(d.time);
    const vector = kb.vectorOf(d.id)?.slice();
    const author = d.authorId === undefined ? undefined : String(d.authorId);
    if (d.isRoot) learner.question(d.thread, d.time, vector, author);
    else if (author !== undefined) learner.answer(d.thread, author, d.text, vector, d.time, d.accepted);
    if (due()) await pause();
  }
  learner.advance(Number.POSITIVE_INFINITY);
  const ranker = await learner.finalFit(pause);
  return ranker ? { ranker, threads: learner.trainingThreads } : undefined;
}

/** Fits every part the history allows. */
export async function calibrate(
  kb: KnowledgeBase,
  tags: TagModel,
  tagging: TaggingSettings & { maxTagsCap: number },
  candidates: number,
  pause: Pause = nextTick,
): Promise<EngineCalibration> {
  const routing = await calibrateRouting(kb, pause);
  await pause();
  const taggingCalibration = await drainSliced(calibrateTaggingSteps(kb, tags, tagging, tagging.maxTagsCap, candidates), pause);
  const similar = calibrateSimilar(kb, await drainSliced(judgedFromHistorySteps(kb), pause));
  await pause();
  const help = await drainSliced(calibrateHelp(helpExamples(kb)), pause);
  const answers = await calibrateAnswers(kb, pause);
  return { documents: kb.size, fittedAt: new Date().toISOString(), routing, tagging: taggingCalibration, similar, help, answers };
}

/** What was learned, in a form a log line or the evaluation report can show. */
export function describeCalibration(c: EngineCalibration): Record<string, unknown> {
  return {
    documents: c.documents,
    routing: c.routing
      ? { trainingQuestions: c.routing.trainingQuestions, penalty: c.routing.penalty, weights: roundAll(namedWeights(c.routing.ranker)) }
      : 'prior',
    tagging: c.tagging ?? 'defaults',
    similar: c.similar ?? 'defaults',
    help: c.help ? { threshold: c.help.threshold, trained: c.help.trained, f1: c.help.f1 } : 'rule',
    answers: c.answers ? { threads: c.answers.threads, weights: roundAll(namedWeights(c.answers.ranker)) } : 'built-in weights',
  };
}

function roundAll(weights: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(weights).map(([k, v]) => [k, Math.round(v * 1000) / 1000]));
}

/** A stored calibration, checked: anything malformed or from other features is ignored. */
export function parseCalibration(json: unknown): EngineCalibration | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const c = json as EngineCalibration;
  if (typeof c.documents !== 'number') return undefined;
  const fits = (ranker: LinearRanker | undefined, features: readonly string[]): boolean =>
    !ranker || (ranker.features.length === features.length && ranker.features.every((f, i) => f === features[i]) && ranker.weights.every(Number.isFinite));
  return {
    ...c,
    routing: fits(c.routing?.ranker, ROUTING_FEATURES) ? c.routing : undefined,
    answers: fits(c.answers?.ranker, ANSWER_FEATURES) ? c.answers : undefined,
  };
}
