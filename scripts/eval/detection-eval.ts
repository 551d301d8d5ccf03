// Help-request detection on a Q&A dataset: questions are requests for help, answers are not.
// Each question and its answers form one unit (what the bootstrap resamples), split by the
// question's time. The engine learns what requests look like from the questions and answers
// posted before each question (core/engine/help-calibration.ts), refitting as that history grows
// by a tenth, as it does in a community. Precision, recall and F1 against a "has a question
// mark" rule and the engine's built-in rule, on the report part.
import { calibrateHelp, learnedHelp, type HelpCalibration, type HelpExample } from '../../core/engine/help-calibration.js';
import { detectHelpRequest, type HelpPrototypes } from '../../core/engine/help-detection.js';
import { drain } from '../../core/engine/steps.js';
import { chronological } from './datasets.js';
import { f1 } from './metrics.js';
import { timeSplit } from './protocol.js';
import type { QaCorpus } from './qa-corpus.js';
import { Scorecard, type Comparison, type Metric } from './scorecard.js';

export interface DetectionReport {
  questions: { tuning: number; report: number };
  /** Items (questions and answers) in the report part. */
  requests: number;
  others: number;
  engine: Record<string, number>;
  baselines: Record<string, Record<string, number>>;
  /** The built-in rule the engine starts from, before it learned. */
  engineRule: Record<string, number>;
  comparisons: Comparison[];
  /** What the engine had learned by the end. */
  learned: Omit<HelpCalibration, 'weights' | 'bias'> | undefined;
  recalibrations: number;
}

const precision = (s: readonly number[]): number => (s[0]! + s[1]! ? s[0]! / (s[0]! + s[1]!) : 0);
const recall = (s: readonly number[]): number => (s[0]! + s[2]! ? s[0]! / (s[0]! + s[2]!) : 0);
export const DETECTION_METRICS: Metric[] = [
  { name: 'accuracy', components: ['correct', 'items'], value: (s) => (s[1]! ? s[0]! / s[1]! : 0) },
  { name: 'precision', components: ['tp', 'fp', 'fn'], value: precision },
  { name: 'recall', components: ['tp', 'fp', 'fn'], value: recall },
  { name: 'f1', components: ['tp', 'fp', 'fn'], value: (s) => f1(precision(s), recall(s)) },
];

function counts(items: readonly { predicted: boolean; actual: boolean }[]): Record<string, number> {
  const c = { tp: 0, fp: 0, fn: 0, correct: 0, items: items.length };
  for (const p of items) {
    if (p.predicted === p.actual) c.correct++;
    if (p.predicted && p.actual) c.tp++;
    if (p.predicted && !p.actual) c.fp++;
    if (!p.predicted && p.actual) c.fn++;
  }
  return c;
}

export function evaluateDetection(corpus: QaCorpus, prototypes: HelpPrototypes, threshold: number): DetectionReport {
  const ordered = chronological(corpus.questions);
  const split = timeSplit(ordered);
  const card = new Scorecard(DETECTION_METRICS);
  let requests = 0;
  let others = 0;
  // Everything posted, oldest first: the history the engine learns from as time passes.
  const posted = ordered
    .flatMap((q) => [
      { at: Date.parse(q.date), example: { text: corpus.questionText(q), vector: corpus.questionVector(q), request: true } },
      ...q.answers.map((a) => ({
        at: Math.max(Date.parse(a.date), Date.parse(q.date)),
        example: { text: corpus.answerText(a), vector: corpus.answerVector(a), request: false },
      })),
    ])
    .sort((a, b) => a.at - b.at);
  const history: HelpExample[] = [];
  let next = 0;
  let calibration: HelpCalibration | undefined;
  let fittedOn = 0;
  let recalibrations = 0;
  ordered.forEach((q, i) => {
    const now = Date.parse(q.date);
    while (next < posted.length && posted[next]!.at < now) history.push(posted[next++]!.example);
    if (history.length >= 100 && history.length >= fittedOn * 1.1) {
      calibration = drain(calibrateHelp(history)) ?? calibration;
      fittedOn = history.length;
      recalibrations++;
    }
    const learned = calibration ? learnedHelp(calibration) : undefined;
    const items = [
      { text: corpus.questionText(q), vector: corpus.questionVector(q), actual: true },
      ...q.answers.map((a) => ({ text: corpus.answerText(a), vector: corpus.answerVector(a), actual: false })),
    ];
    const part = split.partOf(q);
    if (part === 'report') {
      requests++;
      others += q.answers.length;
    }
    card.add(part, i, {
      engine: counts(
        items.map((x) => ({
          actual: x.actual,
          predicted: detectHelpRequest({ text: x.text, vector: x.vector }, prototypes, threshold, learned).isHelpRequest,
        })),
      ),
      engineRule: counts(
        items.map((x) => ({ actual: x.actual, predicted: detectHelpRequest({ text: x.text, vector: x.vector }, prototypes, threshold).isHelpRequest })),
      ),
      questionMark: counts(items.map((x) => ({ actual: x.actual, predicted: x.text.includes('?') }))),
    });
  });
  return {
    questions: { tuning: card.count('tuning'), report: card.count('report') },
    requests,
    others,
    engine: card.scores('engine'),
    baselines: { questionMark: card.scores('questionMark') },
    engineRule: card.scores('engineRule'),
    comparisons: ['f1', 'accuracy'].map((m, i) => card.compare('engine', ['questionMark'], m, 40 + i)),
    learned: calibration ? { threshold: calibration.threshold, trained: calibration.trained, validated: calibration.validated, f1: calibration.f1 } : undefined,
    recalibrations,
  };
}
