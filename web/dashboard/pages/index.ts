// The dashboard pages (HTML, served behind the session): one shell per page, whose browser
// module fills it from the JSON API (web/dashboard/api-types.ts). Mount-agnostic: links use
// the router's base URL.
import { Router, type Request, type Response } from 'express';
import { ACTING_ROLES } from '../console/router.js';
import { createAssetsRouter } from './assets.js';
import { renderLayout } from './layout.js';
import { PAGES, type PageSpec } from './page-list.js';
import { parsePeriod } from './period.js';

export interface PagesDeps {
  /** The CSRF token of the request's session, for forms (e.g. logout). */
  csrfToken(req: Request): string;
  role(req: Request): 'admin' | 'viewer';
  /** The named staff account signed in, if any. */
  who?(req: Request): { name: string; role: string } | undefined;
}

const PROBLEM_ID = /^[1-9][0-9]{0,15}$/;

export function createPagesRouter(deps: PagesDeps): Router {
  const router = Router();
  router.use(createAssetsRouter());
  const send = (page: PageSpec, req: Request, res: Response, data?: Record<string, string>) => {
    if (page.staffOnly && !ACTING_ROLES.has(deps.role(req))) {
      res.status(403).set('Cache-Control', 'no-store').type('text').send('This page is for the community team (admin or concierge logins).\n');
      return;
    }
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(
        renderLayout({
          page,
          base: req.baseUrl,
          period: parsePeriod(req.query.period),
          query: req.query as Record<string, unknown>,
          csrfToken: deps.csrfToken(req),
          role: deps.role(req),
          staff: deps.who?.(req),
          data,
        }),
      );
  };
  for (const page of PAGES) {
    if (page.key === 'problem') {
      router.get(page.path, (req, res, next) => {
        const id = String(req.params.id);
        if (!PROBLEM_ID.test(id)) {
          next();
          return;
        }
        send(page, req, res, { 'problem-id': id });
      });
    } else {
      router.get(page.path, (req, res) => send(page, req, res));
    }
  }
  // The overview is also the dashboard's landing page under its own name.
  const overview = PAGES.find((p) => p.key === 'overview');
  if (overview) router.get('/dashboard', (req, res) => send(overview, req, res));
  return router;
}
