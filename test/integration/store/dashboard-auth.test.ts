// The store's side of dashboard sign-in: sessions by role with their caps and idle sweep, and
// the generated secret kept across restarts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTempStore } from './helpers.js';

describe('dashboard sessions and generated secrets in the store', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  beforeEach(async () => {
    temp = await openTempStore();
  });
  afterEach(async () => temp.done());

  const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

  it("drops the least recently seen sessions of the new one's role beyond its cap, never another role's", async () => {
    const sessions = temp.store.dashboardSessions;
    const limits = (minute: number) => ({ maxForRole: 2, idleSince: at(minute - 600) });
    await sessions.create({ idHash: 'admin-1', role: 'admin', at: at(0) }, limits(0));
    for (let i = 1; i <= 4; i++) {
      const { evicted } = await sessions.create({ idHash: `viewer-${i}`, role: 'viewer', at: at(i) }, limits(i));
      expect(evicted).toBe(i > 2 ? 1 : 0);
    }
    await sessions.touch('viewer-3', at(10));
    await sessions.create({ idHash: 'viewer-5', role: 'viewer', at: at(11) }, limits(11));
    const alive = async (id: string) => (await sessions.find(id)) !== null;
    expect(await Promise.all(['admin-1', 'viewer-1', 'viewer-2', 'viewer-3', 'viewer-4', 'viewer-5'].map(alive))).toEqual([
      true,
      false,
      false,
      true,
      false,
      true,
    ]);
    expect(await sessions.find('viewer-3')).toEqual({ idHash: 'viewer-3', role: 'viewer', staff: null, createdAt: at(3), lastSeenAt: at(10) });
  });

  it("caps a staff account's sessions on their own: one person's logins never push out a colleague's", async () => {
    const sessions = temp.store.dashboardSessions;
    const limits = (minute: number) => ({ maxForRole: 1, idleSince: at(minute - 600) });
    await sessions.create({ idHash: 'paul-1', role: 'admin', staff: 'paul', at: at(0) }, limits(0));
    await sessions.create({ idHash: 'shared-1', role: 'admin', at: at(1) }, limits(1));
    await sessions.create({ idHash: 'marie-1', role: 'admin', staff: 'marie', at: at(2) }, limits(2));
    const { evicted } = await sessions.create({ idHash: 'marie-2', role: 'admin', staff: 'marie', at: at(3) }, limits(3));
    expect(evicted).toBe(1);
    const alive = async (id: string) => (await sessions.find(id)) !== null;
    expect(await Promise.all(['paul-1', 'shared-1', 'marie-1', 'marie-2'].map(alive))).toEqual([true, true, false, true]);
    expect((await sessions.find('marie-2'))?.staff).toBe('marie');
  });

  it('sweeps idle sessions of every role when a session is made, and deletes one on request', async () => {
    const sessions = temp.store.dashboardSessions;
    await sessions.create({ idHash: 'old-admin', role: 'admin', at: at(0) }, { maxForRole: 5, idleSince: at(-60) });
    await sessions.create({ idHash: 'recent', role: 'admin', at: at(50) }, { maxForRole: 5, idleSince: at(-10) });
    await sessions.create({ idHash: 'new-viewer', role: 'viewer', at: at(70) }, { maxForRole: 5, idleSince: at(10) });
    expect(await sessions.find('old-admin')).toBeNull();
    expect(await sessions.find('recent')).not.toBeNull();
    await sessions.delete('recent');
    expect(await sessions.find('recent')).toBeNull();
  });

  it('makes a secret once and gives the same one back, after a restart too', async () => {
    let made = 0;
    const make = () => `secret-${++made}`;
    const [a, b] = await Promise.all([temp.store.generatedSecrets.obtain('k', make), temp.store.generatedSecrets.obtain('k', make)]);
    expect(a).toBe('secret-1');
    expect(b).toBe('secret-1');
    expect(await temp.store.generatedSecrets.obtain('other', make)).toBe('secret-2');
    await temp.store.close();
    const reopened = await temp.reopen();
    try {
      expect(await reopened.generatedSecrets.obtain('k', make)).toBe('secret-1');
    } finally {
      await reopened.close();
    }
  });
});
