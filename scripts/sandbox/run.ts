// The sandbox: the whole service against local stand-ins of a Matrix homeserver and a Discourse
// forum on loopback, seeded with the synthetic community, then (on a clean start) a simulation
// of 12 weeks of community life. `npm start` runs it when no platform is configured (or with
// --sandbox); --continue keeps the previous run's database.
import { rmSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../../bridges/config.js';
import type { Logger } from '../../core/logging.js';
import { openStore } from '../../core/store/index.js';
import { startFakeForum } from '../stand-ins/discourse-forum/index.js';
import { startFakeHomeserver } from '../stand-ins/matrix-homeserver/index.js';
import { generateCommunity } from './community.js';
import { seedSandbox } from './seed.js';
import { installSimClock, type SimClock } from './simulation/sim-clock.js';
import { simulate, type SimulationDeps } from './simulation/simulate.js';
import { formatSummary, summarize, type SandboxSummary } from './simulation/summary.js';

export interface SandboxHandle {
  config: Config;
  matrixUrl: string;
  forumUrl: string;
  /** Points the forum's webhook at the running service and says where to look. */
  attach(service: { port: number; dashboardLogin: string }): void;
  /** Plays the simulated weeks against the running service (nothing with 0 weeks); prints progress and the summary. */
  simulate(app: SimulationDeps['app'], signal?: AbortSignal): Promise<SandboxSummary | undefined>;
  close(): Promise<void>;
}

export interface SandboxOptions {
  fresh: boolean;
  /** Weeks to simulate (0: none). */
  weeks: number;
  weekSeconds?: number;
  /** Where progress lines and the summary go (default: standard error, beside the JSON logs). */
  print?: (line: string) => void;
}

const WEEK = 7 * 24 * 3_600_000;
const CONTENT_IDS_PER_RUN = 100_000;

const WEBHOOK_SECRET = 'sandbox-webhook-secret';
/**
 * The sandbox forum keeps a stock forum's rules but runs their clock 60 times faster: its API
 * limit is 60 requests a second instead of a minute, and the bot's budget (40 a minute) runs on
 * the same faster minute, so reading 300 topics of history takes seconds, not minutes. Members act through
 * their own sessions (in-process), outside the API limit, as people in a browser do.
 */
export const SANDBOX_FORUM_TIME_SCALE = 1 / 60;

/** Starts the stand-ins, seeds them and returns the config that points the service at them. */
export async function prepareSandbox(base: Config, logger: Logger, options: SandboxOptions): Promise<SandboxHandle> {
  const print = options.print ?? ((line: string) => process.stderr.write(`[sandbox] ${line}\n`));
  const dbPath = path.resolve(path.dirname(base.database.path), 'sandbox.db');
  if (options.fresh) for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}${suffix}`, { force: true });
  // On a clean start the simulated weeks end now: the clock starts that far back, before
  // anything is stamped. Continuing, they follow what the database already holds: from now on.
  const clock: SimClock | undefined = options.weeks > 0 ? installSimClock(Date.now() - (options.fresh ? options.weeks * WEEK : 0)) : undefined;
  const store = await openStore({ path: dbPath, logger });
  // The stand-ins keep nothing between runs. Continuing, the new forum must not reuse topic, post
  // and webhook event ids the database has seen (they would look like posts or deliveries already
  // handled): each run gets its own range. Matrix event ids are random, so they never repeat.
  const firstContentId = options.fresh ? 1 : Number((await store.cursors.get('discourse', 'sandbox:first-content-id')) ?? 1) + CONTENT_IDS_PER_RUN;
  await store.cursors.set('discourse', 'sandbox:first-content-id', String(firstContentId));
  const hs = await startFakeHomeserver({ validate: false });
  const forum = await startFakeForum({ validate: false, firstContentId, timeScale: SANDBOX_FORUM_TIME_SCALE });
  const community = generateCommunity({ now: new Date() });
  const seeded = seedSandbox(community, hs, forum, { history: options.fresh });
  // The community's tags, as an admin would define them.
  for (const t of community.tags) await store.tags.upsert(t.name, t.description);
  // Continuing: the database knows the history, but the stand-ins start over, so the bridges'
  // positions on them (sync token, last forum post) mean nothing now.
  if (!options.fresh) {
    await store.cursors.clear('matrix');
    await store.cursors.clear('discourse', 'last-post-id');
  }
  await store.close();
  logger.info({ members: community.members.length, problems: community.problems.length, matrix: hs.url, forum: forum.url }, 'sandbox community ready');
  // Encryption stays off here although it is on by default: the sandbox has no encrypted rooms
  // and its members post through the stand-in in clear; and the stand-in homeserver starts over
  // on every run, so a crypto store kept next to the database would be a device that no longer
  // exists (the bridge would log that encryption could not start).
  const config: Config = {
    ...base,
    database: { ...base.database, path: dbPath, url: undefined },
    matrix: {
      homeserverUrl: hs.url,
      space: seeded.spaceAlias,
      allowRooms: [],
      backfill: 500,
      catchUpLimit: 2000,
      smallRoomMaxMembers: 6,
      encryption: false,
      accessToken: seeded.botMatrixToken,
    },
    discourse: {
      baseUrl: forum.url,
      apiKey: forum.adminApiKey,
      apiUsername: seeded.botForumUsername,
      webhookSecret: WEBHOOK_SECRET,
      helpCategories: [],
      inviteVia: 'mention',
      setTags: true,
      backfillTopics: 300,
      pollSeconds: 5,
      mirror: 'on-request',
      mirrorCategory: 'general',
      privateMessages: true,
      apiRequestsPerMinute: 40,
      clockScale: SANDBOX_FORUM_TIME_SCALE,
    },
  };
  let dashboard = 'the dashboard is served by the service';
  return {
    config,
    matrixUrl: hs.url,
    forumUrl: forum.url,
    attach: ({ port, dashboardLogin }) => {
      forum.addWebhook({ url: `http://127.0.0.1:${port}/webhooks/discourse`, secret: WEBHOOK_SECRET });
      dashboard = `the dashboard is at http://127.0.0.1:${port}/ (${dashboardLogin})`;
      print(`stand-ins: Matrix homeserver ${hs.url}, Discourse forum ${forum.url}; ${dashboard}`);
    },
    simulate: async (app, signal) => {
      if (!clock) return undefined;
      const observer = await openStore({ path: dbPath, logger });
      try {
        const from = new Date(clock.now());
        print(`${options.weeks} weeks of community life from ${from.toISOString().slice(0, 10)}`);
        const began = performance.now();
        const result = await simulate(
          { app, hs, forum, seeded, community, clock, store: observer },
          { weeks: options.weeks, weekSeconds: options.weekSeconds, log: print, signal },
        );
        const summary = await summarize(observer, { from: result.from, to: result.to }, community.members.length);
        for (const line of formatSummary(summary).split('\n')) print(line);
        const { notOpened, notAsked } = result.reconciliation;
        for (const line of notOpened) print(`a request the bot never opened: ${line}`);
        for (const line of notAsked) print(`a problem no member asked for: ${line}`);
        const playedMs = performance.now() - began - result.realMs.history;
        print(
          `played in ${Math.round(playedMs / 1000)} s (after ${Math.round(result.realMs.history / 1000)} s reading the history). The service keeps running on the stand-ins; ${dashboard}. Ctrl-C stops it.`,
        );
        logger.info({ summary, simulation: result }, 'sandbox simulation finished');
        return summary;
      } finally {
        await observer.close();
      }
    },
    close: async () => {
      await hs.close();
      await forum.close();
      clock?.uninstall();
    },
  };
}
