// GET /export/problems.csv and /export/interactions.csv for the period: streamed in chunks
// (100k interactions are ~8 MB), with opted-out members anonymised and message text for the
// admin role only.
import { Router, type Request, type Response } from 'express';
import type { Logger } from '../../../core/logging.js';
import type { DashboardMember, DashboardQueries } from '../../../core/store/index.js';
import type { MemberId } from '../../../core/types.js';
import type { Role } from '../api-types.js';
import { memberName } from '../api/names.js';
import { problemTitle } from '../api/problems.js';
import { badRequests, dashboardData, PERIOD_PARAMS } from '../api/router.js';
import type { ViewCache } from '../api/view-cache.js';
import { csvRow, type CsvValue } from './csv.js';

export interface ExportDeps {
  queries: DashboardQueries;
  cache: ViewCache;
  role(req: Request): Role;
  now(): Date;
  logger: Logger;
}

const ROWS_PER_CHUNK = 500;
const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/** Resolves when the response can take more, or is gone (a client that hung up never drains). */
const writable = (res: Response): Promise<void> =>
  new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

async function streamCsv(res: Response, logger: Logger, filename: string, header: readonly string[], rows: Iterable<readonly CsvValue[]>): Promise<void> {
  res.status(200).set({
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${filename}"`,
    'Cache-Control': 'no-store',
  });
  let chunk = csvRow(header);
  let n = 0;
  try {
    for (const row of rows) {
      chunk += csvRow(row);
      if (++n % ROWS_PER_CHUNK !== 0) continue;
      if (res.destroyed) return;
      // Respect backpressure; between chunks other requests get their turn.
      if (!res.write(chunk)) await writable(res);
      else await new Promise((resolve) => setImmediate(resolve));
      chunk = '';
    }
    res.end(chunk);
  } catch (error) {
    // Headers and part of the file are out: a 500 is no longer possible, so cut the download short.
    logger.error({ err: error, filename }, 'CSV export failed');
    res.destroy();
  }
}

export function createExportRouter(deps: ExportDeps): Router {
  const data = dashboardData(deps);
  const router = Router();
  // Private and current, errors included (the server sets it too; an export must not rely on that).
  router.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });

  router.get('/problems.csv', async (req, res) => {
    const { p } = data.period(req, PERIOD_PARAMS);
    const role = deps.role(req);
    const members: Map<MemberId, DashboardMember> = data.members();
    const name = (id: MemberId) => memberName(members, id);
    const header = [
      'id',
      'created_at',
      'platform',
      'status',
      'tags',
      'originator',
      'solved_at',
      'time_to_first_response_ms',
      'responders',
      'title',
      ...(role === 'admin' ? ['text'] : []),
    ];
    const rows = function* () {
      for (const r of deps.queries.exportProblems(p.period.from, p.period.to)) {
        const ttfr = r.firstResponseAt ? Math.max(0, r.firstResponseAt.getTime() - r.createdAt.getTime()) : null;
        yield [
          r.id,
          iso(r.createdAt),
          r.platform,
          r.status,
          r.tags.join('; '),
          name(r.originatorId),
          iso(r.solvedAt),
          ttfr,
          r.responders.map(name).join('; '),
          problemTitle(r, role),
          ...(role === 'admin' ? [r.text] : []),
        ];
      }
    };
    await streamCsv(res, deps.logger, `problems-${p.range.from}-${p.range.to}.csv`, header, rows());
  });

  router.get('/interactions.csv', async (req, res) => {
    const { p } = data.period(req, PERIOD_PARAMS);
    const members = data.members();
    const rows = function* () {
      for (const i of deps.queries.exportInteractions(p.period.from, p.period.to)) {
        yield [i.id, iso(i.occurredAt), i.platform, i.kind, i.mediated, memberName(members, i.fromMemberId), memberName(members, i.toMemberId), i.problemId];
      }
    };
    await streamCsv(
      res,
      deps.logger,
      `interactions-${p.range.from}-${p.range.to}.csv`,
      ['id', 'occurred_at', 'platform', 'kind', 'mediated', 'from', 'to', 'problem_id'],
      rows(),
    );
  });

  router.use((_req, res) => {
    res.status(404).json({ error: 'no such export (problems.csv, interactions.csv)' });
  });
  router.use(badRequests);
  return router;
}
