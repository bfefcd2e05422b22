import { describe, expect, it } from 'vitest';
import { openWebSocket } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer, rawServer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { useStack, whenReleased } from '../testing/stack';
import { waitFor } from '../testing/wait';
import { upgradeRequest } from '../testing/ws-frames';

// A member that answers an upgrade with anything but 101 has refused it: its answer reaches the
// client byte for byte (status line, header case and order, body framing — no ProxyPassReverse,
// no sticky cookie), then both connections close and the member's gauges return to 0. The
// connection never becomes a tunnel: nothing more of the client's reaches the member
// (Apache's CVE-2019-17567).

const stack = useStack(1);

const refusals: [string, string, 'close' | 'keep'][] = [
  ['403 with a body, closing', 'HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nforbidden', 'close'],
  ['426 naming the versions it speaks, kept alive', 'HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13, 8\r\ncontent-length: 0\r\n\r\n', 'keep'],
  ['400 with a chunked body, kept alive', 'HTTP/1.1 400 Bad Request\r\nTransfer-Encoding: chunked\r\nX-Odd-Case: Kept\r\n\r\n5\r\nbad r\r\n0\r\n\r\n', 'keep'],
  ['302 to a login page, closing', 'HTTP/1.1 302 Found\r\nLocation: /login\r\nSet-Cookie: a=b; Path=/\r\nContent-Length: 0\r\n\r\n', 'close'],
  ['200 from a member that does not do WebSockets, kept alive', 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello', 'keep'],
  ['something that is not HTTP, closing', 'SSH-2.0-OpenSSH_9.6\r\n', 'close'],
];

describe('member refusing the upgrade', () => {
  it.each(refusals)('%s: the answer reaches the client unchanged, then both sides close', async (_name, answer, after) => {
    // 'keep' members hold their connection until the agent's FIN, as an HTTP server does.
    const refusing = await rawServer((peer) => {
      void peer.until('\r\n\r\n').then(() => (after === 'close' ? peer.socket.end(answer, 'latin1') : peer.write(answer)));
    });
    try {
      await stack.serve(singleBalancer([member('m1', refusing.url())]));
      const client = await RawPeer.connect(stack.agent.port);
      client.write(upgradeRequest('/chat'));
      await client.whenClosed();
      expect(client.text).toBe(answer);
      expect(client.reset).toBe(false);
      const seen = refusing.peers[0]!;
      await seen.whenClosed();
      expect(seen.text).toMatch(/^GET \/chat HTTP\/1\.1\r\n/);
      expect(seen.text.indexOf('\r\n\r\n')).toBe(seen.text.length - 4);
      await whenReleased(stack.counters('m1'));
      expect(stack.counters('m1')).toMatchObject({ failures: 0, health: 'up' });
    } finally {
      await refusing.close();
    }
  });

  it('a WebSocket client gets the status, and the member keeps no connection', async () => {
    const backend = stack.backends[0]!;
    backend.upgradeStatus = 403;
    await stack.serve(singleBalancer([member('m1', backend.url())]));
    await expect(openWebSocket(stack.agent.ws())).rejects.toThrow('Unexpected server response: 403');
    await whenReleased(stack.counters('m1'));
    expect(backend.upgrades).toHaveLength(1);
    expect(backend.openWebSockets).toBe(0);
  });

  it('a request the client sends after the refusal never reaches the member (CVE-2019-17567)', async () => {
    const recorder = await new RecordingMember().start(); // HTTP only: answers the upgrade request with a kept-alive 200
    try {
      await stack.serve(singleBalancer([member('m1', recorder.url())]));
      const client = await RawPeer.connect(stack.agent.port);
      client.write(upgradeRequest('/ws'));
      await client.until('seen GET /ws');
      client.write('GET /admin HTTP/1.1\r\nHost: x\r\n\r\n');
      await waitFor(() => client.closed || recorder.urls.includes('/admin'), 'the connection to close');
      expect(recorder.urls).toEqual(['/ws']);
      expect(client.text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nseen GET \/ws$/);
      await whenReleased(stack.counters('m1'));
    } finally {
      await recorder.close();
    }
  });
});
