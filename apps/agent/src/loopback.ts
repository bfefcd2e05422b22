import { BlockList, isIP } from 'node:net';

/** 127.0.0.0/8, ::1 and IPv4-mapped 127/8: addresses that never leave the host (RFC 1122 §3.2.1.3, RFC 4291 §2.5.3). */
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/**
 * True when `host` is a loopback address or `localhost` (any case, a trailing dot allowed);
 * IPv6 with or without brackets. undefined (every interface, as ListenAddress has it), other
 * names and other addresses are not: a name other than localhost may resolve anywhere.
 */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  if (/^localhost\.?$/i.test(bare)) return true;
  const family = isIP(bare);
  return family !== 0 && LOOPBACK.check(bare, family === 4 ? 'ipv4' : 'ipv6');
}
