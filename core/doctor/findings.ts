// What `npm run doctor` (and the service at start) reports about a platform's setup: one finding
// per check, each a single actionable line. Platform-neutral: each bridge supplies its checks.

/** ok: checked and fine; info: something the API cannot check, as a reminder; warning: a feature will not work; blocker: the service cannot run this way. */
export type FindingLevel = 'ok' | 'info' | 'warning' | 'blocker';

export interface Finding {
  /** The platform id ("matrix", "discourse", ...) or "config". */
  platform: string;
  /** Short name of the check, e.g. "api-key" or "categories". */
  check: string;
  level: FindingLevel;
  /** One sentence: what was found and, unless it is fine, what to do about it. */
  message: string;
  /** The platform did not answer (down, unreachable): the same check may pass later. */
  transient?: boolean | undefined;
}

/** A platform's checks, run against the live platform without starting the service. */
export type PlatformDoctor = () => Promise<Finding[]>;

const MARKS: Record<FindingLevel, string> = { ok: 'ok  ', info: 'note', warning: 'warn', blocker: 'FAIL' };

/** `FAIL discourse/categories: ...`, one line per finding. */
export function formatFinding(finding: Finding): string {
  return `${MARKS[finding.level]} ${finding.platform}/${finding.check}: ${finding.message}`;
}

export function blockers(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.level === 'blocker');
}

/**
 * Runs every doctor; a doctor that throws (an unexpected failure, not a finding) becomes a
 * blocker naming the platform, so one broken check never hides the others.
 */
export async function runDoctors(doctors: ReadonlyMap<string, PlatformDoctor>): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const [platform, doctor] of doctors) {
    try {
      findings.push(...(await doctor()));
    } catch (error) {
      findings.push({ platform, check: 'doctor', level: 'blocker', message: `the checks could not run: ${(error as Error).message}` });
    }
  }
  return findings;
}
