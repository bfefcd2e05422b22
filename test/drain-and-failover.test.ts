import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClients } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

describe('drain and failover', () => {
  let stack: Stack;
  const backends: EchoBackend[] = [];

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(backends.map((b) => b.close()));
  });

  it('a drained member takes no new tunnel while its open tunnels keep working', async () => {
    const pair = [await startEchoBackend('d-one'), await startEchoBackend('d-two')];
    backends.push(...pair);
    const { balancerId, memberIds, revision } = await createBalancer(stack, 'drain', pair.map((b) => ({ url: b.url, name: b.name })), 'byrequests');
    await agentAtRevision(stack.agentAdminUrl, revision);
    const before = await openClients(stack.agentUrl, '/drain/ws', 10);
    const onOne = before.filter((c) => c.backend === 'd-one');
    expect(onOne.length).toBeGreaterThan(0);

    const drained = await stack.api('POST', `/api/v1/balancers/${balancerId}/members/${memberIds['d-one']}/drain`, {});
    expect(drained.status).toBe(200);
    const ms = await agentAtRevision(stack.agentAdminUrl, Number(drained.headers.get('switchboard-revision')));
    console.log(`drain reached the agent ${ms} ms after the API answered`);
    expect((await stack.api('GET', `/api/v1/balancers/${balancerId}/members/${memberIds['d-one']}`)).body.state).toBe('draining');

    const after = await openClients(stack.agentUrl, '/drain/ws', 20);
    expect(after.every((c) => c.backend === 'd-two')).toBe(true);
    for (const [i, { client }] of onOne.entries()) expect(await client.roundTrip(`still here ${i}`)).toBe(`d-one: still here ${i}`);
    for (const { client } of [...before, ...after]) client.close();
  });

  it('when a member process dies, every new client succeeds on the other', async () => {
    const pair = [await startEchoBackend('f-dead'), await startEchoBackend('f-live')];
    backends.push(...pair);
    const { revision } = await createBalancer(stack, 'failover', pair.map((b) => ({ url: b.url, name: b.name })), 'byrequests');
    await agentAtRevision(stack.agentAdminUrl, revision);
    await pair[0].proc.kill();
    const clients = await openClients(stack.agentUrl, '/failover/ws', 30);
    expect(clients.map((c) => c.backend)).toEqual(Array(30).fill('f-live'));
    const http = await Promise.all(Array.from({ length: 10 }, () => fetch(`${stack.agentUrl}/failover/x`).then((r) => r.status)));
    expect(http).toEqual(Array(10).fill(200));
    for (const { client } of clients) client.close();
  });
});
