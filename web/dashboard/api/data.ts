// What the figures are computed from, cached until the store changes: the snapshot, the
// members and the people. Shared by the API, the CSV export and the figures worker.
import type { Request } from 'express';
import type { DashboardMember, DashboardQueries } from '../../../core/store/index.js';
import type { MemberId } from '../../../core/types.js';
import { queryOf } from './params.js';
import { people, type People } from './people.js';
import { resolvePeriod, type ResolvedPeriod } from './period.js';
import { SnapshotLoader, type Snapshot } from './snapshot.js';
import type { ViewCache } from './view-cache.js';

export const PERIOD_PARAMS = ['period', 'from', 'to'] as const;

export interface DashboardData {
  period(req: Request, allowed: readonly string[]): { query: Record<string, string | undefined>; p: ResolvedPeriod };
  snapshot(): Snapshot;
  members(): Map<MemberId, DashboardMember>;
  people(): People;
}

export function dashboardData(deps: { queries: DashboardQueries; cache: ViewCache; now(): Date }): DashboardData {
  const { queries, cache } = deps;
  const loader = new SnapshotLoader();
  let kept: { key: string; value: People } | undefined;
  const members = (): Map<MemberId, DashboardMember> => cache.get('members', () => new Map(queries.members().map((m) => [m.id, m])));
  return {
    period: (req, allowed) => {
      const query = queryOf(req, allowed);
      return { query, p: resolvePeriod(query, deps.now(), () => queries.firstActivity()) };
    },
    snapshot: () => cache.get('snapshot', () => loader.load(queries)),
    members,
    // Accounts and their pairs change rarely: kept while their part of the fingerprint holds.
    people: () =>
      cache.get('people', () => {
        const f = queries.fingerprints();
        const key = [f.accounts, f.members, f.merges].join('#');
        if (kept?.key !== key) kept = { key, value: people(queries, members()) };
        return kept.value;
      }),
  };
}
