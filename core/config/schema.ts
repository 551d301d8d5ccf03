// The configuration file's schema: the single source of truth for keys, types, defaults and the
// descriptions that become comments in config/co-agent.example.yaml. Secrets are not in the
// file: they come from environment variables (see SECRETS).
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../logging.js';
import { isProxyAddress, PROXY_RANGE_NAMES } from './proxy-address.js';

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
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, expecting(`one of ${values.join(', ')}`));

const TRUST_PROXY_TRUE =
  'true would trust whatever a client writes into X-Forwarded-For; write the number of proxies in front of Co-Agent (e.g. 1) or their addresses (e.g. [127.0.0.1])';
/** false, a number of proxy hops, or proxy addresses / CIDR ranges; never true (see TRUST_PROXY_TRUE). */
const trustProxy = () => {
  const hops = expecting('a whole number of proxies from 0 to 10');
  const address = expecting(`an IP address, a CIDR range (10.0.0.0/8) or one of ${PROXY_RANGE_NAMES.join(', ')}`);
  const list = expecting('a list of at least one proxy address');
  return z.union(
    [z.literal(false), z.number(hops).int(hops).min(0, hops).max(10, hops), z.array(z.string(address).refine(isProxyAddress, address), list).min(1, list)],
    { error: (issue) => (issue.input === true ? TRUST_PROXY_TRUE : 'expected false, a number of proxies or a list of proxy addresses') },
  );
};
export type TrustProxy = false | number | readonly string[];

export const EMBEDDING_BACKENDS = ['auto', 'tensorflow', 'wasm', 'cpu'] as const;
export type EmbeddingBackend = (typeof EMBEDDING_BACKENDS)[number];

export const fileSchema = z
  .strictObject({
    database: z
      .strictObject({
        path: nonEmpty()
          .default('./data/co-agent.db')
          .describe(
            'SQLite database file, relative to the working directory. Created (with its directory) on first start. With url set, the PostgreSQL store is used instead, and this path only places the files kept next to it (the pid file, the Matrix crypto store).',
          ),
        url: z
          .string(expecting('a postgresql:// URL'))
          .regex(/^postgres(ql)?:\/\/\S+$/i, expecting('a postgresql:// URL'))
          .optional()
          .meta({ examples: ['postgresql://co_agent@db.example.org:5432/co_agent'] })
          .describe(
            'Run on PostgreSQL 15+ instead of SQLite: the server and an existing database (Co-Agent creates its tables, applies its migrations at start, and waits for the server if it is not up yet). The DATABASE_URL environment variable, if set, wins (keep a password there rather than in this file).',
          ),
        leaseSeconds: positiveInt()
          .min(2)
          .max(300)
          .default(8)
          .describe(
            'PostgreSQL only: several instances may share the database, and exactly one is active (it syncs, takes work off the queues and sends) while it renews a lease every quarter of this time. The others stand by (serving the dashboard and queueing webhooks) and take over within this many seconds of the active one dying, or at once when it stops cleanly.',
          ),
      })
      .prefault({})
      .describe('Where Co-Agent keeps its data.'),

    log: z
      .strictObject({
        level: oneOf(LOG_LEVELS as readonly LogLevel[] as [LogLevel, ...LogLevel[]])
          .default('info')
          .describe('Least severe level written to standard output (JSON lines).'),
      })
      .prefault({})
      .describe('Logging.'),

    engine: z
      .strictObject({
        embedding: z
          .strictObject({
            backend: oneOf(EMBEDDING_BACKENDS)
              .default('auto')
              .describe(
                'TensorFlow.js backend for the sentence encoder. auto uses native tensorflow when it loads, else wasm; cpu is plain JavaScript and very slow.',
              ),
          })
          .prefault({})
          .describe('Sentence embeddings.'),
        workers: positiveInt()
          .optional()
          .meta({ examples: [2] })
          .describe('Embedding worker threads, one model each (~340 MB of memory per worker). Default: the number of CPUs.'),
        vectorPrecision: oneOf(['float32', 'int8'] as const)
          .default('float32')
          .describe(
            'How document embeddings are held in memory for search. float32: exact scores, 2 KB a document. int8: a quarter of the memory (about 0.5 KB a document, 1.5 GB less at a million documents), scores within about 0.002 of exact and recall@10 against exact search measured >= 0.99; worth it above a few hundred thousand documents.',
          ),
        calibrate: z
          .boolean()
          .default(true)
          .describe(
            "Fit routing, tagging and similar topics on the community's own history (in the background, again whenever it grew by a tenth; kept in the database). false keeps the built-in settings.",
          ),
        similar: z
          .strictObject({
            maxResults: positiveInt().default(5).describe('Most similar past topics shown for a problem.'),
            minScore: fraction()
              .optional()
              .meta({ examples: [0.45] })
              .describe('Similarity (0-1) below which a past topic is not shown. Default: learned from the history (0.45 until then).'),
          })
          .prefault({})
          .describe('Finding similar past topics.'),
        routing: z
          .strictObject({
            maxInvitations: positiveInt().default(3).describe('Most members invited to help with one problem.'),
            weeklyBudget: positiveInt().default(3).describe('Invitations a member gets per week unless they chose their own number.'),
          })
          .prefault({})
          .describe('Choosing whom to ask (the ranking itself is learned from who answered earlier questions).'),
        tagging: z
          .strictObject({
            maxTags: positiveInt().default(3).describe('Most tags suggested for a problem (fewer when the history shows fewer tag better).'),
            minConfidence: fraction()
              .optional()
              .meta({ examples: [0.1] })
              .describe('Confidence (0-1) below which a tag is not suggested. Default: learned from the history (0.1 until then).'),
          })
          .prefault({})
          .describe('Suggesting tags.'),
        helpDetection: z
          .strictObject({
            learn: z
              .boolean()
              .default(true)
              .describe('Learn what a request looks like from the forum history (opening posts against replies); false keeps the built-in rule.'),
            threshold: fraction()
              .optional()
              .meta({ examples: [0.5] })
              .describe(
                'Score (0-1) from which a message counts as a request for help. Default: learned from the history (0.5 for the built-in rule until then).',
              ),
          })
          .prefault({})
          .describe('Recognising requests for help.'),
      })
      .prefault({})
      .describe('The matching engine.'),

    web: z
      .strictObject({
        host: nonEmpty().default('127.0.0.1').describe('Address the HTTP server listens on; 0.0.0.0 for every interface.'),
        port: z
          .number(expecting('a port number from 0 to 65535'))
          .int(expecting('a port number from 0 to 65535'))
          .min(0, expecting('a port number from 0 to 65535'))
          .max(65535, expecting('a port number from 0 to 65535'))
          .default(8080)
          .describe('TCP port of the HTTP server (health check, dashboard, webhooks); 0 picks a free one.'),
      })
      .prefault({})
      .describe('HTTP server.'),

    dashboard: z
      .strictObject({
        sessionIdleHours: positiveNumber().default(12).describe('A dashboard login ends after this many hours without a request.'),
        sessionsPerRole: z
          .strictObject({
            admin: positiveInt().default(20).describe('Admin sessions kept at most; one more admin login ends the least recently used admin session.'),
            viewer: positiveInt()
              .default(200)
              .describe('Viewer sessions kept at most; one more viewer login ends the least recently used viewer session, never an admin one.'),
          })
          .prefault({})
          .describe('Logged-in browsers kept per role. Sessions are kept in the database, so a restart logs nobody out.'),
        login: z
          .strictObject({
            attemptsPerClient: positiveInt()
              .default(5)
              .describe(
                "Wrong passwords a client address may send before it must wait. A wrong password counts against every role's password it was compared with; a login clears that client's count for its own role only.",
              ),
            attemptsPerRole: positiveInt()
              .default(20)
              .describe(
                "Wrong passwords from all clients together before a role's password is not tried for anyone for a while: guessing from many addresses gets no further than from one.",
              ),
            maxWaitMinutes: positiveInt()
              .default(60)
              .describe(
                'Each wrong password over a limit doubles the wait (1 minute, 2, 4, ...) up to this; one counted failure is forgotten per this many minutes, so in the long run a client or a role gets one guess per this many minutes.',
              ),
            failuresPerMinute: positiveInt()
              .default(10)
              .describe(
                'Ceiling on wrong passwords a minute from all clients and roles together: beyond it every login waits for the next minute and a warning is logged.',
              ),
          })
          .prefault({})
          .describe('Limits on guessing dashboard passwords (answered 429 with Retry-After).'),
        refreshSeconds: z
          .number(expecting('a whole number from 0'))
          .int(expecting('a whole number from 0'))
          .min(0, expecting('a whole number from 0'))
          .default(30)
          .describe(
            'Figures are computed once and reused; this often (seconds) the dashboard checks whether the data changed and recomputes (0: on every request).',
          ),
        staleSeconds: z
          .number(expecting('a whole number from 0'))
          .int(expecting('a whole number from 0'))
          .min(0, expecting('a whole number from 0'))
          .default(300)
          .describe(
            'After the data changed, the figures over the whole history (overview, connections, network, tags, helpers) are answered at once with the previous figures while new ones are computed for the next request, if the previous ones are at most this many seconds old (0: every request after a change waits for the recompute, about a second at 100k interactions).',
          ),
        trustProxy: trustProxy()
          .default(false)
          .describe(
            'Behind reverse proxies: the number of proxies in front of Co-Agent (e.g. 1), or their addresses and CIDR ranges (e.g. [127.0.0.1, 10.0.0.0/8], or loopback, linklocal, uniquelocal). The client address is then the first X-Forwarded-For entry from the right that is not a trusted proxy, and X-Forwarded-Proto marks HTTPS (Secure, __Host- cookies). false: no proxy.',
          ),
      })
      .prefault({})
      .describe('The dashboard (passwords come from DASHBOARD_PASSWORD and DASHBOARD_VIEWER_PASSWORD).'),

    matrix: z
      .strictObject({
        homeserverUrl: httpUrl()
          .meta({ examples: ['https://matrix.example.org'] })
          .describe("Base URL of the bot account's homeserver (client-server API)."),
        space: roomIdOrAlias()
          .meta({ examples: ['#community:example.org'] })
          .describe("The community's Space: the bot works in the rooms of this Space."),
        userId: z
          .string(expecting('a Matrix user id (@name:server)'))
          .regex(/^@[^:\s]+:\S+$/, expecting('a Matrix user id (@name:server)'))
          .optional()
          .meta({ examples: ['@coagent:example.org'] })
          .describe('The bot account, for password login (MATRIX_PASSWORD) when no MATRIX_ACCESS_TOKEN is set; the token it gets is kept in the database.'),
        allowRooms: z
          .array(roomIdOrAlias(), expecting('a list of room ids or aliases'))
          .default([])
          .describe('Rooms outside the Space the bot may also join and read (ids or aliases).'),
        backfill: z
          .number(expecting('a whole number from 0'))
          .int(expecting('a whole number from 0'))
          .min(0, expecting('a whole number from 0'))
          .default(500)
          .describe('Messages of history read from each room when the bot first joins it, so it knows past topics from day one (0: none).'),
        catchUpLimit: z
          .number(expecting('a whole number from 0'))
          .int(expecting('a whole number from 0'))
          .min(0, expecting('a whole number from 0'))
          .default(2000)
          .describe(
            'After a downtime, at most this many missed messages per room are fetched to fill the gap of a limited sync (older ones are logged as skipped).',
          ),
        smallRoomMaxMembers: positiveInt()
          .default(6)
          .describe(
            'A private room with at most this many members (the bot included) counts as a small room: messages there are direct contacts between its members.',
          ),
        encryption: z
          .boolean(expecting('true or false'))
          .default(true)
          .describe(
            'End-to-end encryption: the bot reads and answers in encrypted rooms, with its own device (cross-signed when it can be) and a crypto store next to the database (<database.path>.matrix-crypto; set MATRIX_CRYPTO_STORE_PASSPHRASE to seal it, else it is kept unsealed). If the crypto package cannot load, the service logs it and runs as with false. false: it says once in an encrypted room that it cannot read it, and stays quiet there.',
          ),
      })
      .optional()
      .describe('Matrix bridge. Leave out to run without Matrix.'),

    tags: z
      .strictObject({
        vocabulary: z
          .array(
            z.strictObject({
              name: z.string(expecting('a tag name')).trim().min(1, expecting('a tag name')).max(50, expecting('a tag name of at most 50 characters')),
              description: z.string(expecting('a sentence describing the tag')).trim().min(1, expecting('a sentence describing the tag')),
            }),
            expecting('a list of { name, description }'),
          )
          .default([])
          .meta({ examples: [[{ name: 'hiring', description: 'recruiting, interviewing and selecting candidates' }]] })
          .describe(
            "The community's tags, each with a sentence saying what it covers (the engine tags requests by it). Added to the forum's tags, if there is a forum; the only ones for a Matrix-only community unless suggestions are approved.",
          ),
        suggest: z
          .strictObject({
            enabled: z
              .boolean(expecting('true or false'))
              .default(true)
              .describe(
                'With neither forum tags nor a vocabulary, propose tags from the recurring themes of the community\'s own messages; an admin approves them (the "tags" command or the dashboard\'s console) before they are used.',
              ),
            minDocuments: positiveInt()
              .default(100)
              .describe('Messages the history must hold before themes are looked for (again whenever it grew by a fifth).'),
            minClusterSize: positiveInt().default(5).describe('Smallest group of similar messages that can become a proposed tag; smaller groups are noise.'),
            maxProposals: positiveInt().default(8).describe('Most proposals waiting for an admin at once.'),
          })
          .prefault({})
          .describe('Tags suggested from the history.'),
      })
      .prefault({})
      .describe('Tag vocabulary.'),

    concierge: z
      .strictObject({
        inviteVia: oneOf(['thread', 'direct'] as const)
          .default('thread')
          .describe('How helpers are invited: by a mention in the thread of the request, or by a direct message.'),
        flood: z
          .strictObject({
            maxRequests: positiveInt().default(5).describe('Help requests one member may make per window; beyond it the bot asks them, once, to wait.'),
            windowMinutes: positiveInt().default(10).describe('Length of that window in minutes.'),
          })
          .prefault({})
          .describe('Per-member limit on help requests.'),
        linkCodeTtlHours: positiveInt().default(24).describe('How long a code for linking a Matrix and a Discourse account stays valid.'),
        mode: oneOf(['auto', 'review'] as const)
          .default('auto')
          .describe(
            "Who decides whom the bot asks. With auto the bot invites the helpers it ranks; with review its proposals wait on the dashboard's Attention page for the community team to approve, edit or skip.",
          ),
        reviewMinutes: positiveInt().default(60).describe('In review mode, proposals nobody reviewed go out as proposed after this many minutes.'),
        stuckAfterHours: positiveInt()
          .default(24)
          .describe("A request nobody answered for this many hours is listed as stuck on the dashboard's Attention page."),
        admins: z
          .array(
            z
              .string(expecting('a Matrix user id (@name:server) or a forum username'))
              .trim()
              .min(1, expecting('a Matrix user id (@name:server) or a forum username')),
            expecting('a list of accounts'),
          )
          .default([])
          .meta({ examples: [['@alice:example.org', 'alice']] })
          .describe(
            'Accounts that may use the admin commands ("tags": approve, reject, rename, merge proposed tags), and are told of new tag proposals by direct message: Matrix user ids (@name:server) and forum usernames.',
          ),
      })
      .prefault({})
      .describe('The concierge workflow.'),

    identity: z
      .strictObject({
        offerLinks: z
          .boolean(expecting('true or false'))
          .default(true)
          .describe(
            'Offer members, once per pair, to link an account on the other platform that looks like theirs (the same name, a username made from it); the link still needs a code posted from both accounts.',
          ),
        matchByEmail: z
          .boolean(expecting('true or false'))
          .default(false)
          .describe(
            'Also match accounts by e-mail, where the forum gives e-mails to the admin API key. Only a hash of each address is kept; switching this off forgets them.',
          ),
        answerDays: positiveInt().default(14).describe('An offer nobody answered in this many days counts as ignored; a pair is never offered twice.'),
        offersPerRound: positiveInt().default(20).describe('Most link offers sent per minute, so a first start does not message everyone at once.'),
      })
      .prefault({})
      .describe('Recognising one person behind accounts on several platforms.'),

    discourse: z
      .strictObject({
        baseUrl: httpUrl()
          .meta({ examples: ['https://forum.example.org'] })
          .describe('Base URL of the Discourse forum.'),
        helpCategories: z
          .array(z.union([z.string(), z.number()]), expecting('a list of category slugs or ids'))
          .default([])
          .describe(
            'Categories where every new topic is a request for help (slugs, "parent/child" slugs or ids; subcategories count), besides posts that mention the bot.',
          ),
        inviteVia: z
          .enum(['mention', 'private-message'], {
            error: (issue) =>
              issue.input === 'topic-invitation'
                ? 'expected mention or private-message: a stock Discourse refuses topic invitations to regular topics (topic_invite.not_pm, since October 2022); requests made in a private message with the bot invite helpers into it by topic invitation on their own'
                : 'expected one of mention, private-message',
          })
          .default('mention')
          .describe(
            "How helpers are asked for requests in topics: an @mention in the bot's reply, or a private message each. (Requests made in a private message with the bot invite helpers into that message.)",
          ),
        setTags: z
          .boolean(expecting('true or false'))
          .default(true)
          .describe(
            "Add the suggested tags to a new help topic (at most the forum's max_tags_per_topic, 5 on a stock forum; needs the bot's permission to tag).",
          ),
        backfillTopics: z
          .number(expecting('a whole number from 0'))
          .int(expecting('a whole number from 0'))
          .min(0, expecting('a whole number from 0'))
          .default(300)
          .describe(
            'Latest topics read (with their posts) on the first start, so the engine knows past topics and who answered what (0: none). Read in the background, after live requests.',
          ),
        pollSeconds: positiveInt()
          .default(60)
          .describe(
            'How often to catch up on what webhooks may have missed: new posts, private messages to the bot, and (every tenth round) edits, deletions, likes and solutions on open requests.',
          ),
        apiRequestsPerMinute: positiveInt()
          .default(40)
          .describe(
            'Discourse API requests the bot makes per rolling minute, all of them together. A stock forum allows 60 a minute for every admin API key on the site together (DISCOURSE_MAX_ADMIN_API_REQS_PER_MINUTE); keep room for its other integrations.',
          ),
        mirror: oneOf(['off', 'on-request', 'always'] as const)
          .optional()
          .describe(
            'Post Matrix requests as forum topics, so answers stay searchable: never, on "!coagent post-to-forum", or always. Default: on-request when mirrorCategory is set, else off.',
          ),
        mirrorCategory: z
          .union([z.string(), z.number()], expecting('a category slug or id'))
          .optional()
          .meta({ examples: ['community-questions'] })
          .describe('Category for mirrored topics (slug, "parent/child" slug or id). Needed for mirroring: a stock forum refuses new topics in Uncategorized.'),
        privateMessages: z
          .boolean(expecting('true or false'))
          .default(false)
          .describe(
            'Count private-message topics between members as direct contacts (metadata only: their text is never stored or answered; needs an admin API key).',
          ),
      })
      .superRefine((d, ctx) => {
        if ((d.mirror === 'on-request' || d.mirror === 'always') && d.mirrorCategory === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['mirrorCategory'],
            message: `expected a category for mirrored topics, since discourse.mirror is ${d.mirror}: a stock Discourse refuses new topics in Uncategorized (allow_uncategorized_topics is off)`,
          });
        }
      })
      .optional()
      .describe('Discourse bridge. Leave out to run without Discourse.'),
  })
  .describe('Co-Agent configuration.');

export type FileConfig = z.output<typeof fileSchema>;

/** Keys that are gone, with what to write instead: named in the start-up error rather than "unknown key". */
export const RETIRED_KEYS: ReadonlyMap<string, string> = new Map([
  ['dashboard.loginAttemptsPerMinute', 'replaced by dashboard.login.attemptsPerClient (wrong passwords a client may send before the back-off starts)'],
]);

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
  {
    path: 'matrix.accessToken',
    env: 'MATRIX_ACCESS_TOKEN',
    required: false,
    description: "Access token of the bot's Matrix account (or use MATRIX_PASSWORD with matrix.userId).",
  },
  {
    path: 'matrix.cryptoStorePassphrase',
    env: 'MATRIX_CRYPTO_STORE_PASSPHRASE',
    required: false,
    description: "Passphrase the Matrix crypto store (matrix.encryption) is sealed with; keep it: without it the bot's device and keys cannot be opened.",
  },
  {
    path: 'matrix.crossSigningKeys',
    env: 'MATRIX_CROSS_SIGNING_KEYS',
    required: false,
    description:
      "Optional: the bot account's private cross-signing keys (the export `npm run matrix:cross-signing-keys` prints), imported instead of making new ones when the crypto store does not hold them (a new machine or store).",
  },
  {
    path: 'matrix.password',
    env: 'MATRIX_PASSWORD',
    required: false,
    description:
      "Password of the bot's Matrix account, for password login when no access token is set, and for the homeserver's password check when the bot replaces its cross-signing keys.",
  },
  {
    path: 'matrix.adminToken',
    env: 'MATRIX_ADMIN_TOKEN',
    required: false,
    description: "Optional: a homeserver admin's access token, only for `npm run doctor` to check the bot's rate-limit exemption.",
  },
  { path: 'discourse.apiKey', env: 'DISCOURSE_API_KEY', required: true, description: 'Discourse API key (Admin > API).' },
  { path: 'discourse.apiUsername', env: 'DISCOURSE_API_USERNAME', required: true, description: 'Discourse user the API key acts as (the bot account).' },
  {
    path: 'dashboard.password',
    env: 'DASHBOARD_PASSWORD',
    required: false,
    description: 'Dashboard admin password; without it the dashboard answers 503 (the sandbox makes one up).',
  },
  {
    path: 'dashboard.viewerPassword',
    env: 'DASHBOARD_VIEWER_PASSWORD',
    required: false,
    description: 'Optional dashboard viewer password: everything but message text.',
  },
  {
    path: 'dashboard.staff',
    env: 'DASHBOARD_STAFF',
    required: false,
    description:
      'Optional named staff accounts, "name:role:hash" separated by commas (role admin, concierge or viewer; hash from `npm run staff-password`): console actions are recorded under their names.',
  },
  {
    path: 'dashboard.csrfSecret',
    env: 'DASHBOARD_CSRF_SECRET',
    required: false,
    description:
      'Optional key (32 characters or more) the dashboard signs its CSRF tokens and session keys with; without it one is generated at first start and kept in the database.',
  },
  {
    path: 'discourse.webhookSecret',
    env: 'DISCOURSE_WEBHOOK_SECRET',
    required: false,
    description: 'Secret of the Discourse webhook; without it webhooks are refused.',
  },
  {
    path: 'web.metricsToken',
    env: 'METRICS_TOKEN',
    required: false,
    description: 'Bearer token Prometheus sends to scrape /metrics; without it /metrics answers 503.',
  },
];

/**
 * The validated configuration the rest of Co-Agent reads: the file's values with defaults
 * filled in, computed defaults resolved, and secrets from the environment added.
 */
export type Config = Omit<FileConfig, 'engine' | 'matrix' | 'discourse' | 'dashboard' | 'web'> & {
  web: FileConfig['web'] & { metricsToken?: string | undefined };
  engine: Omit<FileConfig['engine'], 'workers'> & { workers: number };
  dashboard: FileConfig['dashboard'] & {
    password?: string | undefined;
    viewerPassword?: string | undefined;
    csrfSecret?: string | undefined;
    staff?: string | undefined;
  };
  matrix?:
    | (NonNullable<FileConfig['matrix']> & {
        accessToken?: string | undefined;
        password?: string | undefined;
        adminToken?: string | undefined;
        cryptoStorePassphrase?: string | undefined;
        crossSigningKeys?: string | undefined;
      })
    | undefined;
  discourse?:
    | (Omit<NonNullable<FileConfig['discourse']>, 'mirror'> & {
        mirror: 'off' | 'on-request' | 'always';
        /**
         * Not in the file: for the sandbox and tests, whose forum stand-in runs its clock faster
         * (e.g. 0.01). The request budget's minute lasts this fraction of a minute.
         */
        clockScale?: number | undefined;
        apiKey: string;
        apiUsername: string;
        webhookSecret?: string | undefined;
      })
    | undefined;
};
