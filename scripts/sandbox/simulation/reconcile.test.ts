import { describe, expect, it } from 'vitest';
import type { Problem } from '../../../core/store/index.js';
import { reconcile } from './reconcile.js';

const period = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-15T00:00:00Z') };
const problem = (id: number, platform: 'matrix' | 'discourse', threadId: string, at: string): Problem =>
  ({
    id,
    originatorId: 1,
    sourceDocumentId: null,
    platform,
    sourceEventId: threadId,
    containerId: null,
    threadId,
    text: `text ${id}`,
    status: 'open',
    tags: [],
    createdAt: new Date(at),
    updatedAt: new Date(at),
    solvedAt: null,
  }) as unknown as Problem;

describe('reconcile', () => {
  it('matches requests to problems by thread, and names what is on one side only', () => {
    const asked = [
      { place: { platform: 'matrix' as const, roomId: '!r', root: '$a' }, askedAt: Date.parse('2026-01-02T10:00:00Z'), who: 'Ann' },
      { place: { platform: 'discourse' as const, topicId: 7 }, askedAt: Date.parse('2026-01-03T10:00:00Z'), who: 'Bo' },
      { place: { platform: 'discourse' as const, topicId: 8 }, askedAt: Date.parse('2026-01-04T10:00:00Z'), who: 'Cy' },
      { place: { platform: 'matrix' as const, roomId: '!r', root: '$late' }, askedAt: Date.parse('2026-01-14T23:59:59Z'), who: 'Di' },
    ];
    const problems = [
      problem(1, 'matrix', '$a', '2026-01-02T10:00:01Z'),
      problem(2, 'discourse', '7', '2026-01-03T10:00:01Z'),
      problem(3, 'matrix', '$z', '2026-01-05T10:00:00Z'),
      // Before the period: history, not the simulation's business.
      problem(4, 'discourse', '1', '2025-12-20T10:00:00Z'),
      // Asked before the end, opened just after it: not lost.
      problem(5, 'matrix', '$late', '2026-01-15T00:00:01Z'),
    ];
    const r = reconcile(asked, problems, period);
    expect(r.notOpened).toEqual(['discourse:8 asked by Cy at 2026-01-04T10:00']);
    expect(r.notAsked).toHaveLength(1);
    expect(r.notAsked[0]).toMatch(/^problem 3 \(matrix:\$z, event \$z, opened 2026-01-05T10:00\): "text 3"$/);
  });
});
