import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { RuntimeBalancer, RuntimeMember } from '../config/runtime';
import type { ClientAddresses } from './client-address';

const SEMICOLON = 0x3b;
const SPACE = 0x20;
const TAB = 0x09;
const EQUALS = 0x3d;
const QUOTE = 0x22;

/**
 * The value of cookie `name` in a Cookie header (RFC 6265 `name=value; name2=value2`, several
 * headers already joined with `; ` by Node), or undefined. Scans for that name only, without
 * splitting the header; a quoted value is unquoted.
 */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let from = 0;
  for (;;) {
    const at = header.indexOf(name, from);
    if (at === -1) return undefined;
    const end = at + name.length;
    const before = at === 0 ? SEMICOLON : header.charCodeAt(at - 1);
    if ((before === SEMICOLON || before === SPACE || before === TAB) && header.charCodeAt(end) === EQUALS) {
      let stop = header.indexOf(';', end + 1);
      if (stop === -1) stop = header.length;
      let start = end + 1;
      while (stop > start && (header.charCodeAt(stop - 1) === SPACE || header.charCodeAt(stop - 1) === TAB)) stop -= 1;
      if (stop - start >= 2 && header.charCodeAt(start) === QUOTE && header.charCodeAt(stop - 1) === QUOTE) {
        start += 1;
        stop -= 1;
      }
      return header.slice(start, stop);
    }
    from = at + 1;
  }
}

/**
 * The key lbmethod `hash` hashes for this request (HAProxy's `balance source`, `hdr(name)`,
 * `cookie name`, here always with a consistent hash): the header or cookie the balancer names
 * (the first value of a repeated header), else — absent or empty, or source `ip` — the client
 * address (ClientAddresses.clientOf: the peer, or what a trusted proxy said in X-Forwarded-For;
 * IPv4-mapped IPv6 shown as IPv4). '' for other lbmethods, which do not need one.
 */
export function hashKeyOf(balancer: RuntimeBalancer, req: IncomingMessage, addresses: ClientAddresses): string {
  if (balancer.lbMethod !== 'hash') return '';
  const { source, name } = balancer.hashKey;
  if (source === 'header' && name !== null) {
    const value = req.headers[name];
    const first = Array.isArray(value) ? value[0] : value;
    if (first) return first;
  } else if (source === 'cookie' && name !== null) {
    const value = cookieValue(req.headers.cookie, name);
    if (value) return value;
  }
  return addresses.clientOf(req);
}

/** The sticky cookie's value on this request, or undefined (no cookie, or the balancer is not sticky). */
export function stickyToken(balancer: RuntimeBalancer, req: IncomingMessage): string | undefined {
  return balancer.stickyCookie === null ? undefined : cookieValue(req.headers.cookie, balancer.stickyCookie);
}

/** The member a sticky cookie value names in this balancer, or undefined (no value, or unknown: e.g. a member since removed). */
export function stickyMember(balancer: RuntimeBalancer, token: string | undefined): RuntimeMember | undefined {
  return token === undefined ? undefined : balancer.byRouteToken.get(token);
}

/**
 * Binds the client to `member` on an HTTP response of a sticky balancer, as HAProxy's
 * `cookie <name> insert` (Apache's stickysession reads a cookie the application sets; here the
 * agent sets it, so any backend works): appends the member's
 * Set-Cookie (`<name>=<token>; Path=/; HttpOnly; SameSite=Lax`) unless the request already
 * carried that exact value. The member's own Set-Cookie headers are kept.
 */
export function addStickyCookie(headers: OutgoingHttpHeaders, member: RuntimeMember, requestToken: string | undefined): void {
  if (member.setCookie === '' || requestToken === member.routeToken) return;
  const existing = headers['set-cookie'];
  if (existing === undefined) headers['set-cookie'] = member.setCookie;
  else headers['set-cookie'] = Array.isArray(existing) ? [...existing, member.setCookie] : [String(existing), member.setCookie];
}
