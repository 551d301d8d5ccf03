// Memory under the fault campaign's attack on the webhook route: 200 connections from one client,
// each announcing a 2 MB body and sending it slowly, never signed. Prints the service's RSS before,
// at the peak and after, and how each connection ended. Runs the real service (main.ts `start`,
// against the forum stand-in) in this process; the attackers run in a child process, so their
// own memory is not counted.
//
//   npm run bench:webhook-flood [-- --connections 200] [-- --mb 2] [-- --signed]
//
// --signed sends a well-formed (but wrong) X-Discourse-Event-Signature, so the body must be read
// before it can be refused: the in-flight byte cap and the per-client connection cap then bound it.
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../bridges/config.js';
import { createLogger } from '../core/logging.js';
import { start } from '../main.js';
import { buildForumCommunity } from './support/discourse-community.js';
import { freePort } from './support/service-io.js';
import { startFakeForum } from './stand-ins/discourse-forum/index.js';

const say = (line: string) => process.stdout.write(`${line}\n`);
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;

/** The attacker, run as a child process: opens the connections and reports how each ended. */
async function attack(url: string, connections: number, bytes: number, signed: boolean, seconds: number): Promise<void> {
  const { request } = await import('node:http');
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const outcomes = await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<string>((resolve) => {
          const headers: Record<string, string> = {
            'Content-Type': 'application/json',
            'Content-Length': String(bytes),
            'X-Discourse-Event': 'post_created',
            'X-Discourse-Event-Id': '1',
          };
          if (signed) headers['X-Discourse-Event-Signature'] = `sha256=${'0'.repeat(64)}`;
          const req = request(url, { method: 'POST', headers }, (res) => {
            res.resume();
            resolve(`HTTP ${res.statusCode}`);
          });
          req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
          // Nearly the whole body, slowly, then hold it open until the end.
          let sent = 0;
          const deadline = Date.now() + seconds * 1000;
          const pump = () => {
            if (req.destroyed || Date.now() > deadline) return;
            if (sent + chunk.length < bytes - 1) {
              sent += chunk.length;
              req.write(chunk);
            }
            setTimeout(pump, 20);
          };
          pump();
          setTimeout(
            () => {
              req.destroy();
              resolve('held until the end');
            },
            seconds * 1000 + 500,
          );
        }),
    ),
  );
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(o, (counts.get(o) ?? 0) + 1);
  process.send?.([...counts]);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '200' },
      mb: { type: 'string', default: '2' },
      signed: { type: 'boolean', default: false },
      seconds: { type: 'string', default: '15' },
    },
  });
  const connections = Number(values.connections);
  const bytes = Math.round(Number(values.mb) * 1024 * 1024);
  const seconds = Number(values.seconds);
  const forum = await startFakeForum({ validate: false, timeScale: 0.01 });
  buildForumCommunity(forum);
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-bench-flood-'));
  const port = await freePort();
  const file = path.join(dir, 'co-agent.yaml');
  writeFileSync(
    file,
    [
      'database:',
      `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`,
      'log:',
      '  level: error',
      'web:',
      `  port: ${port}`,
      'engine:',
      '  workers: 1',
      'discourse:',
      `  baseUrl: ${forum.url}`,
      '  backfillTopics: 0',
      '  pollSeconds: 3600',
    ].join('\n'),
  );
  const config = loadConfig({
    file,
    env: { DISCOURSE_API_KEY: forum.adminApiKey, DISCOURSE_API_USERNAME: 'coagent', DISCOURSE_WEBHOOK_SECRET: 'bench-secret' },
  });
  config.discourse!.clockScale = 0.01;
  const app = await start(config, createLogger({ level: 'error' }));
  await app.idle();
  global.gc?.();
  await new Promise((r) => setTimeout(r, 1000));
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  say(
    `${connections} connections from one client, each announcing a ${mib(bytes)} body${values.signed ? ' with a (wrong) signature' : ', unsigned'}, sent slowly and held ${seconds} s`,
  );
  const child = fork(
    fileURLToPath(import.meta.url),
    ['--attack', `http://127.0.0.1:${port}/webhooks/discourse`, String(connections), String(bytes), String(values.signed), String(seconds)],
    { execArgv: ['--import', 'tsx'] },
  );
  const outcomes = await new Promise<[string, number][]>((resolve) => child.once('message', (m) => resolve(m as [string, number][])));
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 1000));
  say(`RSS of the service: ${mib(before)} before, ${mib(peak)} at the peak (+${mib(peak - before)}), ${mib(process.memoryUsage().rss)} after`);
  say(`connections ended: ${outcomes.map(([o, n]) => `${o}: ${n}`).join(', ')}`);
  await app.stop();
  await forum.close();
  rmSync(dir, { recursive: true, force: true });
}

if (process.argv[2] === '--attack') {
  const [, , , url, connections, bytes, signed, seconds] = process.argv;
  void attack(url!, Number(connections), Number(bytes), signed === 'true', Number(seconds)).then(() => process.exit(0));
} else {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
