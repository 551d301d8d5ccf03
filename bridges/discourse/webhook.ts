// The Discourse webhook receiver. Before reading a body it refuses what cannot be a delivery
// (no signature header, no secret configured, no Content-Length, too large, too many bodies in
// flight at once); then it verifies X-Discourse-Event-Signature (HMAC-SHA256 of the raw body,
// constant-time), refuses bodies nested too deeply, cleans every string (lone surrogates), skips
// deliveries it has seen (X-Discourse-Event-Id), leaves the text out of private messages the bot
// is not known to receive, queues the change and answers at once. The work happens later, from
// the durable queue.
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { wellFormedDeep } from '../../core/text/well-formed.js';
import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.js';
import { isPrivateMessage, metadataOnly, recallAccess } from './pm-access.js';
import { changeKey, queuedChange, type ForumChange } from './queue-payload.js';
import { MAX_COOKED_CHARS, MAX_RAW_CHARS } from './translate.js';

/** Largest delivery accepted: a post far beyond a stock forum's 32,000 characters, raw and cooked. */
export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;
/** Bytes of deliveries being received at once, all senders together; more wait (503, Retry-After). */
export const MAX_WEBHOOK_BYTES_IN_FLIGHT = 8 * 1024 * 1024;

export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Lets timers and other requests run between the heavy steps of a large delivery. */
const breathe = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A post's raw and cooked cut to what the bridge ever reads: huge posts are not queued whole. */
function trimmed(post: unknown): unknown {
  if (typeof post !== 'object' || post === null) return post;
  const p = post as Record<string, unknown>;
  const cut = (v: unknown, max: number) => (typeof v === 'string' && v.length > max ? v.slice(0, max) : v);
  if ((typeof p.raw !== 'string' || p.raw.length <= MAX_RAW_CHARS) && (typeof p.cooked !== 'string' || p.cooked.length <= MAX_COOKED_CHARS)) return post;
  return { ...p, raw: cut(p.raw, MAX_RAW_CHARS), cooked: cut(p.cooked, MAX_COOKED_CHARS) };
}

/** The change a delivery announces, or why it has none. */
export function changeFromDelivery(event: string, body: Record<string, unknown>): ForumChange | { ignored: string } {
  const topicId = (body.topic as { id?: unknown } | undefined)?.id;
  const title = (body.topic as { title?: unknown } | undefined)?.title;
  const solved = body.solved as { topic_id?: unknown } | undefined;
  switch (event) {
    case 'post_created':
    case 'post_recovered':
      return { kind: 'post', post: trimmed(body.post), historic: false };
    case 'post_edited':
      return { kind: 'edit', post: trimmed(body.post) };
    case 'topic_edited':
      return typeof topicId === 'number'
        ? { kind: 'topic-edited', topicId, title: typeof title === 'string' ? title : undefined }
        : { ignored: 'topic_edited without a topic id' };
    case 'post_destroyed':
      return { kind: 'destroy', post: body.post };
    case 'topic_destroyed':
      return typeof topicId === 'number' ? { kind: 'topic-destroyed', topicId } : { ignored: 'topic_destroyed without a topic id' };
    case 'post_liked': {
      const like = body.like as { post?: unknown; user?: unknown } | undefined;
      return { kind: 'like', post: like?.post, user: like?.user };
    }
    case 'accepted_solution':
    case 'unaccepted_solution':
      // Which answer is accepted now is asked of the forum: the body is not trusted for it.
      return typeof solved?.topic_id === 'number' ? { kind: 'solved', topicId: solved.topic_id } : { ignored: `${event} without a topic id` };
    default:
      // topic_created carries nothing the first post's post_created does not; pings and other
      // event types are not the concierge's business.
      return { ignored: `event ${event || '(none)'} is not used` };
  }
}

/**
 * A private message's change without its text, unless the bot is known to be one of its
 * recipients: members' messages to each other are never stored, not even in the queue.
 */
async function withPrivacy(store: Store, change: ForumChange): Promise<ForumChange> {
  if (!('post' in change) || !isPrivateMessage(change.post)) return change;
  const topicId = (change.post as { topic_id?: unknown }).topic_id;
  if (typeof topicId === 'number' && (await recallAccess(store, topicId))?.bot) return change;
  return change.kind === 'post' ? { kind: 'pm-post', post: metadataOnly(change.post) } : { ...change, post: metadataOnly(change.post) };
}

export interface WebhookOptions {
  store: Store;
  secret: string | undefined;
  logger: Logger;
  /** Called after a change was queued, to wake the worker. */
  onQueued: () => void;
}

/** Refuses a request before its body is read, and drops the connection so it is not read at all. */
function refuse(res: Response, status: number, error: string, headers: Record<string, string> = {}): void {
  res
    .set({ Connection: 'close', ...headers })
    .status(status)
    .json({ error });
}

export function webhookRouter(options: WebhookOptions): Router {
  const { store, logger } = options;
  const router = express.Router();
  let bytesInFlight = 0;

  const admit = (req: Request, res: Response, next: NextFunction): void => {
    const deliveryId = req.get('X-Discourse-Event-Id') ?? '';
    if (!options.secret) {
      logger.warn({ deliveryId }, 'webhook refused: no DISCOURSE_WEBHOOK_SECRET is configured');
      refuse(res, 401, 'webhooks are not enabled (no secret configured)');
      return;
    }
    if (!/^sha256=[0-9a-f]{64}$/i.test(req.get('X-Discourse-Event-Signature')?.trim() ?? '')) {
      logger.warn({ deliveryId }, 'webhook refused: no signature');
      refuse(res, 401, 'invalid signature');
      return;
    }
    // Discourse always sends Content-Length; without it a sender could stream forever.
    const length = Number(req.get('Content-Length') ?? NaN);
    if (!Number.isSafeInteger(length) || length < 0) {
      refuse(res, 411, 'Content-Length required');
      return;
    }
    if (length > MAX_WEBHOOK_BYTES) {
      logger.warn({ deliveryId, bytes: length }, 'webhook refused: body too large');
      refuse(res, 413, `body larger than ${MAX_WEBHOOK_BYTES} bytes`);
      return;
    }
    if (bytesInFlight + length > MAX_WEBHOOK_BYTES_IN_FLIGHT) {
      logger.warn({ deliveryId, bytesInFlight }, 'webhook deferred: too many bodies being received at once');
      refuse(res, 503, 'busy, try again', { 'Retry-After': '1' });
      return;
    }
    bytesInFlight += length;
    let released = false;
    const release = (): void => {
      if (!released) bytesInFlight -= length;
      released = true;
    };
    res.once('finish', release);
    res.once('close', release);
    next();
  };

  router.post('/', admit, express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }), async (req, res, next) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const deliveryId = req.get('X-Discourse-Event-Id') ?? '';
      const event = req.get('X-Discourse-Event') ?? '';
      const large = body.length > 64 * 1024;
      if (large) await breathe();
      if (!verifySignature(options.secret!, body, req.get('X-Discourse-Event-Signature'))) {
        logger.warn({ deliveryId, event }, 'webhook refused: bad signature');
        res.status(401).json({ error: 'invalid signature' });
        return;
      }
      if (deliveryId && (await store.events.isProcessed('discourse', `delivery:${deliveryId}`))) {
        res.json({ status: 'duplicate' });
        return;
      }
      if (large) await breathe();
      if (nestsDeeperThan(body, MAX_JSON_DEPTH)) {
        logger.warn({ deliveryId, event }, `webhook refused: JSON nested more than ${MAX_JSON_DEPTH} levels deep`);
        res.status(400).json({ error: `body nested more than ${MAX_JSON_DEPTH} levels deep` });
        return;
      }
      if (large) await breathe();
      let parsed: unknown;
      try {
        parsed = wellFormedDeep(JSON.parse(body.toString('utf8')));
      } catch {
        logger.warn({ deliveryId, event }, 'webhook body is not JSON; ignored');
        res.status(400).json({ error: 'body is not JSON' });
        return;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        res.status(400).json({ error: 'body is not a JSON object' });
        return;
      }
      if (large) await breathe();
      const announced = changeFromDelivery(event, parsed as Record<string, unknown>);
      const change = 'kind' in announced ? await withPrivacy(store, announced) : announced;
      const key = 'kind' in change ? changeKey(change, deliveryId || String(Date.now())) : null;
      if (!('kind' in change) || key === null) {
        logger.info({ deliveryId, event, reason: 'ignored' in change ? change.ignored : 'payload lacks the ids it needs' }, 'webhook ignored');
      } else {
        await store.inbox.enqueue('discourse', [queuedChange(change, key)]);
        options.onQueued();
      }
      // Recorded after queueing: a crash in between makes the redelivery queue it (once, by key).
      if (deliveryId) await store.events.markProcessed('discourse', `delivery:${deliveryId}`);
      res.json({ status: key === null ? 'ignored' : 'queued' });
    } catch (error) {
      next(error);
    }
  });
  return router;
}
