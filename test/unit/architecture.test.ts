// The architecture rules are lint rules; this proves they fire, so a config change cannot
// silently turn them off.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const eslint = new ESLint({ cwd: root });

async function ruleErrors(rule: string, file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === rule).map((m) => m.message);
}

const importErrors = (file: string, source: string): Promise<string[]> => ruleErrors('no-restricted-imports', file, source);

describe('architecture lint rules', () => {
  it('keep Express, SDKs, bridges and web out of core/', async () => {
    expect(await importErrors('core/engine/x.ts', "import express from 'express';\nexport const a = express;\n")).toEqual([
      expect.stringContaining('must not import Express or platform SDKs'),
    ]);
    expect(await importErrors('core/engine/x.ts', "import { MatrixClient } from 'matrix-bot-sdk';\nexport const a = MatrixClient;\n")).toHaveLength(1);
    expect(await importErrors('core/engine/x.ts', "import { x } from '../../bridges/matrix/client.js';\nexport const a = x;\n")).toEqual([
      expect.stringContaining('platform-neutral'),
    ]);
    expect(await importErrors('core/engine/x.ts', "import { x } from '../../web/server.js';\nexport const a = x;\n")).toHaveLength(1);
  });

  it('let only core/store import the Prisma client', async () => {
    const prisma = "import { PrismaClient } from '@prisma/client';\nexport const a = PrismaClient;\n";
    const generated = "import { PrismaClient } from '../store/generated/client.js';\nexport const a = PrismaClient;\n";
    expect(await importErrors('core/engine/x.ts', prisma)).toEqual([expect.stringContaining('Only core/store')]);
    expect(await importErrors('core/engine/x.ts', generated)).toEqual([expect.stringContaining('Only core/store')]);
    expect(await importErrors('bridges/matrix/x.ts', prisma)).toEqual([expect.stringContaining('Only core/store')]);
    expect(await importErrors('web/x.ts', prisma)).toHaveLength(1);
    expect(await importErrors('core/store/x.ts', generated)).toEqual([]);
  });

  it('keep test code (test/, *.test-helper) out of the service, the sandbox and the benches', async () => {
    const only = [expect.stringContaining('Only tests may import test code')];
    expect(await importErrors('main.ts', "import { x } from './test/e2e/service-harness.js';\nexport const a = x;\n")).toEqual(only);
    expect(await importErrors('scripts/bench-x.ts', "import { x } from '../test/e2e/matrix-world.js';\nexport const a = x;\n")).toEqual(only);
    expect(
      await importErrors('scripts/sandbox/x.ts', "import { x } from '../../bridges/discourse/api/stub-forum.test-helper.js';\nexport const a = x;\n"),
    ).toEqual(only);
    expect(await importErrors('core/engine/x.ts', "import { x } from '../../test/unit/engine/y.js';\nexport const a = x;\n")).toEqual(only);
    // import() is caught too (no-restricted-imports alone does not see it).
    const [dynamic] = await eslint.lintText("export const a = await import('./test/e2e/service-harness.js');\n", { filePath: path.join(root, 'main.ts') });
    // (main.ts importing the harness, which imports main.ts, is also a cycle: another rule's finding.)
    expect(dynamic?.messages.filter((m) => m.ruleId !== 'import-x/no-cycle').map((m) => m.message)).toEqual(only);
    // Tests may import anything; shared support is allowed everywhere.
    expect(await importErrors('bridges/discourse/x.test.ts', "import { x } from './forum-fixture.test-helper.js';\nexport const a = x;\n")).toEqual([]);
    expect(await importErrors('scripts/bench-x.ts', "import { x } from './support/service-io.js';\nexport const a = x;\n")).toEqual([]);
  });

  it('allow what core legitimately uses', async () => {
    expect(await importErrors('core/engine/x.ts', "import { tokenize } from '../text/tokenize.js';\nexport const a = tokenize;\n")).toEqual([]);
    expect(await importErrors('bridges/matrix/x.ts', "import { Engine } from '../../core/engine/engine.js';\nexport const a = Engine;\n")).toEqual([]);
  });

  it('refuse import cycles', async () => {
    // kindred.ts imports iso-week.ts; iso-week.ts importing kindred.ts back closes a cycle.
    const back = "import { kindredIntroductions } from './kindred.js';\nexport const a = kindredIntroductions;\n";
    expect(await ruleErrors('import-x/no-cycle', 'core/concierge/iso-week.ts', back)).toHaveLength(1);
    expect(
      await ruleErrors('import-x/no-cycle', 'core/concierge/iso-week.ts', "import { replyTo } from './command-reply.js';\nexport const a = replyTo;\n"),
    ).toEqual([]);
  });
});
