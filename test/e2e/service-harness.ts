// Runs the real service in-process (main.ts `start`) against the fake homeserver, with a real
// SQLite file (or, with CO_AGENT_TEST_STORE=postgresql, a fresh database on the test PostgreSQL
// server, dropped by cleanup()), and collects its log lines for assertions.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../bridges/config.js';
import { createLogger } from '../../core/logging.js';
import { PostgresSyncConnection } from '../../core/store/postgres/sync-connection.js';
import { randomBytes } from 'node:crypto';
import { TEST_SERVER_URL } from '../integration/store/postgres-server.js';
import { start, type App } from '../../main.js';
// The config file and log collection are shared with the benches, so they live outside test/.
import { writeServiceConfig } from '../../scripts/support/service-config.js';
import { logSink } from '../../scripts/support/service-io.js';

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
    try {
      server.exec(sql);
    } finally {
      server.close();
    }
  };
  onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_SERVER_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
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
