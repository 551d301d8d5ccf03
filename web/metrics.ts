// Operational metrics in Prometheus text format (prom-client), served at /metrics behind a bearer
// token (METRICS_TOKEN): without the variable the route answers 503, with a wrong token 401.
// Counts that live in the database (inbox, outbox) are read at scrape time, so they survive
// restarts; what happens in memory (sends, retries, engine timings) is counted as it happens by
// wrapping the ports the composition root hands out.
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Router } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BridgeConsumer, PlatformOutbound } from '../core/concierge/actions.js';
import type { Store } from '../core/store/index.js';
import type { Platform } from '../core/types.js';

export interface OpsMetrics {
  readonly registry: Registry;
  /** GET (mount at /metrics). */
  readonly router: Router;
  /** Counts sends, retries and rate-limit waits of a platform's port, and times replies to mentions. */
  port(port: PlatformOutbound): PlatformOutbound;
  /** Notes when a mention of the bot arrives, for the mention-to-reply time. */
  consumer(consumer: BridgeConsumer): BridgeConsumer;
  /** Times every asynchronous method of the engine (analyze, similar, ...). */
  engine<T extends object>(engine: T): T;
  /** Time of one batch through the embedding workers. */
  observeEmbedding(seconds: number): void;
  /** Requests counters from a platform's client (e.g. the forum API's sent and 429 counts). */
  platformRequests(platform: Platform, read: () => Readonly<{ sent: number; rateLimited: number }>): void;
}

export interface OpsMetricsOptions {
  store: Store;
  /** The bearer token (METRICS_TOKEN); undefined: /metrics answers 503. */
  token: string | undefined;
  /** Platforms configured: only these get inbox and outbox series. */
  platforms: readonly Platform[];
}

/** package.json sits one level above web/ in the checkout and two above dist/web/ once built. */
const PACKAGE_VERSION = ((): string => {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      return (JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { version: string }).version;
    } catch {
      // Not there: try the next place.
    }
  }
  return 'unknown';
})();

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** Compares digests in constant time, so the response time does not leak the token. */
function tokenMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  return match !== null && timingSafeEqual(digest(match[1]!), digest(token));
}

/** Mentions remembered for the mention-to-reply time; older ones are dropped first. */
const MAX_PENDING_MENTIONS = 10_000;

export function createOpsMetrics(options: OpsMetricsOptions): OpsMetrics {
  const { store, platforms } = options;
  const registry = new Registry();
  // Includes nodejs_eventloop_lag_seconds (and its percentiles), heap, CPU and file descriptors.
  collectDefaultMetrics({ register: registry, prefix: 'co_agent_', eventLoopMonitoringPrecision: 20 });

  new Gauge({
    name: 'co_agent_build_info',
    help: 'Version of Co-Agent and of Node.js running it (always 1).',
    labelNames: ['version', 'node'],
    registers: [registry],
  }).set({ version: PACKAGE_VERSION, node: process.version }, 1);

  // Inbox and outbox: read from the database at scrape time.
  new Counter({
    name: 'co_agent_events_received_total',
    help: 'Platform events stored in the inbox.',
    labelNames: ['platform'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const platform of platforms) {
        const c = await store.inbox.counts(platform);
        this.inc({ platform }, c.pending + c.done + c.failed);
      }
    },
  });
  new Counter({
    name: 'co_agent_events_processed_total',
    help: 'Inbox events handled, by outcome (done, failed).',
    labelNames: ['platform', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const platform of platforms) {
        const c = await store.inbox.counts(platform);
        this.inc({ platform, status: 'done' }, c.done);
        this.inc({ platform, status: 'failed' }, c.failed);
      }
    },
  });
  new Gauge({
    name: 'co_agent_inbox_lag_seconds',
    help: 'Age of the oldest event waiting in the inbox (0 when none waits).',
    labelNames: ['platform'],
    registers: [registry],
    collect() {
      const lag = store.operations.inboxLag(new Date());
      for (const platform of platforms) this.set({ platform }, lag.get(platform) ?? 0);
    },
  });
  new Gauge({
    name: 'co_agent_outbox_actions',
    help: 'Decided actions by status: pending (waiting or being retried), failed (given up).',
    labelNames: ['platform', 'status'],
    registers: [registry],
    async collect() {
      for (const platform of platforms) {
        const c = await store.outbox.counts(platform);
        this.set({ platform, status: 'pending' }, c.pending);
        this.set({ platform, status: 'failed' }, c.failed);
      }
    },
  });

  const sends = new Counter({
    name: 'co_agent_sends_total',
    help: 'Actions performed on a platform, by outcome (ok, retry, failed).',
    labelNames: ['platform', 'outcome'],
    registers: [registry],
  });
  const rateLimitWaits = new Counter({
    name: 'co_agent_rate_limit_waits_total',
    help: 'Sends the platform asked to wait for (HTTP 429 / M_LIMIT_EXCEEDED).',
    labelNames: ['platform'],
    registers: [registry],
  });
  const answered = new Counter({
    name: 'co_agent_requests_answered_total',
    help: 'Mentions of the bot answered with a reply.',
    labelNames: ['platform'],
    registers: [registry],
  });
  const mentionToReply = new Histogram({
    name: 'co_agent_mention_to_reply_seconds',
    help: 'From receiving a mention of the bot to its reply being sent.',
    labelNames: ['platform'],
    buckets: [0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const engineSeconds = new Histogram({
    name: 'co_agent_engine_seconds',
    help: 'Engine calls (analyze, similar topics, routing, ...).',
    labelNames: ['method'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 15],
    registers: [registry],
  });
  const embeddingSeconds = new Histogram({
    name: 'co_agent_embedding_batch_seconds',
    help: 'One batch of texts through the embedding workers.',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5],
    registers: [registry],
  });
  const apiRequests = new Map<Platform, () => Readonly<{ sent: number; rateLimited: number }>>();
  new Counter({
    name: 'co_agent_platform_api_requests_total',
    help: "Requests sent to a platform's API (all of them, reads included).",
    labelNames: ['platform'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [platform, read] of apiRequests) this.inc({ platform }, read().sent);
    },
  });
  new Counter({
    name: 'co_agent_platform_api_rate_limited_total',
    help: "Requests a platform's API answered 429 (the client then waits).",
    labelNames: ['platform'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [platform, read] of apiRequests) this.inc({ platform }, read().rateLimited);
    },
  });

  // Keyed by platform and event id: a reply names the event it answers (replyToId) or its thread.
  const mentions = new Map<string, number>();
  const keyOf = (platform: Platform, eventId: string) => `${platform}\u0000${eventId}`;

  const router = Router();
  router.get('/', async (req, res) => {
    if (options.token === undefined) {
      res.status(503).json({ error: 'metrics are off: set METRICS_TOKEN to a secret and scrape with Authorization: Bearer <token>' });
      return;
    }
    if (!tokenMatches(req.get('authorization'), options.token)) {
      res.status(401).set('WWW-Authenticate', 'Bearer').json({ error: 'wrong or missing bearer token' });
      return;
    }
    res.type(registry.contentType).send(await registry.metrics());
  });

  return {
    registry,
    router,
    port(port) {
      return {
        platform: port.platform,
        async perform(action, key) {
          const result = await port.perform(action, key);
          if (result.ok) {
            sends.inc({ platform: port.platform, outcome: 'ok' });
            const refs = action.kind === 'post' ? [action.replyToId, action.threadId] : [];
            for (const ref of refs) {
              const since = ref === undefined ? undefined : mentions.get(keyOf(port.platform, ref));
              if (since === undefined || ref === undefined) continue;
              mentions.delete(keyOf(port.platform, ref));
              answered.inc({ platform: port.platform });
              mentionToReply.observe({ platform: port.platform }, (performance.now() - since) / 1000);
              break;
            }
          } else {
            sends.inc({ platform: port.platform, outcome: result.error.retryable ? 'retry' : 'failed' });
            if (result.error.retryAfterMs !== undefined) rateLimitWaits.inc({ platform: port.platform });
          }
          return result;
        },
      };
    },
    consumer(consumer) {
      return {
        submit: (actions) => consumer.submit(actions),
        receive(event) {
          if (event.kind === 'message' && event.mentionsBot && !event.historic) {
            if (mentions.size >= MAX_PENDING_MENTIONS) mentions.delete(mentions.keys().next().value!);
            // performance.now(): real elapsed time, even when the sandbox's simulated clock jumps.
            mentions.set(keyOf(event.platform, event.eventId), performance.now());
          }
          return consumer.receive(event);
        },
      };
    },
    engine(engine) {
      return new Proxy(engine, {
        get(target, prop) {
          // The engine itself as receiver: its getters and methods use private fields the proxy lacks.
          const value = Reflect.get(target, prop, target) as unknown;
          if (typeof value !== 'function' || typeof prop !== 'string') return value;
          return (...args: unknown[]) => {
            const started = performance.now();
            const result = (value as (...a: unknown[]) => unknown).apply(target, args);
            if (result instanceof Promise) {
              return result.finally(() => engineSeconds.observe({ method: prop }, (performance.now() - started) / 1000));
            }
            return result;
          };
        },
      });
    },
    observeEmbedding(seconds) {
      embeddingSeconds.observe(seconds);
    },
    platformRequests(platform, read) {
      apiRequests.set(platform, read);
    },
  };
}
