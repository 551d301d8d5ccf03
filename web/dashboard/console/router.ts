// The community team's console over HTTP: the attention list and the audit log (GET, JSON) and
// the actions (POST, behind the session's CSRF token like every unsafe dashboard route). Each
// handler does validate input -> check permission -> ask the concierge; the concierge decides
// and records, so this router never touches the store or a platform itself.
import { Router, type Request, type Response } from 'express';
import type { ConciergeConsole, ConsoleRequest, Staff } from '../../../core/concierge/console.js';
import type { ConsoleActionRecord, ConsoleActionRepository } from '../../../core/store/index.js';
import { BadRequest, intParam, queryOf } from '../api/params.js';

export interface ConsoleDeps {
  console: ConciergeConsole | undefined;
  audit: Pick<ConsoleActionRepository, 'list'>;
  /** Who is signed in on this request. */
  staff(req: Request): Staff;
  now(): Date;
}

/** Roles that may act on the console (viewers only read the dashboard). */
export const ACTING_ROLES: ReadonlySet<string> = new Set(['admin', 'concierge']);

/** A form's one-time id, made by the page when it shows the form. */
const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;
const ID = /^[1-9][0-9]{0,9}$/;

const field = (req: Request, name: string): string | undefined => {
  const body = req.body as Record<string, unknown> | undefined;
  const value = body && Object.hasOwn(body, name) ? body[name] : undefined;
  if (value !== undefined && typeof value !== 'string') throw new BadRequest(`field "${name}" must be given once, as text`);
  return value;
};
const idField = (req: Request, name: string): number => {
  const value = field(req, name);
  if (!value || !ID.test(value)) throw new BadRequest(`field "${name}" must be an id`);
  return Number(value);
};
const textField = (req: Request, name: string): string => field(req, name) ?? '';
/** A tag name: some text, on one line (the concierge checks its length and that it exists). */
const nameField = (req: Request, name: string): string => {
  const value = (field(req, name) ?? '').trim();
  if (value === '' || /[\r\n]/.test(value)) throw new BadRequest(`field "${name}" must be a tag name`);
  return value;
};

function parseRequest(kind: string, req: Request): ConsoleRequest {
  switch (kind) {
    case 'invite':
    case 'reroute':
      return { kind, problemId: idField(req, 'problem'), memberId: idField(req, 'member'), note: textField(req, 'note') };
    case 'summary':
      return { kind, problemId: idField(req, 'problem'), text: textField(req, 'text') };
    case 'solve':
    case 'close':
      return { kind, problemId: idField(req, 'problem'), note: textField(req, 'note') };
    case 'introduce':
      return { kind, memberA: idField(req, 'memberA'), memberB: idField(req, 'memberB'), note: textField(req, 'note') };
    case 'pause':
      return { kind, memberId: idField(req, 'member'), days: intParam(field(req, 'days'), 'days', 1, 365, 14) };
    case 'unpause':
      return { kind, memberId: idField(req, 'member') };
    case 'approve':
      return { kind, problemId: idField(req, 'problem'), memberId: idField(req, 'member'), note: textField(req, 'note') };
    case 'skip':
      return { kind, problemId: idField(req, 'problem'), memberId: idField(req, 'member') };
    case 'tag-approve':
    case 'tag-reject':
      return { kind, tag: nameField(req, 'tag') };
    case 'tag-rename':
    case 'tag-merge':
      return { kind, tag: nameField(req, 'tag'), to: nameField(req, 'to') };
    default:
      throw new BadRequest(`no console action "${kind}"`);
  }
}

const auditRow = (r: ConsoleActionRecord) => ({
  id: r.id,
  at: r.createdAt.toISOString(),
  staff: r.staff,
  role: r.role,
  kind: r.kind,
  subject: r.subject,
  detail: JSON.parse(r.detail) as unknown,
  outcome: r.outcome,
});

const DAY_PARAM = /^\d{4}-\d{2}-\d{2}$/;
const dayParam = (value: string | undefined, name: string, endOfDay: boolean): Date | undefined => {
  if (value === undefined || value === '') return undefined;
  const at = DAY_PARAM.test(value) ? new Date(`${value}T00:00:00.000Z`) : new Date(Number.NaN);
  if (Number.isNaN(at.getTime())) throw new BadRequest(`${name} must be a day, YYYY-MM-DD`);
  return endOfDay ? new Date(at.getTime() + 86_400_000) : at;
};

export function createConsoleRouter(deps: ConsoleDeps): { api: Router; actions: Router } {
  const mayAct = (req: Request, res: Response): boolean => {
    if (ACTING_ROLES.has(deps.staff(req).role)) return true;
    res.status(403).set('Cache-Control', 'no-store').json({ error: 'only the community team (admin or concierge) may use the console' });
    return false;
  };
  const unavailable = (res: Response) => res.status(503).json({ error: 'the console needs the concierge running in this process' });

  const api = Router();
  api.get('/attention', async (req, res, next) => {
    try {
      queryOf(req, []);
      if (!mayAct(req, res)) return;
      if (!deps.console) return unavailable(res);
      res.set('Cache-Control', 'no-store').json(await deps.console.attention(deps.now()));
    } catch (error) {
      next(error);
    }
  });
  // The tag vocabulary with proposals: everyone signed in may see it; only the team may change it.
  api.get('/tag-vocabulary', async (req, res, next) => {
    try {
      queryOf(req, []);
      // Without the concierge (a dashboard-only process) the Tags page simply has no vocabulary panel.
      if (!deps.console) return res.set('Cache-Control', 'no-store').json({ mayAct: false, tags: [] });
      const tags = await deps.console.tags();
      res.set('Cache-Control', 'no-store').json({
        mayAct: ACTING_ROLES.has(deps.staff(req).role),
        tags: tags.map((t) => ({
          name: t.name,
          description: t.description,
          status: t.status,
          origin: t.origin,
          problems: t.problemCount,
          documents: t.documentCount,
        })),
      });
    } catch (error) {
      next(error);
    }
  });
  api.get('/audit', async (req, res, next) => {
    try {
      const q = queryOf(req, ['staff', 'kind', 'from', 'to', 'limit']);
      if (!mayAct(req, res)) return;
      const rows = await deps.audit.list({
        staff: q.staff || undefined,
        kind: q.kind || undefined,
        since: dayParam(q.from, 'from', false),
        until: dayParam(q.to, 'to', true),
        limit: intParam(q.limit, 'limit', 1, 1000, 200),
      });
      res.set('Cache-Control', 'no-store').json({ actions: rows.map(auditRow) });
    } catch (error) {
      next(error);
    }
  });

  const actions = Router();
  actions.post('/console/:kind', async (req, res, next) => {
    try {
      res.set('Cache-Control', 'no-store');
      if (!mayAct(req, res)) return;
      const request = parseRequest(String(req.params.kind), req);
      const requestId = field(req, 'request');
      if (!requestId || !REQUEST_ID.test(requestId)) throw new BadRequest('field "request" must be the form\'s one-time id');
      if (!deps.console) return unavailable(res);
      const outcome = await deps.console.run(deps.staff(req), requestId, request);
      res.status(outcome.status === 'refused' ? 409 : 200).json({ status: outcome.status, message: outcome.message });
    } catch (error) {
      next(error);
    }
  });
  return { api, actions };
}
