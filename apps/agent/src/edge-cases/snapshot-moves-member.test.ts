import { describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { closeWebSocket, openWebSocket, roundTrip } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { useStack, whenReleased } from '../testing/stack';

// A snapshot that changes the member an open tunnel is on — its weight, its URL, the
// balancer's lbmethod, or removes it — never touches the tunnel: it stays connected where it
// was and keeps echoing. Its count stays with the member id (counters are keyed by id and
// survive snapshots), so the gauge drops back to 0 when the tunnel closes, even if the member
// is gone from the configuration by then, and bybusyness still sees the tunnel after the change.

const stack = useStack(2);

/** Opens a tunnel on m1 (backend b1, the only member) and checks it echoes. */
async function tunnelOnM1(): Promise<WebSocket> {
  await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())]));
  const ws = await openWebSocket(stack.agent.ws());
  expect((await roundTrip(ws, 'before')).toString()).toBe('before');
  expect(stack.counters('m1').openTunnels).toBe(1);
  return ws;
}

describe('a snapshot changing the member of an open tunnel', () => {
  it('weight: the tunnel keeps echoing, counted on m1 until it closes', async () => {
    const ws = await tunnelOnM1();
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url(), { weight: 50 })]));
    expect((await roundTrip(ws, 'after')).toString()).toBe('after');
    expect(stack.counters('m1').openTunnels).toBe(1);
    await closeWebSocket(ws);
    await whenReleased(stack.counters('m1'));
  });

  it('URL: the tunnel stays on the old address, new tunnels go to the new one, both counted on m1', async () => {
    const ws = await tunnelOnM1();
    await stack.serve(singleBalancer([member('m1', stack.backends[1]!.url())]));
    expect((await roundTrip(ws, 'after')).toString()).toBe('after');
    const moved = await openWebSocket(stack.agent.ws());
    expect(stack.backends.map((b) => b.openWebSockets)).toEqual([1, 1]);
    expect(stack.counters('m1').openTunnels).toBe(2);
    await Promise.all([ws, moved].map(closeWebSocket));
    await whenReleased(stack.counters('m1'));
  });

  it('removed: the tunnel keeps echoing and its count returns to 0 on the same counters, found again when m1 comes back', async () => {
    const ws = await tunnelOnM1();
    const counters = stack.counters('m1');
    await stack.serve(singleBalancer([member('m2', stack.backends[1]!.url())]));
    expect(() => stack.counters('m1')).toThrow('no member m1');
    expect((await roundTrip(ws, 'orphan')).toString()).toBe('orphan');
    expect(counters.openTunnels).toBe(1);
    await closeWebSocket(ws);
    await whenReleased(counters);
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url()), member('m2', stack.backends[1]!.url())]));
    expect(stack.counters('m1')).toBe(counters);
    expect(counters).toMatchObject({ elected: 1, failures: 0 });
  });

  it('lbmethod byrequests → bybusyness: the tunnel keeps echoing and counts as busy for the new lbmethod', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url()), member('m2', stack.backends[1]!.url())]));
    const first = await openWebSocket(stack.agent.ws()); // byrequests: m1 first
    expect(stack.counters('m1').openTunnels).toBe(1);
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url()), member('m2', stack.backends[1]!.url())], { lbMethod: 'bybusyness' }));
    expect((await roundTrip(first, 'after')).toString()).toBe('after');
    const second = await openWebSocket(stack.agent.ws()); // bybusyness: m1 has the old tunnel, so m2
    expect([stack.counters('m1').openTunnels, stack.counters('m2').openTunnels]).toEqual([1, 1]);
    expect(stack.backends.map((b) => b.accepted)).toEqual([1, 1]);
    await Promise.all([first, second].map(closeWebSocket));
    await whenReleased(stack.counters('m1'));
    await whenReleased(stack.counters('m2'));
  });
});
