// The interactions in memory, kept up to date by reading only those recorded since the last
// look: interactions are only ever added, so after the first full read (~0.5 s at 100k) a
// change costs a few ms. Anything else (a count that does not add up, members merged or
// removed) triggers a full read again. Alongside, each pair's first interaction (its tie).
import { tiesFormed } from '../../../core/metrics/ties.js';
import type { DashboardInteraction, DashboardQueries } from '../../../core/store/index.js';

/** Time order, then id: the order the metrics put interactions in. */
export const byTime = (a: DashboardInteraction, b: DashboardInteraction): number => a.occurredAt.getTime() - b.occurredAt.getTime() || a.id - b.id;

/** Each pair's first interaction, in time order. */
const firstsOf = (rows: readonly DashboardInteraction[]): DashboardInteraction[] =>
  tiesFormed(rows)
    .map((t) => t.first as DashboardInteraction)
    .sort(byTime);

export class InteractionLog {
  #rows: DashboardInteraction[] = [];
  #firsts: DashboardInteraction[] = [];
  #maxId = 0;
  #membersVersion: string | undefined;

  /** Each pair's first interaction as of the last `current`, in time order. */
  get firsts(): DashboardInteraction[] {
    return this.#firsts;
  }

  /** Every interaction in time order. `membersVersion` changes when members are merged or removed. */
  current(q: DashboardQueries, membersVersion: string): DashboardInteraction[] {
    const { count, maxId } = q.interactionStats();
    if (membersVersion !== this.#membersVersion || maxId < this.#maxId) return this.#reload(q, membersVersion);
    if (maxId === this.#maxId && count === this.#rows.length) return this.#rows;
    const added = q.interactionsAfter(this.#maxId);
    if (this.#rows.length + added.length !== count) return this.#reload(q, membersVersion);
    const last = this.#rows.at(-1);
    const first = added[0];
    // A new array: snapshots handed out earlier keep theirs unchanged.
    const rows = this.#rows.concat(added);
    if (last && first && byTime(first, last) < 0) rows.sort(byTime);
    this.#rows = rows;
    this.#maxId = maxId;
    // A pair's first interaction is its old first or one of the new ones.
    this.#firsts = firstsOf(this.#firsts.concat(added));
    return rows;
  }

  #reload(q: DashboardQueries, membersVersion: string): DashboardInteraction[] {
    this.#rows = q.interactions();
    this.#firsts = firstsOf(this.#rows);
    this.#maxId = this.#rows.reduce((m, i) => Math.max(m, i.id), 0);
    this.#membersVersion = membersVersion;
    return this.#rows;
  }
}
