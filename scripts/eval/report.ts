// Turns evaluation results into the printed tables and the targets check.
import type { Comparison } from './scorecard.js';
import type { DatasetReport, EvaluationReport } from './run.js';

const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '-');
const signed = (x: number): string => (Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${x.toFixed(3)}` : '-');

/** A table: a row per system, a column per metric; then engine minus best baseline with its interval. */
export function formatTable(
  title: string,
  rows: readonly [string, Record<string, number>][],
  comparisons: readonly Comparison[] = [],
  notes: readonly string[] = [],
): string {
  const metrics = Object.keys(rows[0]?.[1] ?? {});
  const nameWidth = Math.max(...rows.map(([n]) => n.length), 24);
  const lines = [title, `  ${'system'.padEnd(nameWidth)}  ${metrics.map((m) => m.padStart(13)).join('')}`];
  for (const [name, values] of rows) lines.push(`  ${name.padEnd(nameWidth)}  ${metrics.map((m) => fmt(values[m] ?? Number.NaN).padStart(13)).join('')}`);
  for (const c of comparisons) {
    lines.push(
      `  ${c.metric}: engine ${fmt(c.engine)} - ${c.baseline} ${fmt(c.baselineValue)} = ${signed(c.difference.value)} ` +
        `[95% CI ${signed(c.difference.low)}, ${signed(c.difference.high)}]; ratio ${fmt(c.ratio.value)} [${fmt(c.ratio.low)}, ${fmt(c.ratio.high)}]`,
    );
  }
  for (const n of notes) lines.push(`  ${n}`);
  return lines.join('\n');
}

const baselineRows = (baselines: Record<string, Record<string, number>>, label: (name: string) => string = (n) => n): [string, Record<string, number>][] =>
  Object.entries(baselines).map(([k, v]) => [`baseline: ${label(k)}`, v]);

const json = (x: unknown): string => JSON.stringify(x);
const roundValues = (o: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Math.round(v * 100) / 100]));

/** Every section of one dataset, report part only. */
export function formatDataset(d: DatasetReport): string {
  const out: string[] = [];
  const r = d.routing;
  if (r) {
    const hl = Object.entries(r.recencyHalfLife)
      .map(([m, h]) => `${m} ${h} d`)
      .join(', ');
    out.push(
      formatTable(
        `Member routing: ${d.dataset}, report part (${r.questions.report} questions with answerers; tuning part ${r.questions.tuning})`,
        [['engine', r.engine], ...baselineRows(r.baselines, (n) => (n === 'recencyTuned' ? 'recency, tuned half-life' : n))],
        r.comparisons,
        [
          `recency half-life chosen on the tuning part: ${hl}`,
          `engine ranker: ${r.learned.ranker}, trained on ${r.learned.trainingQuestions} earlier questions, ridge penalty ${r.learned.penalty ?? '-'} (chosen on the history)`,
        ],
      ),
    );
    out.push(
      formatTable(`Member routing: ${d.dataset}, first questions of the community (${r.firstQuestions.questions} with answerers)`, [
        ['engine', r.firstQuestions.engine],
        ...baselineRows(r.firstQuestions.baselines, (n) => (n === 'recencyTuned' ? 'recency, tuned half-life' : n)),
      ]),
    );
  }
  const t = d.tagging;
  if (t) {
    out.push(
      formatTable(
        `Tagging: ${d.dataset}, report part (${t.questions.report} questions; tuning part ${t.questions.tuning}; ${t.tags} tags)`,
        [['engine', t.engine], ...baselineRows(t.baselines), ['engine, no history (tag names only)', t.coldStart]],
        t.comparisons,
        [
          `kNN settings chosen on the tuning part: ${Object.entries(t.baselineSettings)
            .map(([k, v]) => `${k} ${v}`)
            .join('; ')}`,
          `engine calibrated on its history (${t.recalibrations} times during the replay), last: ${json(t.learned ?? 'not yet')}`,
          'setF1: F1 of the tags the engine would show (its learned number and cut-off); p3, r3, f1_3: the top three',
        ],
      ),
    );
  }
  const s = d.similar;
  if (s) {
    out.push(
      formatTable(
        `Similar questions: ${d.dataset}, report part (${s.questions.report} questions with a relevant candidate; tuning part ${s.questions.tuning})`,
        [['engine', s.engine], ...baselineRows(s.baselines), ['engine, built-in defaults', s.engineDefaults]],
        s.comparisons,
        [`engine calibrated on the tuning part's judgements: ${json(s.learned ?? 'too few')}; BM25 chosen there: ${s.baselineSettings.bm25}`],
      ),
    );
  }
  const det = d.detection;
  if (det) {
    out.push(
      formatTable(
        `Help-request detection: ${d.dataset}, report part (${det.requests} questions vs ${det.others} answers)`,
        [['engine', det.engine], ...baselineRows(det.baselines), ['engine, built-in rule', det.engineRule]],
        det.comparisons,
        [`engine learned from the history before each question (${det.recalibrations} refits), last: ${json(det.learned ?? 'not yet')}`],
      ),
    );
  }
  const a = d.answers;
  if (a) {
    out.push(
      formatTable(
        `Answer curation: ${d.dataset}, report part (${a.questions.report} questions with 2+ answers and an accepted one, ${a.answers} answers; engine without votes)`,
        [
          ['engine', a.engine],
          ...baselineRows(a.baselines, (n) => (n === 'byScore' ? 'byScore (uses votes)' : n)),
          ['engine with votes', a.withScore],
          ['engine, built-in weights', a.builtIn],
        ],
        a.comparisons,
        [
          `engine's answer ranker learned on ${a.learned?.threads ?? 0} earlier threads with a known accepted answer; weights ${json(a.learned ? roundValues(a.learned.weights) : 'none yet')}`,
        ],
      ),
    );
  }
  return out.join('\n\n');
}

export interface TargetCheck {
  dataset: string;
  name: string;
  engine: number;
  reference: number;
  goal: string;
  met: boolean;
}

/** The issue's targets, on each dataset's report part. */
export function checkTargets(report: EvaluationReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const d of report.datasets) {
    const push = (name: string, engine: number, reference: number, goal: string, met: boolean): void => {
      checks.push({ dataset: d.dataset, name, engine, reference, goal, met });
    };
    for (const c of d.routing?.comparisons.filter((x) => x.metric === 'recall5' || x.metric === 'mrr') ?? []) {
      push(
        `routing ${c.metric}`,
        c.engine,
        c.baselineValue,
        `>= 1.15x ${c.baseline} (${fmt(1.15 * c.baselineValue)}), ratio interval above 1 (now [${fmt(c.ratio.low)}, ${fmt(c.ratio.high)}])`,
        c.engine >= 1.15 * c.baselineValue && c.ratio.low > 1,
      );
    }
    const tag = d.tagging?.comparisons.find((x) => x.metric === 'f1_3');
    if (tag)
      push('tagging f1_3', tag.engine, tag.baselineValue, `>= 1.10x ${tag.baseline} (${fmt(1.1 * tag.baselineValue)})`, tag.engine >= 1.1 * tag.baselineValue);
    const sim = d.similar?.comparisons.find((x) => x.metric === 'map');
    if (sim)
      push(
        'similar map',
        sim.engine,
        sim.baselineValue,
        `>= ${sim.baseline} + 0.02 (${fmt(sim.baselineValue + 0.02)})`,
        sim.engine >= sim.baselineValue + 0.02,
      );
    if (d.answers) {
      const longest = d.answers.baselines.longestFirst!.top1!;
      push('answers top1', d.answers.engine.top1!, longest, `>= longestFirst + 0.05 (${fmt(longest + 0.05)})`, d.answers.engine.top1! >= longest + 0.05);
    }
    if (d.detection) {
      const q = d.detection.baselines.questionMark!.f1!;
      push('detection f1', d.detection.engine.f1!, q, `>= questionMark + 0.05 (${fmt(q + 0.05)})`, d.detection.engine.f1! >= q + 0.05);
    }
  }
  return checks;
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  return [
    'targets (report parts)',
    ...checks.map((c) => `  ${c.met ? 'MET ' : 'MISS'}  ${c.dataset.padEnd(40)} ${c.name.padEnd(16)} engine ${fmt(c.engine)}  goal ${c.goal}`),
  ].join('\n');
}
