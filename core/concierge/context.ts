// What every part of the concierge workflow gets: the store, the engine, settings, the bot's
// own accounts and the way to hand decided actions to the executor.
import type { Engine } from '../engine/engine.js';
import type { EmailDirectory } from '../identity/emails.js';
import type { IdentitySettings } from '../identity/settings.js';
import type { ActorRef, ConversationKind } from '../inbound.js';
import type { Logger } from '../logging.js';
import type { Member, Store } from '../store/index.js';
import type { Platform } from '../types.js';
import type { KeyedAction } from './actions.js';

/** How helpers are asked: a mention in the thread, a direct message, or the platform's invitation. */
export type InviteMode = 'thread' | 'direct' | 'invite';

/** What a platform's bridge may do beyond posting. */
export interface PlatformSettings {
  inviteVia?: InviteMode;
  /**
   * For requests made in a private conversation with the bot, where a mention reaches nobody
   * (on a forum, only a private message's own recipients see it): e.g. the forum's invitation.
   */
  privateInviteVia?: InviteMode;
  /** Put the suggested tags on the topic itself. */
  setTags?: boolean;
}

export interface ConciergeSettings {
  /** Invite helpers by mentioning them in the thread, or by direct message. */
  inviteVia: 'thread' | 'direct';
  /** review: the bot's proposed invitations wait for the community team on the console (review.ts). */
  mode?: 'auto' | 'review' | undefined;
  /** In review mode, proposals nobody reviewed go out as proposed after this many minutes. */
  reviewMinutes?: number | undefined;
  /** Per-platform overrides (e.g. Discourse topic invitations, tagging topics). */
  platforms?: Partial<Record<Platform, PlatformSettings>>;
  /** Invitations per member per week unless they chose their own number. */
  weeklyBudget: number;
  /** Button presses one member may make per window before the bot asks them to slow down. */
  flood: { maxRequests: number; windowMinutes: number };
  /** How long an identity-link code stays valid. */
  linkCodeTtlHours: number;
  /**
   * Mirroring requests to the forum as topics, so their answers become searchable knowledge:
   * never, when someone asks (`!coagent post-to-forum`), or always.
   */
  mirror?: { platform: Platform; mode: 'off' | 'on-request' | 'always' } | undefined;
  /** When time-based steps happen (digest, stale, ignored invitations, follow-up). */
  timing?: Partial<Timing> | undefined;
  /** Recognising one person's accounts on several platforms (link offers, e-mail matching). */
  identity?: Partial<IdentitySettings> | undefined;
  /** Accounts that may run admin commands (tags): Matrix user ids, forum usernames. */
  admins?: readonly string[] | undefined;
  /** Proposing tags from the history's themes where there are none (tag-suggestions.ts). */
  tagSuggestions?: TagSuggestionSettings | undefined;
}

export interface TagSuggestionSettings {
  enabled: boolean;
  /** Messages the history must hold before themes are looked for. */
  minDocuments: number;
  /** Smallest group of messages that can become a tag. */
  minClusterSize: number;
  /** Most proposals waiting for an admin at once. */
  maxProposals: number;
}

export interface Timing {
  /** Send the digest after this many responses ... */
  digestAfterResponses: number;
  /** ... or this long after the first response. */
  digestAfterHours: number;
  /** A request nobody answered for this long is stale. */
  staleAfterDays: number;
  /** An invitation without an answer for this long counts as ignored. */
  ignoredAfterHours: number;
  /** After this many ignored invitations in a row, invitations pause ... */
  pauseAfterIgnored: number;
  /** ... for this long. */
  pauseDays: number;
  /** Ask the originator whether the help changed anything this long after solving. */
  followUpAfterDays: number;
}

export const DEFAULT_TIMING: Timing = {
  digestAfterResponses: 3,
  digestAfterHours: 24,
  staleAfterDays: 7,
  ignoredAfterHours: 48,
  pauseAfterIgnored: 3,
  pauseDays: 14,
  followUpAfterDays: 7,
};

export const timingOf = (ctx: ConciergeContext): Timing => ({ ...DEFAULT_TIMING, ...ctx.settings.timing });

export const DEFAULT_CONCIERGE_SETTINGS: ConciergeSettings = {
  inviteVia: 'thread',
  weeklyBudget: 3,
  flood: { maxRequests: 5, windowMinutes: 10 },
  linkCodeTtlHours: 24,
};

export interface ConciergeContext {
  store: Store;
  engine: Engine;
  logger: Logger;
  settings: ConciergeSettings;
  /** The bot's account on each platform it runs on. */
  bots: ReadonlyMap<Platform, ActorRef>;
  submit(actions: readonly KeyedAction[]): Promise<void>;
  now(): Date;
  /** Where accounts' e-mails can be read (a forum admin key), for `identity.matchByEmail`. */
  emailDirectories?: readonly EmailDirectory[] | undefined;
}

export const inviteModeFor = (ctx: ConciergeContext, platform: Platform, conversation: ConversationKind = 'room'): InviteMode =>
  (conversation === 'room' ? undefined : ctx.settings.platforms?.[platform]?.privateInviteVia) ??
  ctx.settings.platforms?.[platform]?.inviteVia ??
  ctx.settings.inviteVia;

export const isBot = (ctx: ConciergeContext, actor: ActorRef): boolean => ctx.bots.get(actor.platform)?.externalId === actor.externalId;

/** The member behind an account, created on first sight. */
export async function memberOf(ctx: ConciergeContext, actor: ActorRef): Promise<Member> {
  const { member } = await ctx.store.members.upsertByIdentity({
    platform: actor.platform,
    externalId: actor.externalId,
    ...(actor.displayName ? { displayName: actor.displayName } : {}),
  });
  return member;
}

/** The member's account on a platform, to mention or message them there. */
export function accountOn(member: Member, platform: Platform): ActorRef | null {
  const identity = member.identities.find((i) => i.platform === platform);
  return identity ? { platform, externalId: identity.externalId, displayName: identity.displayName ?? member.displayName } : null;
}
