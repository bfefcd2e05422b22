import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, wsUrl } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { resource, startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

/** limits.maxTunnelsPerMember and queueTimeoutMs set through the API cap and queue tunnels per member on a real agent. */
describe('tunnel limits end to end', () => {
  let stack: Stack;
  let backends: EchoBackend[];

  beforeAll(async () => {
    stack = await startStack();
    backends = [await startEchoBackend('l-one'), await startEchoBackend('l-two')];
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all((backends ?? []).map((b) => b.close()));
  });

  it('fills each member up to maxTunnelsPerMember, then answers 503, and admits again when one closes', async () => {
    const { balancerId } = await createBalancer(stack, 'capped', backends.map((b) => ({ url: b.url, name: b.name })));
    const patched = await resource('set limits', stack.client.PATCH('/api/v1/balancers/{id}', { params: { path: { id: balancerId } }, body: { limits: { maxTunnelsPerMember: 2 } } }));
    expect(patched.body.limits).toEqual({ maxTunnelsPerMember: 2, queueTimeoutMs: 0 });
    await agentAtRevision(stack.agentAdminUrl, Number(patched.response.headers.get('switchboard-revision')));

    const open = await Promise.all(Array.from({ length: 4 }, () => connect(wsUrl(stack.agentUrl, '/capped/ws'))));
    const replies = await Promise.all(open.map((c, i) => c.roundTrip(`n${i}`)));
    expect(replies.filter((r) => r.startsWith('l-one')).length).toBe(2);
    await expect(connect(wsUrl(stack.agentUrl, '/capped/ws'))).rejects.toThrow('upgrade answered 503');
    expect((await fetch(`${stack.agentUrl}/capped/plain`)).status).toBe(200);

    open[0].close();
    await open[0].closed;
    const admitted = await connect(wsUrl(stack.agentUrl, '/capped/ws'));
    expect(await admitted.roundTrip('again')).toMatch(/^l-(one|two): again$/);
    for (const client of [...open.slice(1), admitted]) client.close();
  });

  it('with queueTimeoutMs, an upgrade arriving while every member is full waits and gets in when a tunnel closes', async () => {
    const { balancerId } = await createBalancer(stack, 'queued', [{ url: backends[0].url, name: backends[0].name }]);
    const patched = await resource('set limits', stack.client.PATCH('/api/v1/balancers/{id}', { params: { path: { id: balancerId } }, body: { limits: { maxTunnelsPerMember: 1, queueTimeoutMs: 10_000 } } }));
    await agentAtRevision(stack.agentAdminUrl, Number(patched.response.headers.get('switchboard-revision')));
    const first = await connect(wsUrl(stack.agentUrl, '/queued/ws'));
    const waiting = connect(wsUrl(stack.agentUrl, '/queued/ws'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    first.close();
    const second = await waiting;
    expect(await second.roundTrip('queued')).toBe('l-one: queued');
    second.close();
  });
});
