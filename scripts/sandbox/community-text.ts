// Composes problem and answer texts from the phrase banks (tag-phrases.json, typed by
// tag-phrases.ts). Variety comes from three layers: which parts are drawn (situation, optional
// constraint, optional attempt, question), how many (2-5 sentences), and the {slots} filled
// with numbers, roles and quarters per draw.
// The simulation calls newProblemText/newAnswerText with its own seeded Rng for new activity.
import type { Rng } from '../../core/random.js';
import { chance, int, pick, shuffle } from './rng.js';
import { ANSWER_CLOSERS, ANSWER_OPENERS, GENERIC_ADVICE, GENERIC_ASKS, GENERIC_CONSTRAINTS, TAG_PHRASES, type TagPhrases } from './tag-phrases.js';

/** The tag names, in a fixed order. */
export const TAG_NAMES: readonly string[] = Object.keys(TAG_PHRASES);

const REPORTS = [
  'senior engineer',
  'new team lead',
  'product designer',
  'data analyst',
  'support specialist',
  'staff engineer',
  'QA engineer',
  'account manager',
  'junior developer',
  'project coordinator',
  'site reliability engineer',
  'researcher',
];

const TITLE_TEMPLATES = [
  'How do you handle {topic}{qualifier}?',
  'Advice on {topic}{qualifier}',
  '{Topic}{qualifier}: what worked for you?',
  'Struggling with {topic}{qualifier}',
  'Best way to approach {topic}{qualifier}?',
  'Looking for ideas: {topic}{qualifier}',
  'Has anyone dealt with {topic}{qualifier}?',
  'Need a sanity check on {topic}{qualifier}',
];

// Often empty, so titles stay short; otherwise they anchor the problem in a context.
const QUALIFIERS = [
  '',
  '',
  '',
  ' in a team of {team}',
  ' after a reorg',
  ' in a fully remote team',
  ' in a fast-growing startup',
  ' on a tight budget',
  ' across time zones',
  ' as a first-time manager',
  ' since a new VP arrived',
  ' before the end of {quarter}',
  ' in a regulated industry',
  ' during a hiring freeze',
  ' in a team I just inherited',
];

function phrases(tag: string): TagPhrases {
  const bank = TAG_PHRASES[tag];
  if (!bank) throw new Error(`unknown sandbox tag: ${tag}`);
  return bank;
}

/** Replaces each {slot} with a fresh value; {team} is the asker's team size when known. */
export function fill(rng: Rng, template: string, teamSize?: number): string {
  return template.replace(/\{(\w+)\}/g, (whole, slot: string) => {
    switch (slot) {
      case 'team':
        return String(teamSize ?? int(rng, 4, 14));
      case 'n':
        return String(int(rng, 2, 5));
      case 'many':
        return String(int(rng, 7, 14)); // a headcount that is a lot for one manager
      case 'weeks':
        return String(int(rng, 2, 8));
      case 'months':
        return String(int(rng, 2, 10));
      case 'days':
        return String(int(rng, 3, 14));
      case 'hours':
        return String(int(rng, 2, 11));
      case 'minutes':
        return String(5 * int(rng, 4, 9));
      case 'pct':
        return String(5 * int(rng, 2, 8));
      case 'people':
        return String(10 * int(rng, 3, 30));
      case 'k':
        return String(10 * int(rng, 3, 60));
      case 'quarter':
        return `Q${int(rng, 1, 4)}`;
      case 'report':
        return pick(rng, REPORTS);
      default:
        return whole;
    }
  });
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export interface ProblemText {
  title: string;
  body: string;
}

export interface ProblemTextOptions {
  /** The asker's team size, so "my team of {team}" matches the member. */
  teamSize?: number;
  /** A second tag whose constraint or attempt may appear in the body. */
  secondTag?: string;
  /** Titles and bodies already used: drawn again (a bounded number of times) to avoid repeats. */
  avoid?: ReadonlySet<string>;
}

function drawProblem(rng: Rng, tag: string, opts: ProblemTextOptions): ProblemText {
  const bank = phrases(tag);
  const other = opts.secondTag ? phrases(opts.secondTag) : bank;
  // The title's topic names the situation the body opens with, so the two agree.
  const index = int(rng, 0, bank.situations.length - 1);
  const topic = fill(rng, bank.topics[index] ?? bank.topics[0] ?? tag, opts.teamSize);
  const title = fill(rng, pick(rng, TITLE_TEMPLATES), opts.teamSize)
    .replace('{topic}', topic)
    .replace('{Topic}', capitalize(topic))
    .replace('{qualifier}', fill(rng, pick(rng, QUALIFIERS), opts.teamSize));
  // Situation and question always; the middle sentences are optional, which varies the length.
  const sentences = [bank.situations[index] as string];
  if (chance(rng, 0.55)) sentences.push(pick(rng, chance(rng, 0.6) ? other.constraints : GENERIC_CONSTRAINTS));
  if (chance(rng, 0.6)) sentences.push(pick(rng, chance(rng, 0.75) ? bank.tried : other.tried));
  // The tag's own questions are broad, the generic ones fit anything: mixing them varies the ending.
  if (chance(rng, 0.7)) {
    sentences.push(pick(rng, bank.asks));
    if (chance(rng, 0.3)) sentences.push(pick(rng, GENERIC_ASKS));
  } else sentences.push(pick(rng, GENERIC_ASKS));
  const body = sentences.map((s) => fill(rng, s, opts.teamSize)).join(' ');
  return { title, body };
}

/** A new problem (title and 2-5 sentence body) about `tag`, in the style of the history. */
export function newProblemText(rng: Rng, tag: string, opts: ProblemTextOptions = {}): ProblemText {
  let text = drawProblem(rng, tag, opts);
  for (let i = 0; i < 20 && opts.avoid && (opts.avoid.has(text.title) || opts.avoid.has(text.body)); i++) {
    text = drawProblem(rng, tag, opts);
  }
  return text;
}

export interface AnswerTextOptions {
  /** The answerer's expertise in the tag (0-1): non-experts lean on generic advice. */
  expertise?: number;
  /** The asker's team size, for advice that mentions it. */
  teamSize?: number;
}

/** A new answer (1-4 sentences of concrete advice) about `tag`. */
export function newAnswerText(rng: Rng, tag: string, opts: AnswerTextOptions = {}): string {
  const expertise = opts.expertise ?? 0.5;
  const advice = shuffle(rng, phrases(tag).advice);
  const sentences: string[] = [];
  if (chance(rng, 0.3)) sentences.push(pick(rng, ANSWER_OPENERS));
  // Experts give one or two specific pieces of advice; others often give one generic one.
  if (expertise < 0.3 && chance(rng, 0.6)) sentences.push(pick(rng, GENERIC_ADVICE));
  else sentences.push(...advice.slice(0, expertise >= 0.6 && chance(rng, 0.6) ? 2 : 1));
  if (sentences.length < 4 && chance(rng, 0.25)) sentences.push(pick(rng, ANSWER_CLOSERS));
  return sentences.map((s) => fill(rng, s, opts.teamSize)).join(' ');
}
