import { describe, expect, it } from 'vitest';
import { PROBLEM_STATUSES, type ProblemStatus } from '../store/types.js';
import { isOpen, nextStatus, type ProblemEvent } from './lifecycle.js';

const EVENTS: ProblemEvent[] = ['acknowledged', 'invited', 'response', 'digest-sent', 'solved', 'stale', 'closed'];

describe('problem lifecycle', () => {
  it('walks the happy path', () => {
    let s: ProblemStatus = 'opened';
    const path: ProblemStatus[] = [s];
    for (const e of ['acknowledged', 'invited', 'response', 'digest-sent', 'solved'] as const) {
      s = nextStatus(s, e)!;
      path.push(s);
    }
    expect(path).toEqual(['opened', 'acknowledged', 'invited', 'answered', 'digested', 'solved']);
  });

  it('skips steps that did not happen (no one to invite, an answer before invitations)', () => {
    expect(nextStatus('acknowledged', 'response')).toBe('answered');
    expect(nextStatus('opened', 'solved')).toBe('solved');
    expect(nextStatus('invited', 'stale')).toBe('stale');
  });

  it('ignores events that do not apply: going back, repeating, or acting on a closed problem', () => {
    expect(nextStatus('invited', 'acknowledged')).toBeNull();
    expect(nextStatus('answered', 'response')).toBeNull();
    expect(nextStatus('solved', 'response')).toBeNull();
    expect(nextStatus('solved', 'solved')).toBeNull();
    for (const e of EVENTS) expect(nextStatus('closed', e)).toBeNull();
  });

  it('revives a stale problem with a late answer, and lets a solved one be closed', () => {
    expect(nextStatus('stale', 'response')).toBe('answered');
    expect(nextStatus('solved', 'closed')).toBe('closed');
  });

  it('never leaves a final state except solved -> closed, and every transition goes to a known state', () => {
    for (const from of PROBLEM_STATUSES) {
      for (const e of EVENTS) {
        const to = nextStatus(from, e);
        if (to !== null) expect(PROBLEM_STATUSES).toContain(to);
        if (!isOpen(from) && to !== null) expect([from, to]).toEqual(['solved', 'closed']);
      }
    }
  });
});
