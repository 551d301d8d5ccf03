// The in-memory interaction list against a real SQLite store: after the first read it reads
// only what was added, and reads everything again when that cannot be right.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../core/logging.js';
import { openStore, type DashboardQueries, type Store } from '../../../core/store/index.js';
import type { MemberId } from '../../../core/types.js';
import { InteractionLog } from './interaction-log.js';

describe('InteractionLog', () => {
  let dir: string;
  let store: Store;
  let members: MemberId[];
  let fullReads: number;
  let q: DashboardQueries;
  const at = (day: number) => new Date(Date.UTC(2025, 0, day));
  const add = (...days: number[]) =>
    store.bulk.addInteractions(
      days.map((day) => ({
        fromMemberId: members[0]!,
        toMemberId: members[1]!,
        kind: 'reply' as const,
        platform: 'matrix' as const,
        mediated: false,
        occurredAt: at(day),
      })),
    );
  const days = (rows: { occurredAt: Date }[]) => rows.map((r) => r.occurredAt.getUTCDate());

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'co-agent-ilog-'));
    store = await openStore({ path: path.join(dir, 'db.sqlite'), logger: createLogger({ level: 'silent' }) });
    members = await store.bulk.addMembers([
      { displayName: 'A', createdAt: at(1) },
      { displayName: 'B', createdAt: at(1) },
    ]);
    fullReads = 0;
    // The real queries, counting full reads.
    q = {
      ...store.dashboard,
      interactions: () => {
        fullReads += 1;
        return store.dashboard.interactions();
      },
    };
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads everything once, then only what was added, keeping time order', async () => {
    const log = new InteractionLog();
    await add(5, 3);
    expect(days(log.current(q, 'v1'))).toEqual([3, 5]);
    const before = log.current(q, 'v1');
    await add(9);
    expect(days(log.current(q, 'v1'))).toEqual([3, 5, 9]);
    // Recorded late but dated early: still in time order.
    await add(4);
    expect(days(log.current(q, 'v1'))).toEqual([3, 4, 5, 9]);
    expect(fullReads).toBe(1);
    // What was handed out earlier is left as it was.
    expect(days(before)).toEqual([3, 5]);
  });

  it('reads everything again when members changed, or when the count does not add up', async () => {
    const log = new InteractionLog();
    await add(1, 2);
    log.current(q, 'v1');
    // Members merged or removed (their interactions re-pointed or gone): another member set.
    expect(days(log.current(q, 'v2'))).toEqual([1, 2]);
    expect(fullReads).toBe(2);
    // More rows than the log plus the new ones (rows changed some other way): read everything.
    await add(3);
    const lying: DashboardQueries = { ...q, interactionStats: () => ({ ...store.dashboard.interactionStats(), count: 4 }) };
    expect(days(log.current(lying, 'v2'))).toEqual([1, 2, 3]);
    expect(fullReads).toBe(3);
    // Nothing new: nothing read.
    expect(days(log.current(q, 'v2'))).toEqual([1, 2, 3]);
    expect(fullReads).toBe(3);
  });
});
