// The setup most Matrix end-to-end files share: a fresh stand-in homeserver with the small
// community, the service started against it, and a store connection to look at what it
// recorded, once the history has been learned.
import { createLogger } from '../../core/logging.js';
import { openStore, type Store } from '../../core/store/index.js';
import { startFakeHomeserver, type FakeHomeserver } from '../../scripts/stand-ins/matrix-homeserver/index.js';
import { buildCommunity, type Community } from '../../scripts/support/matrix-community.js';
import { createHarness, type Harness } from './service-harness.js';
import { eventually } from '../../scripts/support/service-io.js';
import { seedTags } from '../../scripts/support/service-config.js';

export interface MatrixWorld {
  hs: FakeHomeserver;
  c: Community;
  h: Harness;
  store: Store;
  close(): Promise<void>;
}

export interface MatrixWorldOptions {
  syncTimeoutCapMs?: number;
  /** How the bot authenticates (default: the bot's access token). */
  auth?: (c: Community) => string | Record<string, string>;
  /** YAML appended to the service's config. */
  extraConfig?: string;
  /** false: no tags in the store beforehand (the config's vocabulary, if any, is all there is). */
  seedTags?: boolean;
  /** false: the bot rides out the homeserver's default message rate limit. */
  exemptBot?: boolean;
  /** Runs before the service starts (e.g. to put files next to its database). */
  beforeStart?: (h: Harness) => void;
}

export async function startMatrixWorld(options: MatrixWorldOptions = {}): Promise<MatrixWorld> {
  const hs = await startFakeHomeserver({ syncTimeoutCapMs: options.syncTimeoutCapMs ?? 300 });
  const c = buildCommunity(hs, { exemptBot: options.exemptBot ?? true });
  const h = createHarness(hs.url, options.auth ? options.auth(c) : c.bot.accessToken, options.extraConfig);
  let store: Store | undefined;
  const close = async () => {
    await store?.close();
    await h.stop();
    await hs.close();
    h.cleanup();
  };
  try {
    if (options.seedTags ?? true) await seedTags(h.dbPath);
    options.beforeStart?.(h);
    await h.start();
    store = await openStore({ path: h.dbPath, logger: createLogger({ level: 'silent' }) });
    const opened = store;
    // History is read on joining: wait until the answers of the past threads are known.
    await eventually('history to be learned', async () => ((await opened.documents.listLive()).length >= 11 ? true : undefined), 120_000);
    return { hs, c, h, store: opened, close };
  } catch (error) {
    await close();
    throw error;
  }
}
