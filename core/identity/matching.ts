// Which accounts on different platforms are probably one person: the same full name, a username
// made from the other account's name, the same username, or (where e-mails may be read) the same
// e-mail. Pure: it reads only what the bot already sees (names and usernames) plus e-mail hashes
// when the caller passes them; the members decide, and a link still needs proof from both accounts.
import type { MemberId, Platform } from '../types.js';
import { compactHandle, handleOf, handlesFromName, isFullName, MIN_HANDLE, nameWords } from './names.js';

export const MATCH_REASONS = ['same-email', 'same-name', 'username-from-name', 'same-username'] as const;
export type MatchReason = (typeof MATCH_REASONS)[number];

/** One account as matching sees it. */
export interface Account {
  memberId: MemberId;
  platform: Platform;
  externalId: string;
  /** The name shown for the account (its own, else its member's). */
  name: string;
  /** sha256 of its e-mail, only when e-mail matching is on and the platform gave one. */
  emailHash?: string | null;
}

export interface LikelyPair {
  a: Account;
  b: Account;
  reasons: MatchReason[];
  /** Higher is surer; for ordering offers. */
  strength: number;
}

const STRENGTH: Record<MatchReason, number> = { 'same-email': 4, 'same-name': 2, 'username-from-name': 1.5, 'same-username': 1 };

interface Keys {
  account: Account;
  name: string | null;
  handle: string | null;
  fromName: Set<string>;
}

function keysOf(account: Account): Keys {
  const words = nameWords(account.name);
  const handle = compactHandle(handleOf(account.platform, account.externalId));
  return {
    account,
    name: isFullName(words) ? words.join(' ') : null,
    handle: handle.length >= MIN_HANDLE ? handle : null,
    fromName: handlesFromName(words),
  };
}

/** Why two accounts look like one person (empty: they do not). */
export function reasonsFor(x: Account, y: Account, options: { email?: boolean } = {}): MatchReason[] {
  return reasonsOf(keysOf(x), keysOf(y), options.email ?? false);
}

function reasonsOf(x: Keys, y: Keys, email: boolean): MatchReason[] {
  const reasons: MatchReason[] = [];
  if (email && x.account.emailHash && x.account.emailHash === y.account.emailHash) reasons.push('same-email');
  if (x.name !== null && x.name === y.name) reasons.push('same-name');
  if ((x.handle !== null && y.fromName.has(x.handle)) || (y.handle !== null && x.fromName.has(y.handle))) reasons.push('username-from-name');
  if (x.handle !== null && x.handle === y.handle) reasons.push('same-username');
  return reasons;
}

/**
 * Likely pairs among the accounts: on different platforms, of different members, where neither
 * member already has an account on the other's platform (one person, one account per platform).
 * Strongest first. Candidates are found through indexes of names, handles and e-mails, so the
 * cost grows with the number of accounts, not its square.
 */
export function likelyPairs(accounts: readonly Account[], options: { email?: boolean } = {}): LikelyPair[] {
  const email = options.email ?? false;
  const keys = accounts.map(keysOf);
  const platformsOf = new Map<MemberId, Set<Platform>>();
  for (const a of accounts) {
    const set = platformsOf.get(a.memberId) ?? new Set<Platform>();
    set.add(a.platform);
    platformsOf.set(a.memberId, set);
  }
  // Every key a matching account would share: its name, its handle, the handles its name makes.
  const index = new Map<string, number[]>();
  const put = (key: string, i: number) => {
    const list = index.get(key);
    if (list) list.push(i);
    else index.set(key, [i]);
  };
  keys.forEach((k, i) => {
    if (k.name) put(`n:${k.name}`, i);
    if (k.handle) put(`h:${k.handle}`, i);
    for (const h of k.fromName) put(`h:${h}`, i);
    if (email && k.account.emailHash) put(`e:${k.account.emailHash}`, i);
  });
  const seen = new Set<string>();
  const out: LikelyPair[] = [];
  for (const list of index.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const [i, j] = [list[x]!, list[y]!].sort((p, q) => p - q) as [number, number];
        const a = keys[i]!;
        const b = keys[j]!;
        if (a.account.platform === b.account.platform || a.account.memberId === b.account.memberId) continue;
        const pair = `${i}:${j}`;
        if (seen.has(pair)) continue;
        seen.add(pair);
        if (platformsOf.get(a.account.memberId)?.has(b.account.platform) || platformsOf.get(b.account.memberId)?.has(a.account.platform)) continue;
        const reasons = reasonsOf(a, b, email);
        if (reasons.length === 0) continue;
        out.push({ a: a.account, b: b.account, reasons, strength: reasons.reduce((s, r) => s + STRENGTH[r], 0) });
      }
    }
  }
  return out.sort((p, q) => q.strength - p.strength || p.a.memberId - q.a.memberId || p.b.memberId - q.b.memberId);
}

/** A pair's key whichever way round it is named. */
export const pairKey = (x: Pick<Account, 'platform' | 'externalId'>, y: Pick<Account, 'platform' | 'externalId'>): string => {
  const [p, q] = [`${x.platform}\u0000${x.externalId}`, `${y.platform}\u0000${y.externalId}`].sort();
  return `${p}\u0001${q}`;
};

/** Words for a reason, for the offer and the dashboard. */
export const REASON_WORDS: Record<MatchReason, string> = {
  'same-email': 'the same e-mail address',
  'same-name': 'the same name',
  'username-from-name': 'a username made from the name',
  'same-username': 'the same username',
};
