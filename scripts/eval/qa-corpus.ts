// A Q&A dataset with cleaned texts and one embedding per question and answer, computed once
// (cached on disk by the embedder) and shared by every evaluation section.
import { cleanText } from '../../core/text/clean.js';
import type { QaAnswer, QaQuestion } from './datasets.js';

/** What the harness needs from the embedding pipeline. */
export interface CorpusEmbedder {
  readonly dims: number;
  embedMany(texts: readonly string[], options?: { onProgress?: (done: number, total: number) => void }): Promise<Float32Array[]>;
}

export interface QaCorpus {
  dims: number;
  questions: QaQuestion[];
  questionText(q: QaQuestion): string;
  bodyText(q: QaQuestion): string;
  answerText(a: QaAnswer): string;
  questionVector(q: QaQuestion): Float32Array;
  answerVector(a: QaAnswer): Float32Array;
}

export async function buildQaCorpus(
  questions: QaQuestion[],
  embedder: CorpusEmbedder,
  options: { answers?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<QaCorpus> {
  const bodies = new Map(questions.map((q) => [q.id, cleanText(q.body, 'auto')]));
  const answerTexts = new Map(questions.flatMap((q) => q.answers.map((a) => [a.id, cleanText(a.body, 'auto')] as const)));
  const qText = (q: QaQuestion): string => `${q.title}\n\n${bodies.get(q.id) ?? ''}`;
  const withAnswers = options.answers ?? true;
  const allAnswers = withAnswers ? questions.flatMap((q) => q.answers) : [];
  const texts = [...questions.map(qText), ...allAnswers.map((a) => answerTexts.get(a.id) ?? '')];
  const vectors = await embedder.embedMany(texts, options.onProgress ? { onProgress: options.onProgress } : {});
  const qVec = new Map(questions.map((q, i) => [q.id, vectors[i]!]));
  const aVec = new Map(allAnswers.map((a, i) => [a.id, vectors[questions.length + i]!]));
  const zero = new Float32Array(embedder.dims);
  return {
    dims: embedder.dims,
    questions,
    questionText: qText,
    bodyText: (q) => bodies.get(q.id) ?? '',
    answerText: (a) => answerTexts.get(a.id) ?? '',
    questionVector: (q) => qVec.get(q.id) ?? zero,
    answerVector: (a) => aVec.get(a.id) ?? zero,
  };
}
