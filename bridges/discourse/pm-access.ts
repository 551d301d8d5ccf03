// Who a private message is for. Discourse delivers every PM by webhook, members' own included,
// and its `participants` are only the posters: the recipients are details.allowed_users. The
// bot reads (and stores) a PM's text only when it is itself an allowed user; otherwise the PM is
// at most contact metadata. What the forum said is remembered per topic for an hour, so a
// conversation costs one look-up, not one per message.
import type { Store } from '../../core/store/index.js';
import type { TopicView } from './api/index.js';

export interface PmAccess {
  /** The bot is among the message's allowed users. */
  bot: boolean;
  /** The other allowed users (lower-case usernames), the bot left out. */
  members: string[];
}

const FRESH_MS = 3_600_000;
const key = (topicId: number): string => `pm-access:${topicId}`;

/** What the forum said about this PM within the last hour, if anything. */
export async function recallAccess(store: Store, topicId: number): Promise<PmAccess | undefined> {
  const saved = await store.cursors.get('discourse', key(topicId));
  if (!saved) return undefined;
  try {
    const value = JSON.parse(saved) as PmAccess & { at?: number };
    return typeof value.at === 'number' && Date.now() - value.at < FRESH_MS && typeof value.bot === 'boolean' && Array.isArray(value.members)
      ? { bot: value.bot, members: value.members.map(String) }
      : undefined;
  } catch {
    return undefined;
  }
}

export async function rememberAccess(store: Store, topicId: number, access: PmAccess): Promise<void> {
  await store.cursors.set('discourse', key(topicId), JSON.stringify({ ...access, at: Date.now() }));
}

/** Access from a topic view: details.allowed_users (groups a PM is sent to do not make the bot a recipient). */
export function accessFromView(view: TopicView, botUsername: string): PmAccess {
  const bot = botUsername.toLowerCase();
  const names = (view.details?.allowed_users ?? []).map((u) => String(u.username).toLowerCase());
  return { bot: names.includes(bot), members: names.filter((n) => n !== bot) };
}

/** The fields of a PM post that say who wrote where and when: no text, no title. */
const METADATA = [
  'id',
  'topic_id',
  'post_number',
  'username',
  'name',
  'created_at',
  'updated_at',
  'reply_to_post_number',
  'post_type',
  'topic_archetype',
  'deleted_at',
  'version',
];

export function metadataOnly(post: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (typeof post !== 'object' || post === null) return out;
  for (const field of METADATA) if (field in post) out[field] = (post as Record<string, unknown>)[field];
  return out;
}

export const isPrivateMessage = (post: unknown): boolean =>
  typeof post === 'object' && post !== null && (post as { topic_archetype?: unknown }).topic_archetype === 'private_message';
