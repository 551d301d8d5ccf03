// Discourse posts to core events. A post's event id (and document id) is "topic/post_number",
// so a reply's target is known from reply_to_post_number alone. Text comes from raw Markdown
// when the payload has it, else from the cooked HTML; quotes of other posts are left out so a
// reply is learned as what its author said.
import type { ActorRef, ConversationKind, InboundMessage } from '../../core/inbound.js';
import { cleanText } from '../../core/text/clean.js';
import { postRef, postUrl, type ForumPost } from './posts.js';

export const MAX_TEXT_CHARS = 20_000;

export interface DiscourseContext {
  baseUrl: string;
  botUsername: string;
  conversation: ConversationKind;
  historic: boolean;
  /** A new topic in one of these categories asks for help without mentioning the bot. */
  helpCategoryIds: ReadonlySet<number>;
  participants?: ActorRef[] | undefined;
}

const MARKER = /<!--\s*co-agent:[^>]*-->/g;
const RAW_QUOTE = /\[quote[^\]]*\][\s\S]*?\[\/quote\]/gi;
const CODE = /```[\s\S]*?```|`[^`\n]*`/g;
const RAW_MENTION = /(^|[^\w@/])@([A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]|[A-Za-z0-9_])/g;
const COOKED_MENTION = /<a[^>]*class="mention"[^>]*href="\/u\/([^"/]+)"/gi;

function mentionedUsernames(post: ForumPost): string[] {
  const names = new Set<string>();
  if (post.raw !== undefined) {
    const visible = post.raw.replace(MARKER, '').replace(RAW_QUOTE, ' ').replace(CODE, ' ');
    for (const m of visible.matchAll(RAW_MENTION)) names.add(m[2]!.toLowerCase());
  } else {
    for (const m of post.cooked.matchAll(COOKED_MENTION)) names.add(decodeURIComponent(m[1]!).toLowerCase());
  }
  return [...names];
}

function textOf(post: ForumPost): string {
  const text = post.raw !== undefined
    ? cleanText(post.raw.replace(MARKER, '').replace(RAW_QUOTE, ' '), 'markdown')
    : cleanText(post.cooked.replace(/<aside class="quote(?:\s[^"]*)?"[\s\S]*?<\/aside>/gi, ' '), 'html');
  return text.length > MAX_TEXT_CHARS ? `${text.slice(0, MAX_TEXT_CHARS - 15)} …[truncated]` : text;
}

export function translatePost(post: ForumPost, ctx: DiscourseContext): InboundMessage | { ignored: string } {
  if (!post.regular) return { ignored: 'not a regular post (moderator action, small action or whisper)' };
  if (post.deleted) return { ignored: 'deleted post' };
  if (post.username.toLowerCase() === ctx.botUsername.toLowerCase()) return { ignored: 'own post' };
  const text = textOf(post);
  if (text.trim() === '') return { ignored: 'empty post' };
  const bot = ctx.botUsername.toLowerCase();
  const mentioned = mentionedUsernames(post);
  const ref = postRef(post.topicId, post.postNumber);
  const first = post.postNumber === 1;
  return {
    kind: 'message',
    platform: 'discourse',
    eventId: ref,
    containerId: String(post.topicId),
    author: { platform: 'discourse', externalId: post.username.toLowerCase(), displayName: post.name || post.username },
    createdAt: post.createdAt,
    historic: ctx.historic,
    conversation: ctx.conversation,
    threadId: String(post.topicId),
    inThread: !first,
    replyToId: post.replyToPostNumber ? postRef(post.topicId, post.replyToPostNumber) : undefined,
    text,
    html: post.cooked || undefined,
    mentions: mentioned.map((u) => ({ platform: 'discourse' as const, externalId: u })),
    mentionsBot: mentioned.includes(bot),
    url: postUrl(ctx.baseUrl, post),
    title: first ? post.topicTitle : undefined,
    participants: ctx.participants,
    asksForHelp: first && !post.privateMessage && post.categoryId !== undefined && ctx.helpCategoryIds.has(post.categoryId),
  };
}
