import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent } from '../testing/agent-harness';
import type { RunningAgent } from '../testing/agent-harness';
import { startBackends } from '../testing/backends';
import type { Backend } from '../testing/backends';
import { closeWebSocket, openWebSocket } from '../testing/clients';
import { FakeControlPlane } from '../testing/control-plane';
import { member, singleBalancer, snapshotOf } from '../testing/fixtures';

let controlPlane: FakeControlPlane;
let backends: Backend[];
let agent: RunningAgent;

beforeAll(async () => {
  controlPlane = await new FakeControlPlane().start();
  backends = await startBackends(1);
  controlPlane.snapshot = snapshotOf(12, singleBalancer([member('m1', backends[0]!.url()), member('m2', backends[0]!.url(), { state: 'disabled' })]));
  agent = await startAgent(controlPlane.url);
  await controlPlane.next('ack');
});

afterAll(async () => {
  await agent.stop();
  await controlPlane.close();
  await backends[0]!.close();
});

describe('admin port', () => {
  it('GET /healthz', async () => {
    const res = await fetch(agent.admin('/healthz'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('GET /config', async () => {
    const body = (await (await fetch(agent.admin('/config'))).json()) as Record<string, unknown>;
    expect(body).toMatchObject({ revision: 12, hash: controlPlane.snapshot!.hash, source: 'control-plane', config: controlPlane.snapshot!.config });
    expect(new Date(body['appliedAt'] as string).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('GET /metrics: per-member figures, revision, control channel', async () => {
    const ws = await openWebSocket(agent.ws('/'));
    const res = await fetch(agent.admin('/metrics'));
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain('switchboard_agent_member_open_tunnels{balancer="b1",member="m1"} 1');
    expect(text).toContain('switchboard_agent_member_open_tunnels{balancer="b1",member="m2"} 0');
    expect(text).toContain('switchboard_agent_member_elected_total{balancer="b1",member="m1"} 1');
    expect(text).toContain('switchboard_agent_member_health{balancer="b1",member="m1",health="up"} 1');
    expect(text).toContain('switchboard_agent_member_health{balancer="b1",member="m2",health="unknown"} 1');
    expect(text).toMatch(/switchboard_agent_member_bytes_in_total\{balancer="b1",member="m1"\} [1-9]/);
    expect(text).toContain('switchboard_agent_member_failures_total{balancer="b1",member="m1"} 0');
    expect(text).toContain('switchboard_agent_member_inflight_requests{balancer="b1",member="m1"} 0');
    expect(text).toContain('switchboard_agent_revision 12');
    expect(text).toContain('switchboard_agent_control_connected 1');
    expect(text).toContain('process_cpu_seconds_total');
    await closeWebSocket(ws);
  });

  it('404 for other paths, 405 for other methods', async () => {
    expect((await fetch(agent.admin('/nope'))).status).toBe(404);
    expect((await fetch(agent.admin('/config'), { method: 'POST' })).status).toBe(405);
  });
});
