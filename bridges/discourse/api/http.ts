// One HTTP exchange with Discourse, typed by the generated `paths`: the response type follows
// from the path template and method, so a call site cannot claim a shape the spec doesn't give.
// Every request first takes a slot of the shared budget (budget.ts) at its priority; a 429
// pauses the budget for the wait the forum asked. Everything that goes wrong comes out as a
// DiscourseApiError (never an axios error, whose config holds the Api-Key header); every string
// of an answer is made well-formed (no lone surrogates) before anyone reads it.
import axios, { type AxiosInstance } from 'axios';
import { wellFormedDeep } from '../../../core/text/well-formed.js';
import type { Priority, RequestBudget } from './budget.js';
import type { paths } from './openapi.generated.js';
import { DiscourseApiError, STOPPING, errorFromResponse, errorFromTransport, malformedResponse } from './errors.js';
import type { JsonOk } from './types.js';

export type Method = 'get' | 'post' | 'put' | 'delete';
export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

/** Path templates of `paths` that define the method M. */
export type PathWith<M extends Method> = {
  [P in keyof paths]: paths[P][M] extends undefined | never ? never : P;
}[keyof paths];

export interface ApiRequest<M extends Method, P extends PathWith<M>> {
  method: M;
  path: P;
  /** Values for the `{name}` placeholders of the path template (URL-encoded here). */
  params?: Record<string, string | number>;
  /** Arrays repeat the key, e.g. `{ 'post_ids[]': [1, 2] }` -> `post_ids[]=1&post_ids[]=2`. */
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Api-Username for this request. */
  username: string;
  /** Who is waiting for it (default catch-up). */
  priority?: Priority | undefined;
}

export type ResponseOf<M extends Method, P extends PathWith<M>> = JsonOk<NonNullable<paths[P][M]>>;

/** Sends one request; the retry loop and the idempotency lookups are both built on this. */
export type Send = <M extends Method, P extends PathWith<M>>(request: ApiRequest<M, P>) => Promise<ResponseOf<M, P>>;

export interface TransportOptions {
  baseUrl: string;
  apiKey: string;
  timeoutMs: number;
  /** The shared request budget; without one, requests go out at once (tests of the client itself). */
  budget?: RequestBudget | undefined;
}

export function fillPath(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`missing path parameter "${name}" for ${template}`);
    return encodeURIComponent(String(value));
  });
}

function queryString(query: Record<string, QueryValue> = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, String(item));
    else search.append(key, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

export class DiscourseTransport {
  private readonly http: AxiosInstance;
  private readonly apiKey: string;
  readonly budget: RequestBudget | undefined;
  /** Requests sent, and 429s received, since the start (for progress logs and benchmarks). */
  readonly counts = { sent: 0, rateLimited: 0 };
  /** Why the last request got no usable answer (network, 5xx, refused key); undefined once one succeeds (readiness). */
  connectionProblem: string | undefined;

  constructor(options: TransportOptions) {
    this.apiKey = options.apiKey;
    this.budget = options.budget;
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs,
      // Read the body as text and parse it ourselves: a broken body must become a typed error,
      // not whatever axios does with it. Every status is "valid" so we classify them ourselves.
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      // A cross-host redirect would forward the Api-Key header; Discourse's JSON API doesn't need them.
      maxRedirects: 0,
    });
  }

  readonly send: Send = async (request) => {
    const method = request.method.toUpperCase();
    const path = fillPath(request.path, request.params);
    const headers: Record<string, string> = {
      'Api-Key': this.apiKey,
      'Api-Username': request.username,
      Accept: 'application/json',
    };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    try {
      await this.budget?.acquire(request.priority ?? 'catch-up');
    } catch {
      // The service is stopping: nothing was sent, and the caller's work stays to be done later.
      throw new DiscourseApiError({ kind: 'network', method, path, code: STOPPING, retryable: true, ambiguous: false, detail: 'the service is stopping' });
    }
    this.counts.sent += 1;
    let response;
    try {
      response = await this.http.request<string>({
        method,
        url: path + queryString(request.query),
        headers,
        ...(request.body !== undefined ? { data: JSON.stringify(request.body) } : {}),
      });
    } catch (error) {
      const cleaned = this.clean(errorFromTransport(method, path, error));
      this.connectionProblem = `forum unreachable: ${cleaned.message}`;
      throw cleaned;
    }
    // 5xx: the forum is down; 401/403: the key was refused. Anything else means it is there and answers.
    const unhealthy = response.status >= 500 || response.status === 401 || response.status === 403;
    this.connectionProblem = unhealthy ? `forum answered HTTP ${response.status} to ${method} ${path}` : undefined;
    const body = typeof response.data === 'string' ? response.data : '';
    if (response.status < 200 || response.status >= 300) {
      const responseHeaders: Record<string, string | undefined> = {};
      for (const [name, value] of Object.entries(response.headers)) {
        if (typeof value === 'string') responseHeaders[name.toLowerCase()] = value;
      }
      const error = this.clean(errorFromResponse({ method, path, status: response.status, headers: responseHeaders, body }));
      if (response.status === 429) {
        this.counts.rateLimited += 1;
        // The forum's limit is site-wide: everyone waits, not just this call.
        this.budget?.pauseFor(error.retryAfterMs ?? 1000);
      }
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      const contentType = response.headers['content-type'];
      const reason = `content-type ${typeof contentType === 'string' ? contentType : 'unknown'}, ${body.length} bytes`;
      throw this.clean(malformedResponse(method, path, response.status, reason));
    }
    return wellFormedDeep(parsed) as ResponseOf<typeof request.method, typeof request.path>;
  };

  /** Belt and braces: whatever text ended up in the error, the key is not in it. */
  private clean(error: DiscourseApiError): DiscourseApiError {
    return error.message.includes(this.apiKey) || error.errors.some((e) => e.includes(this.apiKey)) ? error.redacted([this.apiKey]) : error;
  }
}
