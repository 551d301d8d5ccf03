// Builds the engine the service runs: the worker pool behind the text embedder (vectors cached in
// the store, so each text is embedded once per model), the community's tags, and its history.
import type { Config } from '../config/index.js';
import type { EmbeddingCache } from '../embedding/cache.js';
import type { Embedder } from '../embedding/embedder.js';
import { TextEmbedder } from '../embedding/text-embedder.js';
import { EmbedderPool } from '../embedding/worker-pool.js';
import type { Logger } from '../logging.js';
import type { Store } from '../store/index.js';
import { describeCalibration, parseCalibration } from './calibration.js';
import { DEFAULT_ENGINE_SETTINGS, Engine, type EngineSettings } from './engine.js';

export interface EngineService {
  engine: Engine;
  close(): Promise<void>;
}

/** Maps the config file's engine section onto the engine's settings. */
export function engineSettings(config: Config['engine']): EngineSettings {
  const d = DEFAULT_ENGINE_SETTINGS;
  return {
    ...d,
    similar: { ...d.similar, maxResults: config.similar.maxResults, ...(config.similar.minScore !== undefined ? { minScore: config.similar.minScore } : {}) },
    tagging: { ...d.tagging, maxTags: config.tagging.maxTags, ...(config.tagging.minConfidence !== undefined ? { minConfidence: config.tagging.minConfidence } : {}) },
    routing: { ...d.routing, maxInvitations: config.routing.maxInvitations },
    helpThreshold: config.helpDetection.threshold ?? d.helpThreshold,
    overrides: { similarMinScore: config.similar.minScore, tagMinConfidence: config.tagging.minConfidence, helpThreshold: config.helpDetection.threshold, learnHelp: config.helpDetection.learn },
    autoCalibrate: config.calibrate,
    vectorPrecision: config.vectorPrecision,
  };
}

/** The store's embedding table as the text embedder's cache. */
export function storeEmbeddingCache(store: Store): EmbeddingCache {
  return {
    get: (modelId, hashes) => store.embeddings.get(modelId, hashes),
    put: async (modelId, entries) => {
      await store.embeddings.put(modelId, entries.map((e) => [e.hash, e.vector] as [string, Float32Array]));
    },
  };
}

const CALIBRATION_KEY = 'engine-calibration';
const TAGS_KEY = 'tag-classifier';

/**
 * Starts from the calibration stored last time and stores every new one. The engine refits in
 * the background once its history grew by a tenth since (when enabled), answering with what it
 * has meanwhile.
 */
async function useLearnedSettings(engine: Engine, store: Store, log: Logger): Promise<void> {
  const stored = await store.learned.get(CALIBRATION_KEY);
  const parsed = stored ? parseCalibration(stored.json) : undefined;
  if (parsed) engine.applyCalibration(parsed);
  engine.onCalibrated = async (c) => {
    await store.learned.put(CALIBRATION_KEY, c, c.documents, new Date(c.fittedAt));
    log.info({ calibration: describeCalibration(c) }, 'engine calibrated on the community history');
  };
  engine.onCalibrationError = (e) => log.error({ err: e }, 'engine calibration failed; keeping the previous settings');
  await useStoredTags(engine, store.learned, log);
}

/**
 * The tag classifier, with the fingerprint of the tagged history it learned from: used at once,
 * and retrained in the background only if that history changed (start-up no longer waits
 * seconds for it). Every newly trained one is stored for the next start.
 */
export async function useStoredTags(engine: Engine, learned: Pick<Store['learned'], 'get' | 'put'>, log: Logger): Promise<void> {
  const tags = await learned.get(TAGS_KEY);
  const usable = tags ? engine.useStoredTags(tags.json) : false;
  if (tags && !usable) log.warn('stored tag classifier unreadable; training a new one in the background');
  engine.onTagsTrained = async (t) => {
    const started = Date.now();
    await learned.put(TAGS_KEY, t, t.examples, new Date());
    log.info({ examples: t.examples, storeMs: Date.now() - started }, 'tag classifier trained and stored');
  };
}

/** Optional timing hooks for the operator's metrics. */
export interface EngineObservers {
  /** Seconds one batch of texts took through the embedding workers. */
  embeddingBatch?(seconds: number): void;
}

/** The pool as the text embedder sees it, timing each batch. */
function timedEmbedder(pool: Embedder, observe: (seconds: number) => void): Embedder {
  return {
    modelId: pool.modelId,
    dims: pool.dims,
    backend: pool.backend,
    async embedBatch(texts) {
      const started = performance.now();
      try {
        return await pool.embedBatch(texts);
      } finally {
        observe((performance.now() - started) / 1000);
      }
    },
    close: () => pool.close(),
  };
}

export async function startEngine(config: Config['engine'], store: Store, logger: Logger, observers: EngineObservers = {}): Promise<EngineService> {
  const started = Date.now();
  // Where start-up time goes, in the "engine ready" line (ms since the start of each phase).
  const phases: Record<string, number> = {};
  let phaseStart = started;
  const phase = (name: string): void => {
    const now = Date.now();
    phases[name] = now - phaseStart;
    phaseStart = now;
  };
  // The model loads in worker threads for seconds: meanwhile this thread reads the history.
  const loading = EmbedderPool.load({
    workers: config.workers,
    backend: config.embedding.backend,
    onEvent: (message) => logger.warn({ component: 'embedding' }, message),
  });
  const reads = (async () => {
    // Proposed and rejected tags wait for (or were refused by) an admin: never used for tagging.
    const tags = await store.tags.list('active');
    const docs = await store.documents.listLive();
    phases.read = Date.now() - started; // overlaps the model load
    return { tags, docs };
  })();
  const [loaded, read] = await Promise.allSettled([loading, reads]);
  if (loaded.status === 'rejected') throw loaded.reason;
  const pool = loaded.value;
  const log = logger.child({ component: 'engine' });
  if (pool.backend === 'cpu') log.warn({ notes: pool.backendNotes }, 'embedding on the plain JavaScript backend: expect it to be very slow');
  else log.info({ backend: pool.backend, notes: pool.backendNotes, model: pool.modelId }, 'embedding model loaded');
  phase('modelAndRead');
  try {
    if (read.status === 'rejected') throw read.reason;
    const { tags, docs } = read.value;
    const embedder = observers.embeddingBatch ? timedEmbedder(pool, observers.embeddingBatch) : pool;
    const engine = await Engine.create(new TextEmbedder(embedder, { cache: storeEmbeddingCache(store) }), engineSettings(config));
    // Before the history: the stored calibration tells whether the history grew enough to refit.
    await useLearnedSettings(engine, store, log);
    await engine.defineTags(tags.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}) })));
    phase('prepare');
    let lastLog = 0;
    await engine.addDocuments(docs, (done, total) => {
      if (Date.now() - lastLog > 5000 || done === total) {
        lastLog = Date.now();
        log.info({ done, total }, 'indexing community history');
      }
    });
    phase('index');
    for (const m of await store.members.list()) if (m.interests && !m.optedOut) await engine.setInterests(m.id, m.interests);
    phase('interests');
    log.info({ documents: docs.length, tags: tags.length, calibrated: engine.calibration !== undefined, tagClassifier: engine.tags.trained !== undefined, ms: Date.now() - started, phases }, 'engine ready');
    return {
      engine,
      close: async () => {
        await engine.stop();
        await pool.close();
      },
    };
  } catch (error) {
    await pool.close();
    throw error;
  }
}
