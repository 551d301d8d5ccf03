// The interactions in memory, kept up to date by reading only those recorded since the last
// look: interactions are only ever added, so after the first full read (~0.5 s at 100k) a
// change costs a few ms. Anything else (a count that does not add up, members merged or
// removed) triggers a full read again.
import type { DashboardInteraction, DashboardQueries } from '../../../core/store/index.js';

const byTime = (a: DashboardInteraction, b: DashboardInteraction): number =>
  a.occurredAt.getTime() - b.occurredAt.getTime() || a.id - b.id;

export class InteractionLog {
  #rows: DashboardInteraction[] = [];
  #maxId = 0;
  #membersVersion: string | undefined;

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
    return rows;
  }

  #reload(q: DashboardQueries, membersVersion: string): DashboardInteraction[] {
    this.#rows = q.interactions();
    this.#maxId = this.#rows.reduce((m, i) => Math.max(m, i.id), 0);
    this.#membersVersion = membersVersion;
    return this.#rows;
  }
}
