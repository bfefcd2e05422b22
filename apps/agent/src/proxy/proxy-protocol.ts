import { isIPv4, isIPv6 } from 'node:net';
import { plainAddress } from './trusted-proxies';

/**
 * A complete PROXY protocol header: its length in bytes (the connection's own bytes start
 * after it) and the client address it carries, or null when it carries none the agent uses
 * (v1 `UNKNOWN`, v2 `LOCAL` or `UNSPEC`: the connection's own peer address stands).
 */
export interface ProxyHeader {
  readonly length: number;
  readonly source: string | null;
}

/** What parseProxyHeader makes of the bytes read so far: a header, more bytes needed, or a refusal and why. */
export type ProxyHeaderResult = ProxyHeader | 'incomplete' | { readonly error: string };

/** Longest v1 header, CRLF included (the spec's 107 bytes). */
export const V1_MAX_BYTES = 107;
/** Longest v2 header accepted, fixed part and TLVs included (as NGINX's 4096-byte PROXY header buffer). */
export const V2_MAX_BYTES = 4_096;

const V1_PREFIX = Buffer.from('PROXY ', 'latin1');
const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);
const V2_FIXED = 16;
const LF = 0x0a;
const CR = 0x0d;
const PORT = /^(0|[1-9]\d{0,4})$/;

/**
 * Parses the PROXY protocol header (HAProxy's proxy-protocol.txt, versions 1 and 2) at the start
 * of what a connection sent so far, strictly: v1 is `PROXY TCP4|TCP6 SRC DST SPORT DPORT\r\n`
 * (single spaces, addresses of the named family, ports 0–65535 without leading zeros) or
 * `PROXY UNKNOWN…\r\n`, at most 107 bytes; v2 is the 12-byte signature, version 2, command
 * LOCAL or PROXY, family UNSPEC or TCP over IPv4/IPv6, at most V2_MAX_BYTES with its TLVs
 * (skipped). Any other first byte, or a byte that cannot lead to a valid header, is refused at
 * once: a client speaking HTTP straight away is refused on its first byte.
 */
export function parseProxyHeader(bytes: Buffer): ProxyHeaderResult {
  if (bytes.length === 0) return 'incomplete';
  if (bytes[0] === V1_PREFIX[0]) return parseV1(bytes);
  if (bytes[0] === V2_SIGNATURE[0]) return parseV2(bytes);
  return { error: 'no PROXY protocol header' };
}

/** Whether `bytes` starts like `expected` as far as both go. */
function startsLike(bytes: Buffer, expected: Buffer): boolean {
  const length = Math.min(bytes.length, expected.length);
  return bytes.compare(expected, 0, length, 0, length) === 0;
}

function parseV1(bytes: Buffer): ProxyHeaderResult {
  if (!startsLike(bytes, V1_PREFIX)) return { error: 'no PROXY protocol header' };
  const lf = bytes.indexOf(LF);
  if (lf === -1) return bytes.length >= V1_MAX_BYTES ? { error: `v1 header longer than ${V1_MAX_BYTES} bytes` } : 'incomplete';
  if (lf + 1 > V1_MAX_BYTES) return { error: `v1 header longer than ${V1_MAX_BYTES} bytes` };
  if (bytes[lf - 1] !== CR) return { error: 'v1 header not ended by CRLF' };
  const line = bytes.toString('latin1', V1_PREFIX.length, lf - 1);
  const fields = line.split(' ');
  const length = lf + 1;
  if (fields[0] === 'UNKNOWN') return { length, source: null };
  const isFamily = fields[0] === 'TCP4' ? isIPv4 : fields[0] === 'TCP6' ? isIPv6 : undefined;
  if (!isFamily) return { error: `v1 protocol ${JSON.stringify(fields[0])} is not TCP4, TCP6 or UNKNOWN` };
  const [, source, destination, sourcePort, destinationPort] = fields;
  if (fields.length !== 5 || !isFamily(source!) || !isFamily(destination!) || line.includes('%')) return { error: `v1 header needs two ${fields[0]} addresses and two ports` };
  if (!validPort(sourcePort!) || !validPort(destinationPort!)) return { error: 'v1 port is not an integer from 0 to 65535' };
  return { length, source: isFamily === isIPv4 ? source! : canonicalIpv6(source!) };
}

function validPort(text: string): boolean {
  return PORT.test(text) && Number(text) <= 65_535;
}

/** v2 command (low nibble of byte 12) and family/protocol (byte 13). */
const LOCAL = 0x0;
const PROXY = 0x1;
const UNSPEC = 0x00;
const TCP_OVER_IPV4 = 0x11;
const TCP_OVER_IPV6 = 0x21;

function parseV2(bytes: Buffer): ProxyHeaderResult {
  if (!startsLike(bytes, V2_SIGNATURE)) return { error: 'no PROXY protocol header' };
  if (bytes.length < V2_FIXED) return 'incomplete';
  const version = bytes[12]! >> 4;
  const command = bytes[12]! & 0x0f;
  if (version !== 2 || (command !== LOCAL && command !== PROXY)) return { error: `v2 version/command byte 0x${bytes[12]!.toString(16)} is not 0x20 (LOCAL) or 0x21 (PROXY)` };
  const length = V2_FIXED + bytes.readUInt16BE(14);
  if (length > V2_MAX_BYTES) return { error: `v2 header of ${length} bytes is longer than ${V2_MAX_BYTES}` };
  if (bytes.length < length) return 'incomplete';
  const family = bytes[13]!;
  if (command === LOCAL || family === UNSPEC) return { length, source: null };
  if (family === TCP_OVER_IPV4 && length >= V2_FIXED + 12) return { length, source: bytes.subarray(16, 20).join('.') };
  if (family === TCP_OVER_IPV6 && length >= V2_FIXED + 36) return { length, source: ipv6Text(bytes.subarray(16, 32)) };
  if (family === TCP_OVER_IPV4 || family === TCP_OVER_IPV6) return { error: 'v2 address block shorter than its family needs' };
  return { error: `v2 family/protocol 0x${family.toString(16).padStart(2, '0')} is not UNSPEC, TCP over IPv4 or TCP over IPv6` };
}

/** 16 bytes as Node shows an IPv6 peer (see canonicalIpv6). */
function ipv6Text(address: Buffer): string {
  if (address.readUInt32BE(0) === 0 && address.readUInt32BE(4) === 0 && address.readUInt32BE(8) === 0xffff) return address.subarray(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(address.readUInt16BE(i).toString(16));
  return canonicalIpv6(groups.join(':'));
}

/**
 * An IPv6 address as Node shows a peer, so one client has one hash key whichever way a header
 * wrote it: RFC 5952 (lower case, the longest run of zero groups as `::`, as the WHATWG URL
 * parser writes it), an IPv4-mapped one as IPv4.
 */
function canonicalIpv6(address: string): string {
  const mapped = plainAddress(address.toLowerCase());
  return mapped.includes(':') ? new URL(`http://[${address}]`).hostname.slice(1, -1) : mapped;
}
