// GET /api/helpers: who is asked and how they answer, so overload is visible. Invitations are
// those sent in the period; helpful answers are feedback received in it. A row is a person, with
// every account they are known by; members that are probably one person are listed apart.
import { acceptanceRate } from '../../../core/metrics/invitations.js';
import type { DashboardInvitation, DashboardMember, DashboardQueries } from '../../../core/store/index.js';
import type { MemberId } from '../../../core/types.js';
import type { HelpersResponse } from '../api-types.js';
import { optedOutCount } from './names.js';
import type { People } from './people.js';
import type { ResolvedPeriod } from './period.js';

export function helpers(q: DashboardQueries, members: ReadonlyMap<MemberId, DashboardMember>, people: People, p: ResolvedPeriod): HelpersResponse {
  const byMember = new Map<MemberId, DashboardInvitation[]>();
  for (const inv of q.invitationsSent(p.period.from, p.period.to)) {
    const list = byMember.get(inv.memberId);
    if (list) list.push(inv);
    else byMember.set(inv.memberId, [inv]);
  }
  const helpful = q.helpfulFeedback(p.period.from, p.period.to);
  const rows = [...members.values()]
    .filter((m) => !m.optedOut && (byMember.has(m.id) || helpful.has(m.id)))
    .map((m) => {
      const r = acceptanceRate(byMember.get(m.id) ?? [], p.period);
      return {
        id: m.id,
        name: m.name,
        accounts: people.accounts.get(m.id) ?? [],
        invited: r.sent,
        accepted: r.accepted + r.answered,
        declined: r.declined,
        ignored: r.ignored,
        helpfulAnswers: helpful.get(m.id) ?? 0,
      };
    })
    .sort((a, b) => b.invited - a.invited || b.helpfulAnswers - a.helpfulAnswers || a.name.localeCompare(b.name));
  return { period: p.range, helpers: rows, optedOutMembers: optedOutCount(members), probablySamePerson: people.probablySamePerson };
}
