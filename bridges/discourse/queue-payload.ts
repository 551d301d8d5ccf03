// What the Discourse bridge keeps in the durable queue: the kind of change and the object it
// concerns. The inbox key is derived from the content (post id, edit time, liker...), so the
// same change arriving by webhook and by catch-up is handled once. Private messages are queued
// without their text unless the bot is known to be a recipient (pm-access.ts).
import type { NewInboxEvent } from '../../core/store/index.js';

export type ForumChange =
  /** A post with its text: public, or a PM the bot is a recipient of. History is learned, never answered. */
  | { kind: 'post'; post: unknown; historic: boolean }
  /** A PM post seen without its text: who may read it is found out before anything else. */
  | { kind: 'pm-post'; post: unknown }
  | { kind: 'edit'; post: unknown }
  /**
   * Title, category or tags changed, maybe with the first post: Discourse sends only
   * topic_edited for a combined save. `title` is the delivery's, to skip what changed nothing known.
   */
  | { kind: 'topic-edited'; topicId: number; title?: string | undefined }
  /** `confirmed`: seen gone through the API already (catch-up), no need to ask again. */
  | { kind: 'destroy'; post: unknown; confirmed?: boolean }
  | { kind: 'topic-destroyed'; topicId: number; confirmed?: boolean }
  | { kind: 'like'; post: unknown; user: unknown }
  /**
   * The accepted answer may have changed. The handler asks the forum which post is accepted now
   * (unless `acceptedPostNumber` comes from the API already) and compares with what it knew.
   */
  | { kind: 'solved'; topicId: number; acceptedPostNumber?: number | null };

const field = (v: unknown, key: string): unknown => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>)[key] : undefined);

/**
 * The inbox key of a change, or null when the object lacks what identifies it. `occurrence`
 * tells apart changes that repeat with the same ids (a topic edited twice, a solution accepted
 * again): the webhook's delivery id, or the catch-up round.
 */
export function changeKey(change: ForumChange, occurrence = ''): string | null {
  const postId = field('post' in change ? change.post : undefined, 'id');
  switch (change.kind) {
    case 'post':
    case 'pm-post':
      return typeof postId === 'number' ? `post:${postId}` : null;
    case 'edit':
      return typeof postId === 'number' ? `edit:${postId}:${String(field(change.post, 'updated_at') ?? field(change.post, 'version') ?? '')}` : null;
    case 'topic-edited':
      return `topic-edited:${change.topicId}:${occurrence}`;
    case 'destroy':
      return typeof postId === 'number' ? `destroy:${postId}` : null;
    case 'topic-destroyed':
      return `topic-destroyed:${change.topicId}`;
    case 'like': {
      const user = field(change.user, 'username');
      return typeof postId === 'number' && typeof user === 'string' ? `like:${postId}:${user.toLowerCase()}` : null;
    }
    case 'solved':
      return `solved:${change.topicId}:${occurrence}`;
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
