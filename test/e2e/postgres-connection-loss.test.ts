// The database goes away while the service runs on PostgreSQL: every connection to it is cut and
// new ones are refused (a TCP proxy in front of the real server stands for the network), longer
// than the failover lease. The active instance steps down without crashing, and once the database
// is back it takes the lease again and answers what was asked meanwhile: once each. The proxy
// runs in its own process (cuttable-tcp-proxy.ts).
// Needs the PostgreSQL test server (docs/testing.md, PostgreSQL test runs): 127.0.0.1:5432 or CO_AGENT_TEST_POSTGRES_URL.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../bridges/config.js';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { start, type App } from '../../main.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { createTestDatabase, type TestDatabase } from '../integration/store/postgres-server.js';
import { body, buildCommunity, mentionOfBot, threadOf, type Community } from '../../scripts/support/matrix-community.js';
import { startCuttableProxy, type CuttableProxy } from './cuttable-tcp-proxy.js';
import { eventually, logSink } from '../../scripts/support/service-io.js';
import { seedTags } from '../../scripts/support/service-config.js';

describe('PostgreSQL lost while the service runs', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let database: TestDatabase;
  let proxy: CuttableProxy;
  let store: Store;
  let app: App | undefined;
  let dir: string;
  const logs: Record<string, unknown>[] = [];

  beforeAll(async () => {
    database = await createTestDatabase().catch((error: unknown) => {
      throw new Error(`this test needs the PostgreSQL test server (${String(error)}); see docs/testing.md, PostgreSQL test runs`);
    });
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 500 });
    c = buildCommunity(hs);
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-pg-loss-'));
    const direct = new URL(database.url);
    proxy = await startCuttableProxy(direct.hostname, Number(direct.port || 5432));
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const file = path.join(dir, 'co-agent.yaml');
    writeFileSync(
      file,
      [
        'database:',
        `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`,
        `  url: ${JSON.stringify(viaProxy.toString())}`,
        '  leaseSeconds: 4',
        'log:',
        '  level: info',
        'engine:',
        '  workers: 1',
        'web:',
        '  port: 0',
        'matrix:',
        `  homeserverUrl: ${hs.url}`,
        '  space: "#community:localhost"',
        '  backfill: 200',
        '  encryption: false',
      ].join('\n'),
    );
    await seedTags(database.url);
    store = await openStore({ url: database.url, logger: createLogger({ level: 'silent' }) });
    const config = loadConfig({ file, env: { MATRIX_ACCESS_TOKEN: c.bot.accessToken } });
    app = await start(config, createLogger(config.log, logSink(logs)));
    await eventually('history to be learned', async () => ((await store.documents.listLive()).length >= 11 ? true : undefined), 120_000);
  });

  afterAll(async () => {
    await app?.stop();
    await store?.close();
    await proxy?.close();
    await hs?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const replies = (root: string) => hs.timeline(c.general).filter((e) => e.sender === c.bot.userId && threadOf(e) === root && body(e).startsWith('On it'));
  const loggedAfter = (msg: string, after: number) => logs.find((l) => l['msg'] === msg && Number(l['time'] ?? 0) >= after);

  it('steps down while the database is unreachable, and answers what came meanwhile once it is back', async () => {
    const before = hs.send(c.users.alice, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we plan a budget when headcount is uncertain?'));
    await eventually('the first reply', () => (replies(before).length > 0 ? true : undefined), 60_000);

    const cutAt = Date.now();
    await proxy.cut();
    const during = hs.send(c.users.bob, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how should we interview engineering managers?'));
    const stepped = await eventually('stepping down', () => loggedAfter('lost the active lease: stepping down', cutAt), 60_000);
    expect(String(stepped['reason'])).toMatch(/could not be reached|expired/);
    const port = (app as App).port;
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(503);
    expect(replies(during)).toEqual([]);

    const backAt = Date.now();
    await proxy.restore();
    await eventually('taking the lease again', () => loggedAfter('took the active lease: this instance is active', backAt), 60_000);
    await eventually('the reply to the mention made meanwhile', () => (replies(during).length > 0 ? true : undefined), 60_000);
    await eventually(
      'the queues to drain',
      async () => {
        const [inbox, outbox] = await Promise.all([store.inbox.counts('matrix'), store.outbox.counts('matrix')]);
        return inbox.pending + outbox.pending === 0 ? true : undefined;
      },
      60_000,
    );
    expect(replies(before)).toHaveLength(1);
    expect(replies(during)).toHaveLength(1);
    expect(await store.inbox.counts('matrix')).toMatchObject({ failed: 0 });
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    expect(hs.violations).toEqual([]);
  }, 300_000);
});
