// Discourse posts to core events. A post's event id (and document id) is "topic/post_number",
// so a reply's target is known from reply_to_post_number alone. Text comes from raw Markdown
// when the payload has it, else from the cooked HTML; quotes of other posts are left out so a
// reply is learned as what its author said. Linear in the post's size (markup-scan.ts), and a
// post longer than any forum sends is cut before anything reads it.
import type { ActorRef, ConversationKind, InboundMessage } from '../../core/inbound.js';
import { cleanText } from '../../core/text/clean.js';
import { cookedMentions, withoutHtmlComments, withoutQuoteAsides, withoutRawQuotes } from './markup-scan.js';
import { postRef, postUrl, type ForumPost } from './posts.js';

export const MAX_TEXT_CHARS = 20_000;
/**
 * Raw beyond this many characters is not read: a stock forum refuses posts over 32,000
 * (max_post_length), and the text kept is cut to MAX_TEXT_CHARS anyway. Cooked HTML carries
 * tags besides the text, so it may be longer. Keeps every later pass within a few milliseconds.
 */
export const MAX_RAW_CHARS = 40_000;
export const MAX_COOKED_CHARS = 120_000;

export interface DiscourseContext {
  baseUrl: string;
  botUsername: string;
  conversation: ConversationKind;
  historic: boolean;
  /** A new topic in one of these categories asks for help without mentioning the bot. */
  helpCategoryIds: ReadonlySet<number>;
  participants?: ActorRef[] | undefined;
}

// Each alternative starts with a fixed character and runs to a fixed one (or the line's end).
const CODE = /```[^`]*(?:`(?!``)[^`]*)*(?:```|$)|`[^`\n]*`/g;
// A name is a run of allowed characters; the last one must not be "." or "-", checked after.
const RAW_MENTION = /(^|[^\w@/])@([A-Za-z0-9_][A-Za-z0-9_.-]{0,59})/g;

const cut = (markup: string, max: number): string => (markup.length > max ? markup.slice(0, max) : markup);

/** Raw as its readers see it: no HTML comments (the bot's markers among them), no quotes of others. */
const visibleRaw = (raw: string): string => withoutRawQuotes(withoutHtmlComments(cut(raw, MAX_RAW_CHARS)));
const visibleCooked = (cooked: string): string => withoutQuoteAsides(cut(cooked, MAX_COOKED_CHARS));

/** Mentions read at most: Discourse refuses posts with more than max_mentions_per_post (10). */
const MAX_MENTIONS_READ = 100;

function mentionedUsernames(post: ForumPost): string[] {
  const names = new Set<string>();
  if (post.raw !== undefined) {
    let read = 0;
    for (const m of visibleRaw(post.raw).replace(CODE, ' ').matchAll(RAW_MENTION)) {
      if (++read > MAX_MENTIONS_READ) break;
      const name = m[2]!.replace(/[.-]+$/, '');
      if (name !== '') names.add(name.toLowerCase());
    }
  } else {
    for (const name of cookedMentions(visibleCooked(post.cooked))) names.add(name);
  }
  return [...names];
}

function textOf(post: ForumPost): string {
  const text = post.raw !== undefined ? cleanText(visibleRaw(post.raw), 'markdown') : cleanText(visibleCooked(post.cooked), 'html');
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
