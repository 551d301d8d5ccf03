// The Discourse webhook receiver: verifies X-Discourse-Event-Signature (HMAC-SHA256 of the raw
// body, constant-time compare) and answers 401 without processing when it fails; skips
// deliveries it has seen (X-Discourse-Event-Id); turns the rest into queued changes and answers
// at once. The slow work happens later, from the durable queue.
import { createHmac, timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { changeKey, queuedChange, type ForumChange } from './queue-payload.js';

export const MAX_WEBHOOK_BYTES = 2 * 1024 * 1024;

export function verifySignature(secret: string, body: Buffer, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '');
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The change a delivery announces, or why it has none. */
export function changeFromDelivery(event: string, body: Record<string, unknown>): ForumChange | { ignored: string } {
  const topicId = (body.topic as { id?: unknown } | undefined)?.id;
  switch (event) {
    case 'post_created':
    case 'post_recovered':
      return { kind: 'post', post: body.post, historic: false };
    case 'post_edited':
      return { kind: 'edit', post: body.post };
    case 'post_destroyed':
      return { kind: 'destroy', post: body.post };
    case 'topic_destroyed':
      return typeof topicId === 'number' ? { kind: 'topic-destroyed', topicId } : { ignored: 'topic_destroyed without a topic id' };
    case 'post_liked': {
      const like = body.like as { post?: unknown; user?: unknown } | undefined;
      return { kind: 'like', post: like?.post, user: like?.user };
    }
    case 'accepted_solution':
      return { kind: 'solved', post: body.solved };
    default:
      // topic_created carries nothing the first post's post_created does not; pings and other
      // event types are not the concierge's business.
      return { ignored: `event ${event || '(none)'} is not used` };
  }
}

export interface WebhookOptions {
  store: Store;
  secret: string | undefined;
  logger: Logger;
  /** Called after a change was queued, to wake the worker. */
  onQueued: () => void;
}

export function webhookRouter(options: WebhookOptions): Router {
  const { store, logger } = options;
  const router = express.Router();
  router.post('/', express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }), async (req, res, next) => {
    try {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const deliveryId = req.get('X-Discourse-Event-Id') ?? '';
      const event = req.get('X-Discourse-Event') ?? '';
      if (!options.secret) {
        logger.warn({ deliveryId }, 'webhook refused: no DISCOURSE_WEBHOOK_SECRET is configured');
        res.status(401).json({ error: 'webhooks are not enabled (no secret configured)' });
        return;
      }
      if (!verifySignature(options.secret, body, req.get('X-Discourse-Event-Signature'))) {
        logger.warn({ deliveryId, event }, 'webhook refused: bad or missing signature');
        res.status(401).json({ error: 'invalid signature' });
        return;
      }
      if (deliveryId && (await store.events.isProcessed('discourse', `delivery:${deliveryId}`))) {
        res.json({ status: 'duplicate' });
        return;
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString('utf8'));
      } catch {
        logger.warn({ deliveryId, event }, 'webhook body is not JSON; ignored');
        res.status(400).json({ error: 'body is not JSON' });
        return;
      }
      if (typeof parsed !== 'object' || parsed === null) {
        res.status(400).json({ error: 'body is not a JSON object' });
        return;
      }
      const change = changeFromDelivery(event, parsed as Record<string, unknown>);
      const key = 'kind' in change ? changeKey(change) : null;
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
