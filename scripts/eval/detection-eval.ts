// Help-request detection on a Q&A dataset: questions are requests for help, answers are not.
// Reports accuracy and F1 of the engine against a "has a question mark" rule.
import { detectHelpRequest, type HelpPrototypes } from '../../core/engine/help-detection.js';
import { f1 } from './metrics.js';
import type { QaCorpus } from './qa-corpus.js';

export interface DetectionScores {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface DetectionReport {
  requests: number;
  others: number;
  engine: DetectionScores;
  baselines: { questionMark: DetectionScores };
}

function scores(predictions: readonly { predicted: boolean; actual: boolean }[]): DetectionScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let correct = 0;
  for (const p of predictions) {
    if (p.predicted === p.actual) correct++;
    if (p.predicted && p.actual) tp++;
    if (p.predicted && !p.actual) fp++;
    if (!p.predicted && p.actual) fn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  return { accuracy: predictions.length ? correct / predictions.length : 0, precision, recall, f1: f1(precision, recall) };
}

export function evaluateDetection(corpus: QaCorpus, prototypes: HelpPrototypes, threshold: number): DetectionReport {
  const items = [
    ...corpus.questions.map((q) => ({ text: corpus.questionText(q), vector: corpus.questionVector(q), actual: true })),
    ...corpus.questions.flatMap((q) => q.answers.map((a) => ({ text: corpus.answerText(a), vector: corpus.answerVector(a), actual: false }))),
  ];
  const engine = items.map((x) => ({ actual: x.actual, predicted: detectHelpRequest({ text: x.text, vector: x.vector }, prototypes, threshold).isHelpRequest }));
  const questionMark = items.map((x) => ({ actual: x.actual, predicted: x.text.includes('?') }));
  return {
    requests: items.filter((x) => x.actual).length,
    others: items.filter((x) => !x.actual).length,
    engine: scores(engine),
    baselines: { questionMark: scores(questionMark) },
  };
}
