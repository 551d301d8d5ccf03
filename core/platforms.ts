// The platforms the service runs on, as core sees them: registered ids with what each can do and
// how its accounts are written. Each bridge defines its profile (bridges/<platform>/profile.ts)
// and main.ts registers them before anything else; core never names a platform, it asks here.
// docs/adding-a-platform.md walks through what a new bridge provides.
import type { Platform } from './types.js';

/** What the concierge may do on a platform; its replies and choices follow these, not the id. */
export interface PlatformCapabilities {
  /** Replies can go into a thread under the request (else they follow it in the conversation). */
  threads: boolean;
  /** The bot can talk to one member privately. */
  directMessages: boolean;
  /** How members react to a message: any emoji, likes only, or not at all. */
  reactions: 'any' | 'likes' | 'none';
  /** Conversations carry tags people set (the engine learns the vocabulary from them). */
  tags: boolean;
  /** Shortest private message the platform accepts (0: any): answers the bot asks for are longer. */
  minDirectMessageChars: number;
}

/** How a member asks, from another platform, to link an account on this one: `link-<id> <account>`. */
export interface LinkCommand {
  /** The argument as the help text names it: "<username>", "<user id>". */
  argument: string;
  /** The help line's description, when the command is listed in the help ("link your forum account"). */
  help?: string | undefined;
  /** The account as typed (one word) to the platform's external id, or null when it cannot be one. */
  parse(word: string): string | null;
}

export interface PlatformProfile {
  id: Platform;
  /** The platform for people, as a sentence ends "... on <name>": "Matrix", "the forum". */
  name: string;
  /** Where the community talks there, for people: "the chat", "the forum". */
  place: string;
  capabilities: PlatformCapabilities;
  /** True when an account as written in the configuration (concierge.admins) is one of this platform's. */
  claims(account: string): boolean;
  /** One account's canonical form, as the bridge reports it (usernames in one case, ...). */
  normalize(account: string): string;
  /** The part of an account id a person chose (a Matrix localpart, a forum username). */
  handle(externalId: string): string;
  link: LinkCommand;
}

const profiles = new Map<Platform, PlatformProfile>();

/** Adds a platform; registering the same profile again changes nothing, another one with its id throws. */
export function registerPlatform(profile: PlatformProfile): void {
  const known = profiles.get(profile.id);
  if (known && known !== profile) throw new Error(`platform "${profile.id}" is registered already`);
  profiles.set(profile.id, profile);
}

/** The registered platforms, in the order they were registered (the first is the preferred one). */
export const registeredPlatforms = (): PlatformProfile[] => [...profiles.values()];

/** The registered ids, in registration order. */
export const platformIds = (): Platform[] => [...profiles.keys()];

export const isRegisteredPlatform = (id: string): boolean => profiles.has(id);

/** The profile of a registered platform; an unregistered id is a programming error. */
export function platformProfile(id: Platform): PlatformProfile {
  const profile = profiles.get(id);
  if (!profile) throw new Error(`platform "${id}" is not registered (main.ts registers the bridges' profiles first)`);
  return profile;
}

/** The platform an account written in the configuration belongs to: the first registered one that claims it. */
export const platformClaiming = (account: string): PlatformProfile | undefined => registeredPlatforms().find((p) => p.claims(account));

/** The platform's name for people ("Matrix", "the forum"). */
export const platformName = (id: Platform): string => platformProfile(id).name;
