// Logged-in sessions, kept in the database so a restart logs nobody out. The browser holds a
// random id; the database holds only a MAC of it under a key derived from the server secret
// and the role's password, so a copy of the database logs nobody in, and changing a role's
// password ends that role's sessions. Each role has its own cap: one more login pushes out
// the least recently used session of the same role, never another role's.
import type { DashboardSessionRepository } from '../../../core/store/index.js';
import type { Role } from '../api-types.js';
import { realTime, type Clock } from './clock.js';
import type { Signer } from './signer.js';
import type { StaffAccount, StaffRole } from './staff.js';
import { randomToken, TOKEN } from './tokens.js';

export interface Session {
  /** What the database keeps the session under (not the cookie's id). */
  readonly idHash: string;
  readonly role: Role;
  /** Sent back with every form and unsafe request (POST ...) of this session. */
  readonly csrf: string;
  /** The named staff account logged in, when it was one (not a shared role password). */
  readonly staff?: { readonly name: string; readonly role: StaffRole } | undefined;
}

/** What a staff role may read: viewers what the viewer password shows, the team everything. */
export const dataRoleOf = (role: StaffRole): Role => (role === 'viewer' ? 'viewer' : 'admin');

export interface SessionStoreOptions {
  repository: DashboardSessionRepository;
  signer: Signer;
  /** The password of each role that can log in. */
  passwords: ReadonlyMap<Role, string>;
  /** Named staff accounts: each has its own session key, derived from its password hash. */
  staff?: readonly StaffAccount[];
  idleMs: number;
  maxPerRole: Readonly<Record<Role, number>>;
  now?: Clock;
}

/** How often a session's last use is written at most: the idle timeout is kept to within this. */
const touchEveryMs = (idleMs: number): number => Math.min(60_000, idleMs / 20);

export class SessionStore {
  readonly #options: SessionStoreOptions;
  readonly #now: Clock;
  readonly #keys: ReadonlyMap<Role, Signer>;
  readonly #staffKeys: ReadonlyMap<string, { account: StaffAccount; key: Signer }>;

  constructor(options: SessionStoreOptions) {
    this.#options = options;
    this.#now = options.now ?? realTime;
    this.#keys = new Map([...options.passwords].map(([role, password]) => [role, options.signer.derive('session-key', role, password)]));
    // A new password (hash) for an account ends that account's sessions, as for the roles.
    this.#staffKeys = new Map(
      (options.staff ?? []).map((account) => [account.name, { account, key: options.signer.derive('staff-session-key', account.name, account.hash) }]),
    );
  }

  /** A new session for a named staff account. */
  async createForStaff(account: StaffAccount): Promise<{ id: string; session: Session; evicted: number }> {
    const entry = this.#staffKeys.get(account.name);
    if (!entry) throw new Error(`no staff account ${account.name}`);
    const id = randomToken();
    const idHash = entry.key.sign('session-id', id);
    const role = dataRoleOf(account.role);
    const now = this.#now();
    const { evicted } = await this.#options.repository.create(
      { idHash, role, staff: account.name, at: new Date(now) },
      { maxForRole: this.#options.maxPerRole[role], idleSince: new Date(now - this.#options.idleMs) },
    );
    return { id, session: this.#session(idHash, role, account), evicted };
  }

  /** A new session: its id for the cookie, and how many of the role's sessions it pushed out. */
  async create(role: Role): Promise<{ id: string; session: Session; evicted: number }> {
    const key = this.#keys.get(role);
    if (!key) throw new Error(`no password for role ${role}`);
    const id = randomToken();
    const idHash = key.sign('session-id', id);
    const now = this.#now();
    const { evicted } = await this.#options.repository.create(
      { idHash, role, at: new Date(now) },
      { maxForRole: this.#options.maxPerRole[role], idleSince: new Date(now - this.#options.idleMs) },
    );
    return { id, session: this.#session(idHash, role), evicted };
  }

  /**
   * The live session with this cookie id, marked as used; 'expired' when it timed out (and is
   * now gone), undefined when there is none.
   */
  async find(id: string | undefined): Promise<Session | 'expired' | undefined> {
    if (!id || !TOKEN.test(id)) return undefined;
    const candidates = [
      ...[...this.#keys].map(([role, key]) => ({ role, key, account: undefined as StaffAccount | undefined })),
      ...[...this.#staffKeys.values()].map(({ account, key }) => ({ role: dataRoleOf(account.role), key, account })),
    ];
    for (const { role, key, account } of candidates) {
      const idHash = key.sign('session-id', id);
      const stored = await this.#options.repository.find(idHash);
      if (!stored || stored.role !== role || stored.staff !== (account?.name ?? null)) continue;
      const now = this.#now();
      const idle = now - stored.lastSeenAt.getTime();
      if (idle > this.#options.idleMs) {
        await this.#options.repository.delete(idHash);
        return 'expired';
      }
      if (idle >= touchEveryMs(this.#options.idleMs)) await this.#options.repository.touch(idHash, new Date(now));
      return this.#session(idHash, role, account);
    }
    return undefined;
  }

  async destroy(session: Session): Promise<void> {
    await this.#options.repository.delete(session.idHash);
  }

  #session(idHash: string, role: Role, account?: StaffAccount): Session {
    return {
      idHash,
      role,
      csrf: this.#options.signer.sign('session-csrf', idHash),
      ...(account ? { staff: { name: account.name, role: account.role } } : {}),
    };
  }
}
