// What the Matrix bridge keeps in the durable queue for each event: the raw event, its room,
// and whether it is history. Translation happens when the event is handled, so a fix to the
// translator also applies to events already queued.
import type { NewInboxEvent } from '../../core/store/index.js';

export interface QueuedMatrixEvent {
  roomId: string;
  event: Record<string, unknown>;
  historic: boolean;
}

export function queuedEvent(roomId: string, event: Record<string, unknown>, historic: boolean): NewInboxEvent {
  const payload: QueuedMatrixEvent = { roomId, event, historic };
  return { eventId: inboxKey(roomId, String(event.event_id)), payload: JSON.stringify(payload), priority: historic ? 1 : 0 };
}

/**
 * Inbox rows are keyed by room and event id: a homeserver that repeats an event id in another
 * room must not make the second event vanish (or be answered in the first one's room). Room ids
 * contain no spaces.
 */
export const inboxKey = (roomId: string, eventId: string): string => `${roomId} ${eventId}`;

export function readQueuedEvent(payload: string): QueuedMatrixEvent | null {
  try {
    const value = JSON.parse(payload) as Partial<QueuedMatrixEvent>;
    if (typeof value.roomId !== 'string' || !value.event || typeof value.event !== 'object') return null;
    return { roomId: value.roomId, event: value.event, historic: value.historic === true };
  } catch {
    return null;
  }
}
