import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsUrl } from './support/clients';
import { agentAtRevision } from './support/config';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

/** The first message of a WebSocket opened on `url` (the echo backend's hello line). */
function helloLine(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    ws.once('message', (data: Buffer) => {
      resolve(data.toString());
      ws.close();
    });
    ws.once('error', reject);
  });
}

/** Regex routes, prefix stripping with ProxyPassReverse-style rewriting, and Host header policy, end to end. */
describe('routes end to end', () => {
  let stack: Stack;
  let backends: EchoBackend[];
  let revision = 0;

  const write = async (method: string, path: string, body: unknown) => {
    const res = await stack.api(method, path, body);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    revision = Number(res.headers.get('switchboard-revision'));
    return res.body;
  };

  beforeAll(async () => {
    stack = await startStack();
    backends = [await startEchoBackend('r-api'), await startEchoBackend('r-app')];
    const api = await write('POST', '/api/v1/balancers', { name: 'api', hostHeader: { mode: 'set', value: 'internal.example' } });
    const app = await write('POST', '/api/v1/balancers', { name: 'app', hostHeader: { mode: 'member' } });
    await write('POST', `/api/v1/balancers/${api.id}/members`, { url: backends[0].url });
    await write('POST', `/api/v1/balancers/${app.id}/members`, { url: backends[1].url });
    await write('POST', '/api/v1/routes', { balancerId: api.id, match: { type: 'regex', path: '^/v[0-9]+/' }, priority: 10 });
    await write('POST', '/api/v1/routes', { balancerId: app.id, match: { type: 'prefix', path: '/app' }, stripPrefix: true });
    await write('POST', '/api/v1/routes', { balancerId: app.id, match: { type: 'prefix', path: '/' } });
    await agentAtRevision(stack.agentAdminUrl, revision);
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all((backends ?? []).map((b) => b.close()));
  });

  it('sends a regex-matched path to its balancer ahead of the catch-all prefix, with the Host it sets', async () => {
    expect(await helloLine(wsUrl(stack.agentUrl, '/v2/hello'))).toBe('r-api: hello internal.example /v2/hello');
    const http = await fetch(`${stack.agentUrl}/v10/items`);
    expect(await http.text()).toBe('r-api GET /v10/items');
    expect(await (await fetch(`${stack.agentUrl}/vx/items`)).text()).toBe('r-app GET /vx/items');
  });

  it('strips the prefix, sends the member host, and rewrites Location and Set-Cookie paths back', async () => {
    expect(await helloLine(wsUrl(stack.agentUrl, '/app/hello'))).toBe(`r-app: hello 127.0.0.1:${backends[1].port} /hello`);
    const res = await fetch(`${stack.agentUrl}/app/redirect`, { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/app/landed');
    expect(res.headers.get('set-cookie')).toBe('sid=1; Path=/app/app; HttpOnly');
    const unstripped = await fetch(`${stack.agentUrl}/other/redirect`, { redirect: 'manual' });
    expect(unstripped.headers.get('location')).toBe('/landed');
  });
});
