// What Matrix clients put in message content, for whoever plays members on the stand-in
// (the sandbox simulation, end-to-end tests): mentions, thread replies, reactions, and reading
// a message's body and thread back.
import type { RoomEvent } from './state.js';

/** Content of a message that mentions the bot the way current clients do (pill + m.mentions). */
export function mentionOfBot(botUserId: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return mentionOf(botUserId, 'Co-Agent', text, extra);
}

/** Content of a message that starts by mentioning a user (pill + m.mentions). */
export function mentionOf(userId: string, displayName: string, text: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    msgtype: 'm.text',
    body: `${displayName}: ${text}`,
    format: 'org.matrix.custom.html',
    formatted_body: `<a href="https://matrix.to/#/${encodeURIComponent(userId)}">${displayName}</a>: ${html}`,
    'm.mentions': { user_ids: [userId] },
    ...extra,
  };
}

/** Content of a reaction (annotation) with `key` to an event. */
export const reaction = (eventId: string, key: string): Record<string, unknown> => ({
  'm.relates_to': { rel_type: 'm.annotation', event_id: eventId, key },
});

export const inThread = (root: string): Record<string, unknown> => ({
  'm.relates_to': { rel_type: 'm.thread', event_id: root, is_falling_back: true, 'm.in_reply_to': { event_id: root } },
});

/** A message event's plain body ('' for other events). */
export const body = (e: RoomEvent): string => String((e.content as { body?: unknown }).body ?? '');

/** The event a message relates to (its thread root, for thread replies). */
export const threadOf = (e: RoomEvent): string | undefined => (e.content as { 'm.relates_to'?: { event_id?: string } })['m.relates_to']?.event_id;
