// The dashboard: login, the JSON API, CSV exports and the pages, as one Express router for the
// service's HTTP server. Without an admin password it answers 503 and says how to set one.
import express, { Router, type Request } from 'express';
import type { Config } from '../../core/config/index.js';
import type { Logger } from '../../core/logging.js';
import type { DashboardQueries } from '../../core/store/index.js';
import { createApiRouter } from './api/router.js';
import type { PlatformLinks } from './api/problems.js';
import { ViewCache } from './api/view-cache.js';
import { createAuth } from './auth/auth.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { Passwords } from './auth/passwords.js';
import { SessionStore } from './auth/sessions.js';
import { createExportRouter } from './export/router.js';
import { createPagesRouter } from './pages/index.js';
import { securityHeaders } from './security-headers.js';

export interface DashboardOptions {
  store: { dashboard: DashboardQueries };
  config: Config['dashboard'];
  logger: Logger;
  /** Where forum topics live, for links to them. */
  links?: PlatformLinks;
  now?: () => Date;
}

export interface Dashboard {
  router: Router;
  /** False when no admin password is set: every dashboard route answers 503. */
  enabled: boolean;
}

export const PASSWORD_MISSING = 'The dashboard is disabled: set the environment variable DASHBOARD_PASSWORD (and optionally DASHBOARD_VIEWER_PASSWORD) and restart.';

function disabledRouter(): Router {
  const router = Router();
  router.use(securityHeaders);
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

export function createDashboard(options: DashboardOptions): Dashboard {
  const logger = options.logger.child({ component: 'dashboard' });
  const { password, viewerPassword } = options.config;
  if (!password) {
    logger.warn(PASSWORD_MISSING);
    return { router: disabledRouter(), enabled: false };
  }
  if (viewerPassword && viewerPassword === password) logger.warn('DASHBOARD_VIEWER_PASSWORD equals DASHBOARD_PASSWORD: it logs in as admin');
  const now = options.now ?? (() => new Date());
  const queries = options.store.dashboard;
  const cache = new ViewCache({ fingerprint: () => queries.fingerprint(), fingerprintTtlMs: options.config.refreshSeconds * 1000 });
  const auth = createAuth({
    passwords: new Passwords(password, viewerPassword),
    sessions: new SessionStore({ idleMs: options.config.sessionIdleHours * 3_600_000 }),
    limiter: new LoginLimiter({ limit: options.config.loginAttemptsPerMinute }),
    logger,
  });
  const role = (req: Request) => auth.sessionOf(req).role;

  const router = Router();
  router.use(securityHeaders);
  router.use(express.urlencoded({ extended: false, limit: '16kb' }));
  router.use(auth.router);
  router.use(auth.requireSession, auth.requireCsrf);
  router.use('/api', createApiRouter({ queries, cache, role, now, links: options.links ?? {} }));
  router.use('/export', createExportRouter({ queries, cache, role, now, logger }));
  router.use(createPagesRouter({ csrfToken: (req) => auth.sessionOf(req).csrf, role }));
  return { router, enabled: true };
}
