// What the concierge decides to do on a platform. The workflow returns these; the executor
// performs them through a bridge's PlatformOutbound port, records the outcome and retries.
import type { ActorRef, InboundEvent } from '../inbound.js';
import type { Platform, Result } from '../types.js';
import type { RichText } from './rich-text.js';

/** Say something in a room or topic, in a thread when threadId is given. */
export interface PostAction {
  kind: 'post';
  platform: Platform;
  containerId: string;
  threadId?: string | undefined;
  /** Message this one answers (shown as a reply where the platform can). */
  replyToId?: string | undefined;
  body: RichText;
}

/** Say something to one member privately (a Matrix DM, a forum private message). */
export interface DirectAction {
  kind: 'direct';
  platform: Platform;
  to: ActorRef;
  body: RichText;
  /** The subject where a private message has one (a forum private message). */
  title?: string | undefined;
  /** A link offer (AccountPair id): its sent message is remembered, so a reaction to it answers it. */
  linkOfferId?: number | undefined;
}

/** Invite a member into the conversation the platform's way (a Discourse topic invitation). */
export interface InviteAction {
  kind: 'invite';
  platform: Platform;
  containerId: string;
  to: ActorRef;
}

/** Add tags to a topic (where the platform has them and the bot may set them). */
export interface SetTagsAction {
  kind: 'set-tags';
  platform: Platform;
  containerId: string;
  tags: string[];
}

/**
 * Open a new topic (a Matrix request mirrored to the forum, so its answers become searchable
 * knowledge). When `problemId` is set, the new thread is linked to that problem once created.
 */
export interface CreateTopicAction {
  kind: 'create-topic';
  platform: Platform;
  title: string;
  body: RichText;
  problemId?: number | undefined;
}

/** Open a private room (a Matrix room, a forum message) for members the bot introduces. */
export interface OpenRoomAction {
  kind: 'open-room';
  platform: Platform;
  with: ActorRef[];
  name: string;
  body: RichText;
  introductionId: number;
}

export type OutboundAction = PostAction | DirectAction | InviteAction | SetTagsAction | CreateTopicAction | OpenRoomAction;

/** An action with its idempotency key: derived from the deciding event, stable across replays. */
export interface KeyedAction {
  key: string;
  action: OutboundAction;
  /** Not to be performed before this time (a request queued by the flood guard). */
  notBefore?: Date;
}

export interface DeliveryError {
  message: string;
  /** False for errors a retry cannot fix (forbidden, unknown room). */
  retryable: boolean;
  /** The platform asked us to wait this long (rate limits). */
  retryAfterMs?: number | undefined;
  /** Why the platform refused, in its own words, fit to show the member affected. */
  reason?: string | undefined;
}

/** A bridge's sending side. `key` must be used as the platform's transaction id. */
export interface PlatformOutbound {
  readonly platform: Platform;
  perform(action: OutboundAction, key: string): Promise<Result<unknown, DeliveryError>>;
}

/** What an action says, if it says anything (invitations and tags do not). */
export const bodyOf = (action: OutboundAction): RichText => ('body' in action ? action.body : []);

/** What a bridge hands its events to and asks to perform its own notices: the concierge's side. */
export interface BridgeConsumer {
  receive(event: InboundEvent): Promise<void>;
  submit(actions: readonly KeyedAction[]): Promise<void>;
}
