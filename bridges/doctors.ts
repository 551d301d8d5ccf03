// The checks `npm run doctor` and the service's start-up run for each configured platform. Each
// bridge owns its checks (bridges/<platform>/doctor.ts) and is added here, once.
import type { Config } from '../core/config/index.js';
import type { PlatformDoctor } from '../core/doctor/findings.js';
import type { Logger } from '../core/logging.js';

export function platformDoctors(_config: Config, _logger: Logger): Map<string, PlatformDoctor> {
  const doctors = new Map<string, PlatformDoctor>();
  return doctors;
}
