import { describe, expect, it } from 'vitest';
import type { SnapshotBalancer, SnapshotMember } from '@switchboard/protocol';
import { routeToken } from '../config/compile';
import { closeWebSocket, openWebSocket, roundTrip } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { useStack } from '../testing/stack';
import { cookieValue } from './affinity';

const stack = useStack(2);
const sticky: Partial<SnapshotBalancer> = { sticky: { mode: 'cookie', name: 'SBROUTE' } };

function m(i: number, overrides: Partial<SnapshotMember> = {}): SnapshotMember {
  return member(`m${i + 1}`, stack.backends[i]!.url('http'), overrides);
}

/** One GET through the agent: which backend answered and the Set-Cookie headers it got. */
async function get(cookie?: string): Promise<{ backend: string; setCookie: string[] }> {
  const res = await fetch(stack.agent.http('/socket.io/?transport=polling'), { headers: cookie ? { cookie } : {} });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return { backend: res.headers.get('x-backend')!, setCookie: res.headers.getSetCookie() };
}

/** Opens a WebSocket with the cookie and answers which backend accepted it (the tunnel stays open until closed). */
async function upgrade(cookie: string): Promise<{ backend: string; close(): Promise<void> }> {
  const before = stack.backends.map((b) => b.accepted);
  const ws = await openWebSocket(stack.agent.ws('/socket.io/?transport=websocket'), { headers: { cookie } });
  expect((await roundTrip(ws, 'ping')).toString()).toBe('ping');
  const backend = stack.backends.find((b, i) => b.accepted > before[i]!)!.name;
  return { backend, close: () => closeWebSocket(ws) };
}

describe('sticky cookie', () => {
  it('binds a client on its first answer; its later requests and its upgrade land on the same member', async () => {
    await stack.serve(singleBalancer([m(0), m(1)], sticky));
    const clients = [];
    for (let i = 0; i < 4; i++) {
      const first = await get();
      expect(first.setCookie).toHaveLength(1);
      expect(first.setCookie[0]).toMatch(/^SBROUTE=[0-9a-f]{12}; Path=\/; HttpOnly; SameSite=Lax$/);
      clients.push({ backend: first.backend, cookie: first.setCookie[0]!.split(';')[0]! });
    }
    expect(new Set(clients.map((c) => c.backend)).size).toBe(2); // round robin spread the new clients
    for (const client of clients) {
      for (let i = 0; i < 3; i++) expect(await get(`io=abc; ${client.cookie}; theme=dark`)).toEqual({ backend: client.backend, setCookie: [] });
      const tunnel = await upgrade(`theme=dark; ${client.cookie}`);
      expect(tunnel.backend).toBe(client.backend);
      await tunnel.close();
    }
    expect(cookieValue(clients[0]!.cookie, 'SBROUTE')).toBe(routeToken(clients[0]!.backend === 'b1' ? 'm1' : 'm2'));
  });

  it('a draining member keeps its sticky clients (HTTP and upgrades) and gets no new ones', async () => {
    await stack.serve(singleBalancer([m(0), m(1)], sticky));
    const cookie = `SBROUTE=${routeToken('m1')}`;
    const open = await upgrade(cookie);
    await stack.serve(singleBalancer([m(0, { state: 'draining' }), m(1)], sticky));
    for (let i = 0; i < 3; i++) expect(await get(cookie)).toEqual({ backend: 'b1', setCookie: [] });
    const again = await upgrade(cookie);
    expect(again.backend).toBe('b1');
    for (let i = 0; i < 4; i++) {
      const fresh = await get();
      expect(fresh.backend).toBe('b2');
      expect(fresh.setCookie[0]).toContain(`SBROUTE=${routeToken('m2')};`);
    }
    const fresh = await upgrade('other=1');
    expect(fresh.backend).toBe('b2');
    await Promise.all([open.close(), again.close(), fresh.close()]);
  });

  it("a disabled member's sticky clients move, and HTTP re-binds them to the new member", async () => {
    await stack.serve(singleBalancer([m(0), m(1)], sticky));
    const cookie = `SBROUTE=${routeToken('m1')}`;
    expect((await get(cookie)).backend).toBe('b1');
    await stack.serve(singleBalancer([m(0, { state: 'disabled' }), m(1)], sticky));
    const moved = await get(cookie);
    expect(moved).toEqual({ backend: 'b2', setCookie: [`SBROUTE=${routeToken('m2')}; Path=/; HttpOnly; SameSite=Lax`] });
    const tunnel = await upgrade(cookie);
    expect(tunnel.backend).toBe('b2');
    await tunnel.close();
  });

  it('an unknown token is balanced normally and re-bound; a balancer without stickiness sets no cookie', async () => {
    await stack.serve(singleBalancer([m(0), m(1)], sticky));
    const unknown = await get('SBROUTE=000000000000');
    expect(unknown.setCookie).toHaveLength(1);
    expect(unknown.setCookie[0]).not.toContain('000000000000');
    await stack.serve(singleBalancer([m(0), m(1)]));
    expect((await get(`SBROUTE=${routeToken('m2')}`)).setCookie).toEqual([]);
  });
});

describe('cookieValue', () => {
  it('finds only the exact name, at a cookie boundary, unquoting the value', () => {
    expect(cookieValue('a=1; SB=x; b=2', 'SB')).toBe('x');
    expect(cookieValue('SB=x', 'SB')).toBe('x');
    expect(cookieValue('XSB=y; SB=x', 'SB')).toBe('x');
    expect(cookieValue('SBX=y;SB=x ', 'SB')).toBe('x');
    expect(cookieValue('SB="q"; a=1', 'SB')).toBe('q');
    expect(cookieValue('a=SB=1', 'SB')).toBeUndefined();
    expect(cookieValue('SB', 'SB')).toBeUndefined();
    expect(cookieValue(undefined, 'SB')).toBeUndefined();
    expect(cookieValue('SB=', 'SB')).toBe('');
  });
});
