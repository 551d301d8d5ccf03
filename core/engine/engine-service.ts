// Builds the engine the service runs: the worker pool behind the text embedder (vectors cached in
// the store, so each text is embedded once per model), the community's tags, and its history.
import type { CoreConfig } from '../config/index.js';
import type { EmbeddingCache } from '../embedding/cache.js';
import type { Embedder } from '../embedding/embedder.js';
import { TextEmbedder } from '../embedding/text-embedder.js';
import { locateModelFiles, useModelId, USE_DIMS } from '../embedding/model-files.js';
import { EmbedderPool } from '../embedding/worker-pool.js';
import type { Logger } from '../logging.js';
import type { Store } from '../store/index.js';
import type { FoundContentHash } from '../types.js';
import { describeCalibration, parseCalibration } from './calibration.js';
import { DEFAULT_ENGINE_SETTINGS, Engine, type EngineSettings } from './engine.js';

export interface EngineService {
  engine: Engine;
  /**
   * The embedding model, loading in worker threads while start-up indexes the history from the
   * store's vectors: 'loading' until it is, then 'loaded', or the error that stopped it. Texts
   * to embed meanwhile wait for it (a mention arriving early is answered once it is loaded).
   */
  model(): 'loading' | 'loaded' | Error;
  /** Resolves when the model is loaded; rejects with its load error (tests, benchmarks). */
  modelReady: Promise<void>;
  /** Resolves when the content hashes start-up found are stored (or stopped storing); never rejects. */
  hashesKept: Promise<void>;
  close(): Promise<void>;
}

/** Maps the config file's engine section onto the engine's settings. */
export function engineSettings(config: CoreConfig['engine']): EngineSettings {
  const d = DEFAULT_ENGINE_SETTINGS;
  return {
    ...d,
    similar: { ...d.similar, maxResults: config.similar.maxResults, ...(config.similar.minScore !== undefined ? { minScore: config.similar.minScore } : {}) },
    tagging: {
      ...d.tagging,
      maxTags: config.tagging.maxTags,
      ...(config.tagging.minConfidence !== undefined ? { minConfidence: config.tagging.minConfidence } : {}),
    },
    routing: { ...d.routing, maxInvitations: config.routing.maxInvitations },
    helpThreshold: config.helpDetection.threshold ?? d.helpThreshold,
    overrides: {
      similarMinScore: config.similar.minScore,
      tagMinConfidence: config.tagging.minConfidence,
      helpThreshold: config.helpDetection.threshold,
      learnHelp: config.helpDetection.learn,
    },
    autoCalibrate: config.calibrate,
    vectorPrecision: config.vectorPrecision,
  };
}

/** The store's embedding table as the text embedder's cache. */
export function storeEmbeddingCache(store: Store): EmbeddingCache {
  return {
    get: (modelId, hashes) => store.embeddings.get(modelId, hashes),
    put: async (modelId, entries) => {
      await store.embeddings.put(
        modelId,
        entries.map((e) => [e.hash, e.vector] as [string, Float32Array]),
      );
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
    get backend() {
      return pool.backend;
    },
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

/** Stores the content hashes start-up found (a first start, or documents edited since); never throws. */
async function keepContentHashes(store: Store, found: readonly FoundContentHash[], log: Logger, signal: AbortSignal): Promise<void> {
  try {
    const kept = await store.documents.keepContentHashes(found, signal);
    log.info({ found: found.length, kept }, 'content hashes kept for the next start');
  } catch (error) {
    // Only the next start's speed depends on them: it cleans and hashes those texts again.
    log.warn({ err: error }, 'content hashes could not be kept; the next start hashes those texts again');
  }
}

export async function startEngine(config: CoreConfig['engine'], store: Store, logger: Logger, observers: EngineObservers = {}): Promise<EngineService> {
  const started = Date.now();
  // Where start-up time goes, in the "engine ready" line (ms since the start of each phase).
  const phases: Record<string, number> = {};
  let phaseStart = started;
  const phase = (name: string): void => {
    const now = Date.now();
    phases[name] = now - phaseStart;
    phaseStart = now;
  };
  // The model takes seconds to load in worker threads, and on a small machine loading it slows
  // everything else down (2 cores: indexing took 3x longer beside it). Start-up needs it only for
  // texts the store has no vector for (a cold start); with warm caches it loads once the history
  // is indexed, in the background, while the service already answers: texts to embed meanwhile
  // wait for it. The model is named from its package, so cached vectors are found without it.
  const log = logger.child({ component: 'engine' });
  let pool: EmbedderPool | undefined;
  let closing = false;
  let model: 'loading' | 'loaded' | Error = 'loading';
  let modelLoaded: () => void = () => undefined;
  let modelFailed: (error: unknown) => void = () => undefined;
  const modelReady = new Promise<void>((resolve, reject) => {
    modelLoaded = resolve;
    modelFailed = reject;
  });
  modelReady.catch(() => undefined);
  const expect = { modelId: useModelId(locateModelFiles()), dims: USE_DIMS };
  const loadModel = (): EmbedderPool => {
    if (pool) return pool;
    const loading = EmbedderPool.start({
      workers: config.workers,
      backend: config.embedding.backend,
      onEvent: (message) => logger.warn({ component: 'embedding' }, message),
      expect,
      // One model at a time: the service runs beside the load and keeps a core.
      oneAtATime: true,
    });
    loading.ready.then(
      () => {
        model = 'loaded';
        if (loading.backend === 'cpu') log.warn({ notes: loading.backendNotes }, 'embedding on the plain JavaScript backend: expect it to be very slow');
        else
          log.info(
            { backend: loading.backend, notes: loading.backendNotes, model: loading.modelId, msSinceStart: Date.now() - started },
            'embedding model loaded',
          );
        modelLoaded();
      },
      (error: unknown) => {
        model = error instanceof Error ? error : new Error(String(error));
        if (!closing) log.fatal({ err: error }, 'the embedding model could not be loaded: texts without a stored vector cannot be analysed');
        modelFailed(error);
      },
    );
    return (pool = loading);
  };
  const lazyPool: Embedder = {
    ...expect,
    get backend() {
      return pool?.backend ?? 'not loaded';
    },
    embedBatch: (texts) => loadModel().embedBatch(texts),
    close: async () => pool?.close(),
  };
  try {
    // Proposed and rejected tags wait for (or were refused by) an admin: never used for tagging.
    const tags = await store.tags.list('active');
    const { docs, contentHashes } = await store.documents.listLiveWithHashes();
    phase('read');
    const embedder = observers.embeddingBatch ? timedEmbedder(lazyPool, observers.embeddingBatch) : lazyPool;
    const engine = await Engine.create(new TextEmbedder(embedder, { cache: storeEmbeddingCache(store) }), engineSettings(config));
    // Before the history: the stored calibration tells whether the history grew enough to refit.
    await useLearnedSettings(engine, store, log);
    await engine.defineTags(tags.map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}) })));
    phase('prepare');
    let lastLog = 0;
    const found = await engine.addDocuments(
      docs,
      (done, total) => {
        if (Date.now() - lastLog > 5000 || done === total) {
          lastLog = Date.now();
          log.info({ done, total }, 'indexing community history');
        }
      },
      contentHashes,
    );
    phase('index');
    // Kept after start-up, not before ready: the next start reads these vectors by hash.
    // Stopping ends it after the batch in hand: the rest are found again by the next start.
    const stopKeeping = new AbortController();
    const keeping = found.length === 0 ? Promise.resolve() : keepContentHashes(store, found, log, stopKeeping.signal);
    for (const m of await store.members.list()) if (m.interests && !m.optedOut) await engine.setInterests(m.id, m.interests);
    phase('interests');
    loadModel();
    log.info(
      {
        documents: docs.length,
        tags: tags.length,
        calibrated: engine.calibration !== undefined,
        tagClassifier: engine.tags.trained !== undefined,
        model: typeof model === 'string' ? model : 'failed',
        ms: Date.now() - started,
        phases,
      },
      'engine ready',
    );
    return {
      engine,
      model: () => model,
      modelReady,
      hashesKept: keeping,
      close: async () => {
        closing = true;
        stopKeeping.abort();
        await keeping;
        await engine.stop();
        await pool?.close();
      },
    };
  } catch (error) {
    closing = true;
    await pool?.close();
    throw error;
  }
}
