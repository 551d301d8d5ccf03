import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'bridges/**/*.test.ts', 'web/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    // The model-backed tests load TensorFlow.js once per file; give them room on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    // Core knows platforms as registered profiles: the built-in ones, as main.ts registers them.
    setupFiles: ['test/support/register-platforms.ts'],
    retry: 0,
  },
});
