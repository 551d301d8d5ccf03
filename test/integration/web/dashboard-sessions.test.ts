// SessionStore on a real SQLite store: what the browser holds, what the database keeps, the
// idle timeout, the per-role caps, and sessions ending with their role's password.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../core/store/index.js';
import { openTempStore } from '../store/helpers.js';
import type { Role } from '../../../web/dashboard/api-types.js';
import { SessionStore, type SessionStoreOptions } from '../../../web/dashboard/auth/sessions.js';
import { Signer } from '../../../web/dashboard/auth/signer.js';

const HOUR = 3_600_000;
const PASSWORDS = new Map<Role, string>([
  ['admin', 'admin pw'],
  ['viewer', 'viewer pw'],
]);

describe('SessionStore', () => {
  let temp: Awaited<ReturnType<typeof openTempStore>>;
  let store: Store;
  const clock = { now: 1_800_000_000_000 };
  const sessions = (options: Partial<SessionStoreOptions> = {}) =>
    new SessionStore({
      repository: store.dashboardSessions,
      signer: new Signer('a server secret of enough length....'),
      passwords: PASSWORDS,
      idleMs: 12 * HOUR,
      maxPerRole: { admin: 2, viewer: 3 },
      now: () => clock.now,
      ...options,
    });
  beforeEach(async () => {
    temp = await openTempStore();
    store = temp.store;
  });
  afterEach(async () => temp.done());

  it('hands out random ids, keeps only a MAC of each, and finds the session by its id', async () => {
    const s = sessions();
    const a = await s.create('admin');
    const b = await s.create('viewer');
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([a.id, b.id, a.session.idHash, b.session.idHash, a.session.csrf, b.session.csrf]).size).toBe(6);
    expect(await s.find(a.id)).toEqual(a.session);
    expect(await s.find(b.id)).toMatchObject({ role: 'viewer' });
    expect(await store.dashboardSessions.find(a.id)).toBeNull();
    for (const odd of [undefined, '', 'nope', `${a.id}x`, a.session.idHash]) expect(await s.find(odd)).toBeUndefined();
  });

  it('ends a session after the idle time, each use restarting the clock', async () => {
    const s = sessions({ idleMs: HOUR });
    const { id } = await s.create('admin');
    clock.now += 0.9 * HOUR;
    expect(await s.find(id)).toMatchObject({ role: 'admin' });
    clock.now += 0.9 * HOUR; // 0.9 h after the last use
    expect(await s.find(id)).toMatchObject({ role: 'admin' });
    clock.now += HOUR + 1;
    expect(await s.find(id)).toBe('expired');
    // Expired means gone.
    expect(await s.find(id)).toBeUndefined();
  });

  it('keeps sessions across a restart (a new store object on the same database)', async () => {
    const { id } = await sessions().create('viewer');
    expect(await sessions().find(id)).toMatchObject({ role: 'viewer' });
  });

  it('caps each role on its own: viewer logins push out only the least recently used viewer', async () => {
    const s = sessions();
    const admins = [await s.create('admin'), await s.create('admin')];
    const viewers = [];
    for (let i = 0; i < 6; i++) {
      clock.now += 2 * 60_000;
      viewers.push(await s.create('viewer'));
    }
    expect(viewers.map((v) => v.evicted)).toEqual([0, 0, 0, 1, 1, 1]);
    for (const a of admins) expect(await s.find(a.id)).toMatchObject({ role: 'admin' });
    expect(await Promise.all(viewers.map(async (v) => (await s.find(v.id)) !== undefined))).toEqual([false, false, false, true, true, true]);
    // Using the first admin session makes the second the least recently used.
    clock.now += 2 * 60_000;
    await s.find(admins[0]!.id);
    clock.now += 2 * 60_000;
    const third = await s.create('admin');
    expect([await s.find(admins[0]!.id), await s.find(admins[1]!.id), await s.find(third.id)].map((x) => x !== undefined)).toEqual([true, false, true]);
  });

  it('ends the sessions of a role whose password changed, and all of them under another server secret', async () => {
    const before = sessions();
    const admin = await before.create('admin');
    const viewer = await before.create('viewer');
    const newViewerPassword = sessions({
      passwords: new Map<Role, string>([
        ['admin', 'admin pw'],
        ['viewer', 'changed'],
      ]),
    });
    expect(await newViewerPassword.find(admin.id)).toMatchObject({ role: 'admin' });
    expect(await newViewerPassword.find(viewer.id)).toBeUndefined();
    const noViewer = sessions({ passwords: new Map<Role, string>([['admin', 'admin pw']]) });
    expect(await noViewer.find(viewer.id)).toBeUndefined();
    const otherSecret = sessions({ signer: new Signer('another server secret............') });
    expect(await otherSecret.find(admin.id)).toBeUndefined();
  });

  it('destroys a session', async () => {
    const s = sessions();
    const { id, session } = await s.create('admin');
    await s.destroy(session);
    expect(await s.find(id)).toBeUndefined();
  });
});
