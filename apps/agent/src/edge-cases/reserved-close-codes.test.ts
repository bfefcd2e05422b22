import { describe, expect, it } from 'vitest';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer, rawServer } from '../testing/raw-tcp';
import type { RawServer } from '../testing/raw-tcp';
import { useStack, whenReleased } from '../testing/stack';
import { closeFrame, switchingProtocols, upgradeRequest } from '../testing/ws-frames';

// The agent is a byte pipe once a tunnel is up: it neither parses nor checks WebSocket frames.
// A close frame with a code that must never be on the wire (1005, 1006, 1015: RFC 6455 §7.4.1)
// or that is unassigned (999, 1004, 1016, 2999, 5000) passes unchanged in both directions, the
// endpoints deal with it (a real WebSocket member answers 1002), and the tunnel is released
// when either side closes. The one close frame the agent may write itself (shutdown, drain)
// must carry a valid code.

const stack = useStack(1);

const CODES = [1005, 1006, 1015, 999, 1004, 1016, 2999, 5000];

/** A close code an endpoint may send (RFC 6455 §7.4 and the IANA registry; as ws's isValidStatusCode). */
function isSendable(code: number): boolean {
  return (code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 && code !== 1006) || (code >= 3000 && code <= 4999);
}

/** A member that switches protocols and keeps every byte it gets; `then` runs once it has answered. */
function switchingMember(then: (peer: RawPeer) => void = () => undefined): Promise<RawServer> {
  return rawServer((peer) => {
    void peer.until('\r\n\r\n').then(() => {
      peer.write(switchingProtocols(peer.text));
      then(peer);
    });
  });
}

/** A raw client with an open tunnel: the 101 read, the member's connection at hand. */
async function openTunnel(server: RawServer): Promise<{ client: RawPeer; member: RawPeer; afterHead: () => Buffer }> {
  await stack.serve(singleBalancer([member('m1', server.url())]));
  const client = await RawPeer.connect(stack.agent.port);
  client.write(upgradeRequest());
  const head = await client.until('\r\n\r\n');
  const headLength = head.indexOf('\r\n\r\n') + 4;
  return { client, member: server.peers[0]!, afterHead: () => client.received.subarray(headLength) };
}

describe('reserved and invalid close codes', () => {
  it.each(CODES)('the client sends close %i: the member gets it byte for byte, and the tunnel is released when the client closes', async (code) => {
    const server = await switchingMember();
    try {
      const { client, member: seen } = await openTunnel(server);
      const frame = closeFrame(code, 'bye', true);
      client.write(frame);
      const received = await seen.until(frame);
      expect(received.subarray(received.indexOf('\r\n\r\n') + 4)).toEqual(frame);
      client.socket.end();
      await client.whenClosed();
      await whenReleased(stack.counters('m1'));
    } finally {
      await server.close();
    }
  });

  it.each(CODES)('the member sends close %i: the client gets it byte for byte, and the tunnel is released when the member closes', async (code) => {
    const frame = closeFrame(code, 'bye', false);
    const server = await switchingMember((peer) => peer.socket.end(frame));
    try {
      const { client, afterHead } = await openTunnel(server);
      await client.whenClosed();
      expect(afterHead()).toEqual(frame);
      await whenReleased(stack.counters('m1'));
    } finally {
      await server.close();
    }
  });

  it('a real WebSocket member answers a client close 1005 with 1002 (protocol error), which reaches the client', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())]));
    const client = await RawPeer.connect(stack.agent.port);
    client.write(upgradeRequest());
    const head = await client.until('\r\n\r\n');
    const headLength = head.indexOf('\r\n\r\n') + 4;
    client.write(closeFrame(1005, '', true));
    await client.whenClosed();
    const reply = client.received.subarray(headLength);
    expect(reply[0]).toBe(0x88); // FIN + close
    expect(reply.readUInt16BE(2)).toBe(1002);
    await whenReleased(stack.counters('m1'));
    expect(stack.backends[0]!.openWebSockets).toBe(0);
    expect(stack.backends[0]!.wsErrors.map((error) => error.message)).toEqual(['Invalid WebSocket frame: invalid status code 1005']);
  });

  it('whatever the agent writes itself when it cuts a tunnel (shutdown) is nothing, or a close frame with a sendable code', async () => {
    const server = await switchingMember();
    try {
      const { client, afterHead } = await openTunnel(server);
      await stack.agent.stop();
      await client.whenClosed();
      const written = afterHead();
      if (written.length > 0) {
        expect(written[0]).toBe(0x88);
        expect(isSendable(written.readUInt16BE(2))).toBe(true);
      }
    } finally {
      await server.close();
    }
  });
});
