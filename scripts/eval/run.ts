// Runs every evaluation section a dataset supports and collects the figures.
import { evaluateAnswers, type AnswersReport } from './answers-eval.js';
import { buildHelpPrototypes, HELP_EXAMPLES, NOT_HELP_EXAMPLES } from '../../core/engine/help-detection.js';
import { chronological, loadDataset, type QaQuestion, type RankingQuestion } from './datasets.js';
import { evaluateDetection, type DetectionReport } from './detection-eval.js';
import { buildQaCorpus, type CorpusEmbedder } from './qa-corpus.js';
import { evaluateRouting, type RoutingReport } from './routing-eval.js';
import { evaluateSimilar, type SimilarReport } from './similar-eval.js';
import { evaluateTagging, type TaggingReport } from './tagging-eval.js';

export interface EvaluationOptions {
  datasets: readonly string[];
  /** Only the first N questions of each dataset, in time order. */
  limit?: number | undefined;
  /** Embed answers too (routing evidence by answer text, detection negatives). Default true. */
  answers?: boolean;
  log?: (line: string) => void;
}

type Labelled<T> = T & { dataset: string; note: string };

export interface EvaluationReport {
  routing?: Labelled<RoutingReport>;
  tagging?: Labelled<TaggingReport>;
  similar?: Labelled<SimilarReport>;
  detection?: Labelled<DetectionReport>;
  answers?: Labelled<AnswersReport>;
}

/** Help-request detection threshold used by the engine by default. */
export const DETECTION_THRESHOLD = 0.5;

function progress(log: ((line: string) => void) | undefined, what: string): (done: number, total: number) => void {
  let last = 0;
  return (done, total) => {
    const now = Date.now();
    if (done === total || now - last > 2000) {
      last = now;
      log?.(`  ${what}: ${done}/${total}`);
    }
  };
}

export async function runEvaluation(options: EvaluationOptions, embedder: CorpusEmbedder): Promise<EvaluationReport> {
  const report: EvaluationReport = {};
  const log = options.log;
  for (const file of options.datasets) {
    const ds = loadDataset(file);
    log?.(`dataset ${ds.name}: ${ds.questions.length} questions`);
    if (ds.kind === 'qa') {
      const questions: QaQuestion[] = options.limit ? chronological(ds.questions).slice(0, options.limit) : ds.questions;
      const corpus = await buildQaCorpus(questions, embedder, { answers: options.answers ?? true, onProgress: progress(log, 'embedding questions and answers') });
      log?.('routing: replaying questions in time order');
      const routing = evaluateRouting(corpus, progress(log, 'routing events'));
      report.routing = { ...routing, dataset: ds.name, note: `${routing.questions} questions with answerers` };
      log?.('tagging: oldest 80% as history, newest 20% as test');
      const tagNames = [...new Set(questions.flatMap((q) => q.tags))].sort();
      const tagVectors = await embedder.embedMany(tagNames.map((t) => t.replace(/[-_]/g, ' ')));
      const tagging = evaluateTagging(corpus, tagNames.map((name, i) => ({ name, vector: tagVectors[i] })));
      report.tagging = { ...tagging, dataset: ds.name, note: `${tagging.test} test questions, ${tagging.tags} tags` };
      log?.('answers: ranking each question\'s answers, accepted answer as the label');
      const answers = await evaluateAnswers(corpus, embedder, progress(log, 'embedding answers to rank'));
      report.answers = { ...answers, dataset: ds.name, note: `${answers.questions} questions with 2+ answers and an accepted one, ${answers.answers} answers; engine without score` };
      if (options.answers === false) continue;
      const [helpVectors, notHelpVectors] = await Promise.all([embedder.embedMany(HELP_EXAMPLES), embedder.embedMany(NOT_HELP_EXAMPLES)]);
      const detection = evaluateDetection(corpus, buildHelpPrototypes(helpVectors, notHelpVectors), DETECTION_THRESHOLD);
      report.detection = { ...detection, dataset: ds.name, note: `${detection.requests} questions vs ${detection.others} answers` };
    } else {
      const questions: RankingQuestion[] = options.limit ? ds.questions.slice(0, options.limit) : ds.questions;
      const similar = await evaluateSimilar(questions, embedder, progress(log, 'embedding questions'));
      report.similar = { ...similar, dataset: ds.name, note: `${similar.questions} questions with a relevant candidate` };
    }
  }
  return report;
}
