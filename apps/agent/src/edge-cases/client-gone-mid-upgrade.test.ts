import { describe, expect, it } from 'vitest';
import { silentServer } from '../testing/backends';
import { closeWebSocket, openWebSocket, roundTrip } from '../testing/clients';
import { balancer, member, route } from '../testing/fixtures';
import { RawPeer, rawServer } from '../testing/raw-tcp';
import { useStack, whenReleased } from '../testing/stack';
import { waitFor } from '../testing/wait';
import { upgradeRequest } from '../testing/ws-frames';

// A client that goes away before its tunnel is up must leave nothing behind: the member
// connection is closed, the member's gauges return to 0, and no failure is counted (the member
// did nothing wrong). After each case a real WebSocket client still gets through.

const stack = useStack(1);
const timeouts = { connectMs: 5_000, tunnelIdleMs: 0, keepAliveMs: 15_000, responseHeaderMs: 60_000 };

type Leave = 'FIN' | 'RST';

function leave(client: RawPeer, how: Leave): void {
  if (how === 'FIN') client.socket.end();
  else client.socket.resetAndDestroy();
}

/** A real client through the agent to the stack's WebSocket backend, on balancer `b2` (route `/ok`). */
async function stillServes(): Promise<void> {
  const ws = await openWebSocket(stack.agent.ws('/ok'));
  expect((await roundTrip(ws, 'after')).toString()).toBe('after');
  await closeWebSocket(ws);
}

/** Balancer b1 with one member (catch-all route) and b2 on the echo backend (route `/ok`). */
async function serve(memberUrl: string): Promise<void> {
  await stack.serve({
    balancers: [balancer('b1', [member('m1', memberUrl)], { timeouts }), balancer('b2', [member('echo', stack.backends[0]!.url())])],
    routes: [route('r1', 'b1'), route('r2', 'b2', { match: { type: 'prefix', path: '/ok' } })],
  });
}

describe('client gone mid-upgrade', () => {
  it.each<Leave>(['FIN', 'RST'])('while the member is being dialled (%s): the member connection is dropped, no failure counted', async (how) => {
    const silent = await silentServer();
    try {
      await serve(`wss://127.0.0.1:${silent.port}`);
      const client = await RawPeer.connect(stack.agent.port);
      client.write(upgradeRequest());
      await waitFor(() => silent.connections() === 1, 'the member to be dialled');
      expect(stack.counters('m1').connectingTunnels).toBe(1);
      leave(client, how);
      await waitFor(() => silent.connections() === 0, 'the member connection to be dropped');
      await whenReleased(stack.counters('m1'));
      expect(stack.counters('m1')).toMatchObject({ failures: 0, health: 'unknown' });
      await stillServes();
    } finally {
      await silent.close();
    }
  });

  it.each<Leave>(['FIN', 'RST'])('after the member got the request, before its 101 (%s): the member connection is closed', async (how) => {
    // Reads the request and never answers, not even a FIN with its own: a member still deciding.
    const mute = await rawServer(undefined, { allowHalfOpen: true });
    try {
      await serve(mute.url());
      const client = await RawPeer.connect(stack.agent.port);
      client.write(upgradeRequest('/chat'));
      await waitFor(() => mute.peers[0]?.text.endsWith('\r\n\r\n'), 'the member to receive the request head');
      expect(mute.peers[0]!.text).toMatch(/^GET \/chat HTTP\/1\.1\r\n/);
      leave(client, how);
      await waitFor(() => mute.peers[0]!.ended, 'the member connection to be closed');
      await whenReleased(stack.counters('m1'));
      expect(stack.counters('m1')).toMatchObject({ failures: 0, health: 'up', elected: 1 });
      expect(client.received.length).toBe(0);
      await stillServes();
    } finally {
      await mute.close();
    }
  });

  it.each<Leave>(['FIN', 'RST'])('after half the request head (%s): nothing reaches a member, nothing is counted', async (how) => {
    const mute = await rawServer();
    try {
      await serve(mute.url());
      const client = await RawPeer.connect(stack.agent.port);
      const head = upgradeRequest();
      client.write(head.slice(0, head.length / 2));
      leave(client, how);
      await client.whenClosed();
      await stillServes();
      expect(mute.peers).toHaveLength(0);
      expect(stack.counters('m1')).toMatchObject({ elected: 0, failures: 0, openTunnels: 0, connectingTunnels: 0 });
    } finally {
      await mute.close();
    }
  });
});
