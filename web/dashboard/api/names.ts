// How members are named in answers: opted-out members never by name.
import type { DashboardMember } from '../../../core/store/index.js';
import type { MemberId } from '../../../core/types.js';
import { OPTED_OUT_LABEL } from '../api-types.js';

export function memberName(members: ReadonlyMap<MemberId, DashboardMember>, id: MemberId): string {
  const m = members.get(id);
  if (!m) return `(member #${id})`;
  return m.optedOut ? OPTED_OUT_LABEL : m.name;
}

export function optedOutCount(members: ReadonlyMap<MemberId, DashboardMember>): number {
  let n = 0;
  for (const m of members.values()) if (m.optedOut) n += 1;
  return n;
}
