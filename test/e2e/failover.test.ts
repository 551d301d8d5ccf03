// Active/standby failover on one PostgreSQL database: two real service processes, the Matrix and
// Discourse stand-ins, each instance talking to them through its own recording proxy (so every
// request is attributed to the instance that sent it), and webhooks through a load balancer that
// tries the first instance and falls back to the second when it does not answer, as a health-
// checked one would.
//  1. The active instance is killed (SIGKILL) during a burst of mentions and forum topics: the
//     standby takes over; every mention gets exactly one reply and every topic exactly one answer.
//  2. The active instance is paused (SIGSTOP) until the other has taken over, then resumed while
//     a reply is in flight: it sends nothing, steps down and stands by.
// Needs the PostgreSQL test server (docs/testing.md, PostgreSQL test runs): 127.0.0.1:5432 or CO_AGENT_TEST_POSTGRES_URL.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { startFakeForum, type FakeForum } from '../../scripts/stand-ins/discourse-forum/index.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { createTestDatabase, type TestDatabase } from '../integration/store/postgres-server.js';
import { buildForumCommunity, type ForumCommunity } from '../../scripts/support/discourse-community.js';
import { body, buildCommunity, mentionOfBot, threadOf, type Community } from '../../scripts/support/matrix-community.js';
import { eventually, freePort } from '../../scripts/support/service-io.js';
import { seedTags } from '../../scripts/support/service-config.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SECRET = 'webhook-secret-for-failover';
const LEASE_SECONDS = 8; // the default
// Two service processes start (each loads the embedding model) while the rest of the suite runs on
// the same two cores: minutes, not seconds, under the full run's load.
const TEST_TIMEOUT_MS = 600_000;

interface Logged {
  msg?: string;
  time?: number;
  [key: string]: unknown;
}

interface Instance {
  name: string;
  port: number;
  child: ChildProcessWithoutNullStreams;
  logs: Logged[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Requests this instance made to the homeserver and the forum, in order. */
  requests: { method: string; path: string; at: number }[];
  /** Drops the instance's open connections to the platforms (a request waiting for an answer fails and is retried). */
  resetConnections(): void;
  closeProxies(): Promise<void>;
}

/** A reverse proxy that records what passes through it (long polls included). */
async function recordingProxy(target: string, record: (method: string, path: string) => void): Promise<{ url: string; reset(): void; close(): Promise<void> }> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    record(req.method ?? 'GET', req.url ?? '/');
    const out = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    // Drops every open connection, as a network blip would: requests waiting for an answer fail.
    reset: () => server.closeAllConnections(),
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Sends each webhook delivery to the first instance that takes the connection (a load balancer in front of both). */
async function loadBalancer(ports: () => number[], delivered: { port: number; status: number }[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const payload = Buffer.concat(chunks);
      const attempt = (candidates: number[]): void => {
        const [port, ...rest] = candidates;
        if (port === undefined) {
          res.writeHead(502).end();
          return;
        }
        const out = http.request({ host: '127.0.0.1', port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
          delivered.push({ port, status: answer.statusCode ?? 0 });
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        });
        // Refused or reset before an answer: the next instance.
        out.on('error', () => attempt(rest));
        out.end(payload);
      };
      attempt(ports());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/discourse`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

describe('active/standby failover on PostgreSQL', () => {
  let hs: FakeHomeserver;
  let forum: FakeForum;
  let c: Community;
  let fc: ForumCommunity;
  let database: TestDatabase;
  let store: Store;
  let dir: string;
  let lb: { url: string; close(): Promise<void> };
  const delivered: { port: number; status: number }[] = [];
  const instances: Instance[] = [];
  let order: Instance[] = [];

  async function startInstance(name: string): Promise<Instance> {
    const requests: Instance['requests'] = [];
    const record = (method: string, p: string) => requests.push({ method, path: p, at: Date.now() });
    const [hsProxy, forumProxy] = await Promise.all([recordingProxy(hs.url, record), recordingProxy(forum.url, record)]);
    const port = await freePort();
    const instanceDir = path.join(dir, name);
    const file = path.join(dir, `${name}.yaml`);
    writeFileSync(
      file,
      [
        'database:',
        `  path: ${JSON.stringify(path.join(instanceDir, 'co-agent.db'))}`,
        `  url: ${JSON.stringify(database.url)}`,
        'log:',
        '  level: info',
        'engine:',
        '  workers: 1',
        'web:',
        `  port: ${port}`,
        'matrix:',
        `  homeserverUrl: ${hsProxy.url}`,
        '  space: "#community:localhost"',
        '  backfill: 200',
        '  encryption: false',
        'discourse:',
        `  baseUrl: ${forumProxy.url}`,
        '  helpCategories: [help]',
        '  pollSeconds: 2',
        '  backfillTopics: 50',
      ].join('\n'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'main.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        CO_AGENT_CONFIG: file,
        MATRIX_ACCESS_TOKEN: c.bot.accessToken,
        DISCOURSE_API_KEY: forum.adminApiKey,
        DISCOURSE_API_USERNAME: 'coagent',
        DISCOURSE_WEBHOOK_SECRET: SECRET,
        DASHBOARD_PASSWORD: 'failover-dashboard-password',
      },
    });
    const logs: Logged[] = [];
    let partial = '';
    const collect = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      // Lines that are not JSON (a crash on stderr) are kept too, for the message of a failed wait.
      for (const line of lines) if (line.trim()) logs.push(line.startsWith('{') ? (JSON.parse(line) as Logged) : { raw: line });
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    const instance: Instance = {
      name,
      port,
      child,
      logs,
      exited,
      requests,
      resetConnections: () => {
        hsProxy.reset();
        forumProxy.reset();
      },
      closeProxies: async () => {
        await hsProxy.close();
        await forumProxy.close();
      },
    };
    instances.push(instance);
    return instance;
  }

  const logged = (i: Instance, msg: string, after = 0) => i.logs.find((l) => l.msg === msg && (l.time ?? 0) >= after);
  /** Waits as `eventually` does; a failed wait says how the instance is doing, so it can be understood from CI's output alone. */
  const waitOn = async <T>(i: Instance, what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs: number): Promise<T> => {
    try {
      return await eventually(what, probe, timeoutMs);
    } catch (error) {
      const state = i.child.exitCode !== null || i.child.signalCode !== null ? `exited (${i.child.exitCode ?? i.child.signalCode})` : 'still running';
      const warnings = i.logs.filter((l) => typeof l.level === 'number' && l.level >= 40 && !String(l.msg).startsWith('warn matrix/encrypted-rooms'));
      throw new Error(
        `${(error as Error).message}; ${i.name} is ${state}; its warnings and errors:\n${warnings
          .slice(-10)
          .map((l) => JSON.stringify(l))
          .join('\n')}\nits last lines:\n${i.logs
          .slice(-15)
          .map((l) => JSON.stringify(l))
          .join('\n')}`,
      );
    }
  };
  const waitForLog = (i: Instance, msg: string, after = 0, timeoutMs = 240_000): Promise<Logged> =>
    waitOn(i, `${i.name} to log "${msg}"`, () => logged(i, msg, after), timeoutMs);
  const readyz = async (i: Instance) => {
    const res = await fetch(`http://127.0.0.1:${i.port}/readyz`);
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Message sends by an instance: Matrix events (PUT .../send/...) and forum posts (POST /posts). */
  const sends = (i: Instance, after = 0) =>
    i.requests.filter(
      (r) => r.at >= after && ((r.method === 'PUT' && /\/send\//.test(r.path)) || (r.method === 'POST' && /^\/posts(\.json)?(\?|$)/.test(r.path))),
    );
  const mentionReplies = (root: string) =>
    hs.timeline(c.general).filter((e) => e.sender === c.bot.userId && threadOf(e) === root && body(e).startsWith('On it'));
  const botPosts = (topicId: number) => forum.posts(topicId).filter((p) => p.userId === forum.user('coagent')?.id && !p.deletedAt);

  beforeAll(async () => {
    database = await createTestDatabase().catch((error: unknown) => {
      throw new Error(`the failover test needs the PostgreSQL test server (${String(error)}); see docs/testing.md, PostgreSQL test runs`);
    });
    hs = await startFakeHomeserver({ syncTimeoutCapMs: 500 });
    c = buildCommunity(hs);
    forum = await startFakeForum({ timeScale: 0.01 });
    fc = buildForumCommunity(forum);
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-failover-'));
    await seedTags(database.url);
    store = await openStore({ url: database.url, logger: createLogger({ level: 'silent' }) });
    lb = await loadBalancer(() => order.map((i) => i.port), delivered);
    forum.addWebhook({ url: lb.url, secret: SECRET });
  });

  afterAll(async () => {
    for (const i of instances) {
      if (i.child.exitCode === null && i.child.signalCode === null) {
        i.child.kill('SIGCONT');
        i.child.kill('SIGKILL');
      }
    }
    await Promise.all(instances.map((i) => i.exited));
    await Promise.all(instances.map((i) => i.closeProxies()));
    await lb?.close();
    await store?.close();
    await hs?.close();
    await forum?.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'takes over after a kill -9 during a burst: one reply to every mention, one answer to every topic',
    async () => {
      const a = await startInstance('a');
      order = [a];
      await waitForLog(a, 'ready');
      expect(logged(a, 'ready')).toMatchObject({ role: 'active' });
      const b = await startInstance('b');
      order = [a, b];
      await waitForLog(b, 'ready');
      expect(logged(b, 'ready')).toMatchObject({ role: 'standby' });
      expect(await readyz(a)).toMatchObject({ status: 200, body: { status: 'ready', role: 'active' } });
      expect(await readyz(b)).toMatchObject({ status: 200, body: { status: 'standby', role: 'standby' } });
      // The standby serves the dashboard (its login page) while it stands by.
      expect((await fetch(`http://127.0.0.1:${b.port}/login`)).status).toBe(200);
      // History learned and the first catch-up done.
      const learning = Date.now();
      let learned = 0;
      await waitOn(
        a,
        'history to be learned',
        async () => {
          learned = (await store.documents.listLive()).length;
          return learned >= 18 ? true : undefined;
        },
        240_000,
      ).catch((error: Error) => {
        throw new Error(`${learned} documents of 18 learned: ${error.message}`);
      });
      console.log(`[failover] history: ${learned} documents learned ${((Date.now() - learning) / 1000).toFixed(1)} s after both were ready`);
      expect(sends(b)).toEqual([]);

      const questions = [
        'how do we plan a budget when headcount is uncertain?',
        'how should we interview engineering managers?',
        'what is a good onboarding plan for a remote manager?',
        'how do I give feedback to a senior engineer who misses deadlines?',
        'how do we run a fair promotion process across teams?',
        'how can I help a new lead delegate more?',
      ];
      const topics = [
        ['Hiring a first engineering manager', 'How do we hire our first engineering manager from outside the company?'],
        ['Quarterly budget review', 'How often should we review the team budget when plans keep changing?'],
        ['Remote team rituals', 'Which rituals keep a fully remote team connected without too many meetings?'],
        ['Onboarding an interim lead', 'How do we onboard an interim team lead for three months?'],
      ] as const;
      const mentions: string[] = [];
      const topicIds: number[] = [];
      const ask = (i: number) =>
        mentions.push(hs.send([c.users.alice, c.users.bob, c.users.carol][i % 3]!, c.general, 'm.room.message', mentionOfBot(c.bot.userId, questions[i]!)));
      const open = (i: number) =>
        topicIds.push(forum.createTopic(['alice', 'dave'][i % 2]!, { title: topics[i]![0], raw: topics[i]![1], category: fc.help }).topicId);

      // The first half of the burst, then the active instance dies at once.
      for (let i = 0; i < 3; i++) ask(i);
      for (let i = 0; i < 2; i++) open(i);
      // Killed once it has begun to send and has taken webhook deliveries.
      await eventually('the first reply to start', () => (sends(a).length > 0 && delivered.some((d) => d.port === a.port) ? true : undefined), 120_000);
      a.child.kill('SIGKILL');
      const killedAt = Date.now();
      expect((await a.exited).signal).toBe('SIGKILL');
      order = [b];
      // The second half while nobody is active yet.
      for (let i = 3; i < 6; i++) ask(i);
      for (let i = 2; i < 4; i++) open(i);

      const took = await waitForLog(b, 'took the active lease: this instance is active', killedAt, 120_000);
      const takeOverSeconds = ((took.time ?? Date.now()) - killedAt) / 1000;
      await eventually('every mention to be answered', () => (mentions.every((m) => mentionReplies(m).length > 0) ? true : undefined), 120_000);
      await eventually('every topic to be answered', () => (topicIds.every((t) => botPosts(t).length > 0) ? true : undefined), 120_000);
      const firstReplyAfter = Math.min(
        ...hs
          .eventsBy(c.bot.userId)
          .map((e) => e.origin_server_ts)
          .filter((t) => t > killedAt),
      );
      await eventually(
        'the queues to drain',
        async () => {
          const [mi, di, mo, dq] = await Promise.all([
            store.inbox.counts('matrix'),
            store.inbox.counts('discourse'),
            store.outbox.counts('matrix'),
            store.outbox.counts('discourse'),
          ]);
          return mi.pending + di.pending + mo.pending + dq.pending === 0 ? { mi, di } : undefined;
        },
        120_000,
      );

      for (const m of mentions) expect(mentionReplies(m)).toHaveLength(1);
      for (const t of topicIds) expect(botPosts(t).filter((p) => p.raw.startsWith('On it'))).toHaveLength(1);
      expect(await store.inbox.counts('matrix')).toMatchObject({ pending: 0, failed: 0 });
      expect(await store.inbox.counts('discourse')).toMatchObject({ pending: 0, failed: 0 });
      // Every delivery the load balancer got through was accepted, by whichever instance was up.
      expect(delivered.length).toBeGreaterThan(0);
      expect(delivered.every((d) => d.status === 204 || d.status === 200)).toBe(true);
      expect(delivered.some((d) => d.port === a.port) && delivered.some((d) => d.port === b.port)).toBe(true);
      for (const t of topicIds) expect(await store.problems.findBySourceEvent('discourse', `${t}/1`)).not.toBeNull();
      expect(await readyz(b)).toMatchObject({ status: 200, body: { status: 'ready', role: 'active' } });
      expect(hs.violations).toEqual([]);
      console.log(
        `[failover] kill -9: took over in ${takeOverSeconds.toFixed(1)} s (lease ${LEASE_SECONDS} s); first reply ${((firstReplyAfter - killedAt) / 1000).toFixed(1)} s after the kill; ${mentions.length} mentions, ${mentions.map((m) => mentionReplies(m).length).join('+')} replies; ${topicIds.length} topics, ${topicIds.map((t) => botPosts(t).filter((p) => p.raw.startsWith('On it')).length).join('+')} answers; ${delivered.length} webhook deliveries (${delivered.filter((d) => d.port === a.port).length} to the first active instance, ${delivered.filter((d) => d.port === b.port).length} to the standby)`,
      );
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sends nothing from a paused active instance that comes back after losing its lease',
    async () => {
      const b = instances.find((i) => i.name === 'b')!;
      const a2 = await startInstance('a2');
      order = [b, a2];
      await waitForLog(a2, 'ready');
      expect(logged(a2, 'ready')).toMatchObject({ role: 'standby' });

      b.child.kill('SIGSTOP');
      const pausedAt = Date.now();
      const took = await waitForLog(a2, 'took the active lease: this instance is active', pausedAt, 120_000);
      order = [a2, b];
      // a2 answers a mention while b is still paused; its reply is held by the homeserver.
      const stalled = hs.stallNext({ method: 'PUT', path: /\/send\/m\.room\.message\// });
      const root = hs.send(c.users.dave, c.general, 'm.room.message', mentionOfBot(c.bot.userId, 'how do we keep one-to-ones useful when the team doubles?'));
      await stalled;

      const resumedAt = Date.now();
      b.child.kill('SIGCONT');
      const stepped = await waitForLog(b, 'lost the active lease: stepping down', resumedAt, 30_000);
      expect(String(stepped.reason)).toMatch(/expired|another instance/);
      await waitForLog(b, 'another instance is active: standing by', resumedAt, 30_000);
      // b had the reply due in the shared outbox when it resumed, and sent nothing.
      expect(sends(b, resumedAt)).toEqual([]);
      expect(await readyz(b)).toMatchObject({ status: 200, body: { status: 'standby' } });

      // a2's held send fails and is sent again with the same transaction id: still one reply.
      a2.resetConnections();
      await eventually('the reply', () => (mentionReplies(root).length > 0 ? true : undefined), 120_000);
      await eventually('the outbox to drain', async () => ((await store.outbox.counts('matrix')).pending === 0 ? true : undefined), 120_000);
      expect(mentionReplies(root)).toHaveLength(1);
      expect(sends(b, resumedAt)).toEqual([]);
      console.log(
        `[failover] SIGSTOP: the other instance took over ${(((took.time ?? 0) - pausedAt) / 1000).toFixed(1)} s after the pause; the resumed one stepped down ${(((stepped.time ?? 0) - resumedAt) / 1000).toFixed(2)} s after SIGCONT with 0 sends`,
      );

      // A clean stop of the active instance hands over at once.
      a2.child.kill('SIGTERM');
      const stoppedAt = Date.now();
      expect((await a2.exited).code).toBe(0);
      order = [b];
      const back = await waitForLog(b, 'took the active lease: this instance is active', stoppedAt, 30_000);
      console.log(`[failover] clean stop: taken over ${(((back.time ?? 0) - stoppedAt) / 1000).toFixed(1)} s after SIGTERM`);
      b.child.kill('SIGTERM');
      const exit = await b.exited;
      if (exit.code !== 0)
        console.log(
          b.logs
            .filter((l) => Number(l.level) >= 40 || String(l.msg).includes('stop'))
            .map((l) => JSON.stringify(l))
            .join('\n'),
        );
      expect(exit.code).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
