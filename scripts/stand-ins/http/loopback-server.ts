// The HTTP shell both stand-ins share: a server on 127.0.0.1 that logs every request (method,
// decoded path without the query, which may carry tokens; final status), reads bounded bodies,
// and takes queued faults and stalls by method and path.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LogEntry {
  method: string;
  path: string;
  status: number;
}
/** While a request runs its log entry also remembers the matched route template (for error checks). */
export type LogDraft<E extends LogEntry> = E & { template?: string };

export interface RequestMatch {
  method?: string;
  path: RegExp;
}

/** The first queued item that matches the request, used up once (`remaining` goes down). */
export function takeMatch<T extends RequestMatch & { remaining: number }>(queue: T[], method: string, path: string): T | undefined {
  const found = queue.find((m) => m.remaining > 0 && (!m.method || m.method.toUpperCase() === method) && m.path.test(path));
  if (found) found.remaining -= 1;
  return found;
}

/** Reads a request body as text, failing with `tooLarge()` beyond `maxBytes`. */
export function readBody(req: IncomingMessage, maxBytes: number, tooLarge: () => Error): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) reject(tooLarge());
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export interface LoopbackServerOptions<E extends LogEntry> {
  port: number;
  requests: E[];
  handle(req: IncomingMessage, res: ServerResponse, log: LogDraft<E>): Promise<void>;
  /** Answers a request whose handler threw (the log's status is set by it). */
  fail(error: unknown, res: ServerResponse, log: LogDraft<E>): void;
}

export async function startLoopbackServer<E extends LogEntry>(options: LoopbackServerOptions<E>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    let decoded = pathname;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      /* keep the raw path in the log */
    }
    const log = { method: req.method ?? 'GET', path: decoded, status: 0 } as LogDraft<E>;
    options
      .handle(req, res, log)
      .catch((error: unknown) => options.fail(error, res, log))
      .finally(() => {
        const { template: _template, ...entry } = log;
        options.requests.push(entry as unknown as E);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
