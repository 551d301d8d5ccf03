// Raw Matrix client-server events (as /sync and /messages return them) -> core InboundEvents.
// Pure and total: the input is untrusted JSON from any homeserver or client, so every field is
// checked, nothing throws, and each outcome says why (event, ignored, or invalid).
import type { ConversationKind, InboundEvent, InboundMessage } from '../../core/inbound.js';
import { extractMentions, isMatrixUserId, stripReplyFallbackBody, stripReplyFallbackHtml, type BotIdentity, type Mentions } from './mentions.js';

export interface TranslateContext {
  /** Never answer yourself: the bot's own events are ignored. */
  botUserId: string;
  /** For plain-text mentions like "Co-Agent: can you help". */
  botDisplayName?: string;
  roomId: string;
  conversation: ConversationKind;
  historic: boolean;
  /** The room is the community's Space: joining or leaving it is joining or leaving the community. */
  space?: boolean;
}

export type Translation = { kind: 'event'; event: InboundEvent } | { kind: 'ignored'; reason: string } | { kind: 'invalid'; reason: string };

/** Longer bodies are cut so a 1 MB message cannot bloat the store. */
export const MAX_TEXT_CHARS = 20_000;
/** HTML longer than this is dropped rather than cut: a cut document is broken markup. */
export const MAX_HTML_CHARS = 2 * MAX_TEXT_CHARS;
const TRUNCATED = ' …[truncated]';
const MAX_ID_CHARS = 255;
const MAX_REACTION_KEY_CHARS = 256;
const HTML_FORMAT = 'org.matrix.custom.html';

const MEDIA_MSGTYPES = new Set(['m.image', 'm.file', 'm.audio', 'm.video', 'm.location', 'm.sticker']);
// Carry a body only as a hint for clients that cannot render them; not a message from a person.
const NON_CHAT_MSGTYPES = new Set(['m.key.verification.request']);
// The spec says m.notice "must never be automatically responded to": it is how bots keep from
// answering each other, so a notice is neither answered nor learned from.
const NOTICE = 'm.notice';
// Ephemeral and account-data events ride in /sync too; they lack event ids, so sort them out first.
const NON_ROOM_TYPES = new Set([
  'm.typing',
  'm.receipt',
  'm.presence',
  'm.fully_read',
  'm.tag',
  'm.direct',
  'm.push_rules',
  'm.ignored_user_list',
  'm.marked_unread',
]);

type Json = Record<string, unknown>;

/** Common envelope of a room event, checked once. */
interface Envelope {
  eventId: string;
  sender: string;
  type: string;
  content: Json;
  createdAt: Date;
  raw: Json;
}

export function translateMatrixEvent(raw: unknown, ctx: TranslateContext): Translation {
  try {
    return translate(raw, ctx);
  } catch (error) {
    // Unreachable for JSON input; a safety net for exotic objects (throwing getters, proxies).
    return invalid(`could not read event: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** matrix.to link to a room, or to an event in it. */
export function permalink(roomId: string, eventId?: string): string {
  const room = `https://matrix.to/#/${encodeURIComponent(roomId)}`;
  return eventId === undefined ? room : `${room}/${encodeURIComponent(eventId)}`;
}

function translate(raw: unknown, ctx: TranslateContext): Translation {
  if (!isRecord(raw)) return invalid('event is not an object');
  const type = raw['type'];
  if (typeof type !== 'string' || type === '' || type.length > MAX_ID_CHARS) return invalid('missing or odd type');
  if (NON_ROOM_TYPES.has(type)) return ignored(`${type} is not a room event`);
  const envelope = readEnvelope(raw, type, ctx);
  if (typeof envelope === 'string') return invalid(envelope);
  return route(envelope, ctx);
}

/** The checked envelope, or the reason it is malformed. */
function readEnvelope(raw: Json, type: string, ctx: TranslateContext): Envelope | string {
  const { event_id: eventId, sender, content, origin_server_ts: ts, room_id: roomId } = raw;
  if (!isEventId(eventId)) return 'missing or odd event_id';
  if (!isMatrixUserId(sender)) return 'missing or odd sender';
  if (!isRecord(content)) return 'content is not an object';
  const createdAt = toDate(ts);
  if (createdAt === undefined) return 'missing or odd origin_server_ts';
  // /messages includes room_id; a different room means the caller mixed up its rooms.
  if (roomId !== undefined && roomId !== ctx.roomId) return `room_id ${String(roomId).slice(0, 100)} is not ${ctx.roomId}`;
  return { eventId, sender, type, content, createdAt, raw };
}

function route(env: Envelope, ctx: TranslateContext): Translation {
  if (env.type === 'm.room.member' && ctx.space) return translateMembership(env, ctx);
  if (env.sender === ctx.botUserId) return ignored('own event');
  if (env.raw['state_key'] !== undefined) return ignored(`state event ${env.type}`);
  if (isRedacted(env)) return ignored('redacted event');
  switch (env.type) {
    case 'm.room.message':
      return translateMessage(env, ctx);
    case 'm.reaction':
      return translateReaction(env, ctx);
    case 'm.room.redaction':
      return translateRedaction(env, ctx);
    case 'm.sticker':
      return ignored('media (m.sticker)');
    case 'm.room.encrypted':
      return ignored('encrypted event (this bridge has no E2EE)');
    default:
      return ignored(`unsupported event type ${env.type}`);
  }
}

/** Redacted originals keep their envelope but lose their content. */
function isRedacted(env: Envelope): boolean {
  const unsigned = env.raw['unsigned'];
  if (isRecord(unsigned) && unsigned['redacted_because'] !== undefined) return true;
  return env.type !== 'm.room.redaction' && Object.keys(env.content).length === 0;
}

// ---- m.room.message ----------------------------------------------------------------------------

function translateMessage(env: Envelope, ctx: TranslateContext): Translation {
  const relation = record(env.content['m.relates_to']);
  if (relation['rel_type'] === 'm.replace') return translateEdit(env, relation, ctx);
  const skip = checkMsgtype(env.content);
  if (skip !== undefined) return skip;
  const placement = placeInConversation(env.eventId, relation);
  const body = readBody(env.content, botOf(ctx), placement.replyToId !== undefined || placement.fallbackReply);
  if (typeof body === 'string') return ignored(body);
  const event: InboundMessage = {
    kind: 'message',
    ...base(env, ctx),
    conversation: ctx.conversation,
    threadId: placement.threadId,
    inThread: placement.inThread,
    replyToId: placement.replyToId,
    text: body.text,
    html: body.html,
    ...body.mentions,
    url: permalink(ctx.roomId, env.eventId),
  };
  return { kind: 'event', event };
}

/** Undefined when the msgtype carries text for the core; otherwise why it does not. */
function checkMsgtype(content: Json): Translation | undefined {
  const msgtype = content['msgtype'];
  if (typeof msgtype !== 'string') return invalid('m.room.message without a msgtype');
  if (MEDIA_MSGTYPES.has(msgtype)) return ignored(`media (${msgtype})`);
  if (NON_CHAT_MSGTYPES.has(msgtype)) return ignored(`not a chat message (${msgtype})`);
  if (msgtype === NOTICE) return ignored('m.notice (automated; never answered)');
  // m.text, m.emote and unknown msgtypes alike: the spec tells clients to show the body.
  if (typeof content['body'] !== 'string') return invalid(`${msgtype} without a string body`);
  return undefined;
}

interface Placement {
  threadId: string;
  inThread: boolean;
  replyToId: string | undefined;
  /** An in-thread fallback reply: not a real reply, but it may still carry a quoted fallback. */
  fallbackReply: boolean;
}

/** Thread and reply of a message from its m.relates_to (malformed relations are disregarded). */
function placeInConversation(eventId: string, relation: Json): Placement {
  const inReplyTo = record(relation['m.in_reply_to'])['event_id'];
  const replyToId = isEventId(inReplyTo) ? inReplyTo : undefined;
  const root = relation['event_id'];
  if (relation['rel_type'] === 'm.thread' && isEventId(root)) {
    // Thread-unaware clients get an m.in_reply_to to the latest thread event; it is not a reply.
    const fallingBack = relation['is_falling_back'] === true;
    return { threadId: root, inThread: true, replyToId: fallingBack ? undefined : replyToId, fallbackReply: fallingBack && replyToId !== undefined };
  }
  return { threadId: eventId, inThread: false, replyToId, fallbackReply: false };
}

interface Body {
  text: string;
  html: string | undefined;
  mentions: Mentions;
}

/** Text, HTML and mentions of a content block, or the reason there is nothing to read. */
function readBody(content: Json, bot: BotIdentity, isReply: boolean, prefix?: string): Body | string {
  const rawBody = content['body'];
  if (typeof rawBody !== 'string') return 'no string body';
  const body = stripPrefix(isReply ? stripReplyFallbackBody(rawBody) : rawBody, prefix).trim();
  if (body === '') return 'empty body';
  const formatted = content['format'] === HTML_FORMAT ? content['formatted_body'] : undefined;
  const html = typeof formatted === 'string' ? stripPrefix(stripReplyFallbackHtml(formatted), prefix).trim() : '';
  const text = cut(body);
  const mentions = extractMentions({ body: text, html, mMentions: content['m.mentions'] }, bot);
  return { text, html: html === '' || html.length > MAX_HTML_CHARS ? undefined : html, mentions };
}

// ---- edits, reactions, redactions --------------------------------------------------------------

function translateEdit(env: Envelope, relation: Json, ctx: TranslateContext): Translation {
  const targetId = relation['event_id'];
  if (!isEventId(targetId)) return invalid('m.replace without a valid target event_id');
  const newContent = env.content['m.new_content'];
  // Clients without edit support show the outer body, marked with a leading "* ".
  const source = isRecord(newContent) && typeof newContent['body'] === 'string' ? newContent : env.content;
  const prefix = source === env.content ? '* ' : undefined;
  const msgtype = source['msgtype'];
  if (typeof msgtype === 'string' && (MEDIA_MSGTYPES.has(msgtype) || NON_CHAT_MSGTYPES.has(msgtype))) {
    return ignored(`edit of a non-text message (${msgtype})`);
  }
  if (msgtype === NOTICE) return ignored('edit of an m.notice (automated; never answered)');
  const body = readBody(source, botOf(ctx), true, prefix);
  if (typeof body === 'string') return body === 'empty body' ? ignored('edit to an empty body') : invalid(`edit with ${body}`);
  const { text, html, mentions } = body;
  return { kind: 'event', event: { kind: 'edit', ...base(env, ctx), targetId, text, html, ...mentions } };
}

function translateReaction(env: Envelope, ctx: TranslateContext): Translation {
  const relation = env.content['m.relates_to'];
  if (!isRecord(relation)) return invalid('m.reaction without m.relates_to');
  if (relation['rel_type'] !== 'm.annotation') return ignored('m.reaction that is not an m.annotation');
  const { event_id: targetId, key } = relation;
  if (!isEventId(targetId)) return invalid('m.reaction without a valid target event_id');
  if (typeof key !== 'string' || key.trim() === '') return invalid('m.reaction without a key');
  // Free-text reactions are still reactions (who reacted to whom counts); a key of hundreds of
  // characters is cut, not stored whole: the concierge reads only short ones (✅, 👍).
  return { kind: 'event', event: { kind: 'reaction', ...base(env, ctx), targetId, key: cutKey(key) } };
}

function translateRedaction(env: Envelope, ctx: TranslateContext): Translation {
  // Room v11 moved `redacts` into content; older rooms have it at the top level.
  const inContent = env.content['redacts'];
  const targetId = inContent !== undefined ? inContent : env.raw['redacts'];
  if (!isEventId(targetId)) return invalid('m.room.redaction without a valid redacts event id');
  return { kind: 'event', event: { kind: 'redaction', ...base(env, ctx), targetId } };
}

// ---- membership of the Space -------------------------------------------------------------------

/** Joining, leaving or being removed from the Space; invitations and knocks change nothing yet. */
function translateMembership(env: Envelope, ctx: TranslateContext): Translation {
  const userId = env.raw['state_key'];
  if (!isMatrixUserId(userId)) return invalid('m.room.member without a user id as state_key');
  if (userId === ctx.botUserId) return ignored('own membership');
  const membership = env.content['membership'];
  const change = membership === 'join' ? 'joined' : membership === 'leave' || membership === 'ban' ? 'left' : null;
  if (change === null) return ignored(`membership ${String(membership).slice(0, 40)}`);
  const name = env.content['displayname'];
  const member = {
    platform: 'matrix' as const,
    externalId: userId,
    ...(change === 'joined' && typeof name === 'string' && name.trim() ? { displayName: name.trim().slice(0, MAX_ID_CHARS) } : {}),
  };
  return { kind: 'event', event: { kind: 'membership', ...base(env, ctx), member, membership: change } };
}

// ---- helpers -----------------------------------------------------------------------------------

function botOf(ctx: TranslateContext): BotIdentity {
  return { userId: ctx.botUserId, displayName: ctx.botDisplayName };
}

function base(env: Envelope, ctx: TranslateContext) {
  return {
    platform: 'matrix' as const,
    eventId: env.eventId,
    containerId: ctx.roomId,
    author: { platform: 'matrix' as const, externalId: env.sender },
    createdAt: env.createdAt,
    historic: ctx.historic,
  };
}

/** Cuts to MAX_TEXT_CHARS (marker included), never splitting a surrogate pair. */
function cut(text: string): string {
  if (text.length <= MAX_TEXT_CHARS) return text;
  let end = MAX_TEXT_CHARS - TRUNCATED.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end) + TRUNCATED;
}

/** The first MAX_REACTION_KEY_CHARS of a key, never splitting a surrogate pair. */
function cutKey(key: string): string {
  if (key.length <= MAX_REACTION_KEY_CHARS) return key;
  const last = key.charCodeAt(MAX_REACTION_KEY_CHARS - 1);
  return key.slice(0, last >= 0xd800 && last <= 0xdbff ? MAX_REACTION_KEY_CHARS - 1 : MAX_REACTION_KEY_CHARS);
}

function stripPrefix(text: string, prefix: string | undefined): string {
  return prefix !== undefined && text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

function toDate(ts: unknown): Date | undefined {
  if (typeof ts !== 'number' || !Number.isSafeInteger(ts) || ts <= 0) return undefined;
  const date = new Date(ts);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function isEventId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 2 && value.length <= MAX_ID_CHARS && /^\$[\x21-\x7E]+$/.test(value);
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown): Json {
  return isRecord(value) ? value : {};
}

function ignored(reason: string): Translation {
  return { kind: 'ignored', reason };
}

function invalid(reason: string): Translation {
  return { kind: 'invalid', reason };
}
