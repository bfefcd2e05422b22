import { once } from 'node:events';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawExchange } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer, rawServer } from '../testing/raw-tcp';
import { useStack, whenReleased } from '../testing/stack';
import { switchingProtocols, upgradeRequest } from '../testing/ws-frames';

// Heads too large for the agent's parsers. A client's request head above
// SWITCHBOARD_MAX_HEADER_BYTES gets 431 from the listener before any routing (plain and upgrade
// alike, no member dialled). A member's response head above Node's client limit (16 KiB) makes
// the request fail with 502 naming HPE_HEADER_OVERFLOW — a clear answer, not a hang, no failure
// counted (the member was reached), the next request served. A member's 101 is never parsed by
// the agent, so its size is the client's business: it passes unchanged.

const stack = useStack(1);

const BIG_HEADERS = Array.from({ length: 100 }, (_, i) => `X-Big-${i}: ${'a'.repeat(1_000)}\r\n`).join(''); // ~100 KiB

describe('request heads above SWITCHBOARD_MAX_HEADER_BYTES', () => {
  it('answer 431; a head under the limit reaches routing', async () => {
    await stack.start({ env: { SWITCHBOARD_MAX_HEADER_BYTES: '4096' } });
    const raw = await rawExchange(stack.agent.port, `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(5_000)}\r\n\r\n`);
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    const small = await rawExchange(stack.agent.port, `GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: ${'a'.repeat(3_000)}\r\n\r\n`);
    expect(small).toMatch(/^HTTP\/1\.1 503 /); // under the limit: reaches routing (no configuration yet)
  });

  it('answer 431 to an upgrade too, before any member is dialled', async () => {
    const target = await rawServer();
    try {
      await stack.start({ env: { SWITCHBOARD_MAX_HEADER_BYTES: '4096' } });
      await stack.serve(singleBalancer([member('m1', target.url())]));
      const raw = await rawExchange(stack.agent.port, upgradeRequest().replace('\r\n\r\n', `\r\nX-Big: ${'a'.repeat(5_000)}\r\n\r\n`));
      expect(raw).toMatch(/^HTTP\/1\.1 431 /);
      expect(target.peers).toHaveLength(0);
      expect(stack.counters('m1').elected).toBe(0);
    } finally {
      await target.close();
    }
  });
});

describe("a member's huge response head", () => {
  let server: Server;

  beforeEach(async () => {
    // Answers /huge with ~100 KiB of headers, anything else with a small 200.
    server = createServer((req, res) => {
      if (req.url === '/huge') for (let i = 0; i < 100; i++) res.setHeader(`x-big-${i}`, 'a'.repeat(1_000));
      res.end('ok');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('on plain HTTP gets 502 naming the overflow, and the next request is served', async () => {
    const { http } = await stack.serve(singleBalancer([member('m1', `http://127.0.0.1:${(server.address() as AddressInfo).port}`)]));
    const res = await fetch(http('/huge'));
    expect(res.status).toBe(502);
    expect(await res.text()).toBe('member m1 of balancer b1 failed: HPE_HEADER_OVERFLOW');
    await whenReleased(stack.counters('m1'));
    // Not a failure (the member was reached), and not `up` either: only a parsed response head says so.
    expect(stack.counters('m1')).toMatchObject({ failures: 0, health: 'unknown' });
    const next = await fetch(http('/small'));
    expect(next.status).toBe(200);
    expect(await next.text()).toBe('ok');
    expect(stack.counters('m1').health).toBe('up');
  });

  it('in a 101 passes unchanged (the agent does not parse it)', async () => {
    const big = await rawServer((peer) => {
      void peer.until('\r\n\r\n').then(() => peer.write(switchingProtocols(peer.text).replace('\r\n\r\n', `\r\n${BIG_HEADERS}\r\n`)));
    });
    try {
      await stack.serve(singleBalancer([member('m1', big.url())]));
      const client = await RawPeer.connect(stack.agent.port);
      client.write(upgradeRequest());
      const expected = switchingProtocols(upgradeRequest()).replace('\r\n\r\n', `\r\n${BIG_HEADERS}\r\n`);
      await client.untilLength(expected.length);
      expect(client.text).toBe(expected);
      client.socket.destroy();
      await whenReleased(stack.counters('m1'));
    } finally {
      await big.close();
    }
  });
});
