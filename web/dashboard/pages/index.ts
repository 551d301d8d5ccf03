// The dashboard pages (HTML, served behind the session). A stub for now: the pages are built
// separately against web/dashboard/api-types.ts.
import { Router, type Request } from 'express';

export interface PagesDeps {
  /** The CSRF token of the request's session, for forms (e.g. logout). */
  csrfToken(req: Request): string;
  role(req: Request): 'admin' | 'viewer';
}

export function createPagesRouter(_deps: PagesDeps): Router {
  return Router();
}
