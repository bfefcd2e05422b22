import { once } from 'node:events';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { connect as tlsConnect } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { useListenerPki } from '../testing/listener-pki';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import type { RecordedRequest } from '../testing/recording-member';
import { useStack, whenReleased } from '../testing/stack';

// A client choosing its own address: `X-Forwarded-For: 6.6.6.6` sent straight to the agent must
// not reach members as `6.6.6.6, 127.0.0.1`, nor pick its `hash` member. From a peer outside
// SWITCHBOARD_TRUSTED_PROXIES, X-Forwarded-For, Forwarded and X-Real-IP are replaced by the
// peer's address; from a trusted peer they are appended to (HAProxy's `option forwardfor`,
// NGINX's `set_real_ip_from` + `real_ip_recursive`), and X-Real-IP and the hash key are the
// right-most X-Forwarded-For address that is not itself trusted. A member built on node:http
// records exactly what it parsed (several lines of one header show up joined by `, `).

const stack = useStack(0);
let recorders: RecordingMember[] = [];

afterEach(async () => {
  await Promise.all(recorders.map((recorder) => recorder.close()));
  recorders = [];
});

/** Starts the agent with `env`, serving one balancer over `count` recording members (lbmethod `hash` by client address when `hash`). */
async function serve(env: Record<string, string>, options: { count?: number; hash?: boolean } = {}): Promise<void> {
  recorders = await Promise.all(Array.from({ length: options.count ?? 1 }, () => new RecordingMember().start()));
  await stack.start({ env });
  const members = recorders.map((recorder, i) => member(`m${i + 1}`, recorder.url()));
  await stack.serve(singleBalancer(members, options.hash ? { lbMethod: 'hash' } : {}));
}

const SPOOFING = 'X-Forwarded-For: 6.6.6.6\r\nForwarded: for=6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\n';

/** A GET (or a WebSocket upgrade, which the recording member parses as a plain request) with `extra` header lines. */
function request(extra: string, upgrade = false): string {
  const upgradeLines = upgrade ? 'Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n' : 'Connection: close\r\n';
  return `GET /who HTTP/1.1\r\nHost: x\r\n${upgradeLines}${extra}\r\n`;
}

/** Sends `payload` on a fresh connection from `host` to the agent's `port` and resolves with the one request the member recorded. */
async function seenFrom(payload: string, port = stack.agent.port, host = '127.0.0.1'): Promise<RecordedRequest> {
  const client = new RawPeer(connect(port, host));
  await once(client.socket, 'connect');
  const before = recorders[0]!.requests.length;
  client.write(payload);
  await client.until('seen GET /who');
  client.socket.destroy();
  await whenReleased(stack.counters('m1'));
  expect(recorders[0]!.requests).toHaveLength(before + 1);
  return recorders[0]!.requests[before]!;
}

/** The three headers that name the client, as the member parsed them. */
const named = ({ headers }: RecordedRequest) => ({ xff: headers['x-forwarded-for'], forwarded: headers.forwarded, realIp: headers['x-real-ip'] });

/** Whether this host has the IPv6 loopback (containers may not). */
const ipv6 = Object.values(networkInterfaces()).some((addresses) => addresses?.some((address) => address.address === '::1'));

describe('spoofed client address', () => {
  describe('from an untrusted peer (SWITCHBOARD_TRUSTED_PROXIES empty)', () => {
    it.each([
      ['a request', false],
      ['an upgrade', true],
    ])('%s: X-Forwarded-For, Forwarded and X-Real-IP are replaced by the socket address', async (_name, upgrade) => {
      await serve({});
      expect(named(await seenFrom(request(SPOOFING, upgrade)))).toEqual({ xff: '127.0.0.1', forwarded: 'for=127.0.0.1;host=x;proto=http', realIp: '127.0.0.1' });
    });

    it.each([
      ['a request', false],
      ['an upgrade', true],
    ])('%s with several lines of each header (and odd case) gets one value of each', async (_name, upgrade) => {
      await serve({});
      const lines = 'X-Forwarded-For: 6.6.6.6\r\nx-forwarded-for: 7.7.7.7, 8.8.8.8\r\nFORWARDED: for=6.6.6.6\r\nForwarded: for=7.7.7.7\r\nX-Real-IP: 6.6.6.6\r\nx-real-ip: 7.7.7.7\r\n';
      expect(named(await seenFrom(request(lines, upgrade)))).toEqual({ xff: '127.0.0.1', forwarded: 'for=127.0.0.1;host=x;proto=http', realIp: '127.0.0.1' });
    });

    it('a peer that sent none gets them all the same', async () => {
      await serve({});
      expect(named(await seenFrom(request('')))).toEqual({ xff: '127.0.0.1', forwarded: 'for=127.0.0.1;host=x;proto=http', realIp: '127.0.0.1' });
    });

    it.skipIf(!ipv6)('an IPv6 peer on ::1 is named as ::1 (in brackets, quoted, in Forwarded)', async () => {
      await serve({ SWITCHBOARD_LISTEN: '[::1]:0' });
      expect(named(await seenFrom(request(SPOOFING), stack.agent.port, '::1'))).toEqual({ xff: '::1', forwarded: 'for="[::1]";host=x;proto=http', realIp: '::1' });
    });

    it('a trusted list that does not hold the peer changes nothing', async () => {
      await serve({ SWITCHBOARD_TRUSTED_PROXIES: '10.0.0.0/8, 192.168.0.1, ::1' });
      expect(named(await seenFrom(request(SPOOFING)))).toEqual({ xff: '127.0.0.1', forwarded: 'for=127.0.0.1;host=x;proto=http', realIp: '127.0.0.1' });
    });
  });

  describe('from a trusted peer', () => {
    it.each([
      ['a request', false],
      ['an upgrade', true],
    ])('%s: the peer is appended to X-Forwarded-For and Forwarded, X-Real-IP is the right-most untrusted address', async (_name, upgrade) => {
      await serve({ SWITCHBOARD_TRUSTED_PROXIES: '127.0.0.1, 10.0.0.0/8' });
      const lines = 'X-Forwarded-For: 6.6.6.6, 203.0.113.9\r\nX-Forwarded-For: 10.1.2.3\r\nForwarded: for=203.0.113.9\r\nX-Real-IP: 6.6.6.6\r\n';
      expect(named(await seenFrom(request(lines, upgrade)))).toEqual({
        xff: '6.6.6.6, 203.0.113.9, 10.1.2.3, 127.0.0.1',
        forwarded: 'for=203.0.113.9, for=127.0.0.1;host=x;proto=http',
        realIp: '203.0.113.9',
      });
    });

    it('takes the peer itself when there is no X-Forwarded-For, and the left-most address when every one is trusted', async () => {
      await serve({ SWITCHBOARD_TRUSTED_PROXIES: '127.0.0.0/8,10.0.0.0/8' });
      expect(named(await seenFrom(request('')))).toEqual({ xff: '127.0.0.1', forwarded: 'for=127.0.0.1;host=x;proto=http', realIp: '127.0.0.1' });
      expect(named(await seenFrom(request('X-Forwarded-For: 10.0.0.1, 10.0.0.2\r\n'))).realIp).toBe('10.0.0.1');
    });

    it.each([
      ['garbage right of a real address', 'X-Forwarded-For: 203.0.113.9, not-an-ip\r\n', '127.0.0.1'],
      ['an empty entry', 'X-Forwarded-For: 203.0.113.9,,\r\n', '127.0.0.1'],
      ['garbage left of a real address', 'X-Forwarded-For: <script>, 203.0.113.9\r\n', '203.0.113.9'],
      ['an address with a port', 'X-Forwarded-For: 203.0.113.9:4711\r\n', '203.0.113.9'],
      ['an IPv6 address in brackets with a port', 'X-Forwarded-For: [2001:db8::9]:4711\r\n', '2001:db8::9'],
      ['an IPv4-mapped IPv6 address', 'X-Forwarded-For: ::ffff:203.0.113.9\r\n', '203.0.113.9'],
      ['a very long list', `X-Forwarded-For: ${Array.from({ length: 1_000 }, () => '10.0.0.1').join(', ')}\r\n`, '10.0.0.1'],
    ])('%s: X-Real-IP is never garbage', async (_name, line, realIp) => {
      await serve({ SWITCHBOARD_TRUSTED_PROXIES: '127.0.0.1,10.0.0.0/8' });
      expect(named(await seenFrom(request(line))).realIp).toBe(realIp);
    });

    it('matches an IPv4 peer on a dual-stack listener (::ffff:127.0.0.1) against an IPv4 entry, and names it as IPv4', async () => {
      await serve({ SWITCHBOARD_LISTEN: '[::]:0', SWITCHBOARD_TRUSTED_PROXIES: '127.0.0.1' });
      expect(named(await seenFrom(request(SPOOFING)))).toEqual({ xff: '6.6.6.6, 127.0.0.1', forwarded: 'for=6.6.6.6, for=127.0.0.1;host=x;proto=http', realIp: '6.6.6.6' });
    });

    it.skipIf(!ipv6)('trusts an IPv6 peer by its /128', async () => {
      await serve({ SWITCHBOARD_LISTEN: '[::1]:0', SWITCHBOARD_TRUSTED_PROXIES: '::1' });
      expect(named(await seenFrom(request(SPOOFING), stack.agent.port, '::1'))).toEqual({ xff: '6.6.6.6, ::1', forwarded: 'for=6.6.6.6, for="[::1]";host=x;proto=http', realIp: '6.6.6.6' });
    });
  });

  describe('on the TLS listener', () => {
    const certs = useListenerPki();

    /** Sends `payload` over TLS and resolves with the request the member recorded. */
    async function seenOverTls(payload: string): Promise<RecordedRequest> {
      const socket = tlsConnect({ host: '127.0.0.1', port: stack.agent.tlsPort!, ca: certs.pki.ca.cert, servername: 'localhost' });
      await once(socket, 'secureConnect');
      const client = new RawPeer(socket as unknown as RawPeer['socket']);
      client.write(payload);
      await client.until('seen GET /who');
      socket.destroy();
      await whenReleased(stack.counters('m1'));
      return recorders[0]!.requests.at(-1)!;
    }

    it.each([
      ['untrusted', '', { xff: '127.0.0.1', forwarded: 'for=127.0.0.1;host=x;proto=https', realIp: '127.0.0.1' }],
      ['trusted', '127.0.0.1', { xff: '6.6.6.6, 127.0.0.1', forwarded: 'for=6.6.6.6, for=127.0.0.1;host=x;proto=https', realIp: '6.6.6.6' }],
    ])('applies the same rule to a %s peer', async (_name, trusted, expected) => {
      await serve({ SWITCHBOARD_TLS_PORT: '0', SWITCHBOARD_TLS_CERT_FILE: certs.listener.certFile, SWITCHBOARD_TLS_KEY_FILE: certs.listener.keyFile, SWITCHBOARD_TRUSTED_PROXIES: trusted });
      expect(named(await seenOverTls(request(SPOOFING)))).toEqual(expected);
    });
  });

  describe('lbmethod hash by client address', () => {
    /** The index of the member that recorded the latest request. */
    async function memberFor(forwardedFor: string): Promise<number> {
      const counts = recorders.map((recorder) => recorder.requests.length);
      const client = await RawPeer.connect(stack.agent.port);
      client.write(`GET /who HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: ${forwardedFor}\r\n\r\n`);
      await client.whenClosed();
      const chosen = recorders.findIndex((recorder, i) => recorder.requests.length > counts[i]!);
      expect(chosen).toBeGreaterThanOrEqual(0);
      return chosen;
    }

    const spoofed = Array.from({ length: 16 }, (_, i) => `198.51.100.${i + 1}`);

    it('ignores the X-Forwarded-For of an untrusted peer: every spoofed value lands on the same member', async () => {
      await serve({}, { count: 4, hash: true });
      const chosen = new Set<number>();
      for (const address of spoofed) chosen.add(await memberFor(address));
      expect(chosen.size).toBe(1);
    });

    it('honours the X-Forwarded-For of a trusted peer: each address keeps its member, and they spread', async () => {
      await serve({ SWITCHBOARD_TRUSTED_PROXIES: '127.0.0.1' }, { count: 4, hash: true });
      const first = new Map<string, number>();
      for (const address of spoofed) first.set(address, await memberFor(address));
      for (const address of spoofed.slice(0, 4)) expect(await memberFor(address)).toBe(first.get(address));
      expect(new Set(first.values()).size).toBeGreaterThan(1);
      // A spoofed entry left of the trusted proxy's own does not move the client.
      expect(await memberFor(`6.6.6.6, ${spoofed[0]!}`)).toBe(first.get(spoofed[0]!));
    });
  });
});
