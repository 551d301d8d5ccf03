// Which role a password opens, compared in constant time: the candidate is hashed to equal
// length first, and every role's password is always checked, so timing tells nothing about
// any of them, nor about which roles the caller asked for.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '../api-types.js';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export class Passwords {
  readonly #digests: ReadonlyMap<Role, Buffer>;

  constructor(admin: string, viewer?: string) {
    this.#digests = new Map<Role, Buffer>([['admin', digest(admin)], ...(viewer ? [['viewer', digest(viewer)] as const] : [])]);
  }

  /** The roles that have a password, admin first. */
  get roles(): Role[] {
    return [...this.#digests.keys()];
  }

  /** The role of `among` whose password this is, or null (admin wins when both are equal). */
  roleFor(candidate: string, among: readonly Role[] = this.roles): Role | null {
    const c = digest(candidate);
    let found: Role | null = null;
    for (const [role, expected] of this.#digests) {
      const match = timingSafeEqual(c, expected);
      if (match && found === null && among.includes(role)) found = role;
    }
    return found;
  }
}
