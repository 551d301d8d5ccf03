// The cookie operations the dashboard needs, by hand (RFC 6265): reading the Cookie header,
// naming a cookie for the request's scheme, and writing one Set-Cookie value.

/** name -> value of the request's cookies; the first of repeated names wins, malformed pairs are skipped. */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (name === '' || out.has(name)) continue;
    try {
      out.set(name, decodeURIComponent(value));
    } catch {
      // Not percent-encoded properly: not one of ours.
    }
  }
  return out;
}

/**
 * Over HTTPS a cookie is named with the __Host- prefix: browsers then take it only when it is
 * Secure, for Path=/ and without a Domain, so no other host (a sibling subdomain) and no plain
 * HTTP page can set or shadow it.
 */
export const cookieName = (base: string, secure: boolean): string => (secure ? `__Host-${base}` : base);

export interface CookieOptions {
  path: string;
  /** Seconds; 0 deletes the cookie. Absent: a session cookie (until the browser closes). */
  maxAge?: number;
  secure: boolean;
}

/** A Set-Cookie value that scripts cannot read (HttpOnly) and other sites cannot send (SameSite=Strict). */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  if (name.startsWith('__Host-') && (!options.secure || options.path !== '/')) throw new Error(`${name} must be Secure with Path=/`);
  const parts = [`${name}=${encodeURIComponent(value)}`, `Path=${options.path}`, 'HttpOnly', 'SameSite=Strict'];
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
