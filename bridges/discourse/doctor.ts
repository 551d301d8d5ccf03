// `npm run doctor` for the forum (and the same checks at start): the key works and what the bot
// user may do, every configured category exists (subcategories included) and the mirror category
// takes topics, tags can be set, and reminders for what the API cannot read (the webhook on a
// private address, retries, the site-wide rate limit). One finding per check, one actionable line.
import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Finding, PlatformDoctor } from '../../core/doctor/findings.js';
import type { Logger } from '../../core/logging.js';
import { openStore } from '../../core/store/index.js';
import { DiscourseApiError, DiscourseClient, type Site, type User } from './api/index.js';
import { categoriesOf, describeLookup, findCategory, type ForumCategory } from './categories.js';
import { STOCK_MAX_TAG_LENGTH, STOCK_MAX_TAGS, forumTagName } from './stock-limits.js';

/** A stock forum's limit for all admin API keys together (DISCOURSE_MAX_ADMIN_API_REQS_PER_MINUTE). */
export const STOCK_ADMIN_API_REQS_PER_MINUTE = 60;

export interface DiscourseDoctorOptions {
  config: Config;
  logger: Logger;
  /** The community's tag names (the store's); undefined when there is no database yet. */
  communityTags?: () => Promise<string[] | undefined>;
}

type Discourse = NonNullable<Config['discourse']>;

export function discourseDoctor(options: DiscourseDoctorOptions): PlatformDoctor {
  return async () => {
    const d = options.config.discourse;
    if (!d) return [];
    const out: Finding[] = [];
    const say = (check: string, level: Finding['level'], message: string, transient?: boolean): void => {
      out.push({ platform: 'discourse', check, level, message, ...(transient ? { transient } : {}) });
    };
    const client = new DiscourseClient({
      baseUrl: d.baseUrl,
      apiKey: d.apiKey,
      apiUsername: d.apiUsername,
      logger: options.logger,
      priority: 'reply',
      retry: { maxAttempts: 3, maxTotalWaitMs: 15_000 },
    });
    const user = await checkUser(client, d, say);
    if (!user) return out;
    const site = await client.site().catch((error: unknown) => {
      say('site', 'blocker', `could not read /site.json: ${(error as Error).message}`, isTransient(error));
      return undefined;
    });
    if (site) {
      checkCategories(categoriesOf(site), d, say);
      await checkTags(client, site, d, options, say);
    }
    remind(options.config, say);
    return out;
  };
}

const isTransient = (error: unknown): boolean => error instanceof DiscourseApiError && error.retryable;

type Say = (check: string, level: Finding['level'], message: string, transient?: boolean) => void;

async function checkUser(client: DiscourseClient, d: Discourse, say: Say): Promise<User['user'] | undefined> {
  let user: User['user'];
  try {
    user = (await client.user(d.apiUsername)).user;
  } catch (error) {
    if (error instanceof DiscourseApiError && (error.status === 403 || error.status === 401)) {
      say(
        'api-key',
        'blocker',
        `the forum refused the API key for "${d.apiUsername}": check DISCOURSE_API_KEY (Admin > API > Keys) and DISCOURSE_API_USERNAME`,
      );
    } else if (error instanceof DiscourseApiError && error.status === 404) {
      say('api-key', 'blocker', `there is no user "${d.apiUsername}" on ${d.baseUrl}: create the bot's account, or fix DISCOURSE_API_USERNAME`);
    } else {
      say('reachable', 'blocker', `${d.baseUrl} did not answer: ${(error as Error).message}`, isTransient(error));
    }
    return undefined;
  }
  if (user.admin) {
    say('api-key', 'ok', `the API key works and ${user.username} is an admin`);
  } else {
    const staff = user.moderator;
    // What fails, and why, for a bot that is not an admin.
    const limits = staff
      ? []
      : [
          'at most 3 replies in a row in a topic (a digest after its reply is refused)',
          'the same text twice within 5 minutes is refused',
          '5 seconds between posts and 20 private messages a day (private-message invitations)',
          "tags cannot be set on members' topics (edit rights) nor created (trust level 3): setTags fails",
        ];
    say(
      'api-key',
      'warning',
      `the API key works but ${user.username} is ${staff ? 'a moderator' : `a regular user (trust level ${user.trust_level})`}, not an admin: members' private-message lists need an admin${limits.length ? `; as a non-staff user the bot also meets ${limits.join('; ')}` : ''}. Make ${user.username} an admin (Admin > Users) to avoid this`,
    );
    if (d.privateMessages)
      say(
        'private-messages',
        'blocker',
        `discourse.privateMessages needs an admin bot: only admins may list other members' private messages. Make ${user.username} an admin or set privateMessages: false`,
      );
  }
  return user;
}

function checkCategories(all: ForumCategory[], d: Discourse, say: Say): void {
  const wanted = [
    ...d.helpCategories.map((c) => ['helpCategories', c] as const),
    ...(d.mirror !== 'off' && d.mirrorCategory !== undefined ? [['mirrorCategory', d.mirrorCategory] as const] : []),
  ];
  if (wanted.length === 0) {
    say('categories', 'info', 'no help or mirror category is configured: the bot answers posts that mention it');
    return;
  }
  for (const [key, name] of wanted) {
    const lookup = findCategory(all, name);
    if (!('found' in lookup)) {
      say('categories', 'blocker', `discourse.${key}: ${describeLookup(name, lookup, all)}`);
      continue;
    }
    const c = lookup.found;
    if (key === 'helpCategories') {
      say('categories', 'ok', `help category "${name}" is ${c.path} (id ${c.id})`);
    } else if (!c.canCreateTopic) {
      say(
        'mirror-category',
        'blocker',
        `discourse.mirrorCategory: ${d.apiUsername} may not create topics in ${c.path}; give it "Create" permission there or pick another category`,
      );
    } else if (c.uncategorized) {
      say(
        'mirror-category',
        'warning',
        `discourse.mirrorCategory is Uncategorized, which a stock forum refuses (allow_uncategorized_topics is off): pick a real category unless you turned that setting on`,
      );
    } else {
      say('mirror-category', 'ok', `mirrored topics go to ${c.path} (id ${c.id}), where ${d.apiUsername} may create topics`);
    }
  }
}

async function checkTags(client: DiscourseClient, site: Site, d: Discourse, options: DiscourseDoctorOptions, say: Say): Promise<void> {
  if (!d.setTags) return;
  if (!site.can_tag_topics) {
    say(
      'tags',
      'warning',
      `${d.apiUsername} may not tag topics (tagging off, or no permission): suggested tags will not be set; enable tagging or set discourse.setTags: false`,
    );
    return;
  }
  const maxTags = options.config.engine.tagging.maxTags;
  if (maxTags > STOCK_MAX_TAGS)
    say(
      'tags',
      'warning',
      `engine.tagging.maxTags is ${maxTags}, but a stock forum keeps at most ${STOCK_MAX_TAGS} tags a topic (max_tags_per_topic): the bot adds ${STOCK_MAX_TAGS} at most`,
    );
  const community = await options.communityTags?.().catch(() => undefined);
  const cut = (community ?? []).filter((t) => t.length > STOCK_MAX_TAG_LENGTH);
  if (cut.length > 0)
    say(
      'tags',
      'info',
      `tags longer than ${STOCK_MAX_TAG_LENGTH} characters are cut by the forum (max_tag_length): ${cut.map((t) => `${t} -> ${forumTagName(t)}`).join(', ')}`,
    );
  if (site.can_create_tag) {
    say('tags', 'ok', `${d.apiUsername} may tag topics and create tags that do not exist yet (at most ${STOCK_MAX_TAGS} a topic)`);
    return;
  }
  if (community === undefined) {
    say(
      'tags',
      'warning',
      `${d.apiUsername} may not create tags: a suggested tag missing on the forum is silently dropped. Create the community's tags on the forum (no database yet to compare with)`,
    );
    return;
  }
  const onForum = new Set(((await client.tags()).tags ?? []).map((t) => String((t as { name?: unknown }).name ?? '')));
  const missing = community.map(forumTagName).filter((t) => !onForum.has(t));
  say(
    'tags',
    missing.length > 0 ? 'warning' : 'ok',
    missing.length > 0
      ? `${d.apiUsername} may not create tags and the forum lacks ${missing.join(', ')}: create them (Admin > Tags) or let the bot create tags, else they are dropped`
      : `every community tag exists on the forum (${community.length})`,
  );
}

/** What the API cannot tell: said every time, as reminders. */
function remind(config: Config, say: Say): void {
  const d = config.discourse!;
  const host = config.web.host === '0.0.0.0' || config.web.host === '::' ? '<this machine>' : config.web.host;
  const url = `http://${host}:${config.web.port}/webhooks/discourse`;
  if (!d.webhookSecret) {
    say(
      'webhook',
      'warning',
      `DISCOURSE_WEBHOOK_SECRET is not set: webhooks are refused and the bot sees changes only every ${d.pollSeconds} s (catch-up); set it to the webhook's secret`,
    );
  }
  const privateHost = /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|localhost$|::1$|<this machine>)/.test(host);
  say(
    'webhook',
    'info',
    `point a webhook (Admin > API > Webhooks, content type application/json, with the secret) at ${url} (or the address the forum reaches this service by) and tick Topic, Post, Like and Solved events${privateHost ? '; a private or loopback address is refused by Discourse unless its host is listed in the allowed_internal_hosts site setting' : ''}`,
  );
  say(
    'webhook-retries',
    'info',
    'Discourse does not retry failed webhooks unless retry_web_hook_events is on (then after 1, 5, 25 and 125 minutes); the catch-up recovers new posts, private messages to the bot and changes on open requests, but likes and edits elsewhere missed while the service was down are lost without it',
  );
  say(
    'rate-limit',
    d.apiRequestsPerMinute > STOCK_ADMIN_API_REQS_PER_MINUTE ? 'warning' : 'info',
    d.apiRequestsPerMinute > STOCK_ADMIN_API_REQS_PER_MINUTE
      ? `discourse.apiRequestsPerMinute is ${d.apiRequestsPerMinute}, above a stock forum's ${STOCK_ADMIN_API_REQS_PER_MINUTE} a minute for all admin API keys together: raise DISCOURSE_MAX_ADMIN_API_REQS_PER_MINUTE in the forum's app.yml, or lower the setting`
      : `the bot makes at most ${d.apiRequestsPerMinute} API requests a minute; a stock forum allows ${STOCK_ADMIN_API_REQS_PER_MINUTE} for all admin API keys together (DISCOURSE_MAX_ADMIN_API_REQS_PER_MINUTE in app.yml): leave room for other integrations`,
  );
}

/** The community's tags from the database, when there is one (`npm run doctor` may run before the first start). */
export function storedTagNames(config: Config, logger: Logger): () => Promise<string[] | undefined> {
  return async () => {
    if (!existsSync(config.database.path)) return undefined;
    const store = await openStore({ path: config.database.path, logger: logger.child({ component: 'doctor' }) });
    try {
      return (await store.tags.list()).map((t) => t.name);
    } finally {
      await store.close();
    }
  };
}
