import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendOf, connect, wsUrl } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { eventually } from './support/processes';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

interface AgentHealth {
  agentName: string;
  health: string;
  healthReason: string | null;
}

/** Active health checks configured through the API, run by two real agents, reported per agent. */
describe('health checks', () => {
  let stack: Stack;
  const backends: EchoBackend[] = [];

  beforeAll(async () => {
    stack = await startStack({ agents: 2 });
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(backends.map((b) => b.close()));
  });

  /** How each agent sees member `memberId` in /api/v1/stats. */
  async function healthOf(memberId: string): Promise<AgentHealth[]> {
    const stats = await stack.api<{ members: { memberId: string; agents: AgentHealth[] }[] }>('GET', '/api/v1/stats');
    return (stats.body.members.find((m) => m.memberId === memberId)?.agents ?? []).map(({ agentName, health, healthReason }) => ({ agentName, health, healthReason }));
  }

  async function landings(n: number): Promise<string[]> {
    const clients = await Promise.all(Array.from({ length: n }, () => connect(wsUrl(stack.agentUrl, '/checked/ws'))));
    const replies = await Promise.all(clients.map((c, i) => c.roundTrip(`hi ${i}`)));
    for (const client of clients) client.close();
    return replies.map(backendOf);
  }

  it('an http check marks a member down on every agent with the reason, traffic avoids it, and it comes back', async () => {
    const pair = [await startEchoBackend('hc-sick'), await startEchoBackend('hc-well')];
    backends.push(...pair);
    const { balancerId, memberIds } = await createBalancer(stack, 'checked', pair.map((b) => ({ url: b.url, name: b.name })), 'byrequests');
    const checked = await stack.api('PATCH', `/api/v1/balancers/${balancerId}`, {
      healthCheck: { type: 'http', path: '/health', expectStatus: 200, intervalMs: 200, timeoutMs: 150, passes: 2, fails: 2 },
    });
    expect(checked.status).toBe(200);
    for (const agent of stack.agents) await agentAtRevision(agent.adminUrl, Number(checked.headers.get('switchboard-revision')));
    const sick = memberIds['hc-sick'];
    await eventually(async () => (await healthOf(sick)).map((a) => a.health).join() === 'up,up', 10_000, 'both agents to see the member up');

    await pair[0].setHealth(503);
    const down = await eventually(async () => {
      const agents = await healthOf(sick);
      return agents.length === 2 && agents.every((a) => a.health === 'down') && agents;
    }, 10_000, 'both agents to see the member down');
    for (const agent of down) expect(agent.healthReason).toMatch(/503/);
    expect(new Set(await landings(10))).toEqual(new Set(['hc-well']));

    await pair[0].setHealth(200);
    await eventually(async () => {
      const agents = await healthOf(sick);
      return agents.length === 2 && agents.every((a) => a.health === 'up' && a.healthReason === null);
    }, 10_000, 'the member back up on both agents');
    expect(new Set(await landings(10))).toEqual(new Set(['hc-sick', 'hc-well']));
  });
});
