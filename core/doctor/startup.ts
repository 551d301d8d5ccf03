// The doctors' checks at start: every finding is logged (one line each), a blocker stops the
// start with what to fix, and a platform that does not answer yet is waited for: a forum being
// restarted is no reason to die, a wrong key or a missing category is.
import type { Logger } from '../logging.js';
import { blockers, formatFinding, runDoctors, type Finding, type FindingLevel, type PlatformDoctor } from './findings.js';

export class StartupBlocked extends Error {
  override readonly name = 'StartupBlocked';
  constructor(readonly findings: readonly Finding[]) {
    super(
      `the setup has ${findings.length} problem(s) to fix first (npm run doctor shows the same):\n${findings.map((f) => `  ${formatFinding(f)}`).join('\n')}`,
    );
  }
}

const LOG_LEVEL: Record<FindingLevel, 'info' | 'warn' | 'error'> = { ok: 'info', info: 'info', warning: 'warn', blocker: 'error' };

export interface StartupCheckOptions {
  /** Waits between rounds while a platform does not answer (the last one repeats). */
  retryDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

/** Runs the checks until nothing is unreachable; throws StartupBlocked on a blocker. */
export async function checkBeforeStart(doctors: ReadonlyMap<string, PlatformDoctor>, logger: Logger, options: StartupCheckOptions = {}): Promise<Finding[]> {
  const delays = options.retryDelaysMs ?? [2_000, 5_000, 10_000, 30_000, 60_000];
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let round = 0; ; round++) {
    const findings = await runDoctors(doctors);
    const blocking = blockers(findings);
    const waiting = blocking.filter((f) => f.transient);
    if (waiting.length > 0 && waiting.length === blocking.length) {
      const delay = delays[Math.min(round, delays.length - 1)] ?? 60_000;
      for (const f of waiting)
        logger.warn({ platform: f.platform, check: f.check, retryInMs: delay }, `${formatFinding(f)} (checking again in ${Math.round(delay / 1000)} s)`);
      await sleep(delay);
      continue;
    }
    for (const f of findings) logger[LOG_LEVEL[f.level]]({ platform: f.platform, check: f.check, finding: f.level }, formatFinding(f));
    if (blocking.length > 0) throw new StartupBlocked(blocking);
    return findings;
  }
}
