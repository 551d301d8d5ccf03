// Everything the metrics read, loaded once per change of the store (see ViewCache) and shared
// by the overview, connections, network and tags answers.
import {
  solveTimes, unassistedResolutionsFromThreads, type ConnectionHistory, type UnassistedResolution,
} from '../../../core/metrics/index.js';
import type {
  DashboardFeedback, DashboardInteraction, DashboardMember, DashboardProblem, DashboardQueries, DashboardResponse,
} from '../../../core/store/index.js';
import type { MemberId, ProblemId } from '../../../core/types.js';
import { InteractionLog } from './interaction-log.js';

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
  /** The input of the connection metrics. */
  history: ConnectionHistory;
}

/** Loads a snapshot; with an InteractionLog, only the interactions added since its last look are read. */
export function loadSnapshot(q: DashboardQueries, log: InteractionLog = new InteractionLog()): Snapshot {
  const memberList = q.members();
  const members = new Map(memberList.map((m) => [m.id, m]));
  const interactions = log.current(q, memberList.map((m) => m.id).join(','));
  const problems = q.problems();
  const tagsByProblem = new Map<ProblemId, string[]>();
  for (const { problemId, tag } of q.problemTags()) {
    const list = tagsByProblem.get(problemId);
    if (list) list.push(tag);
    else tagsByProblem.set(problemId, [tag]);
  }
  const responses = q.responses();
  const solvedFeedback = q.solvedFeedback();
  const unassisted = unassistedResolutionsFromThreads(q.resolutionCandidates(), problems);
  return {
    members, interactions, problems, tagsByProblem, responses, solvedFeedback, unassisted,
    solvedAt: solveTimes(problems, solvedFeedback),
    history: { interactions, problems, responses, feedback: solvedFeedback, members: [...members.values()], unassistedResolutions: unassisted },
  };
}
