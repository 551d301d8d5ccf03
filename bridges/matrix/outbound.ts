// The Matrix side of the executor: posts in rooms and threads, and direct messages. The outbox
// key becomes the transaction id, so a send repeated after a crash returns the first event
// instead of posting twice (the homeserver de-duplicates by access token and txn id).
import type { MatrixClient } from 'matrix-bot-sdk';
import type { DeliveryError, OutboundAction, PlatformOutbound } from '../../core/concierge/actions.js';
import type { Logger } from '../../core/logging.js';
import type { Store } from '../../core/store/index.js';
import { err, ok, type Result } from '../../core/types.js';
import { DirectRooms } from './direct-rooms.js';
import type { BridgeCrypto } from './encryption.js';
import { describeMatrixError } from './errors.js';
import { encryptionStateFor } from './new-room-encryption.js';
import { renderMessage } from './render.js';

export interface SentMessage {
  roomId: string;
  eventId: string;
}

/** Transaction ids may only use URL-safe characters; keys are hashed-free but escaped. */
export const txnIdFor = (key: string): string => `coagent.${Buffer.from(key).toString('base64url')}`;

export class MatrixOutbound implements PlatformOutbound {
  readonly platform = 'matrix' as const;

  readonly #directs: DirectRooms;

  constructor(
    private readonly client: MatrixClient,
    private readonly logger: Logger,
    store: Store,
    private readonly crypto: () => BridgeCrypto | undefined = () => undefined,
  ) {
    this.#directs = new DirectRooms(client, store, logger, crypto);
  }

  async perform(action: OutboundAction, key: string): Promise<Result<SentMessage, DeliveryError>> {
    try {
      if (action.kind === 'post') {
        const content: Record<string, unknown> = { ...renderMessage(action.body) };
        if (action.threadId) {
          // A thread reply, with the rich-reply fallback older clients show.
          content['m.relates_to'] = {
            rel_type: 'm.thread',
            event_id: action.threadId,
            is_falling_back: !action.replyToId || action.replyToId === action.threadId,
            'm.in_reply_to': { event_id: action.replyToId ?? action.threadId },
          };
        } else if (action.replyToId) {
          content['m.relates_to'] = { 'm.in_reply_to': { event_id: action.replyToId } };
        }
        return ok(await this.#send(action.containerId, content, key));
      }
      if (action.kind === 'invite' || action.kind === 'set-tags') {
        // Matrix rooms have no topic invitations or tags: a mention in the thread does the job.
        return ok({ roomId: action.containerId, eventId: '' });
      }
      if (action.kind === 'create-topic') return err({ message: 'Matrix has no topics to create', retryable: false });
      if (action.kind === 'open-room') {
        // Rooms have no transaction ids: a crash between creating and recording could leave a
        // second room; the introduction's record keeps the first one it hears about.
        const invite = action.with.map((a) => a.externalId);
        const roomId = await this.client.createRoom({
          name: action.name,
          preset: 'trusted_private_chat',
          invite,
          ...(await encryptionStateFor(this.crypto(), invite)),
        });
        return ok(await this.#send(roomId, { ...renderMessage(action.body) }, key));
      }
      const roomId = await this.#directs.roomFor(action.to.externalId);
      return ok(await this.#send(roomId, { ...renderMessage(action.body) }, key));
    } catch (error) {
      const d = describeMatrixError(error);
      this.logger.warn({ key, error: d.message }, 'Matrix send failed');
      return err(d);
    }
  }

  /**
   * In an encrypted room the message goes out as m.room.encrypted under the same transaction
   * id: a resend after a crash is encrypted again, and the homeserver returns the first event.
   */
  async #send(roomId: string, content: Record<string, unknown>, key: string): Promise<SentMessage> {
    let type = 'm.room.message';
    let body = content;
    const crypto = this.crypto();
    if (crypto && (await crypto.isEncrypted(roomId))) {
      type = 'm.room.encrypted';
      body = await crypto.encrypt(roomId, 'm.room.message', content);
    }
    const path = `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${type}/${encodeURIComponent(txnIdFor(key))}`;
    const response = (await this.client.doRequest('PUT', path, null, body)) as { event_id?: unknown } | null;
    if (typeof response?.event_id !== 'string') throw new Error('homeserver answered the send without an event_id');
    return { roomId, eventId: response.event_id };
  }
}
