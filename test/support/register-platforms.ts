// Vitest setup (vitest.config.ts): every test file starts with the built-in platforms registered,
// as main.ts does before anything else, so tests that call core directly see Matrix and Discourse.
import { registerBuiltInPlatforms } from '../../bridges/profiles.js';

registerBuiltInPlatforms();
