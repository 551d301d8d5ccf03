// What bridges hand to the core: platform events translated into small, platform-neutral records.
// No SDK type crosses this line; ids stay strings the bridge understands (room ids, event ids).
import type { Platform } from './types.js';

/** A platform account as seen in an event. */
export interface ActorRef {
  platform: Platform;
  /** Matrix user id (`@alice:example.org`) or Discourse username. */
  externalId: string;
  displayName?: string | undefined;
}

/**
 * Where a message was said. `room` is a shared room or topic of the community; `direct` is a
 * conversation with the bot alone; `small` is a small private room of members (a DM between
 * members the bot can see, or a room it opened to introduce them).
 */
export type ConversationKind = 'room' | 'direct' | 'small';

interface InboundBase {
  platform: Platform;
  /** The platform's id of this event (Matrix event id, Discourse post id as a string). */
  eventId: string;
  /** Room id or topic id the event belongs to. */
  containerId: string;
  author: ActorRef;
  createdAt: Date;
  /**
   * True for history the bridge fetched (backfill, the very first sync): learn from it, never
   * answer it.
   */
  historic: boolean;
}

export interface InboundMessage extends InboundBase {
  kind: 'message';
  conversation: ConversationKind;
  /** Thread root's event id; the message's own id when it starts (or is outside) a thread. */
  threadId: string;
  /** True when the message was sent inside an existing thread. */
  inThread: boolean;
  /** Event id this message replies to (rich reply or forum reply), if any. */
  replyToId?: string | undefined;
  /** Plain text with reply fallbacks removed. */
  text: string;
  /** Formatted body (HTML) when the client sent one. */
  html?: string | undefined;
  /** Accounts mentioned, the bot included, de-duplicated. */
  mentions: ActorRef[];
  mentionsBot: boolean;
  /** Link to the message for people (matrix.to permalink, forum URL). */
  url?: string | undefined;
  /** Forum topic title, when there is one. */
  title?: string | undefined;
  /** The other people in a `small` conversation (bot excluded): who a direct message reaches. */
  participants?: ActorRef[] | undefined;
  /** The platform itself marks this as a request for help (a new topic in a help category). */
  asksForHelp?: boolean | undefined;
}

/** A message was edited (Matrix m.replace, a Discourse post revision). */
export interface InboundEdit extends InboundBase {
  kind: 'edit';
  targetId: string;
  text: string;
  /** The topic's new title, when the edit changed it (a forum's first post). */
  title?: string | undefined;
  html?: string | undefined;
  mentions: ActorRef[];
  mentionsBot: boolean;
}

/** A message was removed (Matrix redaction, deleted post). */
export interface InboundRedaction extends InboundBase {
  kind: 'redaction';
  targetId: string;
}

/** A reaction (Matrix m.annotation, a Discourse like) on a message. */
export interface InboundReaction extends InboundBase {
  kind: 'reaction';
  targetId: string;
  /** The emoji or reaction name, e.g. "✅", "👍", "like". */
  key: string;
  /** The reaction was taken back (a forum's accepted answer unaccepted). */
  removed?: boolean | undefined;
}

/**
 * Members talked privately where the bot cannot read (a forum private message between members,
 * seen as metadata only): a direct contact from the author to the participants.
 */
export interface InboundContact extends InboundBase {
  kind: 'contact';
  participants: ActorRef[];
}

/**
 * A member joined or left the community (the Matrix Space). The author is who changed it: the
 * member themselves, or a moderator who removed or banned them.
 */
export interface InboundMembership extends InboundBase {
  kind: 'membership';
  member: ActorRef;
  membership: 'joined' | 'left';
}

export type InboundEvent = InboundMessage | InboundEdit | InboundRedaction | InboundReaction | InboundContact | InboundMembership;
