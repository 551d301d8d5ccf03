// A third platform that lives in memory, to prove core needs no change for one: "memo", a plain
// message board with private messages but no threads, no reactions and no tags. It is what a
// bridge provides (docs/adding-a-platform.md), in miniature: a profile, inbound translation to
// core events handed to the concierge, and the outbound port the executor performs actions with.
import type { BridgeConsumer, DeliveryError, OutboundAction, PlatformOutbound } from '../../core/concierge/actions.js';
import type { ActorRef, InboundMessage } from '../../core/inbound.js';
import { registerPlatform, type PlatformProfile } from '../../core/platforms.js';
import { ok, type Result } from '../../core/types.js';

export const MEMO = 'memo';

/** Accounts are names in lower case; the configuration writes them "memo:<name>" (concierge.admins). */
const account = (name: string): string => name.replace(/^memo:/i, '').toLowerCase();

export const memoProfile: PlatformProfile = {
  id: MEMO,
  name: 'Memo',
  place: 'the memo board',
  capabilities: { threads: false, directMessages: true, reactions: 'none', tags: false, minDirectMessageChars: 0 },
  claims: (a) => /^memo:\S+$/i.test(a),
  normalize: account,
  handle: (externalId) => externalId,
  link: { argument: '<name>', help: 'link your Memo account', parse: (word) => (word.replace(/^memo:/i, '') ? account(word) : null) },
};

export const registerMemoPlatform = (): void => registerPlatform(memoProfile);

/** A post as the board has it: who wrote what, on the board or to the bot privately. */
export interface MemoPost {
  from: string;
  text: string;
  direct?: boolean;
}

/** The board's bot account. */
export const MEMO_BOT: ActorRef = { platform: MEMO, externalId: 'coagent', displayName: 'Co-Agent' };

/** The bridge: posts in, actions out, everything kept in arrays. */
export class MemoryBridge implements PlatformOutbound {
  readonly platform = MEMO;
  /** What the executor had the bridge do, in order. */
  readonly delivered: { key: string; action: OutboundAction }[] = [];
  #posts = 0;

  constructor(private readonly consumer: BridgeConsumer) {}

  /** The board's post as a core event: the only place that knows the board's shape. */
  translate(post: MemoPost, at: Date): InboundMessage {
    const eventId = `memo-${++this.#posts}`;
    const author: ActorRef = { platform: MEMO, externalId: account(post.from), displayName: post.from };
    const mentionsBot = /(^|\s)(@coagent|co-agent)\b/i.test(post.text);
    return {
      kind: 'message',
      platform: MEMO,
      eventId,
      containerId: post.direct ? `dm:${author.externalId}` : 'board',
      author,
      createdAt: at,
      historic: false,
      conversation: post.direct ? 'direct' : 'room',
      // No threads: every post is its own conversation's start.
      threadId: eventId,
      inThread: false,
      // The concierge takes the bot's name out of a request itself.
      text: post.text,
      mentions: mentionsBot ? [MEMO_BOT] : [],
      mentionsBot,
    };
  }

  /** A member posts: the event goes to the concierge, as a real bridge's inbox handler does. */
  async post(post: MemoPost, at: Date): Promise<InboundMessage> {
    const event = this.translate(post, at);
    await this.consumer.receive(event);
    return event;
  }

  async perform(action: OutboundAction, key: string): Promise<Result<unknown, DeliveryError>> {
    this.delivered.push({ key, action });
    return ok({ messageId: `memo-out-${this.delivered.length}` });
  }
}
