// The sandbox: the whole service against local stand-ins of a Matrix homeserver and a Discourse
// forum on loopback, seeded with the synthetic community. `npm start` runs it when no platform is
// configured (or with --sandbox); --continue keeps the previous run's database.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../core/config/index.js';
import type { Logger } from '../../core/logging.js';
import { openStore } from '../../core/store/index.js';
import { startFakeForum } from '../stand-ins/discourse-forum/index.js';
import { startFakeHomeserver } from '../stand-ins/matrix-homeserver/index.js';
import { generateCommunity } from './community.js';
import { seedSandbox } from './seed.js';

export interface SandboxHandle {
  config: Config;
  matrixUrl: string;
  forumUrl: string;
  /** Points the forum's webhook at the running service. */
  connectWebhook(servicePort: number): void;
  close(): Promise<void>;
}

const WEBHOOK_SECRET = 'sandbox-webhook-secret';

/** Starts the stand-ins, seeds them and returns the config that points the service at them. */
export async function prepareSandbox(base: Config, logger: Logger, options: { fresh: boolean }): Promise<SandboxHandle> {
  const dbPath = path.resolve(path.dirname(base.database.path), 'sandbox.db');
  if (options.fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  const hs = await startFakeHomeserver({ validate: false });
  const forum = await startFakeForum({ validate: false });
  const community = generateCommunity();
  const seeded = seedSandbox(community, hs, forum);
  // The community's tags, as an admin would define them.
  const store = await openStore({ path: dbPath, logger });
  for (const t of community.tags) await store.tags.upsert(t.name, t.description);
  await store.close();
  logger.info({ members: community.members.length, problems: community.problems.length, matrix: hs.url, forum: forum.url }, 'sandbox community ready');
  const config: Config = {
    ...base,
    database: { path: dbPath },
    matrix: {
      homeserverUrl: hs.url, space: seeded.spaceAlias, allowRooms: [], backfill: 500, smallRoomMaxMembers: 6, accessToken: seeded.botMatrixToken,
    },
    discourse: {
      baseUrl: forum.url, apiKey: forum.adminApiKey, apiUsername: seeded.botForumUsername, webhookSecret: WEBHOOK_SECRET,
      helpCategories: [], inviteVia: 'mention', setTags: true, backfillTopics: 300, pollSeconds: 30, mirror: 'on-request', privateMessages: true,
    },
  };
  return {
    config,
    matrixUrl: hs.url,
    forumUrl: forum.url,
    connectWebhook: (port) => {
      forum.addWebhook({ url: `http://127.0.0.1:${port}/webhooks/discourse`, secret: WEBHOOK_SECRET });
    },
    close: async () => {
      await hs.close();
      await forum.close();
    },
  };
}
