// Discourse post objects as they arrive (webhooks, /posts.json, topic views), read defensively:
// the fields the bridge needs, checked, or a reason why the object is unusable.
export interface ForumPost {
  id: number;
  topicId: number;
  postNumber: number;
  username: string;
  name?: string | undefined;
  createdAt: Date;
  updatedAt?: string | undefined;
  /** Markdown source, when the payload has it (webhooks, /posts.json). */
  raw?: string | undefined;
  cooked: string;
  replyToPostNumber?: number | undefined;
  topicTitle?: string | undefined;
  topicSlug?: string | undefined;
  categoryId?: number | undefined;
  privateMessage: boolean;
  /** Regular posts only: moderator actions, small actions and whispers are not conversation. */
  regular: boolean;
  deleted: boolean;
  acceptedAnswer: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isSafeInteger(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

export function readPost(value: unknown): { ok: true; post: ForumPost } | { ok: false; reason: string } {
  if (!isRecord(value)) return { ok: false, reason: 'post is not an object' };
  const id = int(value.id);
  const topicId = int(value.topic_id);
  const postNumber = int(value.post_number);
  const username = str(value.username);
  const created = str(value.created_at);
  const createdAt = created ? new Date(created) : undefined;
  if (id === undefined || topicId === undefined || postNumber === undefined) return { ok: false, reason: 'post without id, topic_id or post_number' };
  if (!username) return { ok: false, reason: `post ${id} without username` };
  if (!createdAt || Number.isNaN(createdAt.getTime())) return { ok: false, reason: `post ${id} without a valid created_at` };
  return {
    ok: true,
    post: {
      id,
      topicId,
      postNumber,
      username,
      createdAt,
      name: str(value.name),
      updatedAt: str(value.updated_at),
      raw: str(value.raw),
      cooked: str(value.cooked) ?? '',
      replyToPostNumber: int(value.reply_to_post_number),
      topicTitle: str(value.topic_title),
      topicSlug: str(value.topic_slug),
      categoryId: int(value.category_id),
      privateMessage: value.topic_archetype === 'private_message',
      regular: value.post_type === undefined || int(value.post_type) === 1,
      deleted: value.deleted_at !== undefined && value.deleted_at !== null,
      acceptedAnswer: value.accepted_answer === true,
    },
  };
}

/** Document and event id of a post: topic and post number, so replies resolve without a lookup. */
export const postRef = (topicId: number, postNumber: number): string => `${topicId}/${postNumber}`;

export function postUrl(baseUrl: string, p: Pick<ForumPost, 'topicId' | 'postNumber' | 'topicSlug'>): string {
  return `${baseUrl.replace(/\/$/, '')}/t/${p.topicSlug ?? '-'}/${p.topicId}/${p.postNumber}`;
}
