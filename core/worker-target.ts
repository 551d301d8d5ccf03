// Starting a worker thread from a TypeScript or compiled entry file (embedding, BM25 terms,
// dashboard figures all run code on worker threads).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * How to start a worker running `url`. A compiled .js entry starts directly. A .ts entry (tsx in
 * development, Vitest in tests) needs TypeScript support inside the worker, and on Node 20 the
 * tsx loader does not reach worker threads (not through inherited execArgv, not through
 * `execArgv: ['--import', 'tsx']`: both fail with ERR_UNKNOWN_FILE_EXTENSION). So a two-line
 * bootstrap registers tsx in the worker, then imports the entry.
 */
export function workerTarget(url: URL): { target: URL | string; eval: boolean } {
  if (!url.pathname.endsWith('.ts')) return { target: url, eval: false };
  const require = createRequire(import.meta.url);
  const pkgJson = require.resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports: Record<string, { import?: { default?: string } } | string> };
  const entry = pkg.exports['./esm/api'];
  const file = typeof entry === 'string' ? entry : entry?.import?.default;
  if (!file) throw new Error('tsx does not export ./esm/api; cannot start a TypeScript worker');
  const api = pathToFileURL(path.join(path.dirname(pkgJson), file)).href;
  const code =
    `import(${JSON.stringify(api)}).then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); })` + `.catch((e) => { throw e; });`;
  return { target: code, eval: true };
}
