import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendOf, connect, wsUrl } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { eventually } from './support/processes';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

describe('control plane outage', () => {
  let stack: Stack;
  let backends: EchoBackend[];

  beforeAll(async () => {
    stack = await startStack();
    backends = [await startEchoBackend('o-one'), await startEchoBackend('o-two')];
    const { revision } = await createBalancer(stack, 'outage', backends.map((b) => ({ url: b.url, name: b.name })));
    await agentAtRevision(stack.agentAdminUrl, revision);
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all((backends ?? []).map((b) => b.close()));
  });

  it('keeps traffic flowing without the control plane, serves its disk cache after a restart, and resyncs', async () => {
    const open = await connect(wsUrl(stack.agentUrl, '/outage/ws'));
    expect(await open.roundTrip('before')).toMatch(/^o-(one|two): before$/);

    await stack.stopControlPlane();
    expect(await open.roundTrip('during')).toMatch(/^o-(one|two): during$/);
    const fresh = await connect(wsUrl(stack.agentUrl, '/outage/ws'));
    expect(backendOf(await fresh.roundTrip('new'))).toMatch(/^o-(one|two)$/);
    fresh.close();
    open.close();

    const restarted = await stack.restartAgent();
    const config = (await (await fetch(`${restarted.adminUrl}/config`)).json()) as { source: string; revision: number };
    expect(config.source).toBe('cache');
    const afterRestart = await connect(wsUrl(stack.agentUrl, '/outage/ws'));
    expect(await afterRestart.roundTrip('from cache')).toMatch(/^o-(one|two): from cache$/);
    afterRestart.close();

    await stack.startControlPlane();
    const agents = await eventually(async () => {
      const list = (await stack.api('GET', '/api/v1/agents')).body as { online: boolean; appliedRevision: number }[];
      return list.every((a) => a.online) ? list : null;
    }, 20_000, 'the agent to reconnect');
    expect(agents[0].appliedRevision).toBe(config.revision);
  });
});
