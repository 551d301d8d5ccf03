// /readyz answers 503 with the reasons the service gives, /healthz stays 200 meanwhile; the
// Matrix readiness probe names an unreachable homeserver.
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { homeserverReachability } from '../../../bridges/matrix/reachability.js';
import { foregroundActive } from '../../../core/foreground.js';
import { createLogger } from '../../../core/logging.js';
import { startHttpServer, type HttpServer } from '../../../web/server.js';

describe('/readyz', () => {
  let server: HttpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('answers 503 with the reasons while something is not ready, and 200 once nothing is', async () => {
    let reasons = ['store not open', 'matrix: homeserver unreachable'];
    server = await startHttpServer({ host: '127.0.0.1', port: 0, logger: createLogger({ level: 'silent' }), readiness: async () => reasons });
    const base = `http://127.0.0.1:${server.port}`;
    const notReady = await fetch(`${base}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: 'not ready', reasons: ['store not open', 'matrix: homeserver unreachable'] });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    reasons = [];
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('counts a request as foreground work until its response is done (background slices stay short meanwhile)', async () => {
    const seen: boolean[] = [];
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger: createLogger({ level: 'silent' }),
      readiness: async () => {
        seen.push(foregroundActive());
        return [];
      },
    });
    const res = await fetch(`http://127.0.0.1:${server.port}/readyz`);
    expect(res.status).toBe(200);
    await res.json();
    expect(seen).toEqual([true]);
    // The response's 'close' event ends it; wait for that event (up to 2 s), not for a time.
    for (let i = 0; i < 200 && foregroundActive(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(foregroundActive()).toBe(false);
  });

  it('names a homeserver that does not answer', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const problem = await homeserverReachability(`http://127.0.0.1:${port}`)();
    expect(problem).toMatch(/^homeserver unreachable/);
  });
});
