// HTTP plumbing for the fake homeserver: routing by spec path template, bearer auth, JSON
// bodies, fault injection, the request log, and schema checks of requests and responses.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readBody as readBounded, startLoopbackServer, takeMatch, type LogDraft } from '../http/loopback-server.js';
import { stringifyJson } from './deep-json.js';
import type { RequestContext, Route } from './routes.js';
import type { SpecValidator } from './schemas.js';
import { HomeserverState, MatrixHttpError, type JsonObject, type Session } from './state.js';

export interface Fault {
  method?: string;
  path: RegExp;
  response: { status: number; body?: unknown; raw?: string; contentType?: string };
  remaining: number;
}

/**
 * A request to carry out but not answer: its effects happen, its response never comes (as if
 * the client died while waiting). `onStalled` runs once the effects are done.
 */
export interface Stall {
  method?: string;
  path: RegExp;
  remaining: number;
  onStalled: () => void;
}

/**
 * Changes a successful response before it goes out (after its schema check): for tests of
 * what a misbehaving homeserver might send. `rewrite` returns undefined to leave a response
 * alone; only responses it changed count against `remaining`.
 */
export interface Rewrite {
  method?: string;
  path: RegExp;
  rewrite: (body: JsonObject) => JsonObject | undefined;
  remaining: number;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  status: number;
  userId?: string;
}

export interface HttpOptions {
  validator?: SpecValidator;
  /** Receives schema violations; they never alter a response. */
  report(violations: string[]): void;
  requests: RequestLogEntry[];
  faults: Fault[];
  stalls: Stall[];
  rewrites?: Rewrite[];
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Which path segments each API version may use after /_matrix/client. */
const VERSION_SEGMENTS: Record<Route['version'], string[]> = { v3: ['v3', 'r0'], v1: ['v1'], none: [], admin: ['v1'] };

function matchRoute(routes: Route[], method: string, segments: string[]): { route: Route; params: Record<string, string> } | 'wrong-method' | undefined {
  let wrongMethod = false;
  for (const route of routes) {
    const params = matchPath(route, segments);
    if (!params) continue;
    if (route.method === method) return { route, params };
    wrongMethod = true;
  }
  return wrongMethod ? 'wrong-method' : undefined;
}

/** Matches decoded segments after /_matrix/client against a route; returns its path params. */
function matchPath(route: Route, segments: string[]): Record<string, string> | undefined {
  let rest = segments;
  if (route.version !== 'none') {
    if (!VERSION_SEGMENTS[route.version].includes(segments[0] ?? '')) return undefined;
    rest = segments.slice(1);
  }
  const template = route.template.split('/').slice(1);
  // A state event with an empty state key may be addressed without the trailing segment.
  if (template.at(-1) === '{stateKey}' && rest.length === template.length - 1) rest = [...rest, ''];
  if (rest.length !== template.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of template.entries()) {
    const value = rest[i] as string;
    if (part.startsWith('{')) params[part.slice(1, -1)] = value;
    else if (part !== value) return undefined;
  }
  return params;
}

const readBody = (req: IncomingMessage) => readBounded(req, MAX_BODY_BYTES, () => new MatrixHttpError(413, 'M_TOO_LARGE', 'Request body too large'));

function parseJsonObject(text: string): JsonObject {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new MatrixHttpError(400, 'M_NOT_JSON', 'Content not JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MatrixHttpError(400, 'M_BAD_JSON', 'Body must be a JSON object');
  return value as JsonObject;
}

function bearerToken(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return query.get('access_token') ?? undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new MatrixHttpError(400, 'M_INVALID_PARAM', 'Malformed percent-encoding in path');
  }
}

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export async function startHttpServer(hs: HomeserverState, routes: Route[], options: HttpOptions, port = 0): Promise<RunningServer> {
  const { validator, report, requests, faults, stalls } = options;
  const wakeups = new Set<() => void>();
  let closing = false;

  const send = (res: ServerResponse, status: number, body: string, contentType = 'application/json') => {
    if (res.destroyed) return;
    // No keep-alive, so close() never has to reset a pooled socket that a client still holds.
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
    res.end(body);
  };

  async function handle(req: IncomingMessage, res: ServerResponse, log: LogDraft<RequestLogEntry>): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';

    const fault = takeMatch(faults, method, log.path);
    if (fault) {
      const { status, body, raw, contentType } = fault.response;
      const defaultBody =
        status === 429 ? { errcode: 'M_LIMIT_EXCEEDED', error: 'Too many requests', retry_after_ms: 100 } : { errcode: 'M_UNKNOWN', error: 'Injected failure' };
      log.status = status;
      if (raw !== undefined) send(res, status, raw, contentType ?? 'text/plain');
      else send(res, status, JSON.stringify(body ?? defaultBody), contentType);
      return;
    }

    const raw = url.pathname.split('/').slice(1);
    // The client-server API, or Synapse's admin API (routes of version 'admin').
    const admin = raw[0] === '_synapse' && raw[1] === 'admin';
    if (!admin && (raw[0] !== '_matrix' || raw[1] !== 'client')) throw new MatrixHttpError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
    const matched = matchRoute(
      routes.filter((r) => (r.version === 'admin') === admin),
      method,
      raw.slice(2).map(safeDecode),
    );
    if (matched === 'wrong-method') throw new MatrixHttpError(405, 'M_UNRECOGNIZED', 'Unrecognized request method');
    if (!matched) throw new MatrixHttpError(404, 'M_UNRECOGNIZED', 'Unrecognized request');
    const { route, params } = matched;
    log.template = route.template;

    let session: Session | undefined;
    const accessToken = bearerToken(req, url.searchParams);
    if (route.auth !== 'none' && accessToken !== undefined) {
      session = hs.session(accessToken);
      if (!session) throw new MatrixHttpError(401, 'M_UNKNOWN_TOKEN', 'Unrecognised access token.', { soft_logout: false });
      log.userId = session.userId;
    }
    if (route.auth === 'required' && !session) throw new MatrixHttpError(401, 'M_MISSING_TOKEN', 'Missing access token.');

    const text = method === 'GET' || method === 'DELETE' ? '' : await readBody(req);
    const body = parseJsonObject(text);
    if (validator && text.trim() !== '') report(validator.validateRequest(method, route.template, body));

    const ctx: RequestContext = {
      params,
      query: url.searchParams,
      body,
      session,
      closing: () => closing,
      waitForChange: (ms) =>
        new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            unsubscribe();
            wakeups.delete(done);
            res.off('close', done);
            resolve();
          };
          const timer = setTimeout(done, ms);
          const unsubscribe = hs.subscribe(() => done());
          wakeups.add(done);
          res.once('close', done);
        }),
    };
    const result = await route.handle(ctx);
    log.status = 200;
    if (validator) report(validator.validateResponse(method, route.template, 200, result));
    const stall = takeMatch(stalls, method, log.path);
    if (stall) {
      stall.onStalled();
      return;
    }
    send(res, 200, stringifyJson(rewritten(options.rewrites ?? [], method, log.path, result as JsonObject)));
  }

  const { server, url } = await startLoopbackServer({
    port,
    requests,
    handle,
    fail(err, res, log) {
      const error = err instanceof MatrixHttpError ? err : new MatrixHttpError(500, 'M_UNKNOWN', err instanceof Error ? err.message : String(err));
      if (!(err instanceof MatrixHttpError)) process.stderr.write(`[fake-homeserver] internal error: ${err instanceof Error ? err.stack : String(err)}\n`);
      log.status = error.status;
      if (validator) report(validator.validateResponse(log.method, log.template ?? '', error.status, error.body));
      send(res, error.status, JSON.stringify(error.body));
    },
  });

  return {
    server,
    url,
    async close() {
      closing = true;
      // End pending long-polls first so their (empty) responses go out before sockets close.
      for (const wake of [...wakeups]) wake();
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function rewritten(rewrites: Rewrite[], method: string, path: string, body: JsonObject): JsonObject {
  for (const r of rewrites) {
    if (r.remaining <= 0 || (r.method && r.method.toUpperCase() !== method) || !r.path.test(path)) continue;
    const changed = r.rewrite(body);
    if (changed === undefined) continue;
    r.remaining -= 1;
    return changed;
  }
  return body;
}
