// Who a Matrix message mentions. Clients express a mention in several ways over the years:
// intentional `m.mentions`, pills (matrix.to links) in the HTML, full user ids typed as text,
// and the older "Name: question" prefix. We take the union so the bot notices all of them.
// Pure string work: bounded scans and bounded regexes, so a hostile 1 MB body stays cheap.
import type { ActorRef } from '../../core/inbound.js';

export interface BotIdentity {
  userId: string;
  displayName?: string | undefined;
}

export interface MentionInput {
  /** Plain body, with any reply fallback already removed (see stripReplyFallbackBody). */
  body: string;
  /** formatted_body (HTML), with `<mx-reply>` already removed. */
  html?: string | undefined;
  /** The raw `m.mentions` value of the content; anything malformed is ignored. */
  mMentions?: unknown;
}

export interface Mentions {
  mentions: ActorRef[];
  mentionsBot: boolean;
}

/** A message naming more accounts than this is spam or a paste; more would only bloat the store. */
export const MAX_MENTIONS = 100;
/** Only this much of the HTML is scanned for pills; longer documents are not written by people. */
export const MAX_SCAN_CHARS = 100_000;
const MAX_ID_CHARS = 255; // the spec's limit for user ids and event ids

// Historical user ids allow any printable ASCII but ':' in the localpart; the server name is a
// hostname, an IPv4 or a bracketed IPv6 address, with an optional port.
const USER_ID = /^@[\x21-\x39\x3B-\x7E]+:[A-Za-z0-9.\-[\]:]+$/;

export function isMatrixUserId(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_ID_CHARS && USER_ID.test(value);
}

/** `@alice:example.org` -> `alice`. */
export function localpart(userId: string): string {
  const colon = userId.indexOf(':');
  return userId.slice(1, colon < 0 ? undefined : colon);
}

/** User ids listed in `m.mentions.user_ids` (the intentional-mentions form). */
export function intentionalMentions(mMentions: unknown): string[] {
  if (typeof mMentions !== 'object' || mMentions === null) return [];
  const ids: unknown = (mMentions as Record<string, unknown>)['user_ids'];
  if (!Array.isArray(ids)) return [];
  // Bounded so a million-entry array costs nothing.
  return ids.slice(0, MAX_MENTIONS * 10).filter(isMatrixUserId);
}

// A pill's target: an href to matrix.to (`#/@alice:example.org?via=...`, often URL-encoded) or a
// `matrix:u/` URI. Bounded: a user id is at most 255 chars, 765 when fully URL-encoded.
const PILL_HREF = /href\s*=\s*["']?\s*(?:https?:\/\/matrix\.to\/#\/([^"'\s<>]{1,768})|matrix:u\/([^"'\s<>]{1,768}))/gi;

/** User ids linked from the HTML (pills). */
export function pillMentions(html: string): string[] {
  const ids: string[] = [];
  for (const match of html.slice(0, MAX_SCAN_CHARS).matchAll(PILL_HREF)) {
    const id = match[1] !== undefined ? decodeTarget(match[1]) : decodeTarget(`@${match[2] ?? ''}`);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

/** The user id in a link target, without `?via=` parameters; undefined for rooms, events, junk. */
function decodeTarget(target: string): string | undefined {
  const path = target.split('?', 1)[0] ?? '';
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return undefined; // a stray '%' is not worth an exception
  }
  return isMatrixUserId(decoded) ? decoded : undefined;
}

// A full user id typed as text. The server part stops at anything a hostname cannot hold;
// trailing dots and dashes are sentence punctuation ("ask @alice:example.org.").
const TEXT_USER_ID = /(?<![\w@])@[a-z0-9._=\-/+]{1,255}:(?:\[[0-9a-f:.]{2,45}\]|[a-z0-9.-]{1,255})(?::\d{1,5})?/gi;

/** Full user ids written in the body, plus the bot's own short forms. */
export function textMentions(body: string, bot: BotIdentity): string[] {
  const ids: string[] = [];
  for (const match of body.matchAll(TEXT_USER_ID)) {
    const id = match[0].replace(/[.-]+$/, '');
    if (isMatrixUserId(id)) ids.push(id);
  }
  if (addressesBot(body, bot)) ids.push(bot.userId);
  return ids;
}

/** "@coagent" anywhere, or "Co-Agent: ..." / "coagent, ..." at the start (older clients). */
export function addressesBot(body: string, bot: BotIdentity): boolean {
  const local = localpart(bot.userId);
  if (local === '') return false;
  if (shortMention(local).test(body)) return true;
  // Only the opening matters; lower-casing a whole 1 MB body would be waste.
  const start = body.trimStart().slice(0, 300).replace(/^@/, '').toLowerCase();
  const names = [bot.displayName?.trim() ?? '', local].filter((name) => name !== '');
  return names.some((name) => {
    const lower = name.toLowerCase();
    return start.startsWith(lower) && [':', ','].includes(start.charAt(lower.length));
  });
}

/** `@local` as a word: not part of a longer name and not the start of a full id on some server. */
function shortMention(local: string): RegExp {
  const escaped = local.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  return new RegExp(`(?<![\\w@])@${escaped}(?![\\w=/+-]|\\.[\\w]|:[\\w[])`, 'i');
}

/** Union of all mention forms, de-duplicated, bot included when any form names it. */
export function extractMentions(input: MentionInput, bot: BotIdentity): Mentions {
  const ids = new Set<string>([
    ...intentionalMentions(input.mMentions),
    ...(input.html === undefined ? [] : pillMentions(input.html)),
    ...textMentions(input.body, bot),
  ]);
  const toBot = ids.has(bot.userId);
  const kept = [...ids].slice(0, MAX_MENTIONS);
  // The cap must not hide the one mention the bot acts on.
  if (toBot && !kept.includes(bot.userId)) kept[kept.length - 1] = bot.userId;
  return { mentions: kept.map(matrixActor), mentionsBot: toBot };
}

export function mentionsBot(mentions: readonly ActorRef[], botUserId: string): boolean {
  return mentions.some((m) => m.platform === 'matrix' && m.externalId === botUserId);
}

function matrixActor(externalId: string): ActorRef {
  return { platform: 'matrix', externalId };
}

// ---- Reply fallbacks -------------------------------------------------------------------------
// Older clients quote the replied-to message in the reply itself. Its text (and the mentions in
// it) belong to the other message, so they are removed before anything reads the body.

/**
 * Removes a leading plain-text reply fallback: `> <@user:server> ...` lines (`> * <@...` for an
 * emote), further `> ` lines, then the blank line after them. A body that merely opens with a
 * quote the author typed is left alone: only the fallback's first line has the `<@sender>` mark.
 */
export function stripReplyFallbackBody(body: string): string {
  if (!/^> (?:\* )?<@/.test(body)) return body;
  let pos = 0;
  while (pos < body.length && (body.startsWith('> ', pos) || isLine(body, pos, '>'))) {
    pos = nextLine(body, pos);
  }
  if (isLine(body, pos, '')) pos = nextLine(body, pos);
  return body.slice(pos);
}

/** The index after the line starting at pos (its newline included). */
function nextLine(text: string, pos: number): number {
  const nl = text.indexOf('\n', pos);
  return nl < 0 ? text.length : nl + 1;
}

/** Whether the line starting at pos is exactly `line` (ignoring a trailing \r). */
function isLine(text: string, pos: number, line: string): boolean {
  if (!text.startsWith(line, pos)) return false;
  const end = pos + line.length;
  return end === text.length || text[end] === '\n' || (text[end] === '\r' && text[end + 1] === '\n');
}

const MX_REPLY_TAG = /<(\/?)mx-reply\s*>/gi;

/** Removes a leading `<mx-reply>...</mx-reply>` block, nested ones included. */
export function stripReplyFallbackHtml(html: string): string {
  const start = html.search(/\S/);
  if (start < 0 || !/^<mx-reply\s*>/i.test(html.slice(start, start + 32))) return html;
  let depth = 0;
  for (const tag of html.matchAll(MX_REPLY_TAG)) {
    depth += tag[1] === '/' ? -1 : 1;
    if (depth === 0) return html.slice((tag.index ?? 0) + tag[0].length);
  }
  return ''; // unclosed: by HTML parsing rules everything after the opening tag is inside it
}
