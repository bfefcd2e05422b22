import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { SnapshotBalancer, SnapshotMember } from '@switchboard/protocol';
import { closedPort, silentServer } from '../testing/backends';
import { closeWebSocket, openWebSocket, rawExchange, roundTrip } from '../testing/clients';
import { balancer, member, route, singleBalancer } from '../testing/fixtures';
import { useStack } from '../testing/stack';
import { waitFor } from '../testing/wait';

const stack = useStack();

/** Publishes a one-balancer config and waits until the agent acked it. */
async function serve(members: SnapshotMember[], overrides: Partial<SnapshotBalancer> = {}): Promise<void> {
  await stack.serve(singleBalancer(members, overrides));
}

describe('WebSocket tunnel', () => {
  it('echoes text and binary frames byte for byte and counts bytes both ways', async () => {
    await serve([member('m1', stack.backends[0]!.url())]);
    const ws = await openWebSocket(stack.agent.ws('/chat?room=1'));
    const payload = randomBytes(200_000);
    expect((await roundTrip(ws, payload)).equals(payload)).toBe(true);
    expect((await roundTrip(ws, 'héllo')).toString()).toBe('héllo');
    const counters = stack.counters('m1');
    expect(counters.openTunnels).toBe(1);
    expect(counters.elected).toBe(1);
    expect(counters.health).toBe('up');
    expect(counters.bytesIn).toBeGreaterThan(200_000);
    expect(counters.bytesOut).toBeGreaterThan(200_000);
    expect(stack.backends[0]!.upgrades[0]!.url).toBe('/chat?room=1');
    await closeWebSocket(ws);
    await waitFor(() => stack.counters('m1').openTunnels === 0, 'the tunnel to be counted closed');
  });

  it('forwards bytes that arrived with the upgrade request (the head)', async () => {
    await serve([member('m1', stack.backends[0]!.url())]);
    const mask = Buffer.from([1, 2, 3, 4]);
    const payload = Buffer.from('early');
    const frame = Buffer.concat([Buffer.from([0x81, 0x80 | payload.length]), mask, payload.map((byte, i) => byte ^ mask[i % 4]!)]);
    const client = connect(stack.agent.port, '127.0.0.1');
    const received: Buffer[] = [];
    client.on('data', (chunk: Buffer) => received.push(chunk));
    client.write(Buffer.concat([Buffer.from('GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'), frame]));
    const reply = await waitFor(() => {
      const all = Buffer.concat(received);
      const end = all.indexOf('\r\n\r\n');
      return end !== -1 && all.length >= end + 4 + 2 + payload.length && all;
    }, 'the 101 and the echoed frame');
    const end = reply.indexOf('\r\n\r\n') + 4;
    expect(reply.subarray(0, 12).toString()).toBe('HTTP/1.1 101');
    expect(reply.subarray(end, end + 2 + payload.length)).toEqual(Buffer.concat([Buffer.from([0x81, payload.length]), payload]));
    client.destroy();
  });

  it('forwards the upgrade headers and the forwarding headers', async () => {
    await serve([member('m1', stack.backends[0]!.url())]);
    const ws = await openWebSocket(stack.agent.ws('/'), { headers: { 'x-forwarded-for': '203.0.113.7' }, protocols: ['chat'] });
    const { headers } = stack.backends[0]!.upgrades[0]!;
    expect(headers).toMatchObject({
      upgrade: 'websocket',
      'sec-websocket-protocol': 'chat',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-real-ip': '127.0.0.1',
      'x-forwarded-host': `127.0.0.1:${stack.agent.port}`,
      forwarded: `for=127.0.0.1;host="127.0.0.1:${stack.agent.port}";proto=http`,
      host: `127.0.0.1:${stack.agent.port}`,
    });
    expect(headers['sec-websocket-key']).toBeTruthy();
    expect(ws.protocol).toBe('chat');
    await closeWebSocket(ws);
  });

  it('uses both members', async () => {
    await serve([member('m1', stack.backends[0]!.url()), member('m2', stack.backends[1]!.url())]);
    const sockets = await Promise.all(Array.from({ length: 6 }, () => openWebSocket(stack.agent.ws())));
    expect(stack.backends.map((b) => b.accepted)).toEqual([3, 3]);
    await Promise.all(sockets.map(closeWebSocket));
  });

  it('bybusyness sends new tunnels to the member with fewer open ones', async () => {
    await serve([member('m1', stack.backends[0]!.url()), member('m2', stack.backends[1]!.url())], { lbMethod: 'bybusyness' });
    const first = await Promise.all([openWebSocket(stack.agent.ws()), openWebSocket(stack.agent.ws())]);
    expect(stack.backends.map((b) => b.accepted)).toEqual([1, 1]);
    await closeWebSocket(first[0]!);
    await waitFor(() => stack.counters('m1').openTunnels === 0, 'the first tunnel to close');
    const next = await openWebSocket(stack.agent.ws());
    expect(stack.backends.map((b) => b.accepted)).toEqual([2, 1]);
    await Promise.all([first[1]!, next].map(closeWebSocket));
  });

  it('a draining member gets no new tunnels while its open tunnel keeps working', async () => {
    await serve([member('m1', stack.backends[0]!.url()), member('m2', stack.backends[1]!.url())]);
    const onM1 = await openWebSocket(stack.agent.ws());
    expect(stack.backends[0]!.accepted).toBe(1);
    await serve([member('m1', stack.backends[0]!.url(), { state: 'draining' }), member('m2', stack.backends[1]!.url())]);
    const later = await Promise.all(Array.from({ length: 4 }, () => openWebSocket(stack.agent.ws())));
    expect(stack.backends.map((b) => b.accepted)).toEqual([1, 4]);
    expect((await roundTrip(onM1, 'still here')).toString()).toBe('still here');
    expect(stack.counters('m1').openTunnels).toBe(1);
    await Promise.all([onM1, ...later].map(closeWebSocket));
  });

  it('a member whose port is closed: every new client still succeeds on the other', async () => {
    const dead = await closedPort();
    await serve([member('dead', `ws://127.0.0.1:${dead}`), member('m2', stack.backends[1]!.url())]);
    for (let i = 0; i < 6; i++) {
      const ws = await openWebSocket(stack.agent.ws());
      expect((await roundTrip(ws, `n${i}`)).toString()).toBe(`n${i}`);
      await closeWebSocket(ws);
    }
    expect(stack.backends[1]!.accepted).toBe(6);
    expect(stack.counters('dead')).toMatchObject({ health: 'down', failures: 1, openTunnels: 0 });
  });

  it('fails over a member that does not complete its connection within connectMs', async () => {
    const silent = await silentServer();
    try {
      await serve([member('silent', `wss://127.0.0.1:${silent.port}`), member('m2', stack.backends[1]!.url())], { timeouts: { connectMs: 100, tunnelIdleMs: 0, keepAliveMs: 15_000, responseHeaderMs: 60_000 } });
      const started = Date.now();
      const ws = await openWebSocket(stack.agent.ws());
      expect(Date.now() - started).toBeLessThan(1000);
      expect(stack.counters('silent')).toMatchObject({ failures: 1, health: 'down' });
      await closeWebSocket(ws);
    } finally {
      await silent.close();
    }
  });

  it('answers 503 on the raw socket when no member is usable', async () => {
    await serve([member('m1', stack.backends[0]!.url(), { state: 'disabled' })]);
    await expect(openWebSocket(stack.agent.ws())).rejects.toThrow('Unexpected server response: 503');
    const raw = await rawExchange(stack.agent.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(raw).toMatch(/no usable member in balancer b1$/);
  });

  it('answers 503 naming the last error when every member failed to connect', async () => {
    const dead = await closedPort();
    await serve([member('dead', `ws://127.0.0.1:${dead}`)]);
    const raw = await rawExchange(stack.agent.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 503 /);
    expect(raw).toMatch(/no member of balancer b1 could be reached \(1 tried, last error: ECONNREFUSED\)$/);
  });

  it('answers 404 on the raw socket when no route matches', async () => {
    await stack.serve({ balancers: [balancer('b1', [member('m1', stack.backends[0]!.url())])], routes: [route('r1', 'b1', { match: { type: 'prefix', path: '/chat' } })] });
    const raw = await rawExchange(stack.agent.port, 'GET /other HTTP/1.1\r\nHost: Example.com:8080\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
    expect(raw).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
    expect(raw).toMatch(/no route matches GET \/other on host example\.com \(websocket\)$/);
  });

  it('closes a tunnel idle for tunnelIdleMs', async () => {
    await serve([member('m1', stack.backends[0]!.url())], { timeouts: { connectMs: 1000, tunnelIdleMs: 300, keepAliveMs: 15_000, responseHeaderMs: 60_000 } });
    const ws = await openWebSocket(stack.agent.ws());
    const closed = once(ws, 'close');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await roundTrip(ws, 'keepalive')).toString()).toBe('keepalive');
    const started = Date.now();
    await closed;
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await waitFor(() => stack.counters('m1').openTunnels === 0 && stack.backends[0]!.openWebSockets === 0, 'both sides to close');
  });
});
