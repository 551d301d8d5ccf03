// The dashboard: login, the JSON API, CSV exports and the pages, as one Express router for the
// service's HTTP server. Without an admin password it answers 503 and says how to set one.
import { randomBytes } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type Request } from 'express';
import { MAX_NOTE_CHARS, type ConciergeConsole } from '../../core/concierge/console.js';
import type { CoreConfig } from '../../core/config/index.js';
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { createApiRouter } from './api/router.js';
import type { PlatformLinks } from './api/problems.js';
import { ViewCache } from './api/view-cache.js';
import { dashboardData } from './api/data.js';
import { figureJson, type FigureView } from './api/figures.js';
import { figuresWorker } from './api/figures-client.js';
import type { Role } from './api-types.js';
import { createAuth, type LoginTarget } from './auth/auth.js';
import { realTime, type Clock } from './auth/clock.js';
import { LoginCsrf } from './auth/login-csrf.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { Passwords } from './auth/passwords.js';
import { SessionStore } from './auth/sessions.js';
import { parseStaff, StaffDirectory } from './auth/staff.js';
import { Signer } from './auth/signer.js';
import { createConsoleRouter } from './console/router.js';
import { createExportRouter } from './export/router.js';
import { createPagesRouter } from './pages/index.js';

/** The largest form the dashboard reads: a note (MAX_NOTE_CHARS) and its fields fit well within it. */
const FORM_LIMIT = '16kb';

/** A form over the limit (a 1 MB note, say) is refused saying the limits, with nothing read or sent. */
const refuseLargeForms: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if ((error as { type?: unknown } | null)?.type !== 'entity.too.large') return next(error);
  res
    .status(413)
    .json({ status: 'refused', message: `The form is larger than ${FORM_LIMIT}; a note may hold up to ${MAX_NOTE_CHARS} characters. Nothing was sent.` });
};

export interface DashboardOptions {
  /** With its `path`, figures are computed on a worker thread reading that file; without, in place. */
  store: Pick<Store, 'dashboard' | 'dashboardSessions' | 'generatedSecrets' | 'consoleActions'> & { path?: string; readerAddress?: string };
  /**
   * The concierge's console (attention list, staff actions); without it those answer 503. A
   * function when the concierge comes and goes (a standby instance has none until it takes over).
   */
  console?: ConciergeConsole | (() => ConciergeConsole | undefined) | undefined;
  config: CoreConfig['dashboard'];
  logger: Logger;
  /** Where forum topics live, for links to them. */
  links?: PlatformLinks;
  now?: () => Date;
  /** The clock of logins, sessions and login limits (tests move it on instead of waiting). */
  authClock?: Clock;
}

export interface Dashboard {
  router: Router;
  /** False when no admin password is set: every dashboard route answers 503. */
  enabled: boolean;
  /** Stops the figures worker (if it was started). */
  close(): Promise<void>;
}

export const PASSWORD_MISSING =
  'The dashboard is disabled: set the environment variable DASHBOARD_PASSWORD (and optionally DASHBOARD_VIEWER_PASSWORD) and restart.';

/** The name the generated CSRF signing key is kept under when DASHBOARD_CSRF_SECRET is not set. */
const GENERATED_SECRET = 'dashboard-csrf';

function disabledRouter(): Router {
  const router = Router();
  router.use((req, res, next) => {
    const data = /^\/(api|export)(\/|$)/.test(req.path);
    // The API, the login and pages a browser opens say how to enable the dashboard; any other
    // unknown path stays an ordinary 404.
    const page = /^\/(login|logout)?$/.test(req.path) || (req.method === 'GET' && req.accepts(['json', 'html']) === 'html');
    if (!data && !page) return next();
    res.status(503).set('Cache-Control', 'no-store');
    if (data) res.json({ error: PASSWORD_MISSING });
    else res.type('text').send(`${PASSWORD_MISSING}\n`);
  });
  return router;
}

export async function createDashboard(options: DashboardOptions): Promise<Dashboard> {
  const logger = options.logger.child({ component: 'dashboard' });
  const { password, viewerPassword } = options.config;
  if (!password) {
    logger.warn(PASSWORD_MISSING);
    return { router: disabledRouter(), enabled: false, close: async () => {} };
  }
  if (viewerPassword && viewerPassword === password) logger.warn('DASHBOARD_VIEWER_PASSWORD equals DASHBOARD_PASSWORD: it logs in as admin');
  const now = options.now ?? (() => new Date());
  const clock = options.authClock ?? realTime;
  const queries = options.store.dashboard;
  const cache = new ViewCache({
    fingerprint: () => queries.fingerprint(),
    fingerprintTtlMs: options.config.refreshSeconds * 1000,
    maxStaleMs: options.config.staleSeconds * 1000,
  });
  const signer = new Signer(
    options.config.csrfSecret ?? (await options.store.generatedSecrets.obtain(GENERATED_SECRET, () => randomBytes(32).toString('base64url'))),
  );
  const limits = options.config.login;
  const staff = new StaffDirectory(parseStaff(options.config.staff));
  const auth = createAuth({
    staff,
    passwords: new Passwords(password, viewerPassword),
    sessions: new SessionStore({
      repository: options.store.dashboardSessions,
      signer,
      passwords: new Map<Role, string>([['admin', password], ...(viewerPassword ? [['viewer', viewerPassword] as const] : [])]),
      staff: staff.accounts,
      idleMs: options.config.sessionIdleHours * 3_600_000,
      maxPerRole: options.config.sessionsPerRole,
      now: clock,
    }),
    limiter: new LoginLimiter<LoginTarget>({
      perClient: limits.attemptsPerClient,
      perRole: limits.attemptsPerRole,
      maxWaitMs: limits.maxWaitMinutes * 60_000,
      failuresPerMinute: limits.failuresPerMinute,
      now: clock,
      warn: (fields, message) => logger.warn(fields, message),
    }),
    loginCsrf: new LoginCsrf(signer, clock),
    logger,
  });
  const role = (req: Request) => auth.sessionOf(req).role;
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: FORM_LIMIT }));
  router.use(auth.router);
  router.use(auth.requireSession, auth.requireCsrf);
  const consoleOption = options.console;
  const console = createConsoleRouter({
    // Read per request: a standby's concierge appears when it takes over.
    get console() {
      return typeof consoleOption === 'function' ? consoleOption() : consoleOption;
    },
    audit: options.store.consoleActions,
    now,
    // A shared password acts under its role's name; a staff account under its own.
    staff: (req) => auth.sessionOf(req).staff ?? { name: auth.sessionOf(req).role, role: auth.sessionOf(req).role },
  });
  router.use('/api', console.api);
  router.use(console.actions);
  // Figures over the whole history are computed on a worker thread with its own read-only
  // connection: a recompute at 100k interactions must not stall webhooks and bridges.
  const data = dashboardData({ queries, cache, now });
  const inPlace = async (view: FigureView) => figureJson(queries, data, view);
  const databasePath = options.store.readerAddress ?? options.store.path;
  const figures = databasePath ? figuresWorker({ databasePath, logger, inPlace }) : { json: inPlace, warm: () => {}, close: async () => {} };
  figures.warm();
  router.use('/api', createApiRouter({ queries, cache, role, now, links: options.links ?? {}, figures: figures.json }));
  router.use('/export', createExportRouter({ queries, cache, role, now, logger }));
  router.use(createPagesRouter({ csrfToken: (req) => auth.sessionOf(req).csrf, role, who: (req) => auth.sessionOf(req).staff }));
  router.use(refuseLargeForms);
  return { router, enabled: true, close: () => figures.close() };
}
