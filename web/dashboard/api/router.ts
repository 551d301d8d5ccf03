// The JSON API behind every chart: validate the query -> (role from the session) -> compute,
// cached until the store changes. Contract: web/dashboard/api-types.ts.
import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { DashboardMember, DashboardQueries } from '../../../core/store/index.js';
import type { MemberId } from '../../../core/types.js';
import type { MeResponse, Role } from '../api-types.js';
import { connections } from './connections.js';
import { helpers } from './helpers.js';
import { InteractionLog } from './interaction-log.js';
import { network } from './network.js';
import { overview } from './overview.js';
import { people, type People } from './people.js';
import { BadRequest, intParam, queryOf } from './params.js';
import { resolvePeriod, type ResolvedPeriod } from './period.js';
import { parseProblemId, problemDetail, problemList, PROBLEM_LIST_PARAMS, type PlatformLinks } from './problems.js';
import { loadSnapshot, type Snapshot } from './snapshot.js';
import { tags } from './tags.js';
import type { ViewCache } from './view-cache.js';

export const PERIOD_PARAMS = ['period', 'from', 'to'] as const;

export interface ApiDeps {
  queries: DashboardQueries;
  cache: ViewCache;
  role(req: Request): Role;
  now(): Date;
  links: PlatformLinks;
}

/** Shared by the API and the CSV export. */
export function dashboardData(deps: Pick<ApiDeps, 'queries' | 'cache' | 'now'>) {
  const { queries, cache } = deps;
  const log = new InteractionLog();
  const members = (): Map<MemberId, DashboardMember> => cache.get('members', () => new Map(queries.members().map((m) => [m.id, m])));
  return {
    period: (req: Request, allowed: readonly string[]): { query: Record<string, string | undefined>; p: ResolvedPeriod } => {
      const query = queryOf(req, allowed);
      return { query, p: resolvePeriod(query, deps.now(), () => queries.firstActivity()) };
    },
    snapshot: (): Snapshot => cache.get('snapshot', () => loadSnapshot(queries, log)),
    members,
    people: (): People => cache.get('people', () => people(queries, members())),
  };
}

export function createApiRouter(deps: ApiDeps): Router {
  const { queries, cache } = deps;
  const data = dashboardData(deps);
  // Answers are kept serialised: a cached answer costs one string send.
  const send = (res: Response, key: string, compute: () => unknown) => {
    res.type('json').send(cache.get(`json:${key}`, () => JSON.stringify(compute())));
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
    send(res, `overview:${p.key}`, () => overview(data.snapshot(), data.people().summary, p));
  });
  router.get('/connections', (req, res) => {
    const { p } = data.period(req, PERIOD_PARAMS);
    send(res, `connections:${p.key}`, () => connections(data.snapshot(), p));
  });
  router.get('/network', (req, res) => {
    const { query, p } = data.period(req, [...PERIOD_PARAMS, 'minWeight']);
    const minWeight = intParam(query.minWeight, 'minWeight', 1, 1_000_000, 1);
    send(res, `network:${p.key}:${minWeight}`, () => network(data.snapshot(), data.people(), p, minWeight));
  });
  router.get('/tags', (req, res) => {
    const { p } = data.period(req, PERIOD_PARAMS);
    send(res, `tags:${p.key}`, () => tags(data.snapshot(), p));
  });
  router.get('/helpers', (req, res) => {
    const { p } = data.period(req, PERIOD_PARAMS);
    send(res, `helpers:${p.key}`, () => helpers(queries, data.members(), data.people(), p));
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
