// The configuration file's schema: the single source of truth for keys, types, defaults and the
// descriptions that become comments in config/co-agent.example.yaml. Secrets are not in the
// file: they come from environment variables (see CORE_SECRETS). This is the platform-neutral
// part; each bridge adds its own section (a PlatformConfigSection, see section.ts) and the
// service composes them (fileSchemaFor).
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from '../logging.js';
import { isProxyAddress, PROXY_RANGE_NAMES } from './proxy-address.js';
import type { AccountForm, PlatformConfigSection, SecretSpec } from './section.js';

// Every check carries the same "expected ..." phrase so error messages read
// `engine.routing.weeklyBudget: expected a positive integer, got "three"`.
export const expecting = (what: string) => ({ error: `expected ${what}` });

export const positiveInt = () => {
  const e = expecting('a positive integer');
  return z.number(e).int(e).positive(e);
};
export const wholeNumber = () => {
  const e = expecting('a whole number from 0');
  return z.number(e).int(e).min(0, e);
};
export const positiveNumber = () => {
  const e = expecting('a positive number');
  return z.number(e).positive(e);
};
export const fraction = () => {
  const e = expecting('a number from 0 to 1');
  return z.number(e).min(0, e).max(1, e);
};
export const nonEmpty = () => {
  const e = expecting('a non-empty string');
  return z.string(e).min(1, e);
};
export const httpUrl = () => {
  const e = expecting('an http(s) URL');
  return z.url({ ...e, protocol: /^https?$/ });
};
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, expecting(`one of ${values.join(', ')}`));

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

/** The core sections; concierge.admins names the account forms of the platforms configured. */
function coreShape(accounts: readonly AccountForm[]) {
  const account = accounts.map((a) => a.one).join(' or ') || 'an account name';
  const accountsText = accounts.map((a) => a.many).join(' and ') || 'account names';
  return {
    database: z
      .strictObject({
        path: nonEmpty()
          .default('./data/co-agent.db')
          .describe(
            "SQLite database file, relative to the working directory. Created (with its directory) on first start. With url set, the PostgreSQL store is used instead, and this path only places the files kept next to it (the pid file, a bridge's crypto store).",
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
        refreshSeconds: wholeNumber()
          .default(30)
          .describe(
            'Figures are computed once and reused; this often (seconds) the dashboard checks whether the data changed and recomputes (0: on every request).',
          ),
        staleSeconds: wholeNumber()
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
            "The community's tags, each with a sentence saying what it covers (the engine tags requests by it). Added to the forum's tags, if there is a forum; the only ones for a community without a forum unless suggestions are approved.",
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
        linkCodeTtlHours: positiveInt().default(24).describe("How long a code for linking a member's accounts on two platforms stays valid."),
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
          .array(z.string(expecting(account)).trim().min(1, expecting(account)), expecting('a list of accounts'))
          .default([])
          .meta({ examples: [accounts.map((a) => a.example)] })
          .describe(
            `Accounts that may use the admin commands ("tags": approve, reject, rename, merge proposed tags), and are told of new tag proposals by direct message: ${accountsText}.`,
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
  };
}

type CoreShape = ReturnType<typeof coreShape>;
type PlatformShape<P extends readonly PlatformConfigSection[]> = { [S in P[number] as S['key']]: S['schema'] };

/** The file's schema: the core sections, then each platform's section in the order given. */
export function fileSchemaFor<const P extends readonly PlatformConfigSection[]>(platforms: P) {
  const core = coreShape(platforms.map((p) => p.account));
  for (const p of platforms) if (p.key in core) throw new Error(`config section ${p.key}: a core section has that name`);
  const shape = { ...core, ...Object.fromEntries(platforms.map((p) => [p.key, p.schema])) } as CoreShape & PlatformShape<P>;
  return z.strictObject(shape).describe('Co-Agent configuration.');
}

/** The file's core sections, as parsed (defaults filled in). */
export type CoreFileConfig = { [K in keyof CoreShape]: z.output<CoreShape[K]> };

/** Keys that are gone, with what to write instead: named in the start-up error rather than "unknown key". */
export const RETIRED_KEYS: ReadonlyMap<string, string> = new Map([
  ['dashboard.loginAttemptsPerMinute', 'replaced by dashboard.login.attemptsPerClient (wrong passwords a client may send before the back-off starts)'],
]);

/** The core sections' secrets. */
export const CORE_SECRETS: readonly SecretSpec[] = [
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
    path: 'web.metricsToken',
    env: 'METRICS_TOKEN',
    required: false,
    description: 'Bearer token Prometheus sends to scrape /metrics; without it /metrics answers 503.',
  },
];

/**
 * The validated core configuration: the file's core sections with defaults filled in, computed
 * defaults resolved, and secrets from the environment added. The service's Config adds the
 * platform sections to it.
 */
export type CoreConfig = Omit<CoreFileConfig, 'engine' | 'dashboard' | 'web'> & {
  web: CoreFileConfig['web'] & { metricsToken?: string | undefined };
  engine: Omit<CoreFileConfig['engine'], 'workers'> & { workers: number };
  dashboard: CoreFileConfig['dashboard'] & {
    password?: string | undefined;
    viewerPassword?: string | undefined;
    csrfSecret?: string | undefined;
    staff?: string | undefined;
  };
};
