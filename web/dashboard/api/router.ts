// The JSON API behind every chart: validate the query -> (role from the session) -> compute,
// cached until the store changes. Contract: web/dashboard/api-types.ts.
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { DashboardQueries } from '../../../core/store/index.js';
import type { MeResponse, Role } from '../api-types.js';
import { dashboardData, PERIOD_PARAMS } from './data.js';
import type { FigureView } from './figures.js';
import type { FigureSource } from './figures-client.js';
import { BadRequest, intParam, queryOf } from './params.js';
import { parseProblemId, problemDetail, problemList, PROBLEM_LIST_PARAMS, type PlatformLinks } from './problems.js';
import type { ViewCache } from './view-cache.js';

export { dashboardData, PERIOD_PARAMS } from './data.js';

export interface ApiDeps {
  queries: DashboardQueries;
  cache: ViewCache;
  role(req: Request): Role;
  now(): Date;
  links: PlatformLinks;
  /** Computes the answers that read the whole history (on the figures worker in the service). */
  figures: FigureSource;
}

export function createApiRouter(deps: ApiDeps): Router {
  const { queries, cache } = deps;
  const data = dashboardData(deps);
  // Answers are kept serialised: a cached answer costs one string send.
  const send = (res: Response, key: string, compute: () => unknown) => {
    res.type('json').send(cache.get(`json:${key}`, () => JSON.stringify(compute())));
  };
  // The figures over the whole history come from `deps.figures` (off the event loop); the
  // promise is what is cached, so requests arriving during a recompute share it, and after a
  // change the previous answer is sent while the new one is computed (dashboard.staleSeconds).
  const sendFigure = async (res: Response, key: string, view: FigureView) => {
    res.type('json').send(await cache.revalidating(`figure:${key}`, () => deps.figures(view)));
  };

  const router = Router();
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/me', (req, res) => {
    queryOf(req, []);
    res.json({ role: deps.role(req) } satisfies MeResponse);
  });
  router.get('/overview', (req, res) => {
    const { p } = data.period(req, PERIOD_PARAMS);
    return sendFigure(res, `overview:${p.key}`, { kind: 'overview', p });
  });
  router.get('/connections', (req, res) => {
    const { p } = data.period(req, PERIOD_PARAMS);
    return sendFigure(res, `connections:${p.key}`, { kind: 'connections', p });
  });
  router.get('/network', (req, res) => {
    const { query, p } = data.period(req, [...PERIOD_PARAMS, 'minWeight']);
    const minWeight = intParam(query.minWeight, 'minWeight', 1, 1_000_000, 1);
    return sendFigure(res, `network:${p.key}:${minWeight}`, { kind: 'network', p, minWeight });
  });
  router.get('/tags', (req, res) => {
    const { p } = data.period(req, PERIOD_PARAMS);
    return sendFigure(res, `tags:${p.key}`, { kind: 'tags', p });
  });
  router.get('/helpers', (req, res) => {
    const { p } = data.period(req, PERIOD_PARAMS);
    return sendFigure(res, `helpers:${p.key}`, { kind: 'helpers', p });
  });
  router.get('/problems', (req, res) => {
    const { query, p } = data.period(req, PROBLEM_LIST_PARAMS);
    const role = deps.role(req);
    const key = `problems:${role}:${p.key}:${JSON.stringify(Object.entries(query).sort())}`;
    send(res, key, () => problemList(queries, data.members(), p, query, role));
  });
  router.get('/problems/:id', (req, res) => {
    queryOf(req, []);
    const id = parseProblemId(String(req.params.id));
    const role = deps.role(req);
    const detail = id === null ? null : cache.get(`problem:${role}:${id}`, () => problemDetail(queries, data.members(), id, role, deps.links));
    if (!detail) return res.status(404).json({ error: `no problem ${JSON.stringify(String(req.params.id))}` });
    res.json(detail);
  });
  router.use((_req, res) => {
    res.status(404).json({ error: 'no such API endpoint' });
  });
  router.use(badRequests);
  return router;
}

/** BadRequest -> 400 with its message; anything else goes on to the server's 500 handler. */
export const badRequests: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (error instanceof BadRequest) return res.status(400).json({ error: error.message });
  next(error);
};
