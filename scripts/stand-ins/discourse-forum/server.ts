// HTTP plumbing for the fake forum: routing by spec path template, Api-Key/Api-Username
// auth, the site-wide admin API rate limit, JSON (and form) bodies, fault injection, stalls,
// the request log, schema checks.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readBody as readBounded, startLoopbackServer, takeMatch, type LogDraft, type RequestMatch } from '../http/loopback-server.js';
import type { SlidingWindowLimiter } from './rate-limiter.js';
import { Reply, type RequestContext, type Route } from './routes.js';
import type { SpecValidator } from './schemas.js';
import { ForumError, invalidAccess, invalidKey, notFound, type ForumState, type JsonObject, type UserRecord } from './state.js';

export type { RequestMatch } from '../http/loopback-server.js';

export interface FaultResponse {
  /** Status to answer with; omit to handle the request normally after `delayMs`. */
  status?: number;
  /** JSON body (defaults: a rate_limit error for 429, a generic error otherwise). */
  body?: unknown;
  /** Sent verbatim instead of JSON (garbage, HTML error pages). */
  raw?: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (client timeouts). */
  delayMs?: number;
}

export interface Fault extends RequestMatch {
  response: FaultResponse;
  remaining: number;
}

/** A request to carry out but never answer; `onStalled` runs once its effects are done. */
export interface Stall extends RequestMatch {
  remaining: number;
  onStalled: () => void;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  username?: string;
}

export interface HttpOptions {
  validator?: SpecValidator;
  report(violations: string[]): void;
  requests: RequestLogEntry[];
  faults: Fault[];
  stalls: Stall[];
  /** Every request made with an API key counts here (one limiter for the whole site). */
  apiLimiter?: SlidingWindowLimiter;
}

const MAX_BODY_BYTES = 16 * 1024 * 1024;

/** Discourse-Rate-Limit-Error-Code of the admin API limit (Auth::DefaultCurrentUserProvider). */
export const ADMIN_API_LIMIT_CODE = 'admin_api_key_rate_limit';

export const RATE_LIMIT_BODY = {
  errors: ['You’ve performed this action too many times. Please wait 3 seconds before trying again.'],
  error_type: 'rate_limit',
  extras: { wait_seconds: 3 },
};

interface CompiledRoute {
  route: Route;
  regex: RegExp;
  names: string[];
}

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const source = (route.path ?? route.template)
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const m = /^\{([^}]+)\}$/.exec(part);
      if (m) {
        names.push(m[1] as string);
        return '([^/]+?)';
      }
      return part.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
    })
    .join('');
  return { route, regex: new RegExp(`^${source}$`), names };
}

const readBody = (req: IncomingMessage) => readBounded(req, MAX_BODY_BYTES, () => new ForumError(413, ['Request entity too large']));

/** Rails-style form decoding: a[b]=1 -> {a: {b: '1'}}, t[]=x -> {t: ['x']}. */
function parseForm(text: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const m = /^([^[\]]+)(?:\[([^[\]]*)\])?(\[\])?$/.exec(key);
    if (!m) continue;
    const [, head = '', inner, arrayTail] = m;
    if (inner === '' || (inner === undefined && arrayTail)) {
      const list = (out[head] as unknown[] | undefined) ?? [];
      list.push(value);
      out[head] = list;
    } else if (inner !== undefined) {
      const obj = (out[head] as JsonObject | undefined) ?? {};
      if (arrayTail) obj[inner] = [...((obj[inner] as unknown[] | undefined) ?? []), value];
      else obj[inner] = value;
      out[head] = obj;
    } else out[head] = value;
  }
  return out;
}

function parseBody(text: string, contentType: string): JsonObject {
  if (text.trim() === '') return {};
  if (contentType.includes('application/x-www-form-urlencoded')) return parseForm(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ForumError(400, ['The request body is not valid JSON.'], 'invalid_parameters');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ForumError(400, ['The request body must be a JSON object.'], 'invalid_parameters');
  return value as JsonObject;
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** Discourse's API auth: an all-users key acts as Api-Username; a user key only as its user. */
function authenticate(state: ForumState, req: IncomingMessage, route: Route): UserRecord | undefined {
  const key = header(req, 'api-key');
  const username = header(req, 'api-username');
  if (!key) {
    if (route.auth === 'required') throw invalidAccess();
    return undefined;
  }
  if (key === state.adminApiKey) {
    const user = username ? state.userByName(username) : undefined;
    if (!user) throw invalidKey();
    return user;
  }
  const user = state.userByKey(key);
  if (!user || (username !== undefined && username.toLowerCase() !== user.username.toLowerCase())) throw invalidKey();
  return user;
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(state: ForumState, routes: Route[], options: HttpOptions, port = 0): Promise<RunningServer> {
  const { validator, report, requests, faults, stalls } = options;
  const compiled = routes.map(compile);
  const timers = new Set<NodeJS.Timeout>();

  const delay = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const send = (res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}, contentType = 'application/json; charset=utf-8') => {
    if (res.destroyed || res.headersSent) return;
    const headers: Record<string, string | number> = { 'Content-Length': Buffer.byteLength(body), Connection: 'close', ...extra };
    if (body !== '') headers['Content-Type'] = contentType;
    res.writeHead(status, headers);
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse, log: LogDraft<RequestLogEntry>): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';

    const fault = takeMatch(faults, method, log.path);
    if (fault) {
      const { status, body, raw, headers = {}, delayMs } = fault.response;
      if (delayMs) await delay(delayMs);
      if (status !== undefined) {
        log.status = status;
        if (raw !== undefined) {
          send(res, status, raw, headers, headers['Content-Type'] ?? 'text/html; charset=utf-8');
        } else if (status === 429) {
          send(res, status, JSON.stringify(body ?? RATE_LIMIT_BODY), {
            'Retry-After': '3',
            'Discourse-Rate-Limit-Error-Code': ADMIN_API_LIMIT_CODE,
            ...headers,
          });
        } else {
          send(res, status, JSON.stringify(body ?? { errors: ['Injected failure'], error_type: 'unknown' }), headers);
        }
        return;
      }
    }

    let matched: { route: Route; params: Record<string, string> } | undefined;
    for (const c of compiled) {
      if (c.route.method !== method) continue;
      const m = c.regex.exec(url.pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      c.names.forEach((name, i) => {
        const value = m[i + 1] ?? '';
        try {
          params[name] = decodeURIComponent(value);
        } catch {
          params[name] = value;
        }
      });
      matched = { route: c.route, params };
      break;
    }
    if (!matched) throw notFound();
    const { route, params } = matched;
    log.template = route.template;

    const user = authenticate(state, req, route);
    if (user) log.username = user.username;
    if (user && header(req, 'api-key') !== undefined) options.apiLimiter?.perform('admin_api', ADMIN_API_LIMIT_CODE);

    const text = method === 'GET' ? '' : await readBody(req);
    const contentType = header(req, 'content-type') ?? 'application/json';
    const body = parseBody(text, contentType);
    if (validator && text.trim() !== '' && !contentType.includes('x-www-form-urlencoded')) report(validator.validateRequest(method, route.template, body));

    const ctx: RequestContext = { params, query: url.searchParams, body, user };
    const result = route.handle(ctx);
    const status = result instanceof Reply ? result.status : 200;
    const payload = result instanceof Reply ? result.body : result;
    log.status = status;
    if (validator && payload !== undefined) report(validator.validateResponse(method, route.template, status, payload));
    const stall = takeMatch(stalls, method, log.path);
    if (stall) {
      stall.onStalled();
      return;
    }
    send(res, status, payload === undefined ? '' : JSON.stringify(payload));
  }

  const { server, url } = await startLoopbackServer({
    port,
    requests,
    handle,
    fail(err, res, log) {
      const error = err instanceof ForumError ? err : new ForumError(500, [err instanceof Error ? err.message : String(err)], 'unknown');
      if (!(err instanceof ForumError)) process.stderr.write(`[fake-forum] internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
      log.status = error.status;
      if (validator) report(validator.validateResponse(log.method, log.template ?? '', error.status, error.body));
      send(res, error.status, JSON.stringify(error.body), error.headers);
    },
  });

  let closed: Promise<void> | undefined;
  return {
    server,
    url,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
