import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['core/**/*.test.ts', 'bridges/**/*.test.ts', 'web/**/*.test.ts', 'scripts/**/*.test.ts', 'test/**/*.test.ts'],
    // The model-backed tests load TensorFlow.js once per file; give them room on 2 cores.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    retry: 0,
  },
});
