import { describe, expect, it } from 'vitest';
import { SessionStore } from './sessions.js';

describe('SessionStore', () => {
  it('hands out random ids and CSRF tokens, and finds a session by its id', () => {
    const store = new SessionStore({ idleMs: 1000 });
    const a = store.create('admin');
    const b = store.create('viewer');
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([a.id, b.id, a.csrf, b.csrf]).size).toBe(4);
    expect(store.touch(a.id)).toBe(a);
    expect(store.touch(b.id)).toMatchObject({ role: 'viewer' });
    expect(store.touch('nope')).toBeUndefined();
    expect(store.touch(undefined)).toBeUndefined();
  });

  it('ends a session after the idle time, and each use restarts the clock', () => {
    let now = 0;
    const store = new SessionStore({ idleMs: 1000, now: () => now });
    const s = store.create('admin');
    now = 900;
    expect(store.touch(s.id)).toBe(s);
    now = 1800; // 900 ms after the last use
    expect(store.touch(s.id)).toBe(s);
    now = 2801;
    expect(store.touch(s.id)).toBe('expired');
    // Expired means gone.
    expect(store.touch(s.id)).toBeUndefined();
  });

  it('destroys sessions, drops expired ones when new ones come, and keeps at most maxSessions', () => {
    let now = 0;
    const store = new SessionStore({ idleMs: 1000, maxSessions: 2, now: () => now });
    const a = store.create('admin');
    store.destroy(a.id);
    expect(store.touch(a.id)).toBeUndefined();
    const b = store.create('admin');
    now = 500;
    const c = store.create('admin');
    store.touch(b.id); // b is now the most recently used
    const d = store.create('admin'); // evicts c, the least recently used
    expect(store.touch(c.id)).toBeUndefined();
    expect(store.touch(b.id)).toBe(b);
    expect(store.touch(d.id)).toBe(d);
    now = 5000;
    store.create('viewer');
    expect(store.size).toBe(1);
  });
});
