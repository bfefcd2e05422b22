import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import type { Server } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { useListenerPki } from '../testing/listener-pki';
import { member, singleBalancer } from '../testing/fixtures';
import { proxyV1, proxyV2 } from '../testing/proxy-headers';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import type { RecordedRequest } from '../testing/recording-member';
import { useStack, whenReleased } from '../testing/stack';
import { upgradeRequest } from '../testing/ws-frames';

// An agent behind an L4 balancer (HAProxy `send-proxy`/`send-proxy-v2`, an AWS NLB) learns the
// client's address from the PROXY protocol header that starts each connection
// (SWITCHBOARD_PROXY_PROTOCOL=1, as HAProxy's `accept-proxy` and NGINX's `listen … proxy_protocol`).
// The address it carries is what members see in X-Forwarded-For, Forwarded and X-Real-IP, for
// every request of the connection, over TLS too. A connection without a valid header within
// SWITCHBOARD_REQUEST_HEADER_MS is closed without an answer and reaches no member.

const stack = useStack(0);
let recorder: RecordingMember;

afterEach(() => recorder.close());

/** Starts the agent with the PROXY protocol on (and `env`), serving one balancer over a recording member. */
async function serve(env: Record<string, string> = {}): Promise<void> {
  recorder = await new RecordingMember().start();
  await stack.start({ env: { SWITCHBOARD_PROXY_PROTOCOL: '1', ...env } });
  await stack.serve(singleBalancer([member('m1', recorder.url())]));
}

const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: x\r\n${extra}\r\n`;

/** The three headers that name the client, as the member parsed them. */
const named = ({ headers }: RecordedRequest) => ({ xff: headers['x-forwarded-for'], forwarded: headers.forwarded, realIp: headers['x-real-ip'] });

/** What a member sees for a client `address` on the plain listener. */
const seenAs = (address: string, forwardedFor = address) => ({ xff: forwardedFor, forwarded: `for=${address.includes(':') ? `"[${address}]"` : address};host=x;proto=http`, realIp: address });

/** Writes `chunks` one by one on a fresh connection, waiting `gapMs` between them, then waits for the member's answer to `path`. */
async function send(chunks: (string | Buffer)[], path = '/pp', gapMs = 0): Promise<RawPeer> {
  const client = await RawPeer.connect(stack.agent.port);
  client.socket.setNoDelay(true);
  for (const chunk of chunks) {
    client.write(chunk);
    if (gapMs > 0) await sleep(gapMs);
  }
  await client.until(`seen GET ${path}`);
  return client;
}

/**
 * A stand-in for an L4 balancer with `send-proxy`: each connection to it gets its own
 * connection to the agent's `port`, whose first write is `header` followed by the client's first bytes
 * (one TCP write: the agent must put back what follows the header); then bytes flow both ways.
 */
async function l4Balancer(header: Buffer | string, port = stack.agent.port): Promise<Server> {
  const server = createServer((client) => {
    const upstream = connect(port, '127.0.0.1');
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.once('data', (first: Buffer) => {
      upstream.write(Buffer.concat([typeof header === 'string' ? Buffer.from(header, 'latin1') : header, first]));
      client.pipe(upstream).pipe(client);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/** Sends `payload` on a fresh connection and waits until the agent closes it; what was read, and how long it took (ms). */
async function refused(chunks: (string | Buffer)[], timeoutMs = 5_000): Promise<{ text: string; elapsedMs: number }> {
  const client = await RawPeer.connect(stack.agent.port);
  const started = Date.now();
  for (const chunk of chunks) client.write(chunk);
  await client.whenClosed(timeoutMs);
  return { text: client.text, elapsedMs: Date.now() - started };
}

describe('PROXY protocol (SWITCHBOARD_PROXY_PROTOCOL=1)', () => {
  describe('a valid header', () => {
    it.each([
      ['v1 TCP4', proxyV1('203.0.113.7'), '203.0.113.7'],
      ['v1 TCP6', proxyV1('2001:db8::7'), '2001:db8::7'],
      ['v2 TCP over IPv4', proxyV2('203.0.113.7'), '203.0.113.7'],
      ['v2 TCP over IPv6', proxyV2('2001:db8:0:0:0:0:0:7'), '2001:db8::7'],
      ['v2 with TLVs', proxyV2('203.0.113.7', { tlv: Buffer.from([0x05, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04]) }), '203.0.113.7'],
    ])('%s gives the member the carried address, whatever the client claims', async (_name, header, address) => {
      await serve();
      const client = await send([Buffer.concat([Buffer.from(header), Buffer.from(get('/pp', 'X-Forwarded-For: 6.6.6.6\r\nX-Real-IP: 6.6.6.6\r\n'), 'latin1')])]);
      expect(client.text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      expect(named(recorder.requests[0]!)).toEqual(seenAs(address));
      client.socket.destroy();
      await whenReleased(stack.counters('m1'));
    });

    it.each([
      ['v1 UNKNOWN', 'PROXY UNKNOWN\r\n'],
      ['v2 LOCAL', proxyV2('203.0.113.7', { command: 0x20 })],
    ])('%s keeps the connection’s own address', async (_name, header) => {
      await serve();
      const client = await send([header, get('/pp')]);
      expect(named(recorder.requests[0]!)).toEqual(seenAs('127.0.0.1'));
      client.socket.destroy();
    });

    it.each([
      ['v1', proxyV1('203.0.113.7')],
      ['v2', proxyV2('203.0.113.7')],
    ])('a %s header split across TCP chunks (3 bytes at a time) works, and the keep-alive request after the first keeps the address', async (_name, header) => {
      await serve();
      const bytes = Buffer.from(header);
      const pieces: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += 3) pieces.push(bytes.subarray(at, at + 3));
      const client = await send([...pieces, get('/first')], '/first', 20);
      client.write(get('/second', 'X-Forwarded-For: 6.6.6.6\r\n'));
      await client.until('seen GET /second');
      expect(recorder.urls).toEqual(['/first', '/second']);
      expect(recorder.requests.map(named)).toEqual([seenAs('203.0.113.7'), seenAs('203.0.113.7')]);
      client.socket.destroy();
      await whenReleased(stack.counters('m1'));
    });

    it('the bytes sent with the header in one TCP write are the start of the request (behind an L4 balancer)', async () => {
      await serve();
      const balancer = await l4Balancer(proxyV2('198.51.100.23'));
      const client = new RawPeer(connect((balancer.address() as { port: number }).port, '127.0.0.1'));
      await once(client.socket, 'connect');
      client.write(get('/one'));
      await client.until('seen GET /one');
      client.write(get('/two'));
      await client.until('seen GET /two');
      expect(recorder.requests.map(named)).toEqual([seenAs('198.51.100.23'), seenAs('198.51.100.23')]);
      client.socket.destroy();
      balancer.close();
    });

    it('an upgrade gets the carried address too', async () => {
      await serve();
      const client = await send([proxyV1('203.0.113.7') + upgradeRequest('/pp').replace('\r\n\r\n', '\r\nX-Forwarded-For: 6.6.6.6\r\n\r\n')]);
      expect(recorder.requests[0]!.headers.upgrade).toBe('websocket');
      expect(named(recorder.requests[0]!)).toEqual(seenAs('203.0.113.7'));
      client.socket.destroy();
      await whenReleased(stack.counters('m1'));
    });

    it('decides trust on the carried address: a trusted one has its X-Forwarded-For appended to, an untrusted one replaced', async () => {
      await serve({ SWITCHBOARD_TRUSTED_PROXIES: '203.0.113.0/24, 127.0.0.1' });
      const trusted = await send([proxyV1('203.0.113.7') + get('/pp', 'X-Forwarded-For: 6.6.6.6\r\n')]);
      expect(named(recorder.requests[0]!)).toEqual({ xff: '6.6.6.6, 203.0.113.7', forwarded: 'for=203.0.113.7;host=x;proto=http', realIp: '6.6.6.6' });
      trusted.socket.destroy();
      // The balancer's own address (127.0.0.1, trusted) does not count: the header said who the peer is.
      const untrusted = await send([proxyV1('198.51.100.23') + get('/pp', 'X-Forwarded-For: 6.6.6.6\r\n')]);
      expect(named(recorder.requests[1]!)).toEqual(seenAs('198.51.100.23'));
      untrusted.socket.destroy();
    });
  });

  it('lbmethod hash by client address hashes the carried address: one member per address, spread over addresses', async () => {
    const recorders = await Promise.all([0, 1, 2, 3].map(() => new RecordingMember().start()));
    recorder = recorders[0]!;
    await stack.start({ env: { SWITCHBOARD_PROXY_PROTOCOL: '1' } });
    await stack.serve(singleBalancer(recorders.map((r, i) => member(`m${i + 1}`, r.url())), { lbMethod: 'hash' }));
    const memberFor = async (address: string): Promise<number> => {
      const counts = recorders.map((r) => r.requests.length);
      const client = await send([proxyV1(address) + get('/pp', 'X-Forwarded-For: 6.6.6.6\r\n')]);
      client.socket.destroy();
      return recorders.findIndex((r, i) => r.requests.length > counts[i]!);
    };
    const addresses = Array.from({ length: 16 }, (_, i) => `198.51.100.${i + 1}`);
    const first = new Map<string, number>();
    for (const address of addresses) first.set(address, await memberFor(address));
    for (const address of addresses.slice(0, 4)) expect(await memberFor(address)).toBe(first.get(address));
    expect(new Set(first.values()).size).toBeGreaterThan(1);
    await Promise.all(recorders.slice(1).map((r) => r.close()));
  });

  it('shutdown closes connections still waiting for their header at once (not after SWITCHBOARD_REQUEST_HEADER_MS)', async () => {
    await serve();
    const client = await RawPeer.connect(stack.agent.port);
    client.write(proxyV1('203.0.113.7').slice(0, 10));
    const started = Date.now();
    await stack.agent.stop();
    await client.whenClosed();
    expect(Date.now() - started).toBeLessThan(5_000); // the header limit is 10 s
    expect(client.text).toBe('');
  });

  describe('no valid header', () => {
    it.each([
      ['no header at all (plain HTTP)', [get('/pp')]],
      ['an upgrade without a header', [upgradeRequest('/pp')]],
      ['a TLS ClientHello without a header', [Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x01, 0x00, 0x00, 0x01, 0x00])]],
      ['a malformed v1 address', [`PROXY TCP4 203.0.113 127.0.0.1 1 2\r\n${get('/pp')}`]],
      ['a v1 header with a bare LF', [`PROXY TCP4 203.0.113.7 127.0.0.1 1 2\n${get('/pp')}`]],
      ['a v1 line longer than 107 bytes', [`PROXY UNKNOWN ${'x'.repeat(200)}\r\n${get('/pp')}`]],
      ['a v2 header with a wrong version', [Buffer.concat([proxyV2('203.0.113.7', { command: 0x11 }), Buffer.from(get('/pp'))])]],
      ['a v2 header over the 4096-byte cap', [proxyV2('203.0.113.7', { tlv: Buffer.alloc(5_000) })]],
      ['a v2 UDP header', [Buffer.concat([proxyV2('203.0.113.7', { family: 0x12 }), Buffer.from(get('/pp'))])]],
      ['a second header after the first', [proxyV1('203.0.113.7') + proxyV1('198.51.100.23') + get('/pp')]],
    ])('%s: closed without an answer, no member reached', async (_name, chunks) => {
      await serve();
      const { text, elapsedMs } = await refused(chunks);
      // A second header is the start of an HTTP request once the first is read: Node answers 400 to it.
      if (_name.startsWith('a second')) expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      else expect(text).toBe('');
      expect(elapsedMs).toBeLessThan(5_000); // at once, not after SWITCHBOARD_REQUEST_HEADER_MS (10 s)
      expect(recorder.requests).toEqual([]);
      expect(stack.counters('m1').elected).toBe(0);
    });

    it.each([
      ['half a header, then nothing', [proxyV1('203.0.113.7').slice(0, 20)]],
      ['a v2 header whose length promises more than comes', [proxyV2('203.0.113.7', { length: 100 })]],
      ['nothing at all', []],
    ])('%s: closed after SWITCHBOARD_REQUEST_HEADER_MS', async (_name, chunks) => {
      await serve({ SWITCHBOARD_REQUEST_HEADER_MS: '300' });
      const { text, elapsedMs } = await refused(chunks, 10_000);
      expect(text).toBe('');
      expect(elapsedMs).toBeGreaterThanOrEqual(250);
      expect(recorder.requests).toEqual([]);
    });

    it('a header trickled one byte per 100 ms is cut after SWITCHBOARD_REQUEST_HEADER_MS, not when it ends', async () => {
      await serve({ SWITCHBOARD_REQUEST_HEADER_MS: '300' });
      const client = await RawPeer.connect(stack.agent.port);
      const started = Date.now();
      const header = proxyV1('203.0.113.7');
      for (const byte of header) {
        if (client.closed) break;
        client.write(byte);
        await sleep(100);
      }
      await client.whenClosed(10_000);
      expect(Date.now() - started).toBeLessThan(header.length * 100); // the whole header would take 4 s
      expect(client.text).toBe('');
      expect(recorder.requests).toEqual([]);
    });
  });

  describe('on the TLS listener', () => {
    const certs = useListenerPki();

    const tlsEnv = () => ({ SWITCHBOARD_TLS_PORT: '0', SWITCHBOARD_TLS_CERT_FILE: certs.listener.certFile, SWITCHBOARD_TLS_KEY_FILE: certs.listener.keyFile });

    /** Opens TLS to `port` on a connection that first sent `header` (or through a balancer that sends it with the ClientHello), asks `/tls` twice, and returns what the member saw. */
    async function overTls(port: number, header: Buffer | string | null): Promise<RecordedRequest[]> {
      const raw = connect(port, '127.0.0.1');
      await once(raw, 'connect');
      if (header !== null) raw.write(header);
      const socket = tlsConnect({ socket: raw, ca: certs.pki.ca.cert, servername: 'localhost' });
      await once(socket, 'secureConnect');
      const client = new RawPeer(socket as unknown as RawPeer['socket']);
      client.write(get('/tls'));
      await client.until('seen GET /tls');
      client.write(get('/tls-again'));
      await client.until('seen GET /tls-again');
      socket.destroy();
      return recorder.requests.slice(-2);
    }

    it.each([
      ['v1', proxyV1('2001:db8::7'), '2001:db8::7'],
      ['v2', proxyV2('203.0.113.7'), '203.0.113.7'],
    ])('reads a %s header before the handshake, for every request of the connection', async (_name, header, address) => {
      await serve(tlsEnv());
      const seen = await overTls(stack.agent.tlsPort!, header);
      const forwarded = `for=${address.includes(':') ? `"[${address}]"` : address};host=x;proto=https`;
      expect(seen.map(named)).toEqual([{ xff: address, forwarded, realIp: address }, { xff: address, forwarded, realIp: address }]);
      await whenReleased(stack.counters('m1'));
    });

    it('takes the ClientHello sent in the same TCP write as the header (behind an L4 balancer)', async () => {
      await serve(tlsEnv());
      const balancer = await l4Balancer(proxyV1('198.51.100.23'), stack.agent.tlsPort!);
      const seen = await overTls((balancer.address() as { port: number }).port, null);
      expect(seen.map((request) => request.headers['x-real-ip'])).toEqual(['198.51.100.23', '198.51.100.23']);
      balancer.close();
    });

    it('closes a TLS connection without a header, no member reached', async () => {
      await serve(tlsEnv());
      const raw = new RawPeer(connect(stack.agent.tlsPort!, '127.0.0.1'));
      await once(raw.socket, 'connect');
      const socket = tlsConnect({ socket: raw.socket, ca: certs.pki.ca.cert, servername: 'localhost' });
      const failed = await Promise.race([once(socket, 'error').then(() => true), once(socket, 'secureConnect').then(() => false)]);
      expect(failed).toBe(true);
      expect(recorder.requests).toEqual([]);
    });
  });

  it('with SWITCHBOARD_PROXY_PROTOCOL unset, a PROXY header is not read: Node answers 400 to it', async () => {
    recorder = await new RecordingMember().start();
    await stack.serve(singleBalancer([member('m1', recorder.url())]));
    const text = await RawPeer.exchange(stack.agent.port, proxyV1('203.0.113.7') + get('/pp'));
    expect(text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(recorder.requests).toEqual([]);
  });
});
