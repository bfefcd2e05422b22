import { BlockList, isIP } from 'node:net';

/** `::ffff:1.2.3.4` (an IPv4 peer on a dual-stack socket) → `1.2.3.4`; anything else unchanged. */
export function plainAddress(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

const PREFIX = /^\d{1,3}$/;

/**
 * One SWITCHBOARD_TRUSTED_PROXIES entry, canonical: `ADDRESS/PREFIX` (a bare address is /32 or
 * /128; an IPv4-mapped IPv6 entry such as `::ffff:10.0.0.0/104` becomes `10.0.0.0/8`).
 * Returns an error text (without the entry) when it is not an IPv4 or IPv6 address or CIDR.
 */
export function parseCidr(entry: string): string | { readonly error: string } {
  const slash = entry.indexOf('/');
  let address = slash === -1 ? entry : entry.slice(0, slash);
  let family = isIP(address);
  if (family === 0 || address.includes('%')) return { error: 'is not an IPv4 or IPv6 address (without zone index)' };
  const max = family === 4 ? 32 : 128;
  const prefixText = slash === -1 ? String(max) : entry.slice(slash + 1);
  let prefix = Number(prefixText);
  if (!PREFIX.test(prefixText) || prefix > max) return { error: `has a prefix length that is not an integer from 0 to ${max}` };
  const mapped = plainAddress(address);
  if (mapped !== address) {
    if (prefix < 96) return { error: 'is an IPv4-mapped IPv6 range shorter than /96' };
    [address, family, prefix] = [mapped, 4, prefix - 96];
  }
  return `${address}/${prefix}`;
}

/**
 * Parses SWITCHBOARD_TRUSTED_PROXIES: CIDRs separated by commas (spaces around them allowed).
 * Returns the canonical entries (see parseCidr), or an error text naming the first bad entry.
 */
export function parseTrustedProxies(text: string): string[] | { readonly error: string } {
  const entries: string[] = [];
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') return { error: 'has an empty entry (two commas in a row, or one at an end)' };
    const cidr = parseCidr(entry);
    if (typeof cidr !== 'string') return { error: `entry "${entry}" ${cidr.error}` };
    entries.push(cidr);
  }
  return entries;
}

/** How many answers TrustedProxies remembers before it starts over. */
const MEMO_SIZE = 1_024;

/**
 * The peers whose forwarding headers are believed (NGINX's `set_real_ip_from`): a Node
 * BlockList of canonical CIDRs. Empty (the default) trusts nobody, at the cost of one boolean
 * test. BlockList.check builds a SocketAddress from a string on every call (about 12 µs on Node
 * 20, test/bench/client-address.bench.ts), so answers are remembered per address (the same
 * proxies and clients come back on every request), up to MEMO_SIZE addresses, then forgotten
 * all at once: memory stays bounded whatever addresses arrive.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  private readonly memo = new Map<string, boolean>();
  /** No entries: every peer is a client. */
  readonly none: boolean;

  /** `cidrs` as parseTrustedProxies returns them (`ADDRESS/PREFIX`, IPv4 or IPv6). */
  constructor(cidrs: readonly string[]) {
    this.none = cidrs.length === 0;
    for (const cidr of cidrs) {
      const [address, prefix] = cidr.split('/') as [string, string];
      this.list.addSubnet(address, Number(prefix), isIP(address) === 4 ? 'ipv4' : 'ipv6');
    }
  }

  /** Whether `address` (IPv4, IPv6 or IPv4-mapped IPv6) is in the list; false for anything that is not an address. */
  has(address: string): boolean {
    if (this.none) return false;
    let trusted = this.memo.get(address);
    if (trusted !== undefined) return trusted;
    const family = isIP(address);
    trusted = family !== 0 && this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
    if (this.memo.size >= MEMO_SIZE) this.memo.clear();
    this.memo.set(address, trusted);
    return trusted;
  }
}
