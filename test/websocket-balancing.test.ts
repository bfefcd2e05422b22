import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendOf, connect, wsUrl, type Client } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { eventually } from './support/processes';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

const CLIENTS = 200;

/** Real ws clients through a real agent process to two real echo backends, configured through the API. */
describe('WebSocket balancing through the agent', () => {
  let stack: Stack;
  let backends: EchoBackend[];
  let balancerId: string;

  beforeAll(async () => {
    stack = await startStack();
    backends = [await startEchoBackend('alpha'), await startEchoBackend('beta')];
    const created = await createBalancer(stack, 'ws', backends.map((b) => ({ url: b.url, name: b.name })), 'bybusyness');
    balancerId = created.balancerId;
    await agentAtRevision(stack.agentAdminUrl, created.revision);
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all((backends ?? []).map((b) => b.close()));
  });

  it(`carries ${CLIENTS} concurrent clients, every echoed byte intact, over both members`, async () => {
    const clients: Client[] = await Promise.all(Array.from({ length: CLIENTS }, () => connect(wsUrl(stack.agentUrl, '/ws/socket'))));
    const served = new Map<string, number>();
    await Promise.all(
      clients.map(async (client, i) => {
        for (let round = 0; round < 3; round++) {
          const text = `client ${i} round ${round} ${'x'.repeat(i)} é✓`;
          const reply = await client.roundTrip(text);
          const backend = backendOf(reply);
          expect(reply).toBe(`${backend}: ${text}`);
          if (round === 0) served.set(backend, (served.get(backend) ?? 0) + 1);
        }
      }),
    );
    expect([...served.keys()].sort()).toEqual(['alpha', 'beta']);
    // bybusyness: fewest open tunnels first, so 200 concurrent tunnels split about evenly.
    expect(Math.abs((served.get('alpha') ?? 0) - (served.get('beta') ?? 0))).toBeLessThanOrEqual(CLIENTS / 4);

    const stats = await eventually(async () => {
      const res = await stack.api('GET', '/api/v1/stats');
      const members = (res.body.members as { balancerId: string; openTunnels: number; elected: number; bytesIn: number; bytesOut: number }[]).filter((m) => m.balancerId === balancerId);
      // Figures arrive about once a second per agent: wait for a report that has seen the echoes too.
      const counted = members.every((m) => m.elected > 0 && m.bytesIn > 0 && m.bytesOut > 0);
      return members.reduce((sum, m) => sum + m.openTunnels, 0) === CLIENTS && counted ? members : null;
    }, 10_000, `stats to show ${CLIENTS} open tunnels with their selections and bytes`);
    expect(stats).toHaveLength(2);

    const agents = (await stack.api('GET', '/api/v1/agents')).body as { online: boolean; appliedRevision: number }[];
    const latest = (await stack.api('GET', '/api/v1/revisions?limit=1')).body[0].number;
    expect(agents).toEqual([expect.objectContaining({ online: true, appliedRevision: latest })]);

    for (const client of clients) client.close();
    await Promise.all(clients.map((c) => c.closed));
  });

  it('answers 404 naming the cause when no route matches, and 503 when no member is usable', async () => {
    const miss = await fetch(`${stack.agentUrl}/nowhere`);
    expect(miss.status).toBe(404);
    expect(await miss.text()).toContain('/nowhere');

    const empty = await createBalancer(stack, 'empty', []);
    await agentAtRevision(stack.agentAdminUrl, empty.revision);
    const none = await fetch(`${stack.agentUrl}/empty/x`);
    expect(none.status).toBe(503);
    expect(await none.text()).toContain('empty');
  });

  it('proxies plain HTTP with forwarding headers', async () => {
    const res = await fetch(`${stack.agentUrl}/ws/plain?q=1`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^(alpha|beta) GET \/ws\/plain\?q=1$/);
    const headers = JSON.parse(res.headers.get('x-echo-headers') ?? '{}') as Record<string, string>;
    expect(headers['x-forwarded-for']).toContain('127.0.0.1');
    expect(headers['x-forwarded-proto']).toBe('http');
    expect(headers.forwarded).toContain('for=');
  });
});
