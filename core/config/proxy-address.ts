// What dashboard.trustProxy accepts as a proxy: an IP address, a CIDR range, or one of the
// named ranges Express understands (loopback: 127.0.0.0/8 and ::1, linklocal, uniquelocal:
// the private ranges a container network uses).
import { isIP } from 'node:net';

export const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'] as const;

export function isProxyAddress(text: string): boolean {
  if ((PROXY_RANGE_NAMES as readonly string[]).includes(text)) return true;
  const [address = '', prefix, ...rest] = text.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  // Not /0: that trusts every address, the hole `trustProxy: true` was.
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (version === 4 ? 32 : 128);
}
