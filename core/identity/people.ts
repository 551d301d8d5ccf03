// "Probably the same person": likely pairs of accounts that are not linked and that nobody said
// are two people ("not me", an admin's split), with where their offer stands. The dashboard flags
// them, the CLI lists them, the offer round takes the ones never offered.
import type { AccountPair, AccountRow, PairStatus } from '../store/index.js';
import { likelyPairs, pairKey, type Account, type LikelyPair } from './matching.js';

/** Where a probable pair stands: never offered yet, or its offer's state. */
export type ProbableStatus = 'not offered' | Extract<PairStatus, 'offered' | 'accepted' | 'ignored'>;

export interface ProbablePair extends LikelyPair {
  status: ProbableStatus;
}

/** Accounts that may take part in matching: of members still here who did not opt out. */
export const matchable = (accounts: readonly AccountRow[]): Account[] =>
  accounts
    .filter((a) => !a.optedOut && !a.leftAt)
    .map((a) => ({ memberId: a.memberId, platform: a.platform, externalId: a.externalId, name: a.name, emailHash: a.emailHash }));

const SETTLED: ReadonlySet<PairStatus> = new Set(['linked', 'refused', 'separated']);

export function probablySamePerson(accounts: readonly AccountRow[], recorded: readonly AccountPair[], options: { email: boolean }): ProbablePair[] {
  const status = new Map(recorded.map((p) => [pairKey(p.a, p.b), p.status]));
  const out: ProbablePair[] = [];
  for (const pair of likelyPairs(matchable(accounts), options)) {
    const s = status.get(pairKey(pair.a, pair.b));
    if (s && SETTLED.has(s)) continue;
    out.push({ ...pair, status: (s ?? 'not offered') as ProbableStatus });
  }
  return out;
}
