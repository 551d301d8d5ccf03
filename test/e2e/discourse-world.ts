// One world for the Discourse end-to-end files: the stand-in forum with a stock forum's rules on
// a shortened clock, the small community, the real service (main.ts `start`) on a real SQLite
// file with its logs collected, the webhook pointed at it, and a second store handle to observe.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../bridges/config.js';
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { start, type App } from '../../main.js';
import { startFakeForum, type FakeForum, type FakeForumOptions, type PostRecord } from '../../scripts/stand-ins/discourse-forum/index.js';
import { buildForumCommunity, type ForumCommunity } from '../../scripts/support/discourse-community.js';
import { eventually, freePort, logSink } from '../../scripts/support/service-io.js';
import { postgresDatabase } from './service-harness.js';
import { seedTags } from '../../scripts/support/service-config.js';

/**
 * The forum's rules run 100 times faster (a minute of API limit lasts 600 ms, 5 s between posts
 * 50 ms); the bot's request budget (40 a minute) runs on the same faster minute.
 */
export const TEST_TIME_SCALE = 0.01;
export const SECRET = 'webhook-secret-for-tests';

export interface WorldOptions {
  /** Stand-in options beyond the stock defaults (a test that loosens a rule says why). */
  forum?: FakeForumOptions;
  /** Extra lines of the `discourse:` section (two-space indented). */
  discourse?: string[];
  /** The bot's forum account is an admin (default) or a regular member. */
  botAdmin?: boolean;
  /** Don't point the forum's webhook at the service (catch-up only). */
  noWebhook?: boolean;
  /** History learned before the world is ready (documents); default 7. */
  history?: number;

  /** Seconds between catch-up rounds (default 1). */
  pollSeconds?: number;
  /** Topics of history read at the first start (default 50). */
  backfillTopics?: number;
  /** More forum history, made before the service starts. */
  beforeStart?: (forum: FakeForum, c: ForumCommunity) => void;
}

export interface DiscourseWorld {
  forum: FakeForum;
  c: ForumCommunity;
  config: Config;
  /** The service's log lines (JSON objects), at info level and up. */
  logs: Record<string, unknown>[];
  store: Store;
  app: App | undefined;
  webhookUrl: string;
  start(): Promise<App>;
  stop(): Promise<void>;
  close(): Promise<void>;
  /** The bot's live posts in a topic (or everywhere). */
  botPosts(topicId?: number): PostRecord[];
  /** Log lines whose message matches. */
  logged(pattern: RegExp): Record<string, unknown>[];
}

export async function startDiscourseWorld(options: WorldOptions = {}): Promise<DiscourseWorld> {
  const forum = await startFakeForum({ timeScale: TEST_TIME_SCALE, ...options.forum });
  const c = buildForumCommunity(forum, { botAdmin: options.botAdmin });
  options.beforeStart?.(forum, c);
  const dir = mkdtempSync(path.join(tmpdir(), 'co-agent-discourse-'));
  const port = await freePort();
  const file = path.join(dir, 'co-agent.yaml');
  // CO_AGENT_TEST_STORE=postgresql: a fresh PostgreSQL database, dropped by close().
  const postgres = postgresDatabase();
  writeFileSync(
    file,
    [
      'database:',
      `  path: ${JSON.stringify(path.join(dir, 'co-agent.db'))}`,
      ...(postgres ? [`  url: ${JSON.stringify(postgres.url)}`] : []),
      'log:',
      '  level: info',
      'engine:',
      '  workers: 1',
      'web:',
      `  port: ${port}`,
      'discourse:',
      `  baseUrl: ${forum.url}`,
      '  helpCategories: [help]',
      `  pollSeconds: ${options.pollSeconds ?? 1}`,
      `  backfillTopics: ${options.backfillTopics ?? 50}`,
      ...(options.discourse ?? []),
    ].join('\n'),
  );
  const config = loadConfig({ file, env: { DISCOURSE_API_KEY: forum.adminApiKey, DISCOURSE_API_USERNAME: 'coagent', DISCOURSE_WEBHOOK_SECRET: SECRET } });
  // The bot's budget keeps 40 a minute, on the forum's faster minute.
  config.discourse!.clockScale = options.forum?.timeScale ?? TEST_TIME_SCALE;
  await seedTags(config.database.url ?? config.database.path);
  const logs: Record<string, unknown>[] = [];
  const sink = logSink(logs);
  const store = await openStore({ path: config.database.url ?? config.database.path, logger: createLogger({ level: 'silent' }) });
  const webhookUrl = `http://127.0.0.1:${port}/webhooks/discourse`;
  const world: DiscourseWorld = {
    forum,
    c,
    config,
    logs,
    store,
    app: undefined,
    webhookUrl,
    async start() {
      world.app = await start(config, createLogger(config.log, sink));
      return world.app;
    },
    async stop() {
      await world.app?.stop();
      world.app = undefined;
    },
    async close() {
      await world.stop();
      await store.close();
      await forum.close();
      rmSync(dir, { recursive: true, force: true });
      postgres?.drop();
    },
    botPosts: (topicId) => forum.posts(topicId).filter((p) => p.userId === forum.user('coagent')?.id && !p.deletedAt),
    logged: (pattern) => logs.filter((l) => pattern.test(String(l.msg ?? ''))),
  };
  await world.start();
  if (!options.noWebhook) forum.addWebhook({ url: webhookUrl, secret: SECRET });
  const history = options.history ?? 7;
  await eventually('history to be learned', async () => ((await store.documents.listLive()).length >= history ? true : undefined), 120_000);
  return world;
}
