import { describe, expect, it } from 'vitest';
import type { Rebalance, SnapshotMember } from '@switchboard/protocol';
import type { WebSocket } from 'ws';
import { openWebSocket } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { useStack } from '../testing/stack';
import { waitFor } from '../testing/wait';

const stack = useStack(2);

/** A client that opens a new WebSocket whenever its current one is closed, recording each close (code, reason, Date.now). */
class ReconnectingClient {
  readonly closes: { code: number; reason: string; at: number }[] = [];
  ws: WebSocket | undefined;
  private stopped = false;

  constructor(private readonly url: string) {}

  async connect(): Promise<void> {
    const ws = await openWebSocket(this.url);
    this.ws = ws;
    ws.once('close', (code, reason) => {
      this.closes.push({ code, reason: reason.toString(), at: Date.now() });
      this.ws = undefined;
      if (!this.stopped) void this.connect();
    });
  }

  stop(): void {
    this.stopped = true;
    this.ws?.terminate();
  }
}

async function connectClients(count: number): Promise<ReconnectingClient[]> {
  const clients = Array.from({ length: count }, () => new ReconnectingClient(stack.agent.ws()));
  await Promise.all(clients.map((client) => client.connect()));
  return clients;
}

function members(m2: Partial<SnapshotMember> = {}): SnapshotMember[] {
  return [member('m1', stack.backends[0]!.url()), member('m2', stack.backends[1]!.url(), m2)];
}

/** Tunnels open on each backend now. */
function spread(): number[] {
  return stack.backends.map((backend) => backend.openWebSockets);
}

describe('rebalance', () => {
  it('moves tunnels off a member above its fair share, with close 1012, at most closesPerSecond', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())], { lbMethod: 'bybusyness' }));
    const clients = await connectClients(20);
    await stack.serve(singleBalancer(members(), { lbMethod: 'bybusyness' }));
    expect(spread()).toEqual([20, 0]);

    const rebalance: Rebalance = { requestedAt: Date.now(), tolerance: 0.2, closesPerSecond: 5 };
    await stack.serve(singleBalancer(members(), { lbMethod: 'bybusyness', rebalance }));
    // Fair share 10 each; within 20 %: at most ⌈12⌉ on either.
    await waitFor(() => {
      const [m1, m2] = spread();
      return m1! + m2! === 20 && m1! <= 12 && m2! >= 8 && clients.every((client) => client.ws);
    }, 'the tunnels to spread', 20_000);

    const closes = clients.flatMap((client) => client.closes);
    expect(new Set(closes.map(({ code, reason }) => `${code} ${reason}`))).toEqual(new Set(['1012 rebalancing']));
    const first = Math.min(...closes.map((close) => close.at));
    expect(closes.filter((close) => close.at < first + 1_000).length).toBeLessThanOrEqual(rebalance.closesPerSecond + 1);
    expect(stack.counters('m1').closedByAgent).toBe(closes.length);
    expect(closes.length).toBeGreaterThanOrEqual(8);
    expect(stack.counters('m2').closedByAgent).toBe(0);
    for (const client of clients) client.stop();
  });

  it('runs once per requestedAt: later snapshots with the same one do not start it again', async () => {
    const first: Rebalance = { requestedAt: 1_000, tolerance: 0.1, closesPerSecond: 50 };
    await stack.serve(singleBalancer(members({ state: 'draining' }), { lbMethod: 'bybusyness', rebalance: first }));
    const clients = await connectClients(10);
    expect(spread()).toEqual([10, 0]);
    await stack.serve(singleBalancer(members(), { lbMethod: 'bybusyness', rebalance: first }));
    // A rerun at 50 closes per second would have moved several tunnels by now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(stack.counters('m1').closedByAgent).toBe(0);

    await stack.serve(singleBalancer(members(), { lbMethod: 'bybusyness', rebalance: { ...first, requestedAt: 2_000 } }));
    await waitFor(() => {
      const [m1, m2] = spread();
      return m1! + m2! === 10 && m1! <= 6 && m2! >= 4;
    }, 'the tunnels to spread', 20_000);
    expect(stack.counters('m1').closedByAgent).toBeGreaterThanOrEqual(4);
    for (const client of clients) client.stop();
  });
});
