import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentAtRevision, createBalancer } from './support/config';
import { startStack, type Stack } from './support/stack';

/**
 * Balancer `timeouts.responseHeaderMs` (issue 7, item 4) through the API: stored with its
 * default, validated with the field named, kept by unrelated writes, published to a real agent,
 * which answers 504 when a member accepts a request and never answers.
 */
describe('timeouts.responseHeaderMs', () => {
  let stack: Stack;
  let hanging: Server;

  beforeAll(async () => {
    stack = await startStack();
    // Accepts requests and never answers (the first request's socket is held open).
    hanging = createServer(() => undefined).listen(0, '127.0.0.1');
    await once(hanging, 'listening');
  });
  afterAll(async () => {
    await stack?.stop();
    hanging?.closeAllConnections();
    hanging?.close();
  });

  it('defaults to 60000, is stored and kept by other writes, and a bad value is refused naming the field with nothing written', async () => {
    const created = await stack.api('POST', '/api/v1/balancers', { name: 'rht-default' });
    expect(created.status).toBe(201);
    expect(created.body.timeouts).toEqual({ connectMs: 3000, tunnelIdleMs: 3_600_000, keepAliveMs: 15000, responseHeaderMs: 60000 });
    const id = created.body.id as string;

    const set = await stack.api('PATCH', `/api/v1/balancers/${id}`, { timeouts: { responseHeaderMs: 1500 } });
    expect(set.status).toBe(200);
    expect(set.body.timeouts).toMatchObject({ connectMs: 3000, responseHeaderMs: 1500 });
    const other = await stack.api('PATCH', `/api/v1/balancers/${id}`, { timeouts: { connectMs: 2000 } });
    expect(other.body.timeouts).toMatchObject({ connectMs: 2000, responseHeaderMs: 1500 });
    expect((await stack.api('GET', `/api/v1/balancers/${id}`)).body.timeouts.responseHeaderMs).toBe(1500);
    const snapshot = await stack.api('GET', `/api/v1/revisions/${Number(other.headers.get('switchboard-revision'))}`);
    expect(snapshot.body.config.balancers.find((b: { id: string }) => b.id === id).timeouts.responseHeaderMs).toBe(1500);

    for (const bad of [-1, 1.5, '60000', 86_400_001]) {
      const refused = await stack.api('PATCH', `/api/v1/balancers/${id}`, { timeouts: { responseHeaderMs: bad } });
      expect(refused.status).toBe(400);
      expect(refused.body.errors.map((e: { path: string }) => e.path)).toEqual(['timeouts.responseHeaderMs']);
    }
    const refusedCreate = await stack.api('POST', '/api/v1/balancers', { name: 'rht-bad', timeouts: { responseHeaderMs: -5 } });
    expect(refusedCreate.status).toBe(400);
    expect(refusedCreate.body.errors.map((e: { path: string }) => e.path)).toEqual(['timeouts.responseHeaderMs']);
    expect((await stack.api('GET', `/api/v1/balancers/${id}`)).body.timeouts.responseHeaderMs).toBe(1500);
    expect((await stack.api('GET', '/api/v1/balancers')).body.some((b: { name: string }) => b.name === 'rht-bad')).toBe(false);
  });

  it('reaches the agent, which answers 504 naming balancer, member and limit when a member never answers', async () => {
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}`;
    const { balancerId, memberIds } = await createBalancer(stack, 'rht-hang', [{ url, name: 'hang' }]);
    const patched = await stack.api('PATCH', `/api/v1/balancers/${balancerId}`, { timeouts: { responseHeaderMs: 400 } });
    await agentAtRevision(stack.agentAdminUrl, Number(patched.headers.get('switchboard-revision')));

    const started = Date.now();
    const res = await fetch(`${stack.agentUrl}/rht-hang/x`);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(504);
    expect(await res.text()).toBe(`member ${memberIds['hang']} of balancer rht-hang sent no response head within 400 ms (timeouts.responseHeaderMs)`);
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(10_000);
  });
});
