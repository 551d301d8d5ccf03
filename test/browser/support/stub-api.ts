// A stand-in for the dashboard's JSON API and login, serving fixed answers typed by the
// contract (api-types.ts), so the pages can be tested before and apart from the real API.
import express, { type Router } from 'express';
import type {
  ConnectionsResponse,
  HelpersResponse,
  NetworkResponse,
  OverviewResponse,
  ProblemDetail,
  ProblemsResponse,
  TagsResponse,
} from '../../../web/dashboard/api-types.js';
import { createPagesRouter } from '../../../web/dashboard/pages/index.js';
import { startHttpServer, type HttpServer } from '../../../web/server.js';
import { createLogger } from '../../../core/logging.js';

export interface StubAnswers {
  overview: OverviewResponse;
  connections: ConnectionsResponse;
  network: NetworkResponse;
  problems: ProblemsResponse;
  problem: ProblemDetail;
  helpers: HelpersResponse;
  tags: TagsResponse;
}

export const STUB_CSRF = 'stub-csrf-token';

/** Serves the pages at / and the stub API; every request is treated as the admin's. */
export async function startStubDashboard(answers: StubAnswers): Promise<HttpServer & { url: string; requests: string[] }> {
  const requests: string[] = [];
  const api: Router = express.Router();
  api.use((req, _res, next) => {
    requests.push(req.originalUrl);
    next();
  });
  api.get('/overview', (_req, res) => void res.json(answers.overview));
  api.get('/connections', (_req, res) => void res.json(answers.connections));
  api.get('/network', (_req, res) => void res.json(answers.network));
  api.get('/problems', (_req, res) => void res.json(answers.problems));
  api.get('/problems/:id', (req, res) => {
    if (String(answers.problem.id) === req.params.id) res.json(answers.problem);
    else res.status(404).json({ error: 'no such problem' });
  });
  api.get('/helpers', (_req, res) => void res.json(answers.helpers));
  api.get('/tags', (_req, res) => void res.json(answers.tags));
  api.get('/tag-vocabulary', (_req, res) => void res.json({ mayAct: true, tags: [] }));
  // The real server sets the real dashboard's headers: a page that needs an inline script or a
  // CDN breaks here too.
  const pages: Router = express.Router();
  pages.use(createPagesRouter({ csrfToken: () => STUB_CSRF, role: () => 'admin' }));
  const server = await startHttpServer({
    host: '127.0.0.1',
    port: 0,
    logger: createLogger({ level: 'silent' }),
    routes: { '/api': api, '/': pages },
  });
  return Object.assign(server, { url: `http://127.0.0.1:${server.port}`, requests });
}
