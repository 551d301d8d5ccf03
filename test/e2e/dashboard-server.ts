// The dashboard on a real Express server and a real store (a SQLite file, or PostgreSQL with
// CO_AGENT_TEST_STORE=postgresql), for the API tests.
import { Writable } from 'node:stream';
import { fileSchema, type Config } from '../../bridges/config.js';
import { createLogger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { openTempStore } from '../integration/store/helpers.js';
import { createDashboard } from '../../web/dashboard/index.js';
import type { Clock } from '../../web/dashboard/auth/clock.js';
import { startHttpServer, type HttpServer } from '../../web/server.js';

export const ADMIN_PASSWORD = 'correct horse battery staple';
export const VIEWER_PASSWORD = 'viewer only please';

export type DashboardSettings = Partial<Omit<Config['dashboard'], 'login'>> & { login?: Partial<Config['dashboard']['login']> };

/** A clock the test moves on by hand, starting at the real time. */
export function manualClock(): Clock & { advance(ms: number): void } {
  let now = Date.now();
  return Object.assign(() => now, { advance: (ms: number) => void (now += ms) });
}

export interface DashboardServer {
  store: Store;
  base: string;
  logs: Record<string, unknown>[];
  /**
   * Starts the HTTP server (again) with these settings on the same store; `now` is the
   * dashboard's idea of today, `authClock` the clock of logins and sessions.
   */
  start(config?: DashboardSettings, now?: () => Date, authClock?: Clock): Promise<void>;
  stop(): Promise<void>;
  close(): Promise<void>;
  /** Rows of a read-only query (SQLite's dialect) on a connection of its own. */
  readRows(sql: string): Record<string, unknown>[];
}

export async function openDashboardServer(): Promise<DashboardServer> {
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'info' }, sink);
  // SQLite, or with CO_AGENT_TEST_STORE=postgresql a fresh PostgreSQL database.
  const temp = await openTempStore();
  const store = temp.store;
  let server: HttpServer | undefined;
  let closeDashboard: (() => Promise<void>) | undefined;
  const s: DashboardServer = {
    store,
    base: '',
    logs,
    async start(config = {}, now, authClock) {
      await s.stop();
      const defaults = fileSchema.parse({}).dashboard;
      const settings = {
        ...defaults,
        password: ADMIN_PASSWORD,
        viewerPassword: VIEWER_PASSWORD,
        refreshSeconds: 0,
        staleSeconds: 0,
        ...config,
        login: { ...defaults.login, ...config.login },
      };
      const dashboard = await createDashboard({
        store,
        logger,
        links: { discourseBaseUrl: 'https://forum.example.org' },
        config: settings,
        ...(now ? { now } : {}),
        ...(authClock ? { authClock } : {}),
      });
      closeDashboard = () => dashboard.close();
      server = await startHttpServer({ host: '127.0.0.1', port: 0, logger, trustProxy: settings.trustProxy, routes: { '/': dashboard.router } });
      s.base = `http://127.0.0.1:${server.port}`;
    },
    async stop() {
      await server?.close();
      await closeDashboard?.();
      server = undefined;
      closeDashboard = undefined;
    },
    readRows: (sql) => temp.readRows(sql),
    async close() {
      await s.stop();
      await temp.done();
    },
  };
  return s;
}
