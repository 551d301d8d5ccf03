// Runs the real service in-process (main.ts `start`) against the fake homeserver, with a real
// SQLite file (or, with CO_AGENT_TEST_STORE=postgresql, a fresh database on the test PostgreSQL
// server, dropped by cleanup()), and collects its log lines for assertions.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../core/config/index.js';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { PostgresSyncConnection } from '../../core/store/postgres/sync-connection.js';
import { randomBytes } from 'node:crypto';
import { TEST_SERVER_URL } from '../integration/store/postgres-server.js';
import { start, type App } from '../../main.js';
import { COMMUNITY_TAGS } from './matrix-community.js';

export interface Harness {
  dir: string;
  /** The SQLite file, or the PostgreSQL database's URL (openStore takes either as `path`). */
  dbPath: string;
  config: Config;
  logs: Record<string, unknown>[];
  app?: App;
  start(): Promise<App>;
  stop(): Promise<void>;
  cleanup(): void;
}

/**
 * With CO_AGENT_TEST_STORE=postgresql: a fresh database on the test server, made synchronously
 * (createHarness is synchronous), and a way to drop it.
 */
export function postgresDatabase(): { url: string; drop(): void } | undefined {
  if (process.env.CO_AGENT_TEST_STORE !== 'postgresql') return undefined;
  const name = `co_agent_test_${randomBytes(6).toString('hex')}`;
  const onServer = (sql: string) => {
    const server = new PostgresSyncConnection(TEST_SERVER_URL);
    try { server.exec(sql); } finally { server.close(); }
  };
  onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export function writeServiceConfig(dir: string, homeserverUrl: string, extra = '', databaseUrl?: string): string {
  const file = path.join(dir, 'co-agent.yaml');
  writeFileSync(file, [
    'database:',
    `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`,
    ...(databaseUrl ? [`  url: ${JSON.stringify(databaseUrl)}`] : []),
    'log:',
    '  level: info',
    'engine:',
    '  workers: 1',
    'web:',
    '  port: 0',
    'matrix:',
    `  homeserverUrl: ${homeserverUrl}`,
    '  space: "#community:localhost"',
    '  backfill: 200',
    extra,
  ].join('\n'));
  return file;
}

/** Tags the community defined (the dashboard's admin would; here the test does it). */
export async function seedTags(dbPath: string): Promise<void> {
  const store: Store = await openStore({ path: dbPath, logger: createLogger({ level: 'silent' }) });
  try {
    for (const t of COMMUNITY_TAGS) await store.tags.upsert(t.name, t.description);
  } finally {
    await store.close();
  }
}

/** `auth` is the access token, or the environment to start with (e.g. MATRIX_PASSWORD). */
export function createHarness(homeserverUrl: string, auth: string | Record<string, string>, extraConfig = ''): Harness {
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-e2e-'));
  const postgres = postgresDatabase();
  const file = writeServiceConfig(dir, homeserverUrl, extraConfig, postgres?.url);
  const config = loadConfig({ file, env: typeof auth === 'string' ? { MATRIX_ACCESS_TOKEN: auth } : auth });
  const logs: Record<string, unknown>[] = [];
  const sink = logSink(logs);
  const h: Harness = {
    dir,
    dbPath: config.database.url ?? config.database.path,
    config,
    logs,
    async start() {
      h.app = await start(config, createLogger(config.log, sink));
      return h.app;
    },
    async stop() {
      await h.app?.stop();
      h.app = undefined;
    },
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      postgres?.drop();
    },
  };
  return h;
}

/** A stream for the service's logger that collects each JSON log line into `logs`. */
export function logSink(logs: Record<string, unknown>[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
}

/** Polls until `probe` returns a value (or throws after the timeout, saying what it waited for). */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A TCP port free right now on loopback (for a service whose URL must be known in advance). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
