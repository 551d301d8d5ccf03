// How names and usernames are compared: "José Dela-Cruz", "jose dela cruz" and "JOSE DELA CRUZ"
// are one name; "@jose.delacruz:example.org" and the forum's "jose_d" are handles derived from it.
import { isRegisteredPlatform, platformProfile } from '../platforms.js';
import type { Platform } from '../types.js';

// Letters NFKD does not take apart, written the way people type them without the accent.
const FOLD: Record<string, string> = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', æ: 'ae', œ: 'oe', ß: 'ss', þ: 'th', ı: 'i' };

/** Lower case, accents and punctuation dropped, single spaces: the form two names are compared in. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[øłđðæœßþı]/g, (c) => FOLD[c] ?? c)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export const nameWords = (name: string): string[] => normaliseName(name).split(' ').filter(Boolean);

/** A full name: at least two words. A single word ("Alex") is too common to say two accounts are one person. */
export const isFullName = (words: readonly string[]): boolean => words.length >= 2;

/** The part of an account id a person chose: a Matrix localpart, a forum username. */
export function handleOf(platform: Platform, externalId: string): string {
  // An account of a platform this build does not know (data from elsewhere): the id as it is.
  return isRegisteredPlatform(platform) ? platformProfile(platform).handle(externalId) : externalId;
}

/**
 * A handle without separators, accents or a trailing number ("luca_r2" -> "lucar"): platforms add
 * numbers when a name is taken, so they say nothing about the person.
 */
export function compactHandle(handle: string): string {
  return normaliseName(handle).replace(/ /g, '').replace(/\d+$/, '');
}

/** Shortest compact handle that says anything: "jo" or "ab1" match far too many people. */
export const MIN_HANDLE = 4;

/** The usernames people make from a name: andriyshevchenko, andriys, ashevchenko, shevchenkoa, ... */
export function handlesFromName(words: readonly string[]): Set<string> {
  const out = new Set<string>();
  if (!isFullName(words)) return out;
  const [first, ...rest] = words as [string, ...string[]];
  const last = rest[rest.length - 1]!;
  const restJoined = rest.join('');
  const initials = rest.map((w) => w[0]).join('');
  for (const h of [
    first + restJoined,
    first + last,
    first + rest[0]![0],
    first + initials,
    first[0] + restJoined,
    first[0] + last,
    restJoined + first,
    last + first,
    last + first[0],
  ])
    if (h.length >= MIN_HANDLE) out.add(h);
  return out;
}
