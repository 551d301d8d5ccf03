// The security headers on every response of the HTTP server, not only the dashboard's:
// /healthz, the Discourse webhook, unknown paths and errors; and Cache-Control: no-store on
// every API and export answer, errors included.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webhookRouter } from '../../bridges/discourse/webhook.js';
import { fileSchema } from '../../bridges/config.js';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { createDashboard } from '../../web/dashboard/index.js';
import { startHttpServer, type HttpServer } from '../../web/server.js';
import { ADMIN_PASSWORD } from './dashboard-server.js';
import { Guesser } from './login-guesser.js';

const SECURITY_HEADERS = {
  'content-security-policy': expect.stringContaining("frame-ancestors 'none'"),
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

describe('headers on every response', () => {
  let dir: string;
  let store: Store;
  let server: HttpServer;
  let admin: Guesser;
  let anonymous: Guesser;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-headers-'));
    const logger = createLogger({ level: 'silent' });
    store = await openStore({ path: path.join(dir, 'co-agent.db'), logger });
    const dashboard = await createDashboard({
      store,
      logger,
      config: { ...fileSchema.parse({}).dashboard, password: ADMIN_PASSWORD },
    });
    server = await startHttpServer({
      host: '127.0.0.1',
      port: 0,
      logger,
      routes: { '/webhooks/discourse': webhookRouter({ store, secret: 'webhook secret', logger, onQueued: () => undefined }), '/': dashboard.router },
    });
    const base = `http://127.0.0.1:${server.port}`;
    admin = new Guesser(base);
    expect((await admin.login(ADMIN_PASSWORD)).status).toBe(303);
    anonymous = new Guesser(base);
  });
  afterAll(async () => {
    admin?.close();
    anonymous?.close();
    await server?.close();
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets the security headers on /healthz, the webhook route and the dashboard alike', async () => {
    const answers = {
      healthz: await anonymous.request('GET', '/healthz'),
      webhook: await anonymous.request('POST', '/webhooks/discourse', { body: '{}' }),
      webhookGet: await anonymous.request('GET', '/webhooks/discourse'),
      login: await anonymous.request('GET', '/login'),
      unknown: await admin.request('GET', '/no/such/thing'),
      api: await admin.request('GET', '/api/me'),
    };
    for (const [name, answer] of Object.entries(answers)) expect(answer.headers, name).toMatchObject(SECURITY_HEADERS);
    expect(answers.healthz.status).toBe(200);
    expect(answers.webhook.status).toBe(401);
  });

  it('answers Cache-Control: no-store on API and export responses, errors included', async () => {
    const answers = {
      api: await admin.request('GET', '/api/me'),
      apiBadQuery: await admin.request('GET', '/api/overview?period=forever'),
      apiUnknown: await admin.request('GET', '/api/nope'),
      apiNoSession: await anonymous.request('GET', '/api/overview'),
      exportCsv: await admin.request('GET', '/export/interactions.csv'),
      exportBadQuery: await admin.request('GET', '/export/problems.csv?period=forever'),
      exportRepeated: await admin.request('GET', '/export/problems.csv?period=4w&period=12w'),
      exportUnknown: await admin.request('GET', '/export/nope.csv'),
      exportNoSession: await anonymous.request('GET', '/export/problems.csv'),
      healthz: await anonymous.request('GET', '/healthz'),
      webhook: await anonymous.request('POST', '/webhooks/discourse', { body: '{}' }),
    };
    for (const [name, answer] of Object.entries(answers)) expect(answer.headers['cache-control'], name).toBe('no-store');
    expect(answers.exportBadQuery.status).toBe(400);
    expect(answers.exportUnknown.status).toBe(404);
  });
});
