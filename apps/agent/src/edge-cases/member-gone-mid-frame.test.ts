import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { closeWebSocket, openWebSocket, roundTrip } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer, rawServer } from '../testing/raw-tcp';
import type { RawServer } from '../testing/raw-tcp';
import { useStack, whenReleased } from '../testing/stack';
import { switchingProtocols, upgradeRequest } from '../testing/ws-frames';

// A member that accepts the upgrade, sends half a WebSocket frame (the header announces 100
// bytes, 10 follow) and then leaves, with a FIN or a RST: the agent does not wait for the rest
// of the frame (it does not parse frames), it closes the client at once, releases the tunnel
// and counts no failure (the connect succeeded). The next client is served as usual.

const stack = useStack(2);

type Leave = 'FIN' | 'RST';

const HALF_FRAME = Buffer.concat([Buffer.from([0x82, 100]), Buffer.alloc(10, 0x61)]);

/** A member that switches protocols, writes HALF_FRAME, then leaves as told. */
function halfFrameMember(how: Leave): Promise<RawServer> {
  return rawServer((peer) => {
    void peer.until('\r\n\r\n').then(() => {
      peer.write(switchingProtocols(peer.text));
      peer.socket.write(HALF_FRAME, () => (how === 'FIN' ? peer.socket.end() : peer.socket.resetAndDestroy()));
    });
  });
}

describe('member gone mid-frame', () => {
  it.each<Leave>(['FIN', 'RST'])('%s: the client is closed promptly, the tunnel released, no failure counted', async (how) => {
    const leaving = await halfFrameMember(how);
    try {
      await stack.serve(singleBalancer([member('m1', leaving.url())]));
      const client = await RawPeer.connect(stack.agent.port);
      client.write(upgradeRequest());
      await client.whenClosed();
      expect(client.text).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
      // After a FIN every byte the member sent arrives; a RST may discard what was in flight.
      if (how === 'FIN') expect(client.received.subarray(client.received.indexOf('\r\n\r\n') + 4)).toEqual(HALF_FRAME);
      await whenReleased(stack.counters('m1'));
      expect(stack.counters('m1')).toMatchObject({ failures: 0, health: 'up' });
    } finally {
      await leaving.close();
    }
  });

  it.each<Leave>(['FIN', 'RST'])('%s: a WebSocket client sees an abnormal close (1006) and the next client gets through', async (how) => {
    const leaving = await halfFrameMember(how);
    try {
      await stack.serve(singleBalancer([member('m1', leaving.url()), member('m2', stack.backends[1]!.url())]));
      const ws = await openWebSocket(stack.agent.ws());
      const [code] = (await once(ws, 'close')) as [number];
      expect(code).toBe(1006);
      await whenReleased(stack.counters('m1'));
      const next = await openWebSocket(stack.agent.ws()); // byrequests: m2's turn
      expect((await roundTrip(next, 'still serving')).toString()).toBe('still serving');
      await closeWebSocket(next);
      expect(stack.counters('m1').failures).toBe(0);
    } finally {
      await leaving.close();
    }
  });
});
