import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUTS } from '@switchboard/protocol';
import { openWebSocket } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer, rawServer } from '../testing/raw-tcp';
import type { RawServer } from '../testing/raw-tcp';
import { useStack, whenReleased } from '../testing/stack';
import { waitFor } from '../testing/wait';
import { switchingProtocols, upgradeRequest } from '../testing/ws-frames';

// Half-closed tunnels. The agent forwards a FIN the way TCP means it:
// - the client's FIN reaches the member, and the member may go on sending until it closes
//   (a WebSocket member closes at once: a client that half-closes is done); a member that
//   never closes holds the tunnel until tunnelIdleMs, no longer;
// - the member's FIN ends the tunnel both ways: the client gets every byte the member sent,
//   then a FIN, and the agent closes the member side too (a WebSocket server closes first
//   once the closing handshake is over, RFC 6455 §7.1.1).
// Either way the tunnel is counted closed once.

const stack = useStack(1);

/** A member that switches protocols and stays half-open when the agent sends FIN; `then` runs once it has answered. */
function halfOpenMember(then: (peer: RawPeer) => void = () => undefined): Promise<RawServer> {
  return rawServer(
    (peer) => {
      void peer.until('\r\n\r\n').then(() => {
        peer.write(switchingProtocols(peer.text));
        then(peer);
      });
    },
    { allowHalfOpen: true },
  );
}

/** Serves one balancer on `server` and opens a raw tunnel through the agent; resolves once the 101 is read. */
async function openTunnel(server: RawServer, timeouts = DEFAULT_TIMEOUTS): Promise<{ client: RawPeer; member: RawPeer }> {
  await stack.serve(singleBalancer([member('m1', server.url())], { timeouts }));
  const client = await RawPeer.connect(stack.agent.port);
  client.write(upgradeRequest());
  await client.until('\r\n\r\n');
  return { client, member: server.peers[0]! };
}

describe('half-open TCP', () => {
  it("the client's FIN reaches the member, whose later bytes still reach the client until it closes", async () => {
    const server = await halfOpenMember();
    try {
      const { client, member: seen } = await openTunnel(server);
      client.socket.end();
      await waitFor(() => seen.ended, 'the member to get the FIN');
      seen.write('after your FIN');
      await client.until('after your FIN');
      expect(client.closed).toBe(false);
      expect(stack.counters('m1').openTunnels).toBe(1);
      seen.socket.end('bye');
      await client.whenClosed();
      expect(client.text.endsWith('after your FINbye')).toBe(true);
      await whenReleased(stack.counters('m1'));
    } finally {
      await server.close();
    }
  });

  it("a WebSocket member closes on the client's FIN, so the tunnel is released at once", async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())]));
    const client = await RawPeer.connect(stack.agent.port);
    client.write(upgradeRequest());
    await client.until('\r\n\r\n');
    client.socket.end();
    await client.whenClosed();
    await whenReleased(stack.counters('m1'));
    expect(stack.backends[0]!.openWebSockets).toBe(0);
  });

  it('a member that never closes after the client FIN holds the tunnel until tunnelIdleMs, no longer', async () => {
    const server = await halfOpenMember();
    try {
      const { client, member: seen } = await openTunnel(server, { ...DEFAULT_TIMEOUTS, tunnelIdleMs: 300 });
      client.socket.end();
      await waitFor(() => seen.ended, 'the member to get the FIN');
      await client.whenClosed();
      await whenReleased(stack.counters('m1'));
      // The agent's end is gone: the member's writes are answered with a RST.
      await waitFor(() => {
        seen.write('anyone there?');
        return seen.reset;
      }, "the member's writes to fail");
    } finally {
      await server.close();
    }
  });

  it("the member's FIN: the client gets every byte then a FIN, and the agent closes the member side too", async () => {
    const server = await halfOpenMember((peer) => peer.socket.end('last words'));
    try {
      const { client, member: seen } = await openTunnel(server);
      await client.whenClosed();
      expect(client.text.endsWith('\r\n\r\nlast words')).toBe(true);
      expect(client.reset).toBe(false);
      await seen.whenClosed();
      await whenReleased(stack.counters('m1'));
    } finally {
      await server.close();
    }
  });

  it("a WebSocket client sees the member's FIN as the end of the connection", async () => {
    const server = await halfOpenMember((peer) => peer.socket.end());
    try {
      await stack.serve(singleBalancer([member('m1', server.url())]));
      const ws = await openWebSocket(stack.agent.ws());
      const [code] = (await once(ws, 'close')) as [number];
      expect(code).toBe(1006); // no close frame came: abnormal closure, as the member meant
      await whenReleased(stack.counters('m1'));
    } finally {
      await server.close();
    }
  });
});
