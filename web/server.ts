// The one HTTP server of the process (Express): the health check, the bridges' webhook routes,
// and the dashboard. Every response carries the security headers and, unless a route allows
// caching, Cache-Control: no-store. Unknown paths and methods get a JSON 404; a handler that
// throws gets a JSON 500, logged, never a crash or a stack trace on the wire.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type Router } from 'express';
import { asForeground, beginForeground } from '../core/foreground.js';
import type { Logger } from '../core/logging.js';
import type { TrustProxy } from '../core/config/index.js';
import { HTTP_SERVER_OPTIONS, isTrustedProxy, limitConnections } from './http-limits.js';
import { securityHeaders } from './security-headers.js';

export interface HttpServer {
  /** The bound port (useful when configured with port 0). */
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

export interface HttpServerOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Routes to mount in this order, e.g. { '/webhooks/discourse': router, '/': dashboard }. */
  routes?: Record<string, Router>;
  /**
   * Behind reverse proxies: how many there are, or their addresses (CIDRs). The client address
   * is then the first X-Forwarded-For entry from the right that is not a trusted proxy, and the
   * protocol comes from X-Forwarded-Proto. false (default): the socket's own address.
   */
  trustProxy?: TrustProxy;
  /**
   * What still keeps the service from being ready (store closed, model not loaded, a platform
   * not connected); empty when ready. /readyz answers 200 or 503 with these reasons. Without it
   * /readyz follows /healthz.
   */
  readiness?: () => Promise<string[]>;
  /**
   * With several instances on one database (failover): this one's role. A standby that could
   * take over answers 200 with status "standby", so it keeps receiving webhooks (it queues them).
   */
  role?: () => 'active' | 'standby';
}

export function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const app = express();
  app.disable('x-powered-by');
  // Express (proxy-addr) walks X-Forwarded-For from the right, skipping trusted hops. Never
  // `true`: that takes the left-most entry, which the client writes itself.
  const trust = options.trustProxy ?? false;
  if (trust !== false) app.set('trust proxy', typeof trust === 'number' ? trust : [...trust]);
  // An HTTP request (webhook, dashboard, health) is request work: background computations keep
  // their time slices short until its response is done (core/foreground.ts).
  app.use((_req, res, next) => {
    res.once('close', beginForeground());
    asForeground(() => next());
  });
  app.use(securityHeaders);
  // Liveness: the process answers. Readiness (below): it can do its work.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res, next) => {
    try {
      const reasons = (await options.readiness?.()) ?? [];
      const role = options.role?.();
      if (reasons.length > 0) res.status(503).json({ status: 'not ready', reasons, ...(role ? { role } : {}) });
      else if (role === 'standby') res.json({ status: 'standby', role });
      else res.json({ status: 'ready', ...(role ? { role } : {}) });
    } catch (error) {
      next(error);
    }
  });
  for (const [path, router] of Object.entries(options.routes ?? {})) app.use(path, router);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    if (status >= 500) options.logger.error({ err: error }, 'HTTP handler failed');
    res.status(status).json({ error: status >= 500 ? 'internal error' : (error as Error).message });
  };
  app.use(onError);

  return new Promise((resolve, reject) => {
    // Header and body timeouts, and a cap on connections per client (http-limits.ts).
    const server = createServer(HTTP_SERVER_OPTIONS, app);
    limitConnections(server, undefined, isTrustedProxy(options.trustProxy));
    server.listen(options.port, options.host);
    server.once('error', reject);
    server.once('listening', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      options.logger.debug({ host: address.address, port: address.port }, 'HTTP server listening');
      resolve({
        port: address.port,
        host: address.address,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            // Idle keep-alive connections would hold close() open until they time out.
            server.closeIdleConnections();
          }),
      });
    });
  });
}
