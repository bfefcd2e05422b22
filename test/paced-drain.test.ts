import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClients, type Client } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { eventually } from './support/processes';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

/** Paced drain and rebalance through the API, carried out by a real agent on real tunnels. */
describe('paced drain and rebalance', () => {
  let stack: Stack;
  const backends: EchoBackend[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(backends.map((b) => b.close()));
  });

  it('closes the drained member’s tunnels with 1001 between window and deadline, reports progress, and clients reconnect elsewhere', async () => {
    const pair = [await startEchoBackend('pd-old'), await startEchoBackend('pd-new')];
    backends.push(...pair);
    const { balancerId, memberIds, revision } = await createBalancer(stack, 'paced', pair.map((b) => ({ url: b.url, name: b.name })), 'byrequests');
    await agentAtRevision(stack.agentAdminUrl, revision);
    const clients = await openClients(stack.agentUrl, '/paced/ws', 12);
    const onOld = clients.filter((c) => c.backend === 'pd-old');
    const onNew = clients.filter((c) => c.backend === 'pd-new');
    expect(onOld).toHaveLength(6);
    const memberPath = `/api/v1/balancers/${balancerId}/members/${memberIds['pd-old']}`;
    await eventually(async () => (await stack.api('GET', memberPath)).body.state === 'active');

    const started = Date.now();
    const drained = await stack.api('POST', `${memberPath}/drain`, { deadlineMs: 3000, windowMs: 1000 });
    expect(drained.status).toBe(200);
    await agentAtRevision(stack.agentAdminUrl, Number(drained.headers.get('switchboard-revision')));
    const progress = await eventually(async () => {
      const member = (await stack.api('GET', memberPath)).body;
      return member.drain?.remainingTunnels === 6 && member.drain;
    }, 5_000, 'the drain to report 6 remaining tunnels');
    expect(progress).toMatchObject({ windowMs: 1000, deadlineMs: 3000, drainedAt: null });

    const closes = await Promise.all(onOld.map(async ({ client }) => ({ code: await client.closed, after: Date.now() - started })));
    expect(closes.map((c) => c.code)).toEqual(Array(6).fill(1001));
    const times = closes.map((c) => c.after).sort((a, b) => a - b);
    expect(times[0]).toBeGreaterThanOrEqual(900);
    expect(times[5]).toBeLessThan(3000 + 2000);
    expect(times[5] - times[0]).toBeGreaterThan(500);

    for (const [i, { client }] of onNew.entries()) expect(await client.roundTrip(`still ${i}`)).toBe(`pd-new: still ${i}`);
    const reconnected = await openClients(stack.agentUrl, '/paced/ws', 6);
    expect(reconnected.every((c) => c.backend === 'pd-new')).toBe(true);

    const done = await eventually(async () => {
      const member = (await stack.api('GET', memberPath)).body;
      return member.drain?.drainedAt && member.drain;
    }, 10_000, 'drainedAt');
    expect(done.remainingTunnels).toBe(0);
    const stats = await stack.api('GET', '/api/v1/stats');
    expect(stats.body.members.find((m: { memberId: string }) => m.memberId === memberIds['pd-old'])).toMatchObject({ openTunnels: 0, closedByAgent: 6 });
    for (const { client } of [...onNew, ...reconnected]) client.close();
  });

  it('after a scale-out, a rebalance moves tunnels to the new member with close 1012 until the spread is within tolerance', async () => {
    const first = await startEchoBackend('rb-first');
    const second = await startEchoBackend('rb-second');
    backends.push(first, second);
    const { balancerId, revision } = await createBalancer(stack, 'spread', [{ url: first.url, name: first.name }], 'bybusyness');
    await agentAtRevision(stack.agentAdminUrl, revision);
    const live = new Map<number, { client: Client; backend: string }>();
    const codes: number[] = [];
    /** Keeps 20 clients connected: each one closed by the agent reconnects, as a real client would. */
    const keep = async (slot: number): Promise<void> => {
      const [opened] = await openClients(stack.agentUrl, '/spread/ws', 1);
      live.set(slot, opened);
      void opened.client.closed.then((code) => {
        codes.push(code);
        if (code === 1012) return keep(slot);
      });
    };
    await Promise.all(Array.from({ length: 20 }, (_, slot) => keep(slot)));
    expect([...live.values()].every((c) => c.backend === 'rb-first')).toBe(true);

    const added = await stack.api('POST', `/api/v1/balancers/${balancerId}/members`, { url: second.url, name: second.name });
    await agentAtRevision(stack.agentAdminUrl, Number(added.headers.get('switchboard-revision')));
    const asked = await stack.api('POST', `/api/v1/balancers/${balancerId}/rebalance`, { tolerance: 0.2, closesPerSecond: 20 });
    expect(asked.status).toBe(200);

    await eventually(() => {
      const onSecond = [...live.values()].filter((c) => c.backend === 'rb-second').length;
      return onSecond >= 8 && onSecond <= 12;
    }, 15_000, 'the spread to be within 20 % of 10/10');
    expect(codes.every((code) => code === 1012)).toBe(true);
    expect(codes.length).toBeLessThanOrEqual(14);
    for (const { client } of live.values()) client.close();
  });
});
