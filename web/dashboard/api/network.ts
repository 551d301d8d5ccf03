// GET /api/network: the member graph of the period. Nodes are people (members, with their accounts; sized by activity,
// brokers by betweenness), edges the pairs who interacted, coloured by how their tie was made.
// Members who opted out are left out of nodes and edges and only counted.
import { networkMetrics } from '../../../core/metrics/network.js';
import { tiesFormed, type TieKind } from '../../../core/metrics/ties.js';
import type { MemberId } from '../../../core/types.js';
import type { NetworkEdge, NetworkResponse } from '../api-types.js';
import { brokerScores } from './betweenness.js';
import { optedOutCount } from './names.js';
import type { People } from './people.js';
import type { ResolvedPeriod } from './period.js';
import { between, type Snapshot } from './snapshot.js';

const pairKey = (a: MemberId, b: MemberId): string => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** `minWeight` leaves out edges with fewer interactions (brokerage is computed on all of them). */
export function network(s: Snapshot, people: People, p: ResolvedPeriod, minWeight = 1): NetworkResponse {
  const visible = (id: MemberId): boolean => s.members.get(id)?.optedOut === false;
  const tieKind = new Map<string, TieKind>();
  for (const t of tiesFormed(s.firsts)) tieKind.set(pairKey(t.a, t.b), t.kind);

  const inRange = between(s.interactions, p.period.from.getTime(), p.period.to.getTime());
  const activity = new Map<MemberId, number>();
  const pairs = new Map<string, { a: MemberId; b: MemberId; weight: number }>();
  for (const i of inRange) {
    activity.set(i.fromMemberId, (activity.get(i.fromMemberId) ?? 0) + 1);
    activity.set(i.toMemberId, (activity.get(i.toMemberId) ?? 0) + 1);
    if (!visible(i.fromMemberId) || !visible(i.toMemberId)) continue;
    const key = pairKey(i.fromMemberId, i.toMemberId);
    const pair = pairs.get(key);
    if (pair) pair.weight += 1;
    else pairs.set(key, { a: Math.min(i.fromMemberId, i.toMemberId) as MemberId, b: Math.max(i.fromMemberId, i.toMemberId) as MemberId, weight: 1 });
  }
  const members = [...s.members.values()].filter((m) => !m.optedOut);
  const edges: NetworkEdge[] = [...pairs.entries()].map(([key, x]) => ({
    source: String(x.a),
    target: String(x.b),
    kind: tieKind.get(key) ?? 'direct',
    weight: x.weight,
  }));
  const brokers = brokerScores(
    members.map((m) => String(m.id)),
    edges.map((e) => [e.source, e.target] as const),
  );
  const shape = networkMetrics(inRange);
  return {
    period: p.range,
    nodes: members.map((m) => {
      const count = activity.get(m.id) ?? 0;
      return {
        id: String(m.id),
        label: m.name,
        activity: count,
        brokerScore: brokers.get(String(m.id)) ?? 0,
        isolated: count === 0,
        accounts: people.accounts.get(m.id) ?? [],
      };
    }),
    edges: minWeight > 1 ? edges.filter((e) => e.weight >= minWeight) : edges,
    optedOutMembers: optedOutCount(s.members),
    probablySamePerson: people.probablySamePerson,
    summary: { activeMembers: shape.activeMembers, density: shape.density, reciprocity: shape.reciprocity, clustering: shape.clustering },
  };
}
