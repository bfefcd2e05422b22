import { describe, expect, it } from 'vitest';
import { proxyV1, proxyV2, V2_SIGNATURE } from '../testing/proxy-headers';
import { parseProxyHeader, V1_MAX_BYTES, V2_MAX_BYTES } from './proxy-protocol';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');
const REQUEST = bytes('GET / HTTP/1.1\r\nHost: x\r\n\r\n');

describe('parseProxyHeader', () => {
  describe('v1', () => {
    it.each([
      ['TCP4', proxyV1('203.0.113.7'), '203.0.113.7'],
      ['TCP6', proxyV1('2001:db8::7'), '2001:db8::7'],
      ['TCP6 written in full and upper case (shown as Node shows peers)', proxyV1('2001:DB8:0:0:0:0:0:7'), '2001:db8::7'],
      ['TCP6 with an IPv4-mapped source (shown as IPv4)', proxyV1('::ffff:203.0.113.7'), '203.0.113.7'],
      ['TCP4 with ports 0 and 65535', 'PROXY TCP4 203.0.113.7 127.0.0.1 0 65535\r\n', '203.0.113.7'],
      ['the longest TCP6 line (107 bytes)', `PROXY TCP6 ${'ffff:'.repeat(7)}ffff ${'ffff:'.repeat(7)}ffff 65535 65535\r\n`, 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
      ['UNKNOWN alone', 'PROXY UNKNOWN\r\n', null],
      ['UNKNOWN with anything after it', 'PROXY UNKNOWN ffff:f...f:ffff 127.0.0.1 1 2\r\n', null],
    ])('reads %s, with the bytes after it left alone', (_name, header, source) => {
      expect(parseProxyHeader(Buffer.concat([bytes(header), REQUEST]))).toEqual({ length: header.length, source });
    });

    it('needs more bytes until the CRLF, whatever the split', () => {
      const header = proxyV1('203.0.113.7');
      for (let end = 0; end < header.length; end += 1) expect(parseProxyHeader(bytes(header.slice(0, end)))).toBe('incomplete');
    });

    it.each([
      ['a request line', 'GET / HTTP/1.1\r\n'],
      ['a lower-case prefix', 'proxy TCP4 203.0.113.7 127.0.0.1 1 2\r\n'],
      ['PROXY without a space', 'PROXYTCP4 203.0.113.7 127.0.0.1 1 2\r\n'],
      ['an unknown protocol', 'PROXY TCP5 203.0.113.7 127.0.0.1 1 2\r\n'],
      ['UDP4', 'PROXY UDP4 203.0.113.7 127.0.0.1 1 2\r\n'],
      ['an IPv6 source on TCP4', 'PROXY TCP4 2001:db8::7 127.0.0.1 1 2\r\n'],
      ['an IPv4 source on TCP6', 'PROXY TCP6 203.0.113.7 ::1 1 2\r\n'],
      ['a short address', 'PROXY TCP4 203.0.113 127.0.0.1 1 2\r\n'],
      ['a name instead of an address', 'PROXY TCP4 localhost 127.0.0.1 1 2\r\n'],
      ['a zone index', 'PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n'],
      ['two spaces', 'PROXY TCP4  203.0.113.7 127.0.0.1 1 2\r\n'],
      ['a missing port', 'PROXY TCP4 203.0.113.7 127.0.0.1 1\r\n'],
      ['an extra field', 'PROXY TCP4 203.0.113.7 127.0.0.1 1 2 3\r\n'],
      ['a port above 65535', 'PROXY TCP4 203.0.113.7 127.0.0.1 65536 2\r\n'],
      ['a port with a leading zero', 'PROXY TCP4 203.0.113.7 127.0.0.1 080 2\r\n'],
      ['a signed port', 'PROXY TCP4 203.0.113.7 127.0.0.1 +80 2\r\n'],
      ['a bare LF', 'PROXY TCP4 203.0.113.7 127.0.0.1 1 2\n'],
      ['a tab', 'PROXY TCP4\t203.0.113.7 127.0.0.1 1 2\r\n'],
      ['108 bytes without an end', `PROXY UNKNOWN ${'x'.repeat(V1_MAX_BYTES - 14)}`],
      ['an end after byte 107', `PROXY UNKNOWN ${'x'.repeat(V1_MAX_BYTES - 15)}\r\n`],
    ])('refuses %s', (_name, header) => {
      expect(parseProxyHeader(bytes(header))).toMatchObject({ error: expect.any(String) as string });
    });

    it('refuses a wrong first byte at once, without waiting for more', () => {
      expect(parseProxyHeader(bytes('G'))).toEqual({ error: 'no PROXY protocol header' });
      expect(parseProxyHeader(bytes('PRX'))).toEqual({ error: 'no PROXY protocol header' });
    });
  });

  describe('v2', () => {
    it.each([
      ['TCP over IPv4', proxyV2('203.0.113.7'), '203.0.113.7'],
      ['TCP over IPv6', proxyV2('2001:db8:0:0:0:0:0:7'), '2001:db8::7'],
      ['TCP over IPv6 with an IPv4-mapped source', proxyV2('0:0:0:0:0:ffff:cb00:7107'), '203.0.113.7'],
      ['TLVs after the addresses (skipped)', proxyV2('203.0.113.7', { tlv: Buffer.from([0x04, 0x00, 0x03, 0x61, 0x62, 0x63]) }), '203.0.113.7'],
      ['LOCAL (a health check of the balancer itself)', proxyV2('203.0.113.7', { command: 0x20 }), null],
      ['UNSPEC', proxyV2('203.0.113.7', { family: 0x00 }), null],
    ])('reads %s', (_name, header, source) => {
      expect(parseProxyHeader(Buffer.concat([header, REQUEST]))).toEqual({ length: header.length, source });
    });

    it('needs more bytes until its length is in, whatever the split', () => {
      const header = proxyV2('2001:db8:0:0:0:0:0:7', { tlv: Buffer.alloc(100) });
      for (let end = 1; end < header.length; end += 1) expect(parseProxyHeader(header.subarray(0, end))).toBe('incomplete');
    });

    it.each([
      ['a wrong signature byte', Buffer.concat([V2_SIGNATURE.subarray(0, 5), Buffer.from([0x01])])],
      ['version 1 in the v2 format', proxyV2('203.0.113.7', { command: 0x11 })],
      ['version 3', proxyV2('203.0.113.7', { command: 0x31 })],
      ['an unknown command', proxyV2('203.0.113.7', { command: 0x22 })],
      ['UDP over IPv4', proxyV2('203.0.113.7', { family: 0x12 })],
      ['a UNIX socket', proxyV2('203.0.113.7', { family: 0x31 })],
      ['an unknown family', proxyV2('203.0.113.7', { family: 0x41 })],
      ['an IPv4 block shorter than 12 bytes', proxyV2('203.0.113.7', { length: 8 })],
      ['an IPv6 block shorter than 36 bytes', proxyV2('2001:db8:0:0:0:0:0:7', { length: 12 })],
      ['a length above the cap', proxyV2('203.0.113.7', { length: V2_MAX_BYTES - 15 })],
      ['the largest length (65535)', proxyV2('203.0.113.7', { length: 65_535 })],
    ])('refuses %s', (_name, header) => {
      expect(parseProxyHeader(header)).toMatchObject({ error: expect.any(String) as string });
    });

    it('accepts a header of exactly the cap', () => {
      const header = proxyV2('203.0.113.7', { tlv: Buffer.alloc(V2_MAX_BYTES - 28) });
      expect(header.length).toBe(V2_MAX_BYTES);
      expect(parseProxyHeader(header)).toEqual({ length: V2_MAX_BYTES, source: '203.0.113.7' });
    });
  });
});
