// The one composition root: reads config, builds the store (migrated), the engine and the
// bridges, and serves HTTP. Run with `npm start`; CO_AGENT_CONFIG names the config file.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, redactedConfig, type Config } from './bridges/config.js';
import { createLogger, type Logger } from './core/logging.js';
import { DiscourseBridge } from './bridges/discourse/bridge.js';
import { forumEmailDirectory } from './bridges/discourse/emails.js';
import { platformDoctors } from './bridges/doctors.js';
import { registerBuiltInPlatforms } from './bridges/profiles.js';
import { adoptTagVocabulary } from './core/concierge/tag-vocabulary.js';
import { checkBeforeStart, StartupBlocked } from './core/doctor/startup.js';
import { cryptoStoreDir } from './bridges/matrix/crypto-doctor.js';
import { MatrixBridge } from './bridges/matrix/bridge.js';
import type { BridgeConsumer, PlatformOutbound } from './core/concierge/actions.js';
import { Concierge } from './core/concierge/concierge.js';
import type { ConciergeConsole } from './core/concierge/console.js';
import { ActiveLease } from './core/failover/active-lease.js';
import type { ActorRef } from './core/inbound.js';
import { ActionExecutor } from './core/concierge/executor.js';
import { inForeground } from './core/foreground.js';
import { HandlerUnavailable } from './core/queue/inbox-worker.js';
import { Pump } from './core/queue/pump.js';
import { startEngine } from './core/engine/engine-service.js';
import type { Platform } from './core/types.js';
import { pause } from './core/retry.js';
import { claimServicePidFile, DatabaseConnectionError, MigrationError, openStore, type Store } from './core/store/index.js';
import { homeserverReachability } from './bridges/matrix/reachability.js';
import { createOpsMetrics, type OpsMetrics } from './web/metrics.js';
// Only the flag parser is loaded up front: it has no dependencies. The sandbox itself (stand-ins,
// simulation) is imported lazily below, when no platform is configured or --sandbox is given.
import { parseStartArgs, START_USAGE, type StartArgs } from './scripts/sandbox/args.js';
import { createDashboard } from './web/dashboard/index.js';
import { startHttpServer } from './web/server.js';

export interface App {
  /** The HTTP port actually bound (config may say 0). */
  readonly port: number;
  /** Resolves when every queued event and decided action has been handled, and the engine's background training is done (tests). */
  idle(): Promise<void>;
  /** Resolves when the engine fits nothing in the background: no calibration, no tag training (benchmarks). */
  fitted(): Promise<void>;
  /** Resolves when start-up's content hashes are kept for the next start (benchmarks). */
  hashesKept(): Promise<void>;
  /** Runs the time-driven workflow steps now (the scheduler does it every minute; the sandbox simulation as its clock jumps). */
  tick(): Promise<void>;
  /** Stops everything in reverse order of start. */
  stop(): Promise<void>;
}

/** Builds and starts Co-Agent from a validated config. Throws if any part fails to start. */
export async function start(config: Config, logger: Logger): Promise<App> {
  // Core knows the platforms only as registered profiles: first of all, the bridges' (idempotent).
  registerBuiltInPlatforms();
  // Closers run last-started first, so nothing is closed while something still uses it.
  const closers = new Closers(logger);
  try {
    // The same checks as `npm run doctor`, before anything heavy: a blocker stops the start with
    // what to fix; a platform that does not answer yet is waited for.
    await checkBeforeStart(platformDoctors(config, logger, { atStart: true }), logger);

    const store = await openStore({ path: config.database.path, ...(config.database.url ? { url: config.database.url } : {}), logger });
    closers.push('store', () => store.close());
    if (store.dialect === 'sqlite') {
      // Says "a service runs on this database" to `npm run restore`, which then refuses.
      const releasePidFile = claimServicePidFile(path.resolve(config.database.path));
      closers.push('pid file', async () => releasePidFile());
    }
    const platformsOn = [...(config.matrix ? ['matrix' as const] : []), ...(config.discourse ? ['discourse' as const] : [])];
    const metrics = createOpsMetrics({ store, token: config.web.metricsToken, platforms: platformsOn });
    // Readiness reasons while starting and stopping; cleared once everything runs.
    const lifecycle = { phase: 'starting' as 'starting' | 'running' | 'stopping' };
    // On PostgreSQL several instances may share the database: exactly one, holding the lease, is
    // active (core/failover/active-lease.ts); the others serve the dashboard and queue webhooks.
    const lease =
      store.dialect === 'postgresql'
        ? new ActiveLease({
            repository: store.lease,
            holder: `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
            ttlMs: config.database.leaseSeconds * 1000,
            logger: logger.child({ component: 'failover' }),
          })
        : undefined;
    let active: ActivePart | undefined;
    let takingOver = false;

    const dashboard = await createDashboard({
      store,
      config: config.dashboard,
      logger,
      links: { discourseBaseUrl: config.discourse?.baseUrl },
      console: () => active?.console,
    });
    closers.push('dashboard', () => dashboard.close());
    const readiness = async (): Promise<string[]> => {
      const reasons: string[] = [];
      if (lifecycle.phase !== 'running') reasons.push(`service ${lifecycle.phase}`);
      if (takingOver) reasons.push('taking over as the active instance');
      if (!store.operations.ping()) reasons.push('store not open');
      if (active) reasons.push(...(await active.readiness()));
      return reasons;
    };
    // HTTP first, so webhooks that arrive while history is read (or while standing by) are
    // queued in the database, not refused.
    const health = await startHttpServer({
      host: config.web.host,
      port: config.web.port,
      logger,
      trustProxy: config.dashboard.trustProxy,
      readiness,
      ...(lease ? { role: () => (active ? ('active' as const) : ('standby' as const)) } : {}),
      routes: {
        ...(config.discourse
          ? { '/webhooks/discourse': DiscourseBridge.webhooks(config.discourse, store, logger.child({ component: 'discourse' }), () => active?.queued()) }
          : {}),
        '/metrics': metrics.router,
        '/': dashboard.router,
      },
    });
    closers.push('http', () => health.close());

    const begin = (): Promise<ActivePart> => startActivePart(config, logger, { store, metrics, mayAct: lease ? () => lease.holds() : () => true });
    if (lease) {
      const standing = new AbortController();
      let firstOutcome: (outcome: Error | undefined) => void = () => undefined;
      const first = new Promise<Error | undefined>((resolve) => {
        firstOutcome = resolve;
      });
      // Stand by, take over, step down when the lease is lost, stand by again: until stopped.
      const roles = (async () => {
        for (let attempt = 0; !standing.signal.aborted; attempt++) {
          let held: { lost: Promise<string> };
          try {
            held = await lease.acquire(standing.signal, () => firstOutcome(undefined));
          } catch {
            return; // stopped while standing by
          }
          takingOver = true;
          try {
            active = await begin();
          } catch (error) {
            await lease.release();
            // At the first start, a part that cannot start stops the service as without failover.
            if (attempt === 0) return firstOutcome(error instanceof Error ? error : new Error(String(error)));
            logger.error({ err: error }, 'could not start as the active instance; gave the lease back, standing by');
            await pause(TAKE_OVER_RETRY_MS, standing.signal);
            continue;
          } finally {
            takingOver = false;
          }
          firstOutcome(undefined);
          // Stopped while the active part was starting: the abort has already fired.
          const stopped = standing.signal.aborted
            ? Promise.resolve()
            : new Promise<void>((resolve) => standing.signal.addEventListener('abort', () => resolve(), { once: true }));
          await Promise.race([held.lost, stopped]);
          const part = active;
          active = undefined;
          // Sends were refused from the moment the lease was lost (mayAct); stopping ends the rest.
          await part.stop();
          if (standing.signal.aborted) await lease.release();
        }
      })();
      closers.push('failover', async () => {
        standing.abort();
        await roles;
      });
      const failed = await first;
      if (failed) throw failed;
    } else {
      active = await begin();
    }
    // The active part stops first (closers run last-pushed first), while HTTP still queues webhooks.
    if (!lease)
      closers.push('active part', async () => {
        await active?.stop();
        active = undefined;
      });
    lifecycle.phase = 'running';
    // Stopping starts here (closers run last-pushed first): /readyz says so at once.
    closers.push('readiness', async () => {
      lifecycle.phase = 'stopping';
    });
    logger.info({ host: health.host, port: health.port, ...(lease ? { role: active ? 'active' : 'standby' } : {}) }, 'ready');
    return {
      port: health.port,
      idle: async () => {
        await active?.idle();
      },
      fitted: async () => {
        await active?.fitted();
      },
      hashesKept: async () => {
        await active?.hashesKept;
      },
      tick: async () => {
        await active?.tick();
      },
      stop: () => closers.closeAll(),
    };
  } catch (error) {
    await closers.closeAll();
    throw error;
  }
}

/** After a failed take-over, before trying again (another standby may take it meanwhile). */
const TAKE_OVER_RETRY_MS = 5000;

/** Stops parts in reverse order of start, each logged with the time it took. */
class Closers {
  readonly #list: { name: string; close: () => Promise<void> }[] = [];

  constructor(private readonly logger: Logger) {}

  push(name: string, close: () => Promise<void>): void {
    this.#list.push({ name, close });
  }

  async closeAll(): Promise<void> {
    for (const { name, close } of this.#list.splice(0).reverse()) {
      const started = performance.now();
      try {
        await close();
        // Which part takes the shutdown's time (the stop must end within 10 s).
        this.logger.debug({ component: name, ms: Math.round(performance.now() - started) }, 'stopped part');
      } catch (error) {
        this.logger.error({ err: error, component: name }, 'error while stopping');
      }
    }
  }
}

/** What only the active instance runs: the engine, the bridges, the executor, the concierge and its schedule. */
interface ActivePart {
  readonly console: ConciergeConsole;
  /** Why this part cannot do its work now (empty when it can). */
  readiness(): Promise<string[]>;
  /** A webhook delivery was queued: handle it now. */
  queued(): void;
  idle(): Promise<void>;
  fitted(): Promise<void>;
  hashesKept: Promise<void>;
  tick(): Promise<void>;
  stop(): Promise<void>;
}

interface Shared {
  store: Store;
  metrics: OpsMetrics;
  /** False once this instance may no longer act (it lost the failover lease): nothing is sent or handled. */
  mayAct: () => boolean;
}

async function startActivePart(config: Config, logger: Logger, { store, metrics, mayAct }: Shared): Promise<ActivePart> {
  const closers = new Closers(logger);
  // The concierge exists once the engine has started; bridges started before wait for it.
  let conciergeStarted: (concierge: Concierge) => void = () => undefined;
  let conciergeFailed: (error: unknown) => void = () => undefined;
  const conciergeReady = new Promise<Concierge>((resolve, reject) => {
    conciergeStarted = resolve;
    conciergeFailed = reject;
  });
  conciergeReady.catch(() => undefined);

  try {
    await adoptTagVocabulary(store, config.tags.vocabulary, logger);
    // The engine indexes the history (seconds) while the bridges connect and Matrix joins its
    // rooms and opens its crypto store. What they read meanwhile waits in the inbox until the
    // concierge exists (see `consumer`): queued, not lost.
    const engineStarting = startEngine(config.engine, store, logger, { embeddingBatch: (s) => metrics.observeEmbedding(s) });
    engineStarting.catch(() => undefined); // awaited below; a failure meanwhile is not unhandled
    let modelLoaded = true;
    closers.push('engine', async () => {
      modelLoaded = false;
      await (await engineStarting.catch(() => undefined))?.close();
    });

    // Bridges connect first (to learn the bot's own accounts), then start reading once the
    // concierge and the executor that performs its decisions are in place.
    const matrix = config.matrix ? await MatrixBridge.connect({ ...config.matrix, cryptoStoreDir: cryptoStoreDir(config) }, store, logger) : undefined;
    // Runs after the executor stopped (closers run last-pushed first): its last sends may encrypt.
    if (matrix) closers.push('matrix crypto', async () => matrix.closeCrypto());
    const discourse = config.discourse ? await DiscourseBridge.connect(config.discourse, store, logger) : undefined;
    const ports: PlatformOutbound[] = [...(matrix ? [matrix.outbound] : []), ...(discourse ? [discourse.outbound] : [])].map((p) => metrics.port(p));
    if (discourse) metrics.platformRequests('discourse', () => discourse.requestCounts);
    const bots = new Map<Platform, ActorRef>([
      ...(matrix ? [['matrix', matrix.identity] as const] : []),
      ...(discourse ? [['discourse', discourse.identity] as const] : []),
    ]);
    const executor = new ActionExecutor({
      store,
      ports,
      logger: logger.child({ component: 'executor' }),
      mayPerform: mayAct,
      // An action done while the engine still starts (a notice Matrix posts as it joins) is followed up once the concierge exists.
      onDone: async (action, result, key) => (await conciergeReady).afterAction(action, result, key),
      onFailed: async (action, key, error) => (await conciergeReady).afterFailure(action, key, error),
    });
    executor.start();
    closers.push('executor', () => executor.stop());
    // Handling an event is request work (core/foreground.ts), once the concierge exists: waiting for
    // the engine's start must not hold back the background indexing that start is made of.
    const consumer: BridgeConsumer = metrics.consumer({
      receive: async (e) => {
        // An instance that lost the lease leaves the event pending for the active one.
        if (!mayAct()) throw new HandlerUnavailable('this instance is no longer the active one');
        const concierge = await conciergeReady;
        return inForeground(() => concierge.receive(e));
      },
      submit: (a) => executor.submit(a),
    });
    if (matrix) closers.push('matrix', () => matrix.stop());
    const [engineStarted, matrixStarted] = await Promise.allSettled([engineStarting, matrix?.start(consumer)]);
    if (engineStarted.status === 'rejected') throw engineStarted.reason;
    if (matrixStarted.status === 'rejected') throw matrixStarted.reason;
    const engine = engineStarted.value;
    const concierge = new Concierge({
      store,
      engine: metrics.engine(engine.engine),
      logger: logger.child({ component: 'concierge' }),
      settings: {
        ...config.concierge,
        weeklyBudget: config.engine.routing.weeklyBudget,
        platforms: config.discourse
          ? {
              discourse: {
                inviteVia: ({ mention: 'thread', 'private-message': 'direct' } as const)[config.discourse.inviteVia],
                // A mention in a private message reaches only its recipients: invite helpers into it instead.
                privateInviteVia: ({ mention: 'invite', 'private-message': 'direct' } as const)[config.discourse.inviteVia],
                setTags: config.discourse.setTags,
              },
            }
          : {},
        mirror: config.discourse ? { platform: 'discourse', mode: config.discourse.mirror } : undefined,
        identity: config.identity,
        tagSuggestions: config.tags.suggest,
      },
      // E-mails only where the forum gives them to the admin key, and only with identity.matchByEmail on.
      emailDirectories: discourse ? [forumEmailDirectory(discourse.client)] : [],
      bots,
      submit: (actions) => executor.submit(actions),
      now: () => new Date(),
    });
    conciergeStarted(concierge);
    // Time-driven steps once a minute: digests, stale requests, ignored invitations, follow-ups;
    // and members erased by an admin (npm run member -- erase) leave the engine's memory too.
    const forgotten = new Set<number>();
    const scheduler = new Pump({
      drain: async () => {
        if (!mayAct()) return false;
        for (const id of await store.memberData.erasedMembers()) {
          if (forgotten.has(id)) continue;
          forgotten.add(id);
          engine.engine.forgetAuthor(id);
        }
        await concierge.tick(new Date());
        return false;
      },
      idleMs: 60_000,
      onError: (error) => logger.error({ err: error }, 'scheduled workflow round failed'),
    });
    scheduler.start();
    closers.push('scheduler', () => scheduler.stop());
    const matrixReachable = config.matrix ? homeserverReachability(config.matrix.homeserverUrl) : undefined;
    if (discourse) {
      closers.push('discourse', () => discourse.stop());
      await discourse.start(consumer);
    }
    return {
      console: concierge.console({ stuckAfterHours: config.concierge.stuckAfterHours }),
      readiness: async () => {
        const reasons: string[] = [];
        if (!modelLoaded) reasons.push('embedding model not loaded');
        // Still loading is fine (texts to embed wait for it); failing to load is not.
        const model = engine.model();
        if (model instanceof Error) reasons.push(`embedding model failed to load: ${model.message}`);
        const matrixProblem = await matrixReachable?.();
        if (matrixProblem) reasons.push(`matrix: ${matrixProblem}`);
        if (discourse?.connectionProblem) reasons.push(`discourse: ${discourse.connectionProblem}`);
        return reasons;
      },
      queued: () => discourse?.queued(),
      idle: async () => {
        await matrix?.idle();
        await discourse?.idle();
        await executor.idle();
        await engine.engine.settled();
      },
      fitted: () => engine.engine.quiet(),
      hashesKept: engine.hashesKept,
      tick: () => concierge.tick(new Date()),
      stop: () => closers.closeAll(),
    };
  } catch (error) {
    // Inbox items waiting for the concierge stop waiting; they stay pending, no attempt counted,
    // for the next start (HandlerUnavailable).
    conciergeFailed(new HandlerUnavailable(`the service did not start: ${error instanceof Error ? error.message : String(error)}`));
    await closers.closeAll();
    throw error;
  }
}

const SHUTDOWN_LIMIT_MS = 9000;

/**
 * Resolves at the first SIGINT or SIGTERM, having logged it, made a second one mean "now", and
 * armed the watchdog: orchestrators kill after a grace period (Docker and Kubernetes: 10 s), so a
 * stop that hangs past 9 s is cut short here, said in the log, rather than killed without a word.
 */
function shutdownSignal(logger: Logger): { received: Promise<NodeJS.Signals>; dispose(): void } {
  let first: ((signal: NodeJS.Signals) => void) | undefined;
  const received = new Promise<NodeJS.Signals>((resolve) => {
    let seen = false;
    first = (signal: NodeJS.Signals): void => {
      if (seen) return process.exit(1); // a second signal: do not wait for a stuck shutdown
      seen = true;
      logger.info({ signal }, 'shutting down');
      const watchdog = setTimeout(() => {
        logger.error({ signal }, 'shutdown took over 9 s; exiting without waiting further');
        process.exit(1);
      }, SHUTDOWN_LIMIT_MS);
      watchdog.unref();
      resolve(signal);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
  return {
    received,
    // Once main returns (its caller exits, or a test goes on): no listener left behind.
    dispose: () => {
      if (!first) return;
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
    },
  };
}

/** Runs until SIGINT or SIGTERM; returns the process exit code. */
export async function main(env: NodeJS.ProcessEnv = process.env, argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  registerBuiltInPlatforms();
  let args: StartArgs;
  try {
    args = parseStartArgs(argv);
  } catch (error) {
    process.stderr.write(`co-agent: ${(error as Error).message}\n${START_USAGE}\n`);
    return 2;
  }
  let config: Config;
  // Unknown CO_AGENT_ variables: logged once the logger exists.
  const warnings: string[] = [];
  try {
    config = loadConfig({ env, warn: (message) => warnings.push(message) });
  } catch (error) {
    // A person must fix the file: say what is wrong, without a stack trace.
    if (error instanceof ConfigError) {
      process.stderr.write(`co-agent: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const logger = createLogger(config.log);
  for (const message of warnings) logger.warn(message);
  // With no platform configured (or --sandbox), run against local stand-ins of both.
  // A service with platforms configured never loads the sandbox's code.
  const sandbox =
    args.sandbox || (!config.matrix && !config.discourse)
      ? await (
          await import('./scripts/sandbox/run.js')
        ).prepareSandbox(config, logger, { fresh: !args.continue, weeks: args.weeks ?? (args.continue ? 0 : 12), weekSeconds: args.weekSeconds })
      : undefined;
  if (sandbox) config = sandbox.config;
  // The sandbox is a local demo: without a dashboard password, make one up and say it once below.
  const demoPassword = sandbox && !config.dashboard.password ? randomBytes(12).toString('base64url') : undefined;
  if (demoPassword) config = { ...config, dashboard: { ...config.dashboard, password: demoPassword } };
  logger.info({ config: redactedConfig(config), sandbox: sandbox !== undefined }, 'starting');
  // Signals are listened for from here: one that arrives while the service starts (indexing the
  // history, joining rooms) stops it as soon as it has started, rather than killing it half-way.
  const signalled = shutdownSignal(logger);
  let app: App;
  try {
    app = await start(config, logger);
    if (sandbox) {
      // A made-up demo password is shown: it is the only way in, and only for this local run.
      sandbox.attach({ port: app.port, dashboardLogin: demoPassword ? `log in with password ${demoPassword}` : 'log in with $DASHBOARD_PASSWORD' });
      logger.info(
        {
          matrix: sandbox.matrixUrl,
          forum: sandbox.forumUrl,
          service: `http://127.0.0.1:${app.port}`,
          dashboard: `http://127.0.0.1:${app.port}/login`,
          dashboardLogin: demoPassword ? `password ${demoPassword}` : 'DASHBOARD_PASSWORD',
        },
        'sandbox running: a synthetic community on local stand-ins of Matrix and Discourse',
      );
    }
  } catch (error) {
    signalled.dispose();
    await sandbox?.close();
    if (error instanceof MigrationError || error instanceof DatabaseConnectionError || error instanceof StartupBlocked) {
      logger.fatal(error.message);
      process.stderr.write(`co-agent: ${error.message}\n`);
    } else {
      logger.fatal({ err: error }, 'start-up failed');
    }
    return 1;
  }

  // The simulation plays while the service runs; a signal may stop it half-way.
  const stopping = new AbortController();
  const simulation = sandbox?.simulate(app, stopping.signal).catch((error: unknown) => {
    if (!stopping.signal.aborted) logger.error({ err: error }, 'the sandbox simulation failed');
  });
  await signalled.received;
  stopping.abort();
  // The service first: a simulation step may be waiting for it to go idle (reading the history
  // can take a minute), which only its stop ends. Then the simulation gets a moment to unwind.
  await app.stop();
  await Promise.race([simulation, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  await sandbox?.close();
  logger.info('stopped');
  signalled.dispose();
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      // Everything is closed; do not wait for a Matrix long-poll to time out.
      process.exit(code);
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
