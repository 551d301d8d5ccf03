// A labelled sample of real questions (Startups Stack Exchange, shared datasets) with five
// clearly different themes: the first questions of each theme's tag that carry none of the
// other four tags.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanText } from '../../../core/text/clean.js';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DATASETS = path.resolve(process.env.CO_AGENT_DATASETS ?? path.join(here, '..', '..', '..', '..', 'shared', 'datasets'));

export const THEME_TAGS = ['equity', 'payment', 'trademark', 'mobile-apps', 'taxes'] as const;

export interface LabelledText {
  label: (typeof THEME_TAGS)[number];
  text: string;
}

export function themeSample(perTheme = 20): LabelledText[] {
  const lines = readFileSync(path.join(DATASETS, 'startups-se', 'questions.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);
  const out: LabelledText[] = [];
  const taken = new Map<string, number>();
  for (const line of lines) {
    const q = JSON.parse(line) as { title: string; body: string; tags: string[] };
    const mine = THEME_TAGS.filter((t) => q.tags.includes(t));
    if (mine.length !== 1) continue;
    const label = mine[0]!;
    if ((taken.get(label) ?? 0) >= perTheme) continue;
    taken.set(label, (taken.get(label) ?? 0) + 1);
    out.push({ label, text: `${q.title}\n\n${cleanText(q.body, 'html')}`.slice(0, 1500) });
  }
  return out;
}
