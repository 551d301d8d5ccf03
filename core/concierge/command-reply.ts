// What a command runs with and how it answers in place. Shared by the command handlers and the
// modules they delegate to (private answers, data rights); kept in command-handlers.ts it made
// an import cycle with private-answers.ts.
import type { InboundMessage } from '../inbound.js';
import type { Member, Problem } from '../store/index.js';
import type { KeyedAction } from './actions.js';
import type { RichText } from './rich-text.js';

export interface CommandContext {
  event: InboundMessage;
  author: Member;
  threadId: string;
  /** The problem discussed in this thread, if any. */
  problem: Problem | null;
}

export function replyTo(c: Pick<CommandContext, 'event' | 'threadId'>, body: RichText, suffix = 'reply'): KeyedAction {
  const e = c.event;
  return {
    key: `${e.platform}:${e.eventId}:${suffix}`,
    action: {
      kind: 'post',
      platform: e.platform,
      containerId: e.containerId,
      // In a direct conversation a plain reply reads better than a thread.
      ...(e.conversation === 'direct' ? {} : { threadId: c.threadId }),
      replyToId: e.eventId,
      body,
    },
  };
}
