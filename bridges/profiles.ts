// The platforms this service ships with, registered with core before anything else runs
// (main.ts, the sandbox, the evaluation, the test harnesses). A new bridge adds its profile here.
import { registerPlatform } from '../core/platforms.js';
import { discourseProfile } from './discourse/profile.js';
import { matrixProfile } from './matrix/profile.js';

/** Registers Matrix, then Discourse (the order is the preference where core must choose one). */
export function registerBuiltInPlatforms(): void {
  registerPlatform(matrixProfile);
  registerPlatform(discourseProfile);
}
