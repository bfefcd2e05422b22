import { describe, expect, it } from 'vitest';
import type { EchoedRequest } from '../testing/backends';
import { closeWebSocket, openWebSocket } from '../testing/clients';
import { balancer, member, route } from '../testing/fixtures';
import { useStack } from '../testing/stack';

const stack = useStack();

async function echoed(res: Response): Promise<EchoedRequest> {
  expect(res.status).toBe(200);
  return (await res.json()) as EchoedRequest;
}

describe('regex routes (ProxyPassMatch)', () => {
  it('select their balancer by the path without the query, strip a match at the start, and lose to a higher priority', async () => {
    const config = {
      balancers: [balancer('api', [member('m1', stack.backends[0]!.url('http'))]), balancer('other', [member('m2', stack.backends[1]!.url('http'))])],
      routes: [
        route('versioned', 'api', { match: { type: 'regex', path: '^/api/v[0-9]+' }, stripPrefix: true }),
        route('sockets', 'api', { match: { type: 'regex', path: '/ws$' }, stripPrefix: true }),
        route('admin', 'other', { priority: 5, match: { type: 'prefix', path: '/api/v9' } }),
        route('rest', 'other'),
      ],
    };
    const { http } = await stack.serve(config);
    expect(await echoed(await fetch(http('/api/v2/items?q=/ws')))).toMatchObject({ backend: 'b1', url: '/items?q=/ws' });
    expect(await echoed(await fetch(http('/api/v2')))).toMatchObject({ backend: 'b1', url: '/' });
    expect(await echoed(await fetch(http('/rooms/1/ws?x=1')))).toMatchObject({ backend: 'b1', url: '/rooms/1/ws?x=1' });
    expect(await echoed(await fetch(http('/api/v9/items')))).toMatchObject({ backend: 'b2', url: '/api/v9/items' });
    expect(await echoed(await fetch(http('/api/vx?ws')))).toMatchObject({ backend: 'b2', url: '/api/vx?ws' });
  });

  it('route WebSocket upgrades and strip them too', async () => {
    const config = {
      balancers: [balancer('a', [member('m1', stack.backends[0]!.url())]), balancer('b', [member('m2', stack.backends[1]!.url())])],
      routes: [route('regex', 'a', { match: { type: 'regex', path: '^/rooms/[0-9]+' }, stripPrefix: true, websocket: 'only' }), route('rest', 'b')],
    };
    await stack.serve(config);
    const ws = await openWebSocket(stack.agent.ws('/rooms/42/socket?t=1'));
    expect(stack.backends[0]!.upgrades.map((u) => u.url)).toEqual(['/socket?t=1']);
    await closeWebSocket(ws);
    const other = await openWebSocket(stack.agent.ws('/rooms/x'));
    expect(stack.backends[1]!.upgrades.map((u) => u.url)).toEqual(['/rooms/x']);
    await closeWebSocket(other);
  });
});
