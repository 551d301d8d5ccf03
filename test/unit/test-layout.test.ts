// The test layout (docs/testing.md, Where tests live), checked so it stays one layout:
// - a test of one module sits beside it, named after it (x.test.ts next to x.ts; a folder tested
//   as a whole, such as a stand-in, beside its index.ts), and needs nothing from test/;
// - everything else lives under test/, in one of its kinds. A test under test/unit named after a
//   module is there for a reason it shows in its imports: it needs shared test code (a fixture, a
//   real store) or code of another layer (which core's own files may not import).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CODE_DIRS = ['core', 'bridges', 'web', 'scripts'];
const TEST_KINDS = ['browser', 'e2e', 'integration', 'support', 'unit'];

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('generated')) continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(path.relative(root, full));
  }
  return out;
}

const codeFiles = CODE_DIRS.flatMap((d) => walk(path.join(root, d)));
const moduleNames = new Set(codeFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => path.basename(f, '.ts')));
/** The top-level folders a file's relative imports reach (test, core, bridges, ...). */
const importedFolders = (file: string): Set<string> =>
  new Set(
    [...readFileSync(path.join(root, file), 'utf8').matchAll(/from '(\.[^']+)'/g)].map(
      (m) => path.relative(root, path.resolve(path.dirname(path.join(root, file)), m[1]!)).split(path.sep)[0]!,
    ),
  );
const importsTestCode = (file: string): boolean => importedFolders(file).has('test');

describe('test layout', () => {
  it('keeps every test outside test/ beside the module it is named after, needing nothing from test/', () => {
    const besideCode = codeFiles.filter((f) => f.endsWith('.test.ts'));
    expect(besideCode.length).toBeGreaterThan(50);
    const astray = besideCode.filter((f) => {
      const dir = path.dirname(f);
      const module = path.join(dir, `${path.basename(f, '.test.ts')}.ts`);
      return !(codeFiles.includes(module) || codeFiles.includes(path.join(dir, 'index.ts')));
    });
    expect(astray).toEqual([]);
    expect(besideCode.filter(importsTestCode)).toEqual([]);
  });

  it('has only the known kinds of tests under test/, and none in test/unit that could sit beside its module', () => {
    expect(readdirSync(path.join(root, 'test')).sort()).toEqual(TEST_KINDS);
    const unit = walk(path.join(root, 'test', 'unit')).filter((f) => f.endsWith('.test.ts'));
    expect(unit.length).toBeGreaterThan(20);
    const couldSitBeside = unit.filter((f) => {
      if (!moduleNames.has(path.basename(f, '.test.ts'))) return false;
      const folders = importedFolders(f);
      return !folders.has('test') && CODE_DIRS.filter((d) => folders.has(d)).length < 2;
    });
    expect(couldSitBeside).toEqual([]);
  });
});
