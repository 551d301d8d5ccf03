// Keys for pairs of members, for the Maps and Sets the metrics count with.
import type { MemberId } from '../types.js';

/** The unordered pair {a, b} as a string. */
export const pairKey = (a: MemberId, b: MemberId): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

// Member ids are small non-negative integers in practice: a pair then packs into one number,
// which a Map or Set hashes far faster than a string (100k interactions are keyed per request).
// Anything else falls back to the string key; the two kinds never collide (number vs string).
const PACK = 2 ** 26;
const packable = (x: number): boolean => Number.isInteger(x) && x >= 0 && x < PACK;
export const pairId = (a: MemberId, b: MemberId): number | string => (packable(a) && packable(b) ? (a < b ? a * PACK + b : b * PACK + a) : pairKey(a, b));
export const directedId = (from: MemberId, to: MemberId): number | string => (packable(from) && packable(to) ? from * PACK + to : `${from}>${to}`);
