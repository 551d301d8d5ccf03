// Moving a problem through its lifecycle from the workflow: the state machine says where an
// event leads, the store records the step with its cause. Events that do not apply are ignored.
import type { Problem } from '../store/index.js';
import type { ConciergeContext } from './context.js';
import { nextStatus, type ProblemEvent } from './lifecycle.js';

export async function advance(ctx: ConciergeContext, problem: Problem, event: ProblemEvent, cause: string, at: Date, sourceEventId?: string): Promise<Problem> {
  const to = nextStatus(problem.status, event);
  if (to === null || to === problem.status) return problem;
  const moved = await ctx.store.problems.transition(problem.id, { from: problem.status, to, cause, sourceEventId: sourceEventId ?? null, at });
  if (moved) return moved;
  // Someone else moved it meanwhile: try again from where it is now.
  const current = await ctx.store.problems.get(problem.id);
  return current && current.status !== problem.status ? advance(ctx, current, event, cause, at, sourceEventId) : (current ?? problem);
}
