// Everything the metrics read, loaded once per change of the store (see ViewCache) and shared
// by the overview, connections, network and tags answers.
import { solveTimes } from '../../../core/metrics/problems.js';
import type { ConnectionHistory, UnassistedResolution } from '../../../core/metrics/records.js';
import { unassistedResolutionsFromThreads } from '../../../core/metrics/resolutions.js';
import type {
  DashboardFeedback,
  DashboardInteraction,
  DashboardMember,
  DashboardProblem,
  DashboardQueries,
  DashboardResponse,
  FingerprintPart,
} from '../../../core/store/index.js';
import type { Period } from '../../../core/metrics/weeks.js';
import type { MemberId, ProblemId } from '../../../core/types.js';
import { byTime, InteractionLog } from './interaction-log.js';

export interface Snapshot {
  members: Map<MemberId, DashboardMember>;
  /** In time order. */
  interactions: DashboardInteraction[];
  problems: DashboardProblem[];
  tagsByProblem: Map<ProblemId, string[]>;
  responses: DashboardResponse[];
  solvedFeedback: DashboardFeedback[];
  unassisted: UnassistedResolution[];
  /** When each solved problem was solved ('unknown' when it cannot be dated). */
  solvedAt: Map<ProblemId, Date | 'unknown'>;
  /** Each pair's first interaction (its tie), in time order. */
  firsts: DashboardInteraction[];
  /** The input of the connection metrics, all of it. */
  history: ConnectionHistory;
}

/**
 * The history the connection metrics need to answer for periods inside `window`: every
 * pair's first interaction (ties and whether a later contact bypasses the bot are decided by
 * it) plus the interactions in the window. Every figure of a period inside the window comes
 * out as from the whole history (test: snapshot.test.ts), from a fraction of the interactions
 * when the history is long.
 */
export function historyFor(s: Snapshot, window: Period): ConnectionHistory {
  const inWindow = between(s.interactions, window.from.getTime(), window.to.getTime());
  if (inWindow.length === s.interactions.length) return s.history;
  const merged: DashboardInteraction[] = [];
  let a = 0;
  let b = 0;
  const firsts = s.firsts;
  // Both in time order: a merge keeps the order and drops a first that is also in the window.
  while (a < firsts.length || b < inWindow.length) {
    const x = firsts[a];
    const y = inWindow[b];
    if (y === undefined || (x !== undefined && byTime(x, y) < 0)) {
      merged.push(x!);
      a += 1;
    } else if (x !== undefined && x.id === y.id) {
      merged.push(y);
      a += 1;
      b += 1;
    } else {
      merged.push(y);
      b += 1;
    }
  }
  return { ...s.history, interactions: merged };
}

/** The interactions with from <= occurredAt < to, by binary search over the time-ordered list. */
export function between(rows: readonly DashboardInteraction[], from: number, to: number): DashboardInteraction[] {
  const firstAtOrAfter = (t: number): number => {
    let lo = 0;
    let hi = rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (rows[mid]!.occurredAt.getTime() < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return rows.slice(firstAtOrAfter(from), firstAtOrAfter(to));
}

/**
 * Loads snapshots, reading again only the kinds of records whose part of the store's
 * fingerprint changed since the last load (a new tag re-reads the tags, not 10k problems and
 * 17k responses). Members and merges rewrite member ids anywhere, so every part depends on
 * them; interactions are read incrementally by the InteractionLog.
 */
export class SnapshotLoader {
  readonly #log: InteractionLog;
  readonly #parts = new Map<string, { key: string; value: unknown }>();

  constructor(log: InteractionLog = new InteractionLog()) {
    this.#log = log;
  }

  load(q: DashboardQueries): Snapshot {
    return this.read(q, q.fingerprints());
  }

  /** Without fingerprints every part is read. */
  read(q: DashboardQueries, f: Record<FingerprintPart, string> | null): Snapshot {
    const part = <T>(name: string, deps: readonly FingerprintPart[], read: () => T): T => {
      if (!f) return read();
      const key = [...deps, 'members', 'merges'].map((d) => f[d as FingerprintPart]).join('#');
      const known = this.#parts.get(name);
      if (known && known.key === key) return known.value as T;
      const value = read();
      this.#parts.set(name, { key, value });
      return value;
    };
    const memberList = q.members();
    const members = new Map(memberList.map((m) => [m.id, m]));
    const interactions = this.#log.current(q, memberList.map((m) => m.id).join(','));
    const firsts = this.#log.firsts;
    const problems = part('problems', ['problems'], () => q.problems());
    const tagsByProblem = part('tags', ['problems', 'tags'], () => {
      const byProblem = new Map<ProblemId, string[]>();
      for (const { problemId, tag } of q.problemTags()) {
        const list = byProblem.get(problemId);
        if (list) list.push(tag);
        else byProblem.set(problemId, [tag]);
      }
      return byProblem;
    });
    const responses = part('responses', ['responses', 'problems'], () => q.responses());
    const solvedFeedback = part('feedback', ['feedback', 'problems'], () => q.solvedFeedback());
    const unassisted = part('unassisted', ['documents', 'problems'], () => unassistedResolutionsFromThreads(q.resolutionCandidates(), problems));
    const solvedAt = part('solvedAt', ['problems', 'feedback'], () => solveTimes(problems, solvedFeedback));
    return {
      members,
      interactions,
      firsts,
      problems,
      tagsByProblem,
      responses,
      solvedFeedback,
      unassisted,
      solvedAt,
      history: { interactions, problems, responses, feedback: solvedFeedback, members: [...members.values()], unassistedResolutions: unassisted },
    };
  }
}

/** Loads a snapshot, all of it; with an InteractionLog, only the interactions added since its last look are read. */
export function loadSnapshot(q: DashboardQueries, log: InteractionLog = new InteractionLog()): Snapshot {
  return new SnapshotLoader(log).read(q, null);
}
