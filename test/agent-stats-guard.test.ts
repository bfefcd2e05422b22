import type { MemberStats } from '@switchboard/protocol';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgentChannel, type AgentChannel } from './support/agent-channel';
import { createBalancer } from './support/config';
import { eventually } from './support/processes';
import { startStack, type Stack } from './support/stack';

const figures = (balancerId: string, memberId: string, openTunnels: number): MemberStats => ({
  balancerId,
  memberId,
  openTunnels,
  inflightRequests: 0,
  elected: openTunnels,
  bytesIn: 0,
  bytesOut: 0,
  failures: 0,
  health: 'up',
});

/** A counter of the control plane's /metrics (0 when absent). */
async function metric(stack: Stack, name: string): Promise<number> {
  const text = await (await fetch(`${stack.apiUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : 0;
}

interface StatsView {
  members: { memberId: string; openTunnels: number; agents: { agentName: string; openTunnels: number }[] }[];
}

/**
 * An agent (any holder of an agent token) can only report figures for the members it was sent,
 * and only about once a second: stats naming other member ids are dropped, and a flood of stats
 * messages is cut down to the rate before it reaches the database.
 */
describe('agent stats guard', () => {
  let stack: Stack;
  let channel: AgentChannel;
  let agentId: string;
  let balancerId: string;
  let memberId: string;

  const agentStatRows = async (): Promise<string[]> => {
    const client = new Client({ connectionString: stack.databaseUrl! });
    await client.connect();
    try {
      return (await client.query<{ memberId: string }>('SELECT "memberId" FROM "AgentStat" WHERE "agentId" = $1', [agentId])).rows.map((r) => r.memberId);
    } finally {
      await client.end();
    }
  };
  const shown = async () => (await stack.api<StatsView>('GET', '/api/v1/stats')).body.members.find((m) => m.memberId === memberId);

  beforeAll(async () => {
    stack = await startStack({ agents: 0 });
    ({ balancerId, memberIds: { only: memberId } } = await createBalancer(stack, 'guarded', [{ url: 'ws://127.0.0.1:9', name: 'only' }]));
    const token = (await stack.api<{ token: string }>('POST', '/api/v1/agent-tokens', { name: 'raw' })).body.token;
    channel = await openAgentChannel(stack.apiUrl, token);
    channel.hello('raw-stats');
    agentId = (await channel.next('welcome')).agentId;
    const snapshot = await channel.next('snapshot');
    channel.send({ type: 'ack', revision: snapshot.revision, hash: snapshot.hash });
  });
  afterAll(async () => {
    channel?.ws.close();
    await stack?.stop();
  });

  it('drops figures for member ids that were not in the snapshot sent, keeping the rest of the message', async () => {
    const forged = Array.from({ length: 200 }, (_, i) => figures(balancerId, `forged-${i}`, 1000));
    channel.send({ type: 'stats', revision: null, members: [figures(balancerId, memberId, 3), figures('another-balancer', memberId, 99), ...forged] });
    await eventually(async () => (await shown())?.openTunnels === 3, 10_000, 'the real member to show 3 tunnels');
    expect((await shown())?.agents).toEqual([expect.objectContaining({ agentName: 'raw-stats', openTunnels: 3 })]);
    expect(await agentStatRows()).toEqual([memberId]); // not one forged row written
    expect(await metric(stack, 'switchboard_agent_stats_dropped_total{reason="unknown_member"}')).toBe(201);
  });

  it('rate-limits a flood of 500 stats messages to about one a second; the control plane stays responsive', async () => {
    const recordedBefore = await metric(stack, 'switchboard_agent_stats_recorded_total');
    const limitedBefore = await metric(stack, 'switchboard_agent_stats_dropped_total{reason="rate_limited"}');
    const started = Date.now();
    for (let i = 1; i <= 500; i++) channel.send({ type: 'stats', revision: null, members: [figures(balancerId, memberId, i)] });
    const t0 = Date.now();
    const health = await fetch(`${stack.apiUrl}/healthz`);
    const healthMs = Date.now() - t0;
    const t1 = Date.now();
    const stats = await stack.api('GET', '/api/v1/stats');
    const statsMs = Date.now() - t1;
    expect(health.status).toBe(200);
    expect(stats.status).toBe(200);

    const handled = async () =>
      (await metric(stack, 'switchboard_agent_stats_recorded_total')) - recordedBefore + (await metric(stack, 'switchboard_agent_stats_dropped_total{reason="rate_limited"}')) - limitedBefore;
    await eventually(async () => (await handled()) === 500, 20_000, 'all 500 messages to be handled');
    const elapsedS = (Date.now() - started) / 1000;
    const recorded = (await metric(stack, 'switchboard_agent_stats_recorded_total')) - recordedBefore;
    const limited = (await metric(stack, 'switchboard_agent_stats_dropped_total{reason="rate_limited"}')) - limitedBefore;
    process.stdout.write(`stats flood: 500 sent, ${recorded} written, ${limited} dropped as rate_limited in ${elapsedS.toFixed(1)} s; /healthz ${healthMs} ms, /api/v1/stats ${statsMs} ms during the flood\n`);
    // The bucket holds 5 and refills at 1/s: whatever the machine's speed, at most 5 + elapsed seconds + 1.
    expect(recorded).toBeLessThanOrEqual(5 + Math.ceil(elapsedS) + 1);
    expect(limited).toBeGreaterThanOrEqual(500 - (5 + Math.ceil(elapsedS) + 1));
    expect(healthMs).toBeLessThan(5000);
    expect(statsMs).toBeLessThan(5000);

    // A message after the flood is admitted again once the bucket refills.
    await new Promise((r) => setTimeout(r, 1100));
    channel.send({ type: 'stats', revision: null, members: [figures(balancerId, memberId, 777)] });
    await eventually(async () => (await shown())?.openTunnels === 777, 10_000, 'a later message to be written');
  });
});
