// Runs every evaluation section a dataset supports and collects the figures.
import { buildHelpPrototypes, HELP_EXAMPLES, NOT_HELP_EXAMPLES } from '../../core/engine/help-detection.js';
import { evaluateAnswers, type AnswersReport } from './answers-eval.js';
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
  /** Sections to run (default: all the dataset supports). */
  sections?: readonly Section[] | undefined;
  log?: (line: string) => void;
}

export const SECTIONS = ['routing', 'tagging', 'similar', 'detection', 'answers'] as const;
export type Section = (typeof SECTIONS)[number];

export interface DatasetReport {
  dataset: string;
  routing?: RoutingReport;
  tagging?: TaggingReport;
  similar?: SimilarReport;
  detection?: DetectionReport;
  answers?: AnswersReport;
}

export interface EvaluationReport {
  datasets: DatasetReport[];
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
  const report: EvaluationReport = { datasets: [] };
  const log = options.log;
  const wanted = (s: Section): boolean => !options.sections || options.sections.includes(s);
  for (const file of options.datasets) {
    const ds = loadDataset(file);
    log?.(`dataset ${ds.name}: ${ds.questions.length} questions`);
    const out: DatasetReport = { dataset: ds.name };
    report.datasets.push(out);
    if (ds.kind === 'qa') {
      const questions: QaQuestion[] = options.limit ? chronological(ds.questions).slice(0, options.limit) : ds.questions;
      const corpus = await buildQaCorpus(questions, embedder, {
        answers: options.answers ?? true,
        onProgress: progress(log, 'embedding questions and answers'),
      });
      if (wanted('routing')) {
        log?.('routing: replaying questions and answers in time order');
        out.routing = evaluateRouting(corpus, progress(log, 'routing events'));
      }
      if (wanted('tagging')) {
        log?.('tagging: replaying questions in time order');
        out.tagging = await evaluateTagging(corpus, (names) => embedder.embedMany(names));
      }
      if (wanted('answers')) {
        log?.("answers: ranking each question's answers, accepted answer as the label");
        out.answers = await evaluateAnswers(corpus, embedder, progress(log, 'embedding answers to rank'));
      }
      if (wanted('detection') && options.answers !== false) {
        const [helpVectors, notHelpVectors] = await Promise.all([embedder.embedMany(HELP_EXAMPLES), embedder.embedMany(NOT_HELP_EXAMPLES)]);
        out.detection = evaluateDetection(corpus, buildHelpPrototypes(helpVectors, notHelpVectors), DETECTION_THRESHOLD);
      }
    } else if (wanted('similar')) {
      const questions: RankingQuestion[] = options.limit ? ds.questions.slice(0, options.limit) : ds.questions;
      out.similar = await evaluateSimilar(questions, embedder, progress(log, 'embedding questions'));
    }
  }
  return report;
}
