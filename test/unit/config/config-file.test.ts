import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactedConfig } from '../../../bridges/config.js';

describe('loadConfig', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-config-'));
    file = path.join(dir, 'co-agent.yaml');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const load = (yaml: string, env: Record<string, string> = {}) => {
    writeFileSync(file, yaml);
    return loadConfig({ file, env });
  };
  const problemsOf = (yaml: string, env: Record<string, string> = {}): string => {
    try {
      load(yaml, env);
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    throw new Error('expected a ConfigError');
  };

  it('takes a PostgreSQL url from database.url or DATABASE_URL (which wins), and hides its password in logs', () => {
    expect(load('database:\n  url: postgresql://co@db:5432/co_agent\n').database.url).toBe('postgresql://co@db:5432/co_agent');
    const fromEnv = load('database:\n  url: postgresql://co@db:5432/co_agent\n', { DATABASE_URL: 'postgresql://co:s3cret@other:5432/co' });
    expect(fromEnv.database.url).toBe('postgresql://co:s3cret@other:5432/co');
    expect(JSON.stringify(redactedConfig(fromEnv))).not.toContain('s3cret');
    // The Prisma CLI's file: address of the SQLite database is not a reason to switch.
    expect(load('log:\n  level: info\n', { DATABASE_URL: 'file:./data/co-agent.db' }).database.url).toBeUndefined();
    expect(problemsOf('log:\n  level: info\n', { DATABASE_URL: 'mysql://x@y/z' })).toMatch(/DATABASE_URL must be a postgresql:\/\/ URL/);
    expect(problemsOf('database:\n  url: mysql://x@y/z\n')).toMatch(/database\.url/);
  });

  it('gives every default when the default file is missing', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const config = loadConfig({ env: {} });
      expect(config).toEqual({
        database: { path: './data/co-agent.db', leaseSeconds: 8 },
        log: { level: 'info' },
        engine: {
          embedding: { backend: 'auto' },
          workers: availableParallelism(),
          vectorPrecision: 'float32',
          calibrate: true,
          similar: { maxResults: 5 },
          routing: { maxInvitations: 3, weeklyBudget: 3 },
          tagging: { maxTags: 3 },
          helpDetection: { learn: true },
        },
        web: { host: '127.0.0.1', port: 8080 },
        dashboard: {
          sessionIdleHours: 12,
          sessionsPerRole: { admin: 20, viewer: 200 },
          login: { attemptsPerClient: 5, attemptsPerRole: 20, maxWaitMinutes: 60, failuresPerMinute: 10 },
          refreshSeconds: 30,
          staleSeconds: 300,
          trustProxy: false,
        },
        concierge: {
          inviteVia: 'thread',
          flood: { maxRequests: 5, windowMinutes: 10 },
          linkCodeTtlHours: 24,
          mode: 'auto',
          reviewMinutes: 60,
          stuckAfterHours: 24,
          admins: [],
        },
        identity: { offerLinks: true, matchByEmail: false, answerDays: 14, offersPerRound: 20 },
        matrix: undefined,
        tags: { vocabulary: [], suggest: { enabled: true, minDocuments: 100, minClusterSize: 5, maxProposals: 8 } },
        discourse: undefined,
      });
    } finally {
      process.chdir(cwd);
    }
  });

  it('leaves secrets out for tools that only open the database', () => {
    writeFileSync(path.join(dir, 'tool.yaml'), 'discourse:\n  baseUrl: https://forum.example.org\n');
    expect(() => loadConfig({ file: path.join(dir, 'tool.yaml'), env: {} })).toThrow(/DISCOURSE_API_KEY/);
    const config = loadConfig({ file: path.join(dir, 'tool.yaml'), env: { DISCOURSE_API_KEY: 'k' }, secrets: 'ignore' });
    expect(config.discourse?.baseUrl).toBe('https://forum.example.org');
    expect(config.discourse?.apiKey).toBeUndefined();
  });

  it('treats an empty file as all defaults and merges partial sections with defaults', () => {
    expect(load('').web.port).toBe(8080);
    const config = load('engine:\n  routing:\n    weeklyBudget: 5\n  workers: 3\nweb:\n  port: 0\n');
    expect(config.engine.routing).toEqual({ maxInvitations: 3, weeklyBudget: 5 });
    expect(config.engine.workers).toBe(3);
    expect(config.web).toEqual({ host: '127.0.0.1', port: 0 });
  });

  it('reads the file named by CO_AGENT_CONFIG, and fails if that file is missing', () => {
    writeFileSync(file, 'log:\n  level: debug\n');
    expect(loadConfig({ env: { CO_AGENT_CONFIG: file } }).log.level).toBe('debug');
    expect(() => loadConfig({ env: { CO_AGENT_CONFIG: path.join(dir, 'nope.yaml') } })).toThrow(
      /nope\.yaml[\s\S]*config file not found \(from CO_AGENT_CONFIG\)/,
    );
  });

  it('names each bad key, what it expected and what it got', () => {
    const message = problemsOf(
      [
        'engine:',
        '  routing:',
        '    weeklyBudget: three',
        '  similar:',
        '    minScore: 1.5',
        '  embedding:',
        '    backend: gpu',
        'web:',
        '  port: 70000',
        '  host: ""',
        'log:',
        '  level: 3',
      ].join('\n'),
    );
    expect(message).toContain('engine.routing.weeklyBudget: expected a positive integer, got "three"');
    expect(message).toContain('engine.similar.minScore: expected a number from 0 to 1, got 1.5');
    expect(message).toContain('engine.embedding.backend: expected one of auto, tensorflow, wasm, cpu, got "gpu"');
    expect(message).toContain('web.port: expected a port number from 0 to 65535, got 70000');
    expect(message).toContain('web.host: expected a non-empty string, got ""');
    expect(message).toContain('log.level: expected one of fatal, error, warn, info, debug, trace, silent, got 3');
    expect(message).toContain(file);
  });

  it('rejects fractional counts and a section given as a scalar', () => {
    expect(problemsOf('engine:\n  tagging:\n    maxTags: 2.5\n')).toContain('engine.tagging.maxTags: expected a positive integer, got 2.5');
    expect(problemsOf('web: 8080\n')).toMatch(/web: .*got 8080/);
  });

  it('rejects unknown keys, including misspellings and secrets put in the file', () => {
    const message = problemsOf(
      'engine:\n  routing:\n    weeklyBugdet: 4\nmatrix:\n  homeserverUrl: https://m.example.org\n  space: "#s:example.org"\n  accessToken: oops\nextra: 1\n',
      { MATRIX_ACCESS_TOKEN: 't' },
    );
    expect(message).toContain('engine.routing.weeklyBugdet: unknown key');
    expect(message).toContain('matrix.accessToken: unknown key');
    expect(message).toContain('extra: unknown key');
  });

  it('reports bad YAML with its line and column', () => {
    expect(problemsOf('web:\n  port: 8080\n host: x\n')).toMatch(/line 3, column \d+: invalid YAML: All mapping items must start at the same column/);
    expect(problemsOf('web:\n  port: 1\nweb:\n  port: 2\n')).toMatch(/line 3, column 1: invalid YAML: Map keys must be unique/);
    expect(problemsOf('- a\n- b\n')).toContain('(top level): expected a mapping of sections');
  });

  it('takes secrets from the environment and requires them for a configured bridge', () => {
    const yaml = 'matrix:\n  homeserverUrl: https://matrix.example.org\n  space: "#community:example.org"\ndiscourse:\n  baseUrl: https://forum.example.org\n';
    const missing = problemsOf(yaml, { DISCOURSE_API_KEY: 'k' });
    expect(missing).toContain('matrix.accessToken: set environment variable MATRIX_ACCESS_TOKEN');
    expect(missing).toContain('discourse.apiUsername: set environment variable DISCOURSE_API_USERNAME');
    expect(missing).not.toContain('discourse.apiKey');
    expect(missing).not.toContain('webhookSecret');

    const config = load(yaml, {
      MATRIX_ACCESS_TOKEN: 'syt_secret',
      DISCOURSE_API_KEY: 'key-secret',
      DISCOURSE_API_USERNAME: 'co-agent',
      DISCOURSE_WEBHOOK_SECRET: 'hook-secret',
      MATRIX_CRYPTO_STORE_PASSPHRASE: 'store-secret',
    });
    expect(config.matrix).toEqual({
      homeserverUrl: 'https://matrix.example.org',
      space: '#community:example.org',
      allowRooms: [],
      backfill: 500,
      catchUpLimit: 2000,
      smallRoomMaxMembers: 6,
      encryption: true,
      accessToken: 'syt_secret',
      cryptoStorePassphrase: 'store-secret',
    });
    expect(config.discourse).toEqual({
      baseUrl: 'https://forum.example.org',
      helpCategories: [],
      inviteVia: 'mention',
      setTags: true,
      backfillTopics: 300,
      pollSeconds: 60,
      apiRequestsPerMinute: 40,
      mirror: 'off',
      privateMessages: false,
      apiKey: 'key-secret',
      apiUsername: 'co-agent',
      webhookSecret: 'hook-secret',
    });
  });

  it('refuses Discourse features a stock forum does not allow, saying why', () => {
    const env = { DISCOURSE_API_KEY: 'k', DISCOURSE_API_USERNAME: 'bot' };
    const forum = 'discourse:\n  baseUrl: https://forum.example.org\n';
    expect(problemsOf(`${forum}  inviteVia: topic-invitation\n`, env)).toContain(
      'discourse.inviteVia: expected mention or private-message: a stock Discourse refuses topic invitations to regular topics (topic_invite.not_pm',
    );
    expect(problemsOf(`${forum}  mirror: always\n`, env)).toContain(
      'discourse.mirrorCategory: expected a category for mirrored topics, since discourse.mirror is always: a stock Discourse refuses new topics in Uncategorized',
    );
    expect(problemsOf(`${forum}  mirror: on-request\n`, env)).toContain('discourse.mirrorCategory');
    // Without a category mirroring is off; with one it is on request.
    expect(load(forum, env).discourse?.mirror).toBe('off');
    expect(load(`${forum}  mirrorCategory: questions\n`, env).discourse?.mirror).toBe('on-request');
    expect(load(`${forum}  mirror: off\n`, env).discourse?.mirror).toBe('off');
    expect(problemsOf(`${forum}  apiRequestsPerMinute: 0\n`, env)).toContain('discourse.apiRequestsPerMinute: expected a positive integer');
  });

  it('accepts password login for Matrix instead of a token, but only with the bot user id', () => {
    const yaml = 'matrix:\n  homeserverUrl: https://matrix.example.org\n  space: "#community:example.org"\n';
    expect(problemsOf(yaml, { MATRIX_PASSWORD: 'pw' })).toContain('MATRIX_PASSWORD together with matrix.userId');
    const config = load(`${yaml}  userId: "@bot:example.org"\n`, { MATRIX_PASSWORD: 'pw' });
    expect(config.matrix).toMatchObject({ userId: '@bot:example.org', password: 'pw' });
    expect(config.matrix?.accessToken).toBeUndefined();
    expect(JSON.stringify(redactedConfig(config))).not.toContain('pw"');
  });

  it('validates bridge settings', () => {
    const message = problemsOf('matrix:\n  homeserverUrl: ftp://matrix.example.org\n  space: community\ndiscourse: {}\n', { MATRIX_ACCESS_TOKEN: 't' });
    expect(message).toContain('matrix.homeserverUrl: expected an http(s) URL, got "ftp://matrix.example.org"');
    expect(message).toContain('matrix.space: expected a Matrix room id (!id:server) or alias (#name:server), got "community"');
    expect(message).toContain('discourse.baseUrl: expected an http(s) URL, got nothing');
  });

  it('takes the proxies to trust as a hop count or a list of addresses, and refuses true saying what to write', () => {
    expect(load('dashboard:\n  trustProxy: 2\n').dashboard.trustProxy).toBe(2);
    expect(load('dashboard:\n  trustProxy: [127.0.0.1, "10.0.0.0/8", "::1", "fd00::/8", uniquelocal]\n').dashboard.trustProxy).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'fd00::/8',
      'uniquelocal',
    ]);
    expect(problemsOf('dashboard:\n  trustProxy: true\n')).toContain(
      'dashboard.trustProxy: true would trust whatever a client writes into X-Forwarded-For; write the number of proxies in front of Co-Agent (e.g. 1) or their addresses (e.g. [127.0.0.1]), got true',
    );
    const bad = problemsOf('dashboard:\n  trustProxy: [127.0.0.1, "10.0.0.0/33", nginx, "1.2.3.4/8/8", "0.0.0.0/0"]\n');
    expect(bad).toContain(
      'dashboard.trustProxy.1: expected an IP address, a CIDR range (10.0.0.0/8) or one of loopback, linklocal, uniquelocal, got "10.0.0.0/33"',
    );
    expect(bad).toContain('dashboard.trustProxy.2: expected an IP address');
    expect(bad).toContain('dashboard.trustProxy.3: expected an IP address');
    expect(bad).toContain('dashboard.trustProxy.4: expected an IP address');
    expect(problemsOf('dashboard:\n  trustProxy: []\n')).toContain('dashboard.trustProxy: expected a list of at least one proxy address, got []');
    expect(problemsOf('dashboard:\n  trustProxy: 11\n')).toContain('dashboard.trustProxy: expected a whole number of proxies from 0 to 10, got 11');
    expect(problemsOf('dashboard:\n  trustProxy: 1.5\n')).toContain(
      'dashboard.trustProxy: expected false, a number of proxies or a list of proxy addresses, got 1.5',
    );
    expect(problemsOf('dashboard:\n  trustProxy: yes please\n')).toContain(
      'dashboard.trustProxy: expected false, a number of proxies or a list of proxy addresses, got "yes please"',
    );
  });

  it('names the key that replaced a retired one', () => {
    expect(problemsOf('dashboard:\n  loginAttemptsPerMinute: 5\n')).toContain(
      'dashboard.loginAttemptsPerMinute: replaced by dashboard.login.attemptsPerClient',
    );
  });

  it('takes the dashboard CSRF secret from the environment, only when long enough, and redacts it', () => {
    expect(problemsOf('', { DASHBOARD_CSRF_SECRET: 'short' })).toContain('dashboard.csrfSecret: DASHBOARD_CSRF_SECRET must be 32 characters or more');
    const config = load('', { DASHBOARD_CSRF_SECRET: 'k'.repeat(32) });
    expect(config.dashboard.csrfSecret).toBe('k'.repeat(32));
    expect(JSON.stringify(redactedConfig(config))).not.toContain('k'.repeat(32));
  });

  it('redacts every secret for the start-up log', () => {
    const config = load(
      'matrix:\n  homeserverUrl: https://matrix.example.org\n  space: "!abc:example.org"\ndiscourse:\n  baseUrl: https://forum.example.org\n',
      {
        MATRIX_ACCESS_TOKEN: 'syt_secret',
        DISCOURSE_API_KEY: 'key-secret',
        DISCOURSE_API_USERNAME: 'co-agent',
        DASHBOARD_PASSWORD: 'dash-secret',
        MATRIX_CRYPTO_STORE_PASSPHRASE: 'store-secret',
      },
    );
    const redacted = redactedConfig(config);
    const text = JSON.stringify(redacted);
    expect(text).not.toContain('store-secret');
    expect(redacted.matrix).toMatchObject({ cryptoStorePassphrase: '[redacted]' });
    expect(text).not.toContain('syt_secret');
    expect(text).not.toContain('key-secret');
    expect(text).not.toContain('dash-secret');
    expect(redacted.dashboard).toMatchObject({ password: '[redacted]', viewerPassword: '[not set]' });
    expect(redacted.matrix).toMatchObject({ accessToken: '[redacted]', homeserverUrl: 'https://matrix.example.org' });
    expect(redacted.discourse).toMatchObject({ apiKey: '[redacted]', apiUsername: '[redacted]', webhookSecret: '[not set]' });
    // The original is untouched.
    expect(config.matrix?.accessToken).toBe('syt_secret');
    expect(config.dashboard.password).toBe('dash-secret');
  });
});
