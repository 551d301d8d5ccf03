// Logged-in sessions, in memory: random ids, a CSRF token each, and an idle timeout. A restart
// logs everyone out, which is fine for a handful of dashboard users.
import { randomBytes } from 'node:crypto';
import type { Role } from '../api-types.js';

export interface Session {
  readonly id: string;
  readonly role: Role;
  /** Sent back with every form and unsafe request (POST ...) of this session. */
  readonly csrf: string;
  lastSeen: number;
}

/** 256 bits from the OS's CSPRNG, URL-safe. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

export interface SessionStoreOptions {
  idleMs: number;
  /** Most sessions kept; beyond it the least recently used is dropped. */
  maxSessions?: number;
  now?: () => number;
}

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #idleMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: SessionStoreOptions) {
    this.#idleMs = options.idleMs;
    this.#max = options.maxSessions ?? 1000;
    // A monotonic clock: idle time must not jump with the wall clock (or the sandbox's simulated one).
    this.#now = options.now ?? (() => performance.now());
  }

  create(role: Role): Session {
    this.#sweep();
    while (this.#sessions.size >= this.#max) {
      const oldest = this.#sessions.keys().next();
      if (oldest.done) break;
      this.#sessions.delete(oldest.value);
    }
    const session: Session = { id: randomToken(), role, csrf: randomToken(), lastSeen: this.#now() };
    this.#sessions.set(session.id, session);
    return session;
  }

  /**
   * The live session with this id, marked as just used; 'expired' when it timed out (and is
   * now gone), undefined when there is none.
   */
  touch(id: string | undefined): Session | 'expired' | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (!session) return undefined;
    const now = this.#now();
    this.#sessions.delete(id);
    if (now - session.lastSeen > this.#idleMs) return 'expired';
    session.lastSeen = now;
    // Re-inserted, so the map stays in least-recently-used order for eviction.
    this.#sessions.set(id, session);
    return session;
  }

  destroy(id: string): void {
    this.#sessions.delete(id);
  }

  get size(): number {
    return this.#sessions.size;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, s] of this.#sessions) {
      // LRU order: the first live one means the rest are live too.
      if (now - s.lastSeen <= this.#idleMs) break;
      this.#sessions.delete(id);
    }
  }
}
