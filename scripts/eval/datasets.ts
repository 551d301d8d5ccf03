// Readers for the evaluation datasets in ../shared/datasets (formats in its README). Any file in
// those formats works; each line is validated and a bad line is reported with its number.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const person = z.object({ id: z.string(), name: z.string().optional().default(''), profile: z.string().optional() });

const qaAnswer = z.object({
  id: z.number(),
  author: person,
  date: z.string(),
  score: z.number().default(0),
  accepted: z.boolean().default(false),
  body: z.string(),
});

const qaQuestion = z.object({
  id: z.number(),
  url: z.string().optional(),
  title: z.string(),
  body: z.string(),
  tags: z.array(z.string()),
  asker: person,
  date: z.string(),
  score: z.number().default(0),
  accepted_answer_id: z.number().nullable().optional(),
  linked_question_ids: z.array(z.number()).optional().default([]),
  answers: z.array(qaAnswer),
});

const relatedQuestion = z.object({
  id: z.string(),
  subject: z.string(),
  body: z.string(),
  category: z.string().optional(),
  date: z.string().optional(),
  ir_rank: z.number(),
  relevance: z.enum(['PerfectMatch', 'Relevant', 'Irrelevant']),
});

const rankingQuestion = z.object({
  id: z.string(),
  subject: z.string(),
  body: z.string(),
  related: z.array(relatedQuestion),
});

export type QaQuestion = z.infer<typeof qaQuestion>;
export type QaAnswer = z.infer<typeof qaAnswer>;
export type RankingQuestion = z.infer<typeof rankingQuestion>;
export type RelatedQuestion = z.infer<typeof relatedQuestion>;

/** Community Q&A with answers and tags (startups-se) or question-question ranking (SemEval). */
export type Dataset = { kind: 'qa'; name: string; questions: QaQuestion[] } | { kind: 'ranking'; name: string; questions: RankingQuestion[] };

export class DatasetError extends Error {}

export function loadDataset(path: string): Dataset {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (e) {
    throw new DatasetError(`cannot read dataset ${path}: ${(e as Error).message}`);
  }
  const lines = raw
    .split('\n')
    .map((l, i) => ({ l: l.trim(), n: i + 1 }))
    .filter((x) => x.l);
  if (lines.length === 0) throw new DatasetError(`dataset ${path} is empty`);
  const parse = (x: { l: string; n: number }): unknown => {
    try {
      return JSON.parse(x.l);
    } catch (e) {
      throw new DatasetError(`${path}:${x.n}: not JSON (${(e as Error).message})`);
    }
  };
  const first = parse(lines[0]!) as Record<string, unknown>;
  const schema = 'related' in first ? rankingQuestion : 'answers' in first ? qaQuestion : undefined;
  if (!schema) throw new DatasetError(`${path}:1: unknown format (expected "answers" for Q&A or "related" for question ranking)`);
  const items = lines.map((x) => {
    const r = schema.safeParse(parse(x));
    if (!r.success) {
      const issue = r.error.issues[0]!;
      throw new DatasetError(`${path}:${x.n}: ${issue.path.join('.') || '(line)'}: ${issue.message}`);
    }
    return r.data;
  });
  const name = path.split('/').slice(-2).join('/');
  return schema === rankingQuestion ? { kind: 'ranking', name, questions: items as RankingQuestion[] } : { kind: 'qa', name, questions: items as QaQuestion[] };
}

/** Stack Exchange's anonymous "Community" user: never a routing target. */
export const ANONYMOUS_AUTHOR = '-1';

/** Questions in time order (day-level dates; ties by id), as the replay needs. */
export function chronological(questions: readonly QaQuestion[]): QaQuestion[] {
  return [...questions].sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
}
