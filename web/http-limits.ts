// Limits on what an unauthenticated client can make the server hold: headers must arrive within
// 10 s and a whole request within 30 s (a slow or stalled body is cut off), and one client
// address may keep at most 32 connections open at once (more are closed at once). Body sizes are
// capped by each route (the webhook route also caps the bytes in flight). Behind a reverse proxy
// every connection comes from the proxy's address, so trusted proxies are exempt from the
// per-client cap (the proxy itself limits its clients); the server-wide cap still holds.
import type { ServerOptions, Server } from 'node:http';
import type { Socket } from 'node:net';
import proxyAddr from 'proxy-addr';
import type { TrustProxy } from '../core/config/index.js';

export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 30_000;
export const MAX_CONNECTIONS_PER_CLIENT = 32;
export const MAX_CONNECTIONS = 1024;

/** Options for http.createServer: the timeouts, checked every second rather than Node's default 30. */
export const HTTP_SERVER_OPTIONS: ServerOptions = {
  headersTimeout: HEADERS_TIMEOUT_MS,
  requestTimeout: REQUEST_TIMEOUT_MS,
  connectionsCheckingInterval: 1_000,
};

/**
 * Whether a connecting address is one of the configured reverse proxies. With a hop count every
 * peer is taken to be the proxy (docs/dashboard.md says only the proxy may reach the service then).
 */
export function isTrustedProxy(trust: TrustProxy | undefined): (address: string) => boolean {
  if (trust === undefined || trust === false) return () => false;
  if (typeof trust === 'number') return () => trust > 0;
  const trusted = proxyAddr.compile([...trust]);
  return (address) => trusted(address, 0);
}

/** Closes connections beyond `max` per client address (trusted proxies exempt), and beyond MAX_CONNECTIONS in all. */
export function limitConnections(server: Server, max = MAX_CONNECTIONS_PER_CLIENT, exempt: (address: string) => boolean = () => false): void {
  server.maxConnections = MAX_CONNECTIONS;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? 'unknown';
    if (exempt(client)) return;
    const count = (open.get(client) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(client, count);
    socket.once('close', () => {
      const left = (open.get(client) ?? 1) - 1;
      if (left <= 0) open.delete(client);
      else open.set(client, left);
    });
  });
}
