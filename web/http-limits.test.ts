// The server-wide limits: a client address keeps at most N connections open, headers and whole
// requests that dribble in are cut off. Real sockets on loopback.
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HEADERS_TIMEOUT_MS, HTTP_SERVER_OPTIONS, MAX_CONNECTIONS_PER_CLIENT, REQUEST_TIMEOUT_MS, isTrustedProxy, limitConnections } from './http-limits.js';

describe('http limits', () => {
  let server: Server | undefined;
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server?.closeAllConnections();
    server = undefined;
  });

  async function listen(s: Server): Promise<number> {
    server = s;
    await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
    return (s.address() as { port: number }).port;
  }

  /** Opens a connection; resolves with whether the server closed it within `ms`. */
  function closedWithin(port: number, ms: number, send = ''): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write(send));
      sockets.push(socket);
      const timer = setTimeout(() => resolve(false), ms);
      socket.on('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
      socket.on('error', () => undefined);
      socket.resume(); // read what the server says (a 408), so its closing is seen
    });
  }

  it('closes connections beyond the per-client cap at once, and accepts again when one closes', async () => {
    const s = createServer((_req, res) => res.end('ok'));
    limitConnections(s, 3);
    const port = await listen(s);
    const results = await Promise.all(Array.from({ length: 5 }, () => closedWithin(port, 500)));
    expect(results.filter(Boolean)).toHaveLength(2);
    sockets.shift()?.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(await closedWithin(port, 300)).toBe(false);
  });

  it('does not cap a trusted reverse proxy, through which every client connects', async () => {
    const s = createServer((_req, res) => res.end('ok'));
    limitConnections(s, 3, isTrustedProxy(['127.0.0.1']));
    const port = await listen(s);
    const results = await Promise.all(Array.from({ length: 5 }, () => closedWithin(port, 500)));
    expect(results.filter(Boolean)).toHaveLength(0);
  });

  it('knows trusted proxies by hop count or address list', () => {
    expect(isTrustedProxy(false)('127.0.0.1')).toBe(false);
    expect(isTrustedProxy(undefined)('127.0.0.1')).toBe(false);
    expect(isTrustedProxy(1)('203.0.113.9')).toBe(true);
    expect(isTrustedProxy(0)('203.0.113.9')).toBe(false);
    expect(isTrustedProxy(['10.0.0.0/8'])('10.1.2.3')).toBe(true);
    expect(isTrustedProxy(['10.0.0.0/8'])('203.0.113.9')).toBe(false);
  });

  it('cuts off headers or a body that dribble in (timeouts checked every second)', async () => {
    const s = createServer({ ...HTTP_SERVER_OPTIONS, headersTimeout: 300, requestTimeout: 600 }, (req, res) => {
      req.resume();
      req.on('end', () => res.end('ok'));
    });
    const port = await listen(s);
    const started = performance.now();
    expect(await closedWithin(port, 3_000, 'POST /x HTTP/1.1\r\nHost: a\r\n')).toBe(true); // headers never finish
    expect(await closedWithin(port, 3_000, 'POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly a part')).toBe(true); // body never finishes
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('sets the limits docs/discourse.md states', () => {
    expect([HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, MAX_CONNECTIONS_PER_CLIENT]).toEqual([10_000, 30_000, 32]);
    expect(HTTP_SERVER_OPTIONS).toMatchObject({ headersTimeout: 10_000, requestTimeout: 30_000, connectionsCheckingInterval: 1_000 });
  });
});
