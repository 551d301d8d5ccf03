// The one composition root: reads config, builds the store (migrated), the engine and the
// bridges, and serves HTTP. Run with `npm start`; CO_AGENT_CONFIG names the config file.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, redactedConfig, type Config } from './core/config/index.js';
import { createLogger, type Logger } from './core/logging.js';
import { startEngine } from './core/engine/engine-service.js';
import { MigrationError, openStore } from './core/store/index.js';
import { startHealthServer } from './web/health.js';

export interface App {
  /** The HTTP port actually bound (config may say 0). */
  readonly port: number;
  /** Stops everything in reverse order of start. */
  stop(): Promise<void>;
}

/** Builds and starts Co-Agent from a validated config. Throws if any part fails to start. */
export async function start(config: Config, logger: Logger): Promise<App> {
  // Closers run last-started first, so nothing is closed while something still uses it.
  const closers: { name: string; close: () => Promise<void> }[] = [];
  const stop = async (): Promise<void> => {
    for (const { name, close } of closers.splice(0).reverse()) {
      try {
        await close();
      } catch (error) {
        logger.error({ err: error, component: name }, 'error while stopping');
      }
    }
  };

  try {
    const store = await openStore({ path: config.database.path, logger });
    closers.push({ name: 'store', close: () => store.close() });

    const engine = await startEngine(config.engine, store, logger);
    closers.push({ name: 'engine', close: () => engine.close() });
    // The bridges (later issues) come here and get `engine.engine` and `store`.

    const health = await startHealthServer({ host: config.web.host, port: config.web.port, logger });
    closers.push({ name: 'http', close: () => health.close() });

    logger.info({ host: health.host, port: health.port }, 'ready');
    return { port: health.port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Runs until SIGINT or SIGTERM; returns the process exit code. */
export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config: Config;
  try {
    config = loadConfig({ env });
  } catch (error) {
    // A person must fix the file: say what is wrong, without a stack trace.
    if (error instanceof ConfigError) {
      process.stderr.write(`co-agent: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const logger = createLogger(config.log);
  logger.info({ config: redactedConfig(config) }, 'starting');
  let app: App;
  try {
    app = await start(config, logger);
  } catch (error) {
    if (error instanceof MigrationError) logger.fatal(error.message);
    else logger.fatal({ err: error }, 'start-up failed');
    return 1;
  }

  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  logger.info({ signal }, 'shutting down');
  // A second signal means "now": do not wait for a stuck shutdown.
  const force = () => process.exit(1);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  await app.stop();
  logger.info('stopped');
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
