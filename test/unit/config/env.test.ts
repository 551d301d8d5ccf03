// Settings from CO_AGENT_ environment variables: every key of the file has one, they override the
// file, go through the same schema (same error messages), and a variable that names no setting
// gets a warning naming it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envNameOf, settingKeys } from '../../../core/config/env.js';
import { ConfigError, fileSchema, loadConfig } from '../../../bridges/config.js';

describe('configuration from the environment', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-env-'));
    file = path.join(dir, 'co-agent.yaml');
    writeFileSync(file, 'web:\n  port: 8081\nengine:\n  routing:\n    weeklyBudget: 2\n');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('names every setting, e.g. CO_AGENT_MATRIX__HOMESERVER_URL', () => {
    const keys = settingKeys(fileSchema);
    expect(keys).toContain('engine.routing.weeklyBudget');
    expect(keys).toContain('discourse.helpCategories');
    expect(envNameOf('matrix.homeserverUrl')).toBe('CO_AGENT_MATRIX__HOMESERVER_URL');
    expect(envNameOf('engine.routing.weeklyBudget')).toBe('CO_AGENT_ENGINE__ROUTING__WEEKLY_BUDGET');
    // Each name is recognised: no warning for any of them.
    const warnings: string[] = [];
    try {
      loadConfig({ file, env: Object.fromEntries(keys.map((k) => [envNameOf(k), 'x'])), warn: (m) => warnings.push(m), secrets: 'ignore' });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError); // 'x' is a wrong value for most keys: the schema says so
    }
    expect(warnings).toEqual([]);
  });

  it('overrides the file and creates sections, with typed values', () => {
    const config = loadConfig({
      file,
      env: {
        CO_AGENT_WEB__PORT: '9090',
        CO_AGENT_ENGINE__ROUTING__WEEKLY_BUDGET: '5',
        CO_AGENT_ENGINE__CALIBRATE: 'false',
        CO_AGENT_MATRIX__HOMESERVER_URL: 'https://matrix.example.org',
        CO_AGENT_MATRIX__SPACE: '#community:example.org',
        CO_AGENT_MATRIX__ALLOW_ROOMS: '["#extra:example.org"]',
        MATRIX_ACCESS_TOKEN: 'token',
      },
      warn: () => expect.unreachable('no warning expected'),
    });
    expect(config.web.port).toBe(9090);
    expect(config.engine.routing.weeklyBudget).toBe(5);
    expect(config.engine.calibrate).toBe(false);
    expect(config.matrix).toMatchObject({
      homeserverUrl: 'https://matrix.example.org',
      space: '#community:example.org',
      allowRooms: ['#extra:example.org'],
      backfill: 500,
    });
  });

  it('validates with the same schema and messages', () => {
    expect(() => loadConfig({ file, env: { CO_AGENT_WEB__PORT: 'eighty' }, warn: () => undefined })).toThrow(
      /web\.port: expected a port number from 0 to 65535, got "eighty"/,
    );
  });

  it('warns about a CO_AGENT_ variable that is no setting, naming it', () => {
    const warnings: string[] = [];
    const config = loadConfig({ file, env: { CO_AGENT_WEB__PROT: '1', CO_AGENT_NOPE: 'x', CO_AGENT_CONFIG: file }, warn: (m) => warnings.push(m) });
    expect(config.web.port).toBe(8081);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^environment variable CO_AGENT_WEB__PROT is not a setting and was ignored/);
    expect(warnings[1]).toMatch(/^environment variable CO_AGENT_NOPE is not a setting/);
  });
});
