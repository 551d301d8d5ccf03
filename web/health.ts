// A minimal HTTP server for liveness checks (GET /healthz). Plain node:http until the
// dashboard brings Express; the dashboard can take over the route then.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../core/logging.js';

export interface HealthServer {
  /** The bound port (useful when configured with port 0). */
  readonly port: number;
  readonly host: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}

export function startHealthServer(options: { host: string; port: number; logger: Logger }): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (req.method === 'GET' && pathname === '/healthz') send(res, 200, { status: 'ok' });
    else send(res, 404, { error: 'not found' });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      options.logger.debug({ host: address.address, port: address.port }, 'health server listening');
      resolve({
        port: address.port,
        host: address.address,
        close: () => new Promise<void>((done, fail) => {
          server.close((error) => (error ? fail(error) : done()));
          // Idle keep-alive connections would hold close() open until they time out.
          server.closeIdleConnections();
        }),
      });
    });
  });
}
