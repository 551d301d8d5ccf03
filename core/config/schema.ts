// The configuration file's schema: the single source of truth for keys, types, defaults and the
// descriptions that become comments in config/co-agent.example.yaml. Secrets are not in the
// file: they come from environment variables (see SECRETS).
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../logging.js';

// Every check carries the same "expected ..." phrase so error messages read
// `engine.routing.weeklyBudget: expected a positive integer, got "three"`.
const expecting = (what: string) => ({ error: `expected ${what}` });

const positiveInt = () => {
  const e = expecting('a positive integer');
  return z.number(e).int(e).positive(e);
};
const positiveNumber = () => {
  const e = expecting('a positive number');
  return z.number(e).positive(e);
};
const fraction = () => {
  const e = expecting('a number from 0 to 1');
  return z.number(e).min(0, e).max(1, e);
};
const nonEmpty = () => {
  const e = expecting('a non-empty string');
  return z.string(e).min(1, e);
};
const httpUrl = () => {
  const e = expecting('an http(s) URL');
  return z.url({ ...e, protocol: /^https?$/ });
};
const roomIdOrAlias = () => {
  const e = expecting('a Matrix room id (!id:server) or alias (#name:server)');
  return z.string(e).regex(/^[!#][^:\s]+:\S+$/, e);
};
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, expecting(`one of ${values.join(', ')}`));

export const EMBEDDING_BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type EmbeddingBackend = (typeof EMBEDDING_BACKENDS)[number];

export const fileSchema = z.strictObject({
  database: z.strictObject({
    path: nonEmpty().default('./data/co-agent.db')
      .describe('SQLite database file, relative to the working directory. Created (with its directory) on first start.'),
  }).prefault({}).describe('Where Co-Agent keeps its data.'),

  log: z.strictObject({
    level: oneOf(LOG_LEVELS as readonly LogLevel[] as [LogLevel, ...LogLevel[]]).default('info')
      .describe('Least severe level written to standard output (JSON lines).'),
  }).prefault({}).describe('Logging.'),

  engine: z.strictObject({
    embedding: z.strictObject({
      backend: oneOf(EMBEDDING_BACKENDS).default('auto')
        .describe('TensorFlow.js backend for the sentence encoder. auto uses native tensorflow when it loads, else wasm; cpu is plain JavaScript and very slow.'),
    }).prefault({}).describe('Sentence embeddings.'),
    workers: positiveInt().optional().meta({ examples: [2] })
      .describe('Embedding worker threads, one model each (~340 MB of memory per worker). Default: the number of CPUs.'),
    calibrate: z.boolean().default(true)
      .describe("Fit routing, tagging and similar topics on the community's own history (in the background, again whenever it grew by a tenth; kept in the database). false keeps the built-in settings."),
    similar: z.strictObject({
      maxResults: positiveInt().default(5).describe('Most similar past topics shown for a problem.'),
      minScore: fraction().optional().meta({ examples: [0.45] })
        .describe('Similarity (0-1) below which a past topic is not shown. Default: learned from the history (0.45 until then).'),
    }).prefault({}).describe('Finding similar past topics.'),
    routing: z.strictObject({
      maxInvitations: positiveInt().default(3).describe('Most members invited to help with one problem.'),
      weeklyBudget: positiveInt().default(3).describe('Invitations a member gets per week unless they chose their own number.'),
    }).prefault({}).describe('Choosing whom to ask (the ranking itself is learned from who answered earlier questions).'),
    tagging: z.strictObject({
      maxTags: positiveInt().default(3).describe('Most tags suggested for a problem (fewer when the history shows fewer tag better).'),
      minConfidence: fraction().optional().meta({ examples: [0.1] })
        .describe('Confidence (0-1) below which a tag is not suggested. Default: learned from the history (0.1 until then).'),
    }).prefault({}).describe('Suggesting tags.'),
    helpDetection: z.strictObject({
      learn: z.boolean().default(true)
        .describe("Learn what a request looks like from the forum history (opening posts against replies); false keeps the built-in rule."),
      threshold: fraction().optional().meta({ examples: [0.5] })
        .describe('Score (0-1) from which a message counts as a request for help. Default: learned from the history (0.5 for the built-in rule until then).'),
    }).prefault({}).describe('Recognising requests for help.'),
  }).prefault({}).describe('The matching engine.'),

  web: z.strictObject({
    host: nonEmpty().default('127.0.0.1').describe('Address the HTTP server listens on; 0.0.0.0 for every interface.'),
    port: z.number(expecting('a port number from 0 to 65535')).int(expecting('a port number from 0 to 65535'))
      .min(0, expecting('a port number from 0 to 65535')).max(65535, expecting('a port number from 0 to 65535'))
      .default(8080).describe('TCP port of the HTTP server (health check, dashboard, webhooks); 0 picks a free one.'),
  }).prefault({}).describe('HTTP server.'),

  dashboard: z.strictObject({
    sessionIdleHours: positiveNumber().default(12)
      .describe('A dashboard login ends after this many hours without a request.'),
    loginAttemptsPerMinute: positiveInt().default(5)
      .describe('Failed dashboard logins allowed per client address per minute; more answer 429.'),
    refreshSeconds: z.number(expecting('a whole number from 0')).int(expecting('a whole number from 0')).min(0, expecting('a whole number from 0')).default(30)
      .describe('Figures are computed once and reused; this often (seconds) the dashboard checks whether the data changed and recomputes (0: on every request).'),
    trustProxy: z.boolean(expecting('true or false')).default(false)
      .describe('Behind a reverse proxy that terminates HTTPS: trust its X-Forwarded-For/-Proto, so login limits count real clients and cookies are marked Secure.'),
  }).prefault({}).describe('The dashboard (passwords come from DASHBOARD_PASSWORD and DASHBOARD_VIEWER_PASSWORD).'),

  matrix: z.strictObject({
    homeserverUrl: httpUrl().meta({ examples: ['https://matrix.example.org'] })
      .describe("Base URL of the bot account's homeserver (client-server API)."),
    space: roomIdOrAlias().meta({ examples: ['#community:example.org'] })
      .describe("The community's Space: the bot works in the rooms of this Space."),
    userId: z.string(expecting('a Matrix user id (@name:server)')).regex(/^@[^:\s]+:\S+$/, expecting('a Matrix user id (@name:server)'))
      .optional().meta({ examples: ['@coagent:example.org'] })
      .describe('The bot account, for password login (MATRIX_PASSWORD) when no MATRIX_ACCESS_TOKEN is set; the token it gets is kept in the database.'),
    allowRooms: z.array(roomIdOrAlias(), expecting('a list of room ids or aliases')).default([])
      .describe('Rooms outside the Space the bot may also join and read (ids or aliases).'),
    backfill: z.number(expecting('a whole number from 0')).int(expecting('a whole number from 0')).min(0, expecting('a whole number from 0')).default(500)
      .describe('Messages of history read from each room when the bot first joins it, so it knows past topics from day one (0: none).'),
    smallRoomMaxMembers: positiveInt().default(6)
      .describe('A private room with at most this many members (the bot included) counts as a small room: messages there are direct contacts between its members.'),
  }).optional().describe('Matrix bridge. Leave out to run without Matrix.'),

  concierge: z.strictObject({
    inviteVia: oneOf(['thread', 'direct'] as const).default('thread')
      .describe('How helpers are invited: by a mention in the thread of the request, or by a direct message.'),
    flood: z.strictObject({
      maxRequests: positiveInt().default(5).describe('Help requests one member may make per window; beyond it the bot asks them, once, to wait.'),
      windowMinutes: positiveInt().default(10).describe('Length of that window in minutes.'),
    }).prefault({}).describe('Per-member limit on help requests.'),
    linkCodeTtlHours: positiveInt().default(24).describe('How long a code for linking a Matrix and a Discourse account stays valid.'),
  }).prefault({}).describe('The concierge workflow.'),

  discourse: z.strictObject({
    baseUrl: httpUrl().meta({ examples: ['https://forum.example.org'] }).describe('Base URL of the Discourse forum.'),
    helpCategories: z.array(z.union([z.string(), z.number()]), expecting('a list of category slugs or ids')).default([])
      .describe('Categories where every new topic is a request for help (slugs or ids), besides posts that mention the bot.'),
    inviteVia: oneOf(['mention', 'topic-invitation', 'private-message'] as const).default('mention')
      .describe('How helpers are invited on the forum: an @mention in the reply, a topic invitation, or a private message.'),
    setTags: z.boolean(expecting('true or false')).default(true)
      .describe("Add the suggested tags to a new help topic (needs the bot's permission to tag)."),
    backfillTopics: z.number(expecting('a whole number from 0')).int(expecting('a whole number from 0')).min(0, expecting('a whole number from 0')).default(300)
      .describe('Latest topics read (with their posts) on the first start, so the engine knows past topics and who answered what (0: none).'),
    pollSeconds: positiveInt().default(60)
      .describe('How often to catch up on posts since the last one seen (missed webhooks, downtime).'),
    mirror: oneOf(['off', 'on-request', 'always'] as const).default('on-request')
      .describe('Post Matrix requests as forum topics, so answers stay searchable: never, on "!coagent post-to-forum", or always.'),
    mirrorCategory: z.union([z.string(), z.number()], expecting('a category slug or id')).optional().meta({ examples: ['community-questions'] })
      .describe('Category for mirrored topics (slug or id); default: Uncategorized.'),
    privateMessages: z.boolean(expecting('true or false')).default(false)
      .describe("Count private-message topics between members as direct contacts (metadata only; needs an admin API key)."),
  }).optional().describe('Discourse bridge. Leave out to run without Discourse.'),
}).describe('Co-Agent configuration.');

export type FileConfig = z.output<typeof fileSchema>;

/** A secret: read from the environment, never from the file, never logged. */
export interface SecretSpec {
  /** Dotted key path in the resolved Config, e.g. `matrix.accessToken`. */
  path: string;
  env: string;
  /** Required when its section is configured. */
  required: boolean;
  description: string;
}

export const SECRETS: readonly SecretSpec[] = [
  { path: 'matrix.accessToken', env: 'MATRIX_ACCESS_TOKEN', required: false, description: "Access token of the bot's Matrix account (or use MATRIX_PASSWORD with matrix.userId)." },
  { path: 'matrix.password', env: 'MATRIX_PASSWORD', required: false, description: "Password of the bot's Matrix account, for password login when no access token is set." },
  { path: 'discourse.apiKey', env: 'DISCOURSE_API_KEY', required: true, description: 'Discourse API key (Admin > API).' },
  { path: 'discourse.apiUsername', env: 'DISCOURSE_API_USERNAME', required: true, description: 'Discourse user the API key acts as (the bot account).' },
  { path: 'dashboard.password', env: 'DASHBOARD_PASSWORD', required: false, description: 'Dashboard admin password; without it the dashboard answers 503 (the sandbox makes one up).' },
  { path: 'dashboard.viewerPassword', env: 'DASHBOARD_VIEWER_PASSWORD', required: false, description: 'Optional dashboard viewer password: everything but message text.' },
  { path: 'discourse.webhookSecret', env: 'DISCOURSE_WEBHOOK_SECRET', required: false, description: "Secret of the Discourse webhook; without it webhooks are refused." },
];

/**
 * The validated configuration the rest of Co-Agent reads: the file's values with defaults
 * filled in, computed defaults resolved, and secrets from the environment added.
 */
export type Config = Omit<FileConfig, 'engine' | 'matrix' | 'discourse' | 'dashboard'> & {
  engine: Omit<FileConfig['engine'], 'workers'> & { workers: number };
  dashboard: FileConfig['dashboard'] & { password?: string | undefined; viewerPassword?: string | undefined };
  matrix?: (NonNullable<FileConfig['matrix']> & { accessToken?: string | undefined; password?: string | undefined }) | undefined;
  discourse?: (NonNullable<FileConfig['discourse']> & {
    apiKey: string;
    apiUsername: string;
    webhookSecret?: string | undefined;
  }) | undefined;
};
