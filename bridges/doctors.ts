// The checks `npm run doctor` and the service's start-up run for each configured platform. Each
// bridge owns its checks (bridges/<platform>/doctor.ts) and is added here, once.
import type { Config } from './config.js';
import type { PlatformDoctor } from '../core/doctor/findings.js';
import type { Logger } from '../core/logging.js';
import { discourseDoctor, storedTagNames } from './discourse/doctor.js';
import { matrixDoctor } from './matrix/doctor.js';
import { matrixCryptoDoctor } from './matrix/crypto-doctor.js';

/** `atStart`: the service's own check, which must not create sessions (a password login) of its own. */
export function platformDoctors(config: Config, logger: Logger, options: { atStart?: boolean } = {}): Map<string, PlatformDoctor> {
  const doctors = new Map<string, PlatformDoctor>();
  if (config.matrix) doctors.set('matrix', matrixDoctor({ config, adminToken: config.matrix.adminToken, atStart: options.atStart ?? false }));
  if (config.matrix) doctors.set('matrix-encryption', matrixCryptoDoctor(config));
  if (config.discourse) doctors.set('discourse', discourseDoctor({ config, logger, communityTags: storedTagNames(config, logger) }));
  return doctors;
}
