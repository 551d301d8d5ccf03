// Whom failed logins are counted against: the client's address as Express worked it out
// (through trusted proxies only), with an IPv6 client counted by its /64 network, since one
// machine usually holds a whole /64 and could otherwise take a new address per guess.
import ipaddr from 'ipaddr.js';

export function clientKey(address: string | undefined): string {
  if (!address || !ipaddr.isValid(address)) return 'unknown';
  const ip = ipaddr.process(address); // ::ffff:1.2.3.4 is the IPv4 client 1.2.3.4
  if (ip.kind() === 'ipv4') return ip.toString();
  const network = (ip as ipaddr.IPv6).parts
    .slice(0, 4)
    .map((part) => part.toString(16))
    .join(':');
  return `${network}::/64`;
}
