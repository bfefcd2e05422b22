import { describe, expect, it } from 'vitest';
import type { SnapshotBalancer, SnapshotMember } from '@switchboard/protocol';
import { closedPort } from '../testing/backends';
import { closeWebSocket, openWebSocket } from '../testing/clients';
import type { WebSocket } from 'ws';
import { balancer, member, route, singleBalancer } from '../testing/fixtures';
import { useStack } from '../testing/stack';

const stack = useStack(6);

/** Member `m<i>` on backend b<i+1> (HTTP and WebSocket on one port). */
function m(i: number, overrides: Partial<SnapshotMember> = {}): SnapshotMember {
  return member(`m${i}`, stack.backends[i]!.url('http'), overrides);
}

/** GET through the agent; resolves with the name of the backend that answered. */
async function backendOf(path = '/', headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(stack.agent.http(path), { headers });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return res.headers.get('x-backend')!;
}

function tally(names: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

async function serve(members: SnapshotMember[], overrides: Partial<SnapshotBalancer> = {}): Promise<void> {
  await stack.serve(singleBalancer(members, overrides));
}

describe('lbmethods on real sockets', () => {
  it('byrequests honours weights for requests and upgrades', async () => {
    await serve([m(0, { weight: 3 }), m(1)]);
    const names: string[] = [];
    for (let i = 0; i < 12; i++) names.push(await backendOf());
    expect(tally(names)).toEqual({ b1: 9, b2: 3 });
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 8; i++) sockets.push(await openWebSocket(stack.agent.ws('/')));
    expect([stack.backends[0]!.accepted, stack.backends[1]!.accepted]).toEqual([6, 2]);
    await Promise.all(sockets.map(closeWebSocket));
  });

  it('bytraffic sends new requests to the member that moved fewer bytes', async () => {
    await serve([m(0), m(1)], { lbMethod: 'bytraffic' });
    const big = await fetch(stack.agent.http('/upload'), { method: 'POST', body: 'x'.repeat(1_000_000) });
    await big.arrayBuffer();
    const heavy = big.headers.get('x-backend')!;
    const light = heavy === 'b1' ? 'b2' : 'b1';
    const names: string[] = [];
    for (let i = 0; i < 10; i++) names.push(await backendOf());
    expect(names).toEqual(Array(10).fill(light));
  });

  it('p2c favours the less busy member and uses both', async () => {
    await serve([m(0)], { lbMethod: 'p2c' });
    const sockets: WebSocket[] = [];
    for (let i = 0; i < 10; i++) sockets.push(await openWebSocket(stack.agent.ws('/')));
    await serve([m(0), m(1)], { lbMethod: 'p2c' });
    // With two members both are always drawn: the one with fewer tunnels wins until they are even.
    for (let i = 0; i < 10; i++) sockets.push(await openWebSocket(stack.agent.ws('/')));
    expect([stack.backends[0]!.accepted, stack.backends[1]!.accepted]).toEqual([10, 10]);
    for (let i = 0; i < 20; i++) sockets.push(await openWebSocket(stack.agent.ws('/')));
    const [a, b] = [stack.backends[0]!.accepted, stack.backends[1]!.accepted];
    expect(a + b).toBe(40);
    expect(Math.abs(a - b)).toBeLessThanOrEqual(2);
    await Promise.all(sockets.map(closeWebSocket));
  });

  describe('hash', () => {
    const keys = Array.from({ length: 300 }, (_, i) => `user-${i}`);
    const byHeader: Partial<SnapshotBalancer> = { lbMethod: 'hash', hash: { source: 'header', name: 'X-User' } };
    const assign = async (): Promise<string[]> => {
      const names: string[] = [];
      for (const key of keys) names.push(await backendOf('/', { 'x-user': key }));
      return names;
    };

    it('keeps a key on its member across requests and snapshots, and an upgrade with the key follows it', async () => {
      const five = [0, 1, 2, 3, 4].map((i) => m(i));
      await serve(five, byHeader);
      const first = await assign();
      expect(Object.keys(tally(first)).sort()).toEqual(['b1', 'b2', 'b3', 'b4', 'b5']);
      expect(await assign()).toEqual(first);
      // Another revision (an extra route, members reordered): same placement.
      await stack.serve({ balancers: [balancer('b1', [...five].reverse(), byHeader)], routes: [route('r1', 'b1'), route('r2', 'b1', { match: { type: 'exact', path: '/other' } })] });
      expect(await assign()).toEqual(first);
      const ws = await openWebSocket(stack.agent.ws('/'), { headers: { 'x-user': keys[7]! } });
      const owner = stack.backends.find((backend) => backend.accepted === 1)!;
      expect(owner.name).toBe(first[7]);
      await closeWebSocket(ws);
    });

    it('moves about 1/N of the keys, all to the member added', async () => {
      await serve([0, 1, 2, 3, 4].map((i) => m(i)), byHeader);
      const before = await assign();
      await serve([0, 1, 2, 3, 4, 5].map((i) => m(i)), byHeader);
      const after = await assign();
      const moved = keys.filter((_, i) => before[i] !== after[i]);
      expect(moved.length / keys.length).toBeGreaterThan(1 / 6 - 0.08);
      expect(moved.length / keys.length).toBeLessThan(1 / 6 + 0.08);
      expect(keys.every((_, i) => before[i] === after[i] || after[i] === 'b6')).toBe(true);
    });

    it('hashes the client address by default, and when the named header is absent', async () => {
      await serve([0, 1, 2, 3, 4].map((i) => m(i)), { lbMethod: 'hash' });
      const names: string[] = [];
      for (let i = 0; i < 10; i++) names.push(await backendOf('/', { 'x-user': keys[i]! }));
      expect(new Set(names).size).toBe(1);
      await serve([0, 1, 2, 3, 4].map((i) => m(i)), byHeader);
      const fallback: string[] = [];
      for (let i = 0; i < 10; i++) fallback.push(await backendOf());
      expect(fallback).toEqual(Array(10).fill(names[0]));
    });
  });

  it('lbset: a higher tier serves while every member of the lower one has a closed port, never the tier above', async () => {
    const dead = await Promise.all([closedPort(), closedPort()]);
    await serve([
      member('dead0', `http://127.0.0.1:${dead[0]}`),
      member('dead1', `http://127.0.0.1:${dead[1]}`),
      m(1, { lbset: 1 }),
      m(2, { lbset: 1 }),
      m(3, { lbset: 2 }),
    ]);
    const names: string[] = [];
    for (let i = 0; i < 8; i++) names.push(await backendOf());
    expect(tally(names)).toEqual({ b2: 4, b3: 4 });
    expect(stack.counters('dead0')).toMatchObject({ health: 'down', failures: 1 });
    expect(stack.counters('dead1')).toMatchObject({ health: 'down', failures: 1 });
    const ws = await openWebSocket(stack.agent.ws('/'));
    expect(stack.backends[1]!.accepted + stack.backends[2]!.accepted).toBe(1);
    await closeWebSocket(ws);
    // Tier 1's ports closed too (same member ids, new URLs): tier 2 takes over.
    const gone = await Promise.all([closedPort(), closedPort()]);
    await serve([
      member('dead0', `http://127.0.0.1:${dead[0]}`),
      member('dead1', `http://127.0.0.1:${dead[1]}`),
      member('m1', `http://127.0.0.1:${gone[0]}`, { lbset: 1 }),
      member('m2', `http://127.0.0.1:${gone[1]}`, { lbset: 1 }),
      m(3, { lbset: 2 }),
    ]);
    for (let i = 0; i < 3; i++) expect(await backendOf()).toBe('b4');
    expect([stack.counters('m1').health, stack.counters('m2').health]).toEqual(['down', 'down']);
  });
});
