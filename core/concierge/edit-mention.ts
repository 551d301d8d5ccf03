// An edit that names the bot. People forget the mention and add it a moment later; an edit
// long after is a correction of an old message, and the thread has moved on. So an edit of a
// recent message asks for help as that message would have (once: the request is the original
// message's, keyed by its event id, so a replay or a further edit finds the request it opened
// and the outbox sends nothing twice); an edit of an older message is learned, never answered.
// Matrix itself notifies nobody for edits (MSC3958, `.m.rule.suppress_edits`): beyond the
// window, a person named in an edit would not hear of it either.
import type { InboundEdit, InboundMessage } from '../inbound.js';
import type { StoredDocument } from '../store/index.js';

/** An edit this soon after its message counts as asking (docs/matrix.md, Reliability: odd events). */
export const EDIT_ASKS_WITHIN_MINUTES = 15;

export type EditMention = { kind: 'asks'; message: InboundMessage } | { kind: 'too-old'; ageMinutes: number } | { kind: 'none' };

/**
 * What an edit by the message's author means for the button. `request` is the edit's text with
 * the bot's mention taken out.
 */
export function editMention(e: InboundEdit, doc: StoredDocument, request: string): EditMention {
  if (!e.mentionsBot || e.historic || request.trim() === '') return { kind: 'none' };
  const ageMs = e.createdAt.getTime() - doc.createdAt.getTime();
  if (ageMs > EDIT_ASKS_WITHIN_MINUTES * 60_000) return { kind: 'too-old', ageMinutes: Math.round(ageMs / 60_000) };
  return {
    kind: 'asks',
    message: {
      kind: 'message',
      platform: e.platform,
      // The original message asks: its id keys the request, the reply and the invitations.
      eventId: doc.externalId,
      containerId: doc.containerId ?? e.containerId,
      author: e.author,
      createdAt: e.createdAt,
      historic: false,
      // Only messages of the community's rooms are learned, so only they are found here.
      conversation: 'room',
      threadId: doc.threadId,
      inThread: doc.threadId !== doc.externalId,
      replyToId: doc.replyToId ?? undefined,
      text: request,
      html: e.html,
      mentions: e.mentions,
      mentionsBot: true,
      url: doc.url ?? undefined,
      title: e.title ?? doc.title ?? undefined,
    },
  };
}
