import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, renderExampleConfig } from '../../../bridges/config.js';

const EXAMPLE = fileURLToPath(new URL('../../../config/co-agent.example.yaml', import.meta.url));

describe('config/co-agent.example.yaml', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'co-agent-example-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is exactly what `npm run config:example` writes from the schema', () => {
    // If this fails: run `npm run config:example` and commit the result.
    expect(readFileSync(EXAMPLE, 'utf8')).toBe(renderExampleConfig());
  });

  it('parses, and its values are the defaults', () => {
    const fromExample = loadConfig({ file: EXAMPLE, env: {} });
    const file = path.join(dir, 'empty.yaml');
    writeFileSync(file, '');
    expect(fromExample).toEqual(loadConfig({ file, env: {} }));
  });

  it('still parses with every commented-out key and section switched on', () => {
    // Undo the single "# " marker in front of commented-out keys and section bodies.
    const enabled = readFileSync(EXAMPLE, 'utf8')
      .split('\n')
      .map((line) => line.replace(/^(\s*)# (\s*(?:[A-Za-z]\w*:(?: |$)|# ).*)$/, '$1$2'))
      .join('\n');
    const file = path.join(dir, 'enabled.yaml');
    writeFileSync(file, enabled);
    const config = loadConfig({
      file,
      env: { MATRIX_ACCESS_TOKEN: 't', DISCOURSE_API_KEY: 'k', DISCOURSE_API_USERNAME: 'u' },
    });
    expect(config.engine.workers).toBe(2);
    expect(config.matrix).toMatchObject({ homeserverUrl: 'https://matrix.example.org', space: '#community:example.org', accessToken: 't' });
    expect(config.discourse).toMatchObject({ baseUrl: 'https://forum.example.org', apiKey: 'k', apiUsername: 'u' });
  });

  it('describes every key', () => {
    const text = renderExampleConfig();
    for (const key of [
      'path:',
      'level:',
      'backend:',
      'workers:',
      'calibrate:',
      'minScore:',
      'weeklyBudget:',
      'learn:',
      'threshold:',
      'host:',
      'port:',
      'homeserverUrl:',
      'baseUrl:',
    ]) {
      const lines = text.split('\n');
      const at = lines.findIndex((l) => l.replace(/^[#\s]+/, '').startsWith(key));
      expect(at, key).toBeGreaterThan(0);
      // The line above a key is its description comment.
      expect(lines[at - 1], key).toMatch(/#\s+\S/);
    }
    for (const env of ['MATRIX_ACCESS_TOKEN', 'DISCOURSE_API_KEY', 'DISCOURSE_API_USERNAME', 'DISCOURSE_WEBHOOK_SECRET']) {
      expect(text).toContain(env);
    }
  });
});
