// `npm run doctor`: checks the configured platforms (credentials, rooms and categories, what the
// bot may do there, settings the APIs cannot read) without starting the service. One line per
// finding; exit code 1 when anything blocks the service, 2 when the configuration is invalid.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from '../bridges/config.js';
import { blockers, formatFinding, runDoctors } from '../core/doctor/findings.js';
import { createLogger } from '../core/logging.js';
import { platformDoctors } from '../bridges/doctors.js';

export async function doctor(env: NodeJS.ProcessEnv, write: (line: string) => void): Promise<number> {
  let config: Config;
  try {
    config = loadConfig({ env });
  } catch (error) {
    if (error instanceof ConfigError) {
      write(`FAIL config: ${error.message}`);
      return 2;
    }
    throw error;
  }
  // Progress and SDK chatter go to standard error at warn level; findings go to standard output.
  const logger = createLogger({ level: 'warn' }, process.stderr);
  const doctors = platformDoctors(config, logger);
  if (doctors.size === 0) {
    write('note config: no platform is configured, so `npm start` runs the sandbox; add a matrix or discourse section to check a real one.');
    return 0;
  }
  const findings = await runDoctors(doctors);
  for (const finding of findings) write(formatFinding(finding));
  const blocking = blockers(findings);
  write(
    blocking.length === 0 ? `doctor: no blockers (${findings.length} checks)` : `doctor: ${blocking.length} blocker(s): fix them before starting the service`,
  );
  return blocking.length === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  doctor(process.env, (line) => process.stdout.write(`${line}\n`)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
