import { isIPv4 } from 'node:net';

/** The v2 signature (HAProxy's proxy-protocol.txt §2.2). */
export const V2_SIGNATURE = Buffer.from([0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a]);

/** A v1 header line as an L4 balancer sends it: `PROXY TCP4|TCP6 <source> <destination> <sport> <dport>\r\n`. */
export function proxyV1(source: string, destination = isIPv4(source) ? '127.0.0.1' : '::1', sourcePort = 51_234, destinationPort = 8_080): string {
  return `PROXY ${isIPv4(source) ? 'TCP4' : 'TCP6'} ${source} ${destination} ${sourcePort} ${destinationPort}\r\n`;
}

/** 16 bytes of an IPv6 address written in full (`2001:db8:0:0:0:0:0:7`, eight groups). */
function ipv6Bytes(address: string): Buffer {
  const bytes = Buffer.alloc(16);
  address.split(':').forEach((group, i) => bytes.writeUInt16BE(parseInt(group, 16), i * 2));
  return bytes;
}

/**
 * A v2 header: command PROXY (0x21) or LOCAL (0x20), TCP over IPv4 (0x11) or IPv6 (0x21) as
 * the source says (IPv6 written in full, eight groups), ports 51234 → 8080, then `tlv` bytes
 * (counted in the length). `family` and `length` override the computed byte 13 and length.
 */
export function proxyV2(source: string, options: { command?: number; tlv?: Buffer; family?: number; length?: number } = {}): Buffer {
  const v4 = isIPv4(source);
  const addresses = v4
    ? Buffer.concat([Buffer.from(source.split('.').map(Number)), Buffer.from([127, 0, 0, 1])])
    : Buffer.concat([ipv6Bytes(source), ipv6Bytes('0:0:0:0:0:0:0:1')]);
  const ports = Buffer.alloc(4);
  ports.writeUInt16BE(51_234, 0);
  ports.writeUInt16BE(8_080, 2);
  const body = Buffer.concat([addresses, ports, options.tlv ?? Buffer.alloc(0)]);
  const fixed = Buffer.from([options.command ?? 0x21, options.family ?? (v4 ? 0x11 : 0x21), 0, 0]);
  fixed.writeUInt16BE(options.length ?? body.length, 2);
  return Buffer.concat([V2_SIGNATURE, fixed, body]);
}
