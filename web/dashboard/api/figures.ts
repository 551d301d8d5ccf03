// The answers that read the whole history (overview, connections, network, tags, helpers), as
// plain data in and JSON out, so they can be computed on the figures worker
// (figures-worker.ts) as well as in place.
import type { DashboardQueries } from '../../../core/store/index.js';
import { connections } from './connections.js';
import type { DashboardData } from './data.js';
import { helpers } from './helpers.js';
import { network } from './network.js';
import { overview } from './overview.js';
import type { ResolvedPeriod } from './period.js';
import { tags } from './tags.js';

/** One answer to compute: structured-cloneable (it crosses to the worker). */
export type FigureView =
  { kind: 'overview' | 'connections' | 'tags' | 'helpers'; p: ResolvedPeriod } | { kind: 'network'; p: ResolvedPeriod; minWeight: number };

export function figureJson(queries: DashboardQueries, data: DashboardData, view: FigureView): string {
  const { p } = view;
  switch (view.kind) {
    case 'overview':
      return JSON.stringify(overview(data.snapshot(), data.people().summary, p));
    case 'connections':
      return JSON.stringify(connections(data.snapshot(), p));
    case 'network':
      return JSON.stringify(network(data.snapshot(), data.people(), p, view.minWeight));
    case 'tags':
      return JSON.stringify(tags(data.snapshot(), p));
    case 'helpers':
      return JSON.stringify(helpers(queries, data.members(), data.people(), p));
  }
}
