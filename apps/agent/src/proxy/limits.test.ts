import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS } from '@switchboard/protocol';
import { routeToken } from '../config/compile';
import { closeWebSocket, openWebSocket, rawExchange } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { useStack } from '../testing/stack';
import { waitFor } from '../testing/wait';

const stack = useStack();

const UPGRADE = 'GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';

describe('maxTunnelsPerMember', () => {
  it('spreads tunnels up to the limit, answers 503 when every member is full, and lets one in once a tunnel closes', async () => {
    const members = [member('m1', stack.backends[0]!.url()), member('m2', stack.backends[1]!.url())];
    await stack.serve(singleBalancer(members, { limits: { maxTunnelsPerMember: 2, queueTimeoutMs: 0 } }));
    const sockets = [];
    for (let i = 0; i < 4; i++) sockets.push(await openWebSocket(stack.agent.ws()));
    expect(stack.backends.map((b) => b.accepted)).toEqual([2, 2]);
    expect([stack.counters('m1').openTunnels, stack.counters('m2').openTunnels]).toEqual([2, 2]);
    const raw = await rawExchange(stack.agent.port, UPGRADE);
    expect(raw).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
    expect(raw).toMatch(/\r\n\r\nevery usable member is full in balancer b1 \(maxTunnelsPerMember 2\)$/);
    // HTTP requests are not limited.
    expect((await fetch(stack.agent.http('/'))).status).toBe(200);
    await closeWebSocket(sockets.shift()!);
    await waitFor(() => stack.counters('m1').openTunnels + stack.counters('m2').openTunnels === 3, 'the tunnel to be counted closed');
    sockets.push(await openWebSocket(stack.agent.ws()));
    expect([stack.counters('m1').openTunnels, stack.counters('m2').openTunnels]).toEqual([2, 2]);
    await Promise.all(sockets.map(closeWebSocket));
  });

  it('with queueTimeoutMs, a new tunnel waits for room and opens when a tunnel closes', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())], { limits: { maxTunnelsPerMember: 1, queueTimeoutMs: 10_000 } }));
    const first = await openWebSocket(stack.agent.ws());
    let opened = false;
    const waiting = openWebSocket(stack.agent.ws()).then((ws) => {
      opened = true;
      return ws;
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(opened).toBe(false);
    expect(stack.counters('m1').openTunnels).toBe(1);
    await closeWebSocket(first);
    const second = await waiting;
    expect(stack.backends[0]!.accepted).toBe(2);
    await closeWebSocket(second);
  });

  it('with queueTimeoutMs, answers 503 naming the wait once it has passed', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())], { limits: { maxTunnelsPerMember: 1, queueTimeoutMs: 300 } }));
    const first = await openWebSocket(stack.agent.ws());
    const started = performance.now();
    const raw = await rawExchange(stack.agent.port, UPGRADE);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    expect(raw).toMatch(/\r\n\r\nevery usable member is full in balancer b1 \(maxTunnelsPerMember 1, waited 300 ms\)$/);
    await closeWebSocket(first);
  });

  it('skips a full sticky member for a new tunnel', async () => {
    const members = [member('m1', stack.backends[0]!.url()), member('m2', stack.backends[1]!.url())];
    await stack.serve(singleBalancer(members, { limits: { maxTunnelsPerMember: 1, queueTimeoutMs: 0 }, sticky: { mode: 'cookie', name: 'SB' } }));
    const first = await openWebSocket(stack.agent.ws());
    const cookieFor = stack.counters('m1').openTunnels === 1 ? 'm1' : 'm2';
    const second = await openWebSocket(stack.agent.ws(), { headers: { cookie: `SB=${routeToken(cookieFor)}` } });
    expect([stack.counters('m1').openTunnels, stack.counters('m2').openTunnels]).toEqual([1, 1]);
    await Promise.all([first, second].map(closeWebSocket));
  });
});

/** An HTTP member counting the connections it accepted. */
async function countingServer(): Promise<{ server: Server; port: number; connections(): number }> {
  let count = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end('ok'));
  });
  server.on('connection', () => (count += 1));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, connections: () => count };
}

describe('keepAliveMs', () => {
  it('0 opens a fresh member connection per request', async () => {
    const member1 = await countingServer();
    try {
      const { http } = await stack.serve(singleBalancer([member('m1', `http://127.0.0.1:${member1.port}`)], { timeouts: { ...DEFAULT_TIMEOUTS, keepAliveMs: 0 } }));
      for (let i = 0; i < 3; i++) expect(await (await fetch(http('/'))).text()).toBe('ok');
      expect(member1.connections()).toBe(3);
    } finally {
      member1.server.closeAllConnections();
      member1.server.close();
    }
  });

  it('above 0 reuses one pooled member connection', async () => {
    const member1 = await countingServer();
    try {
      const { http } = await stack.serve(singleBalancer([member('m1', `http://127.0.0.1:${member1.port}`)], { timeouts: { ...DEFAULT_TIMEOUTS, keepAliveMs: 2_000 } }));
      for (let i = 0; i < 3; i++) expect(await (await fetch(http('/'))).text()).toBe('ok');
      expect(member1.connections()).toBe(1);
    } finally {
      member1.server.closeAllConnections();
      member1.server.close();
    }
  });

  it('closes a pooled connection idle for keepAliveMs', async () => {
    const member1 = await countingServer();
    try {
      const { http } = await stack.serve(singleBalancer([member('m1', `http://127.0.0.1:${member1.port}`)], { timeouts: { ...DEFAULT_TIMEOUTS, keepAliveMs: 200 } }));
      expect(await (await fetch(http('/'))).text()).toBe('ok');
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await (await fetch(http('/'))).text()).toBe('ok');
      expect(member1.connections()).toBe(2);
    } finally {
      member1.server.closeAllConnections();
      member1.server.close();
    }
  });
});
