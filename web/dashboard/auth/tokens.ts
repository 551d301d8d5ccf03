// Random tokens (session ids, login nonces) and comparing tokens in constant time.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 bits from the OS's CSPRNG, URL-safe: 43 characters. */
export const randomToken = (): string => randomBytes(32).toString('base64url');

/** The shape of randomToken()'s output. */
export const TOKEN = /^[A-Za-z0-9_-]{43}$/;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time equality of two present tokens (hashed to equal length first). */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  return timingSafeEqual(digest(a), digest(b));
}
