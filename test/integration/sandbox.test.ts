// `npm start` with no platform configured runs the sandbox: local stand-ins of Matrix and
// Discourse seeded with the synthetic community, and the whole service against them.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { openStore } from '../../core/store/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('npm start without platforms: the sandbox', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts the stand-ins, learns the community history, and stops cleanly', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-sandbox-'));
    const config = path.join(dir, 'co-agent.yaml');
    writeFileSync(config, ['database:', `  path: ${JSON.stringify(path.join(dir, 'data', 'co-agent.db'))}`, 'web:', '  port: 0', 'engine:', '  workers: 1'].join('\n'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], { cwd: ROOT, env: { ...process.env, CO_AGENT_CONFIG: config } });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 120_000;
      while (!out.includes('sandbox running')) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`sandbox did not start:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const store = await openStore({ path: path.join(dir, 'data', 'sandbox.db'), logger: createLogger({ level: 'silent' }) });
      try {
        for (;;) {
          const docs = await store.documents.listLive();
          if (docs.some((d) => d.platform === 'matrix') && docs.some((d) => d.platform === 'discourse')) break;
          if (Date.now() > deadline) throw new Error('history was not learned');
          await new Promise((r) => setTimeout(r, 250));
        }
        expect((await store.tags.list()).length).toBe(15);
      } finally {
        await store.close();
      }
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(out).toContain('"msg":"stopped"');
  });
});
