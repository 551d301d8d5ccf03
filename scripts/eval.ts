// Evaluation harness: runs the engine on community Q&A datasets and prints its figures on each
// dataset's report part (its newest half) next to baselines tuned on the tuning part (its oldest
// half), with 95% bootstrap intervals of engine minus the best baseline. See scripts/eval/protocol.ts.
//   npm run eval -- --dataset ../shared/datasets/startups-se/questions.jsonl [--json] [--limit N]
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCorpusEmbedder } from './eval/embedder.js';
import { runEvaluation, SECTIONS, type EvaluationOptions, type Section } from './eval/run.js';
import { checkTargets, formatDataset, formatTargets } from './eval/report.js';
import { DatasetError } from './eval/datasets.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SHARED = path.resolve(here, '..', '..', 'shared', 'datasets');
const DEFAULT_DATASETS = [path.join(SHARED, 'startups-se', 'questions.jsonl'), path.join(SHARED, 'semeval2016-qatarliving', 'questions.jsonl')];

const USAGE = `usage: npm run eval -- [--dataset PATH]... [--section NAME]... [--json] [--limit N] [--workers N] [--cache DIR | --no-cache]
  --dataset PATH  a dataset in a format of ../shared/datasets (repeatable; default: both shared datasets)
  --section NAME  only these sections: ${SECTIONS.join(', ')} (repeatable; default: all)
  --json          also print all figures as one JSON object on the last line
  --limit N       only the first N questions of each dataset, in time order (a quick run)
  --workers N     embedding worker threads (default: one per core)
  --cache DIR     where embeddings are cached between runs (default: .cache/embeddings)
  --no-cache      embed everything afresh`;

async function main(): Promise<number> {
  let args;
  try {
    args = parseArgs({
      options: {
        dataset: { type: 'string', multiple: true },
        section: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        limit: { type: 'string' },
        workers: { type: 'string' },
        cache: { type: 'string', default: '.cache/embeddings' },
        'no-cache': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }).values;
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const positive = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new DatasetError(`--${name} must be a positive integer, got "${v}"`);
    return n;
  };
  const unknown = (args.section ?? []).filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown.length > 0) throw new DatasetError(`unknown section ${unknown.join(', ')}; choose from ${SECTIONS.join(', ')}`);
  const options: EvaluationOptions = {
    datasets: args.dataset?.length ? args.dataset : DEFAULT_DATASETS,
    limit: positive('limit', args.limit),
    sections: args.section as Section[] | undefined,
    log: (line) => console.error(line),
  };
  const embedder = await createCorpusEmbedder({
    workers: positive('workers', args.workers),
    cacheDir: args['no-cache'] ? undefined : args.cache,
    log: options.log,
  });
  try {
    const started = Date.now();
    const report = await runEvaluation(options, embedder);
    const out = report.datasets.map(formatDataset).filter(Boolean);
    const targets = checkTargets(report);
    out.push(formatTargets(targets));
    out.push(
      `embedding model ${embedder.modelId} (${embedder.backend === 'not loaded' ? 'every vector from the cache' : `on ${embedder.backend}`}); ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log(out.join('\n\n'));
    if (args.json) console.log(JSON.stringify({ ...report, targets }));
    return 0;
  } finally {
    await embedder.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof DatasetError ? `eval: ${e.message}` : e);
    process.exit(1);
  },
);
