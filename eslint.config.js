// Lint rules that keep the architecture honest: core/ is platform-neutral, and only
// core/store talks to Prisma.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

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
    // No import cycles: a cycle makes module initialisation order fragile and hides which layer
    // owns a piece. ignoreExternal keeps the graph walk to our own files, which keeps lint fast.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Without .ts here import-x skips our own modules and sees no cycle at all.
      'import-x/extensions': ['.ts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
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
