// A problem's lifecycle as an explicit state machine:
//
//   opened -> acknowledged -> invited -> answered -> digested -> solved
//                                  \_______________________\___> stale / closed
//   solved -> answered again when the solution is taken back (reopened)
//
// Events move it along; an event that does not apply in the current state changes nothing (a
// second answer to an answered problem, "solved" on a closed one). Every change is recorded
// with its time and cause, so the dashboard can show the timeline.
import { PROBLEM_STATUSES, type ProblemStatus } from '../store/types.js';

export type ProblemEvent =
  /** The bot replied to the request. */
  | 'acknowledged'
  /** Members were asked to help. */
  | 'invited'
  /** Someone other than the originator answered. */
  | 'response'
  /** The originator got the curated digest of answers. */
  | 'digest-sent'
  /** The originator (or the platform's accepted answer) says it is solved. */
  | 'solved'
  /** Nobody answered, or the originator went quiet, for too long. */
  | 'stale'
  /** The request was withdrawn (message deleted) or closed by hand. */
  | 'closed'
  /** The solution was taken back (a forum's accepted answer unaccepted): open again. */
  | 'reopened';

const OPEN_ENDINGS = { solved: 'solved', stale: 'stale', closed: 'closed' } as const;

const TRANSITIONS: Record<ProblemStatus, Partial<Record<ProblemEvent, ProblemStatus>>> = {
  opened: { acknowledged: 'acknowledged', invited: 'invited', response: 'answered', ...OPEN_ENDINGS },
  acknowledged: { invited: 'invited', response: 'answered', ...OPEN_ENDINGS },
  invited: { response: 'answered', ...OPEN_ENDINGS },
  answered: { 'digest-sent': 'digested', ...OPEN_ENDINGS },
  digested: { solved: 'solved', stale: 'stale', closed: 'closed' },
  // A late answer revives a stale request.
  stale: { response: 'answered', solved: 'solved', closed: 'closed' },
  solved: { closed: 'closed', reopened: 'answered' },
  closed: {},
};

/** The state an event leads to, or null when it does not apply in this state. */
export function nextStatus(status: ProblemStatus, event: ProblemEvent): ProblemStatus | null {
  return TRANSITIONS[status][event] ?? null;
}

/** Open means someone may still help. */
export const isOpen = (status: ProblemStatus): boolean => status !== 'solved' && status !== 'closed';

/** Every status a request can still be helped (or marked solved) in. */
export const OPEN_STATUSES: readonly ProblemStatus[] = PROBLEM_STATUSES.filter(isOpen);
