// What the Discourse bridge keeps in the durable queue: the kind of change and the raw object
// it concerns. The inbox key is derived from the content (post id, edit time, liker...), so the
// same change arriving by webhook and by the catch-up poll is handled once.
import type { NewInboxEvent } from '../../core/store/index.js';

export type ForumChange =
  | { kind: 'post'; post: unknown; historic: boolean }
  | { kind: 'edit'; post: unknown }
  | { kind: 'destroy'; post: unknown }
  | { kind: 'topic-destroyed'; topicId: number }
  | { kind: 'like'; post: unknown; user: unknown }
  | { kind: 'solved'; post: unknown };

const field = (v: unknown, key: string): unknown => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined);

/** The inbox key of a change, or null when the object lacks what identifies it. */
export function changeKey(change: ForumChange): string | null {
  const postId = field('post' in change ? change.post : undefined, 'id');
  switch (change.kind) {
    case 'post':
      return typeof postId === 'number' ? `post:${postId}` : null;
    case 'edit':
      return typeof postId === 'number' ? `edit:${postId}:${String(field(change.post, 'updated_at') ?? field(change.post, 'version') ?? '')}` : null;
    case 'destroy':
      return typeof postId === 'number' ? `destroy:${postId}` : null;
    case 'topic-destroyed':
      return `topic-destroyed:${change.topicId}`;
    case 'like': {
      const user = field(change.user, 'username');
      return typeof postId === 'number' && typeof user === 'string' ? `like:${postId}:${user.toLowerCase()}` : null;
    }
    case 'solved':
      return typeof postId === 'number' ? `solved:${postId}` : null;
  }
}

export function queuedChange(change: ForumChange, key: string): NewInboxEvent {
  return { eventId: key, payload: JSON.stringify(change), priority: change.kind === 'post' && change.historic ? 1 : 0 };
}

export function readQueuedChange(payload: string): ForumChange | null {
  try {
    const value = JSON.parse(payload) as ForumChange;
    return typeof value === 'object' && value !== null && typeof value.kind === 'string' ? value : null;
  } catch {
    return null;
  }
}
