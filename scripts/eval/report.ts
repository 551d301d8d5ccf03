// Turns evaluation results into the printed table and the targets check.

export type Section = Record<string, unknown> & { engine: Record<string, number>; baselines: Record<string, Record<string, number>> };

const fmt = (x: number): string => x.toFixed(3);

/** One table per section: a row per system, a column per metric. */
export function formatSection(title: string, section: Section, extraRows: Record<string, Record<string, number>> = {}): string {
  const rows: [string, Record<string, number>][] = [['engine', section.engine], ...Object.entries(section.baselines).map(([k, v]) => [`baseline: ${k}`, v] as [string, Record<string, number>]), ...Object.entries(extraRows)];
  const metrics = Object.keys(section.engine);
  const nameWidth = Math.max(...rows.map(([n]) => n.length), 8);
  const lines = [`${title}`, `  ${'system'.padEnd(nameWidth)}  ${metrics.map((m) => m.padStart(13)).join('')}`];
  for (const [name, values] of rows) lines.push(`  ${name.padEnd(nameWidth)}  ${metrics.map((m) => fmt(values[m] ?? 0).padStart(13)).join('')}`);
  return lines.join('\n');
}

export interface TargetCheck {
  name: string;
  engine: number;
  reference: number;
  goal: string;
  met: boolean;
}

const best = (section: Section, metric: string): { name: string; value: number } =>
  Object.entries(section.baselines)
    .map(([name, v]) => ({ name, value: v[metric] ?? 0 }))
    .sort((a, b) => b.value - a.value)[0] ?? { name: 'none', value: 0 };

/** The targets: ratios over the better baseline, or a margin in points. */
export function checkTargets(report: { routing?: Section; tagging?: Section; similar?: Section }): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ratio = (section: Section | undefined, area: string, metric: string, factor: number): void => {
    if (!section) return;
    const b = best(section, metric);
    const e = section.engine[metric] ?? 0;
    checks.push({ name: `${area} ${metric}`, engine: e, reference: b.value, goal: `>= ${factor}x ${b.name} (${fmt(b.value * factor)})`, met: e >= b.value * factor });
  };
  ratio(report.routing, 'routing', 'recall5', 1.3);
  ratio(report.routing, 'routing', 'mrr', 1.3);
  ratio(report.tagging, 'tagging', 'f1_3', 1.3);
  if (report.similar) {
    const b = best(report.similar, 'map');
    const e = report.similar.engine.map ?? 0;
    checks.push({ name: 'similar map', engine: e, reference: b.value, goal: `>= ${b.name} + 0.02 (${fmt(b.value + 0.02)})`, met: e >= b.value + 0.02 });
  }
  return checks;
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  return ['targets', ...checks.map((c) => `  ${c.met ? 'MET ' : 'MISS'}  ${c.name.padEnd(16)} engine ${fmt(c.engine)}  goal ${c.goal}  (x${(c.engine / (c.reference || 1)).toFixed(2)})`)].join('\n');
}
