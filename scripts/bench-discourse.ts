// The Discourse figures the forum work is judged by, against the stand-in with a stock forum's
// rules: the first backfill of 300 topics under the forum's 60-requests-a-minute limit (time and
// 429s), API calls per bot reply in steady state, and `npm run doctor` output with one broken
// setting. The whole service runs (main.ts `start`): model, SQLite, HTTP, webhooks.
//
//   npm run bench:discourse [-- --part backfill|replies|doctor|all] [-- --topics 300] [-- --replies 10] [-- --time-scale 1]
//
// --time-scale below 1 runs the forum's clock (and the bot's budget) that much faster; the
// backfill time printed is then also given in real minutes (measured / scale).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../bridges/config.js';
import { createLogger } from '../core/logging.js';
import { openStore, type Store } from '../core/store/index.js';
import { start, type App } from '../main.js';
import { buildForumCommunity, type ForumCommunity } from './support/discourse-community.js';
import { eventually, freePort, logSink } from './support/service-io.js';
import { seedTags } from './support/service-config.js';
import { doctor } from './doctor.js';
import { startFakeForum, type FakeForum } from './stand-ins/discourse-forum/index.js';

const SECRET = 'bench-secret';
const say = (line: string) => process.stdout.write(`${line}\n`);

function options() {
  try {
    const { values } = parseArgs({
      options: {
        part: { type: 'string', default: 'all' },
        topics: { type: 'string', default: '300' },
        replies: { type: 'string', default: '10' },
        'time-scale': { type: 'string', default: '1' },
      },
    });
    const part = String(values.part);
    const topics = Number(values.topics);
    const replies = Number(values.replies);
    const scale = Number(values['time-scale']);
    if (!['backfill', 'replies', 'doctor', 'all'].includes(part)) throw new Error('--part is backfill, replies, doctor or all');
    if (!(Number.isInteger(topics) && topics > 0 && topics <= 2000) || !(Number.isInteger(replies) && replies > 0 && replies <= 100))
      throw new Error('--topics in 1..2000, --replies in 1..100');
    if (!(scale > 0 && scale <= 1)) throw new Error('--time-scale in (0, 1]');
    return { part, topics, replies, scale };
  } catch (error) {
    process.stderr.write(
      `usage: npm run bench:discourse [-- --part backfill|replies|doctor|all] [-- --topics N] [-- --replies N] [-- --time-scale S]\n${(error as Error).message}\n`,
    );
    process.exit(2);
  }
}

interface World {
  forum: FakeForum;
  c: ForumCommunity;
  config: Config;
  dir: string;
  port: number;
  logs: Record<string, unknown>[];
}

async function world(scale: number, lines: string[], history: (forum: FakeForum, c: ForumCommunity) => void): Promise<World> {
  const forum = await startFakeForum({ validate: false, timeScale: scale });
  const c = buildForumCommunity(forum);
  history(forum, c);
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-bench-discourse-'));
  const port = await freePort();
  const file = path.join(dir, 'co-agent.yaml');
  writeFileSync(
    file,
    [
      'database:',
      `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`,
      'log:',
      '  level: info',
      'web:',
      `  port: ${port}`,
      'engine:',
      '  workers: 1',
      'discourse:',
      `  baseUrl: ${forum.url}`,
      '  helpCategories: [help]',
      ...lines,
    ].join('\n'),
  );
  const config = loadConfig({ file, env: { DISCOURSE_API_KEY: forum.adminApiKey, DISCOURSE_API_USERNAME: 'coagent', DISCOURSE_WEBHOOK_SECRET: SECRET } });
  config.discourse!.clockScale = scale;
  await seedTags(config.database.path);
  return { forum, c, config, dir, port, logs: [] };
}

async function run(w: World): Promise<{ app: App; store: Store }> {
  const app = await start(w.config, createLogger(w.config.log, logSink(w.logs)));
  w.forum.addWebhook({ url: `http://127.0.0.1:${w.port}/webhooks/discourse`, secret: SECRET });
  const store = await openStore({ path: w.config.database.path, logger: createLogger({ level: 'silent' }) });
  return { app, store };
}

async function finish(w: World, app: App, store: Store): Promise<void> {
  await store.close();
  await app.stop();
  await w.forum.close();
  rmSync(w.dir, { recursive: true, force: true });
}

/** The first start reads `topics` topics (each with 2 to 5 posts, a few longer than 20) under the stock limit. */
async function benchBackfill(topics: number, scale: number): Promise<void> {
  say(
    `\n== first backfill: ${topics} topics, forum limit 60 requests a minute${scale < 1 ? ` (clock x${Math.round(1 / scale)})` : ''}, bot budget 40 a minute`,
  );
  const w = await world(scale, [`  backfillTopics: ${topics}`, '  pollSeconds: 60'], (forum, c) => {
    const past = Date.now() - 90 * 86_400_000;
    const people = ['alice', 'bob', 'carol', 'dave'];
    for (let i = 0; i < topics; i++) {
      const at = past + i * 3_600_000;
      const { topicId } = forum.createTopic(people[i % 4]!, {
        title: `Earlier question number ${i}: how do we plan the work?`,
        raw: `Team ${i} wants to plan its work better; what worked for you?`,
        category: c.general,
        createdAt: new Date(at),
      });
      // A few long topics need more than one request for their posts (20 ids each).
      const replies = i % 50 === 0 ? 30 : 1 + (i % 4);
      for (let r = 1; r <= replies; r++)
        forum.reply(people[(i + r) % 4]!, topicId, `Answer ${r} to question ${i}: plan in two-week steps and review them.`, {
          createdAt: new Date(at + r * 60_000),
        });
    }
  });
  const began = performance.now();
  const { app, store } = await run(w);
  let last = 0;
  await eventually(
    'the backfill',
    async () => {
      const plan = await store.cursors.get('discourse', 'backfill-plan');
      const done = plan ? (JSON.parse(plan) as { done: number }).done : 0;
      if (done - last >= Math.max(1, Math.round(topics / 10))) {
        last = done;
        process.stderr.write(`  ${done}/${topics} topics after ${Math.round((performance.now() - began) / 1000)} s\n`);
      }
      return (await store.cursors.get('discourse', 'backfilled')) ? true : undefined;
    },
    3 * 3_600_000,
  );
  const seconds = (performance.now() - began) / 1000;
  const line = w.logs.find((l) => l.msg === 'read forum history') ?? {};
  const bot = w.forum.requests.filter((r) => r.username === 'coagent');
  say(
    `backfill: ${topics} topics, ${String(line.posts)} posts in ${seconds.toFixed(1)} s from start${scale < 1 ? ` = ${(seconds / scale / 60).toFixed(1)} min at real speed` : ` (${(seconds / 60).toFixed(1)} min)`}; history alone ${String(line.seconds)} s`,
  );
  say(
    `requests by the bot: ${bot.length} (GET /t/{id}.json ${bot.filter((r) => /^\/t\/\d+\.json$/.test(r.path)).length}, /t/{id}/posts.json ${bot.filter((r) => /\/posts\.json$/.test(r.path) && r.path.startsWith('/t/')).length}); 429 answers: ${w.forum.requests.filter((r) => r.status === 429).length}`,
  );
  await finish(w, app, store);
}

/** Replies in steady state: what each bot reply costs, and what a catch-up round costs. */
async function benchReplies(count: number, scale: number): Promise<void> {
  say(`\n== steady state: ${count} help requests answered (webhooks on, catch-up only at start)`);
  const w = await world(scale, ['  backfillTopics: 10', '  pollSeconds: 3600'], () => undefined);
  const { app, store } = await run(w);
  await app.idle();
  const { forum, c } = w;
  const before = forum.requests.length;
  const people = ['alice', 'bob', 'carol', 'dave'];
  const ids: number[] = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      forum.createTopic(people[i % 4]!, {
        title: `New question ${i}: onboarding a remote manager`,
        raw: `How do we onboard a remote engineering manager in team ${i}?`,
        category: c.help,
      }).topicId,
    );
    await eventually('the reply', () => (forum.posts(ids.at(-1)).some((p) => p.userId === forum.user('coagent')!.id) ? true : undefined), 60_000);
    await forum.wait(5); // members wait out the forum's 5 s between posts
  }
  await app.idle();
  const calls = forum.requests.slice(before).filter((r) => r.username === 'coagent');
  const byKind = new Map<string, number>();
  for (const r of calls) {
    const k = `${r.method} ${r.path.replace(/\d+/g, '{id}')}`;
    byKind.set(k, (byKind.get(k) ?? 0) + 1);
  }
  say(
    `API calls per reply: ${(calls.length / count).toFixed(2)} (${calls.length} for ${count} replies): ${[...byKind].map(([k, n]) => `${k} x${n}`).join(', ')}; 429 answers: ${calls.filter((r) => r.status === 429).length}`,
  );
  await finish(w, app, store);
}

/** `npm run doctor` against the stand-in with one broken setting (a help category that does not exist). */
async function benchDoctor(): Promise<void> {
  say('\n== npm run doctor, with discourse.helpCategories naming a category the forum does not have');
  const forum = await startFakeForum({ validate: false });
  buildForumCommunity(forum);
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-bench-doctor-'));
  try {
    const file = path.join(dir, 'co-agent.yaml');
    writeFileSync(
      file,
      [
        'database:',
        `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`,
        'web:',
        '  host: 192.168.1.20',
        '  port: 8080',
        'discourse:',
        `  baseUrl: ${forum.url}`,
        '  helpCategories: [help-desk, general]',
        '  mirrorCategory: general',
      ].join('\n'),
    );
    say(`$ CO_AGENT_CONFIG=co-agent.yaml npm run doctor`);
    const code = await doctor(
      { CO_AGENT_CONFIG: file, DISCOURSE_API_KEY: forum.adminApiKey, DISCOURSE_API_USERNAME: 'coagent', DISCOURSE_WEBHOOK_SECRET: SECRET },
      (line) => say(line.replace(forum.url, 'http://forum.example')),
    );
    say(`(exit code ${code})`);
  } finally {
    await forum.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { part, topics, replies, scale } = options();
  say(`Discourse bench (stand-in forum with stock rules; ${new Date().toISOString()})`);
  if (part === 'doctor' || part === 'all') await benchDoctor();
  if (part === 'replies' || part === 'all') await benchReplies(replies, scale);
  if (part === 'backfill' || part === 'all') await benchBackfill(topics, scale);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
