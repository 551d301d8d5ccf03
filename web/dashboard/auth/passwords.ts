// Which role a password opens, compared in constant time: both candidates are hashed to equal
// length first, and both roles are always checked, so timing tells nothing about either.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from '../api-types.js';

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

export class Passwords {
  readonly #admin: Buffer;
  readonly #viewer: Buffer | null;

  constructor(admin: string, viewer?: string) {
    this.#admin = digest(admin);
    this.#viewer = viewer ? digest(viewer) : null;
  }

  roleFor(candidate: string): Role | null {
    const c = digest(candidate);
    const admin = timingSafeEqual(c, this.#admin);
    const viewer = this.#viewer ? timingSafeEqual(c, this.#viewer) : false;
    if (admin) return 'admin';
    return viewer ? 'viewer' : null;
  }
}

/** Constant-time equality of two tokens (e.g. a CSRF token against the expected one). */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return timingSafeEqual(digest(a), digest(b));
}
