// Each person once with their accounts, and the pairs of members that are probably one person
// but not linked: shared by the overview (counts), the helpers page and the network.
import { REASON_WORDS } from '../../../core/identity/matching.js';
import { probablySamePerson } from '../../../core/identity/people.js';
import type { DashboardMember, DashboardQueries } from '../../../core/store/index.js';
import { platformIds } from '../../../core/platforms.js';
import type { MemberId } from '../../../core/types.js';
import type { AccountRef, PeopleSummary, PersonRef, ProbablySamePerson } from '../api-types.js';

export interface People {
  /** Each member's accounts (none for members who opted out: they are not named). */
  accounts: ReadonlyMap<MemberId, AccountRef[]>;
  probablySamePerson: ProbablySamePerson[];
  summary: PeopleSummary;
}

export function people(q: DashboardQueries, members: ReadonlyMap<MemberId, DashboardMember>): People {
  const rows = q.accounts();
  const accounts = new Map<MemberId, AccountRef[]>();
  // In the platforms' registration order (Matrix first, then the forum), whatever order the accounts were seen in.
  const order = platformIds();
  const rank = (platform: string): number => (order.includes(platform) ? order.indexOf(platform) : order.length);
  for (const r of [...rows].sort((x, y) => rank(x.platform) - rank(y.platform))) {
    if (members.get(r.memberId)?.optedOut) continue;
    const list = accounts.get(r.memberId) ?? [];
    list.push({ platform: r.platform, account: r.externalId });
    accounts.set(r.memberId, list);
  }
  const person = (id: MemberId): PersonRef => ({ id, name: members.get(id)?.name ?? `(member #${id})`, accounts: accounts.get(id) ?? [] });
  // E-mail hashes exist only while identity.matchByEmail is on (switching it off forgets them).
  const probable = probablySamePerson(rows, q.accountPairs(), { email: true }).map((p) => ({
    a: person(p.a.memberId),
    b: person(p.b.memberId),
    reasons: p.reasons.map((r) => REASON_WORDS[r]),
    offer: p.status,
  }));
  const platforms = new Map<MemberId, Set<string>>();
  for (const r of rows) platforms.set(r.memberId, (platforms.get(r.memberId) ?? new Set()).add(r.platform));
  return {
    accounts,
    probablySamePerson: probable,
    summary: {
      people: members.size,
      accounts: rows.length,
      linkedPeople: [...platforms.values()].filter((p) => p.size > 1).length,
      probablySamePerson: probable.length,
    },
  };
}
