// Lint rules that keep the architecture honest: core/ is platform-neutral, and only
// core/store talks to Prisma.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdkPackages = [
  'express', 'express-*', 'matrix-bot-sdk', 'matrix-bot-sdk/*', 'axios', 'axios/*',
  '@matrix-org/*', 'playwright-core',
];
const layerPaths = ['**/bridges', '**/bridges/**', '**/web', '**/web/**', '**/main', '**/main.js', '**/scripts/**'];
const prismaPaths = ['@prisma/client', '@prisma/client/*', '@prisma/adapter-*', 'prisma', 'prisma/*', '**/store/generated/**', '**/store/generated', '**/store/generated-pg/**', '**/store/generated-pg'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'core/store/generated/**', 'core/store/generated-pg/**', 'data/**', 'test-artifacts/**', '.cache/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The CommonJS stand-in package matrix-bot-sdk loads instead of the native crypto library.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { exports: 'writable', module: 'writable', require: 'readonly' } },
  },
  {
    // The dashboard's hand-written browser modules (no build step): the browser APIs they use.
    files: ['web/dashboard/public/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['window', 'document', 'location', 'fetch', 'URL', 'URLSearchParams', 'Node', 'performance', 'crypto', 'btoa', 'FormData'].map((g) => [g, 'readonly'])),
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['core/**/*.ts'],
    ignores: ['core/store/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: layerPaths, message: 'core/ is platform-neutral: it must not import bridges/, web/, scripts/ or main.' },
          { group: sdkPackages, message: 'core/ must not import Express or platform SDKs; ask for a capability through a port instead.' },
          { group: prismaPaths, message: 'Only core/store may import the Prisma client.' },
        ],
      }],
    },
  },
  {
    files: ['core/store/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: layerPaths, message: 'core/ is platform-neutral: it must not import bridges/, web/, scripts/ or main.' },
          { group: sdkPackages, message: 'core/ must not import Express or platform SDKs.' },
        ],
      }],
    },
  },
  {
    files: ['bridges/**/*.ts', 'web/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts', 'main.ts'],
    ignores: ['test/unit/store/**', 'test/integration/store/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: prismaPaths, message: 'Only core/store may import the Prisma client; use the store module.' }],
      }],
    },
  },
);
