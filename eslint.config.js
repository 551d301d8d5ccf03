// Lint rules that keep the architecture honest: core/ is platform-neutral, only core/store talks
// to Prisma, and nothing but tests imports test code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const sdkPackages = ['express', 'express-*', 'matrix-bot-sdk', 'matrix-bot-sdk/*', 'axios', 'axios/*', '@matrix-org/*', 'playwright-core'];
const layerPaths = ['**/bridges', '**/bridges/**', '**/web', '**/web/**', '**/main', '**/main.js', '**/scripts/**'];
const prismaPaths = [
  '@prisma/client',
  '@prisma/client/*',
  '@prisma/adapter-*',
  'prisma',
  'prisma/*',
  '**/store/generated/**',
  '**/store/generated',
  '**/store/generated-pg/**',
  '**/store/generated-pg',
];
// Test code: test/ and the *.test-helper files next to the code they help test. The service,
// its operator commands, the sandbox and the benches must not import it (shared support for
// tests and benches lives in scripts/support/); tests themselves may import anything.
const testFiles = ['**/*.test.ts', '**/*.test-helper.ts'];
const testCode = {
  group: ['**/test', '**/test/**', '**/*.test-helper', '**/*.test-helper.js', '**/*.test-helper.ts', '**/*.test.js', '**/*.test.ts'],
  message: 'Only tests may import test code (test/, *.test-helper): move what is shared to scripts/support/.',
};
// no-restricted-imports does not see import(): the same rule for a dynamic import of a literal path.
const dynamicTestImport = {
  selector: String.raw`ImportExpression[source.value=/(^|\u002F)test(\u002F|$)|\.test(-helper)?(\.[jt]s)?$/]`,
  message: testCode.message,
};

/**
 * The import restrictions `patterns` for `files`, two blocks: the second (it wins, being later)
 * adds the ban on test code for every file but tests.
 */
function restrictImports(files, ignores, patterns) {
  return [
    { files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } },
    {
      files,
      ignores: [...ignores, ...testFiles],
      rules: {
        'no-restricted-imports': ['error', { patterns: [...patterns, testCode] }],
        'no-restricted-syntax': ['error', dynamicTestImport],
      },
    },
  ];
}

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
      globals: Object.fromEntries(
        ['window', 'document', 'location', 'fetch', 'URL', 'URLSearchParams', 'Node', 'performance', 'crypto', 'btoa', 'FormData'].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...restrictImports(
    ['core/**/*.ts'],
    ['core/store/**'],
    [
      { group: layerPaths, message: 'core/ is platform-neutral: it must not import bridges/, web/, scripts/ or main.' },
      { group: sdkPackages, message: 'core/ must not import Express or platform SDKs; ask for a capability through a port instead.' },
      { group: prismaPaths, message: 'Only core/store may import the Prisma client.' },
    ],
  ),
  ...restrictImports(
    ['core/store/**/*.ts'],
    [],
    [
      { group: layerPaths, message: 'core/ is platform-neutral: it must not import bridges/, web/, scripts/ or main.' },
      { group: sdkPackages, message: 'core/ must not import Express or platform SDKs.' },
    ],
  ),
  ...restrictImports(
    ['bridges/**/*.ts', 'web/**/*.ts', 'scripts/**/*.ts', 'main.ts'],
    [],
    [{ group: prismaPaths, message: 'Only core/store may import the Prisma client; use the store module.' }],
  ),
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
    files: ['test/**/*.ts'],
    ignores: ['test/unit/store/**', 'test/integration/store/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: prismaPaths, message: 'Only core/store may import the Prisma client; use the store module.' }],
        },
      ],
    },
  },
);
