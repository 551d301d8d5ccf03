// Crash safety: the service is killed with SIGKILL while its reply to a mention is in flight
// (the homeserver has posted it but not answered), a member answers while it is down, and a
// new process takes over. Nothing may be lost (the answer is recorded) or repeated (exactly
// one reply to the mention).
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { buildCommunity, inThread, mentionOfBot, type Community, body, threadOf } from '../../scripts/support/matrix-community.js';
import { eventually } from '../../scripts/support/service-io.js';
import { postgresDatabase } from './service-harness.js';
import { seedTags, writeServiceConfig } from '../../scripts/support/service-config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Service {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startService(configFile: string, token: string): Service {
  const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CO_AGENT_CONFIG: configFile, MATRIX_ACCESS_TOKEN: token },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}

describe('Matrix bridge across a kill -9', () => {
  let hs: FakeHomeserver;
  let c: Community;
  let dir: string;
  let configFile: string;
  let postgres: ReturnType<typeof postgresDatabase>;
  let store: Store;
  const services: Service[] = [];

  beforeAll(async () => {
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 500 });
    c = buildCommunity(hs);
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-restart-'));
    // matrix.encryption: false (the opt-out): the encrypted room is announced once, across restarts.
    // CO_AGENT_TEST_STORE=postgresql: a fresh PostgreSQL database, dropped afterwards.
    postgres = postgresDatabase();
    configFile = writeServiceConfig(dir, hs.url, '  encryption: false', postgres?.url);
    await seedTags(postgres?.url ?? path.join(dir, 'co-agent.db'));
    store = await openStore({ path: postgres?.url ?? path.join(dir, 'co-agent.db'), logger: createLogger({ level: 'silent' }) });
  });

  afterAll(async () => {
    for (const s of services) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await Promise.all(services.map((s) => s.exited));
    await store?.close();
    await hs?.close();
    rmSync(dir, { recursive: true, force: true });
    postgres?.drop();
  });

  it('ends with exactly one reply and the answer given while it was down', async () => {
    const first = startService(configFile, c.bot.accessToken);
    services.push(first);
    // Started: it has joined the rooms, learned the history and announced the encrypted room.
    await hs.waitForEvent((e) => e.room_id === c.encrypted && e.sender === c.bot.userId && e.type === 'm.room.message', 90_000);
    await eventually('history to be learned', async () => ((await store.documents.listLive()).length >= 11 ? true : undefined), 90_000);

    const stalled = hs.stallNext({ method: 'PUT', path: /\/send\/m\.room\.message\// });
    const ask = hs.send(c.users.alice, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we plan a budget when headcount is uncertain?'));
    await stalled; // the homeserver has the reply; the service is waiting for the answer
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const repliesBefore = hs.timeline(c.general).filter((e) => e.sender === c.bot.userId && threadOf(e) === ask);
    expect(repliesBefore).toHaveLength(1);

    // While the service is down, a member answers in the thread.
    const answer = hs.sendText(c.users.carol, c.general, 'Plan three scenarios and review them every quarter.', inThread(ask));

    const second = startService(configFile, c.bot.accessToken);
    services.push(second);
    const problem = await eventually('the problem', () => store.problems.findBySourceEvent('matrix', ask).then((p) => p ?? undefined), 90_000);
    await eventually('the answer to be recorded', async () => ((await store.responses.listForProblem(problem.id)).length > 0 ? true : undefined), 90_000);
    await eventually('the outbox to drain', async () => ((await store.outbox.counts('matrix')).pending === 0 ? true : undefined), 90_000);

    // The reply was sent again after the restart with the same transaction id, and the
    // homeserver returned the first event: still exactly one reply.
    const replyKey = `coagent.${Buffer.from(`matrix:${ask}:reply`).toString('base64url')}`;
    expect(hs.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/${replyKey}`))).toHaveLength(2);
    const replies = hs.timeline(c.general).filter((e) => e.sender === c.bot.userId && threadOf(e) === ask);
    expect(replies.map(body).filter((b) => b.startsWith('On it'))).toHaveLength(1);

    const responses = await store.responses.listForProblem(problem.id);
    expect(responses).toHaveLength(1);
    expect((await store.documents.find('matrix', answer))?.id).toBe(responses[0]!.documentId);

    // Business as usual after the restart, and nothing from before is answered twice.
    const again = hs.send(c.users.dave, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how should we interview engineering managers?'));
    await hs.waitForEvent((e) => e.sender === c.bot.userId && threadOf(e) === again && e.type === 'm.room.message', 60_000);
    await eventually('the outbox to drain', async () => ((await store.outbox.counts('matrix')).pending === 0 ? true : undefined), 60_000);
    for (const root of [ask, again]) {
      expect(hs.timeline(c.general).filter((e) => e.sender === c.bot.userId && threadOf(e) === root && body(e).startsWith('On it'))).toHaveLength(1);
    }
    expect(hs.eventsBy(c.bot.userId).filter((e) => e.room_id === c.encrypted && e.type === 'm.room.message')).toHaveLength(1);
    expect(await store.inbox.counts('matrix')).toMatchObject({ pending: 0, failed: 0 });

    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expect(second.output()).toContain('"msg":"stopped"');
    expect(hs.violations).toEqual([]);
  });
});
