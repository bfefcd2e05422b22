import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendOf, wsUrl } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

/** Opens a WebSocket with extra headers and returns the backend of the first echo. */
function upgradeBackend(url: string, headers: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => ws.send('who'));
    ws.once('message', (data: Buffer) => {
      resolve(backendOf(data.toString()));
      ws.close();
    });
    ws.once('error', reject);
  });
}

/** Sticky cookies and hash keys configured through the API, honoured by a real agent process. */
describe('balancing policy end to end', () => {
  let stack: Stack;
  const backends: EchoBackend[] = [];

  beforeAll(async () => {
    stack = await startStack();
    for (const name of ['p-one', 'p-two', 'p-three']) backends.push(await startEchoBackend(name));
  });
  afterAll(async () => {
    await stack?.stop();
    await Promise.all(backends.map((b) => b.close()));
  });

  it('sticky cookie: long-polling requests and the later upgrade land on one member, even while it drains', async () => {
    const { balancerId, memberIds, revision } = await createBalancer(stack, 'sticky', backends.slice(0, 2).map((b) => ({ url: b.url, name: b.name })), 'byrequests');
    const patched = await stack.api('PATCH', `/api/v1/balancers/${balancerId}`, { sticky: { mode: 'cookie' } });
    expect(patched.status).toBe(200);
    await agentAtRevision(stack.agentAdminUrl, Math.max(revision, Number(patched.headers.get('switchboard-revision'))));

    const first = await fetch(`${stack.agentUrl}/sticky/socket.io/?transport=polling`);
    const served = (await first.text()).split(' ')[0];
    const cookie = (first.headers.get('set-cookie') ?? '').split(';')[0];
    expect(cookie).toMatch(/^SWITCHBOARD_ROUTE=.+/);
    for (let i = 0; i < 6; i++) {
      const again = await fetch(`${stack.agentUrl}/sticky/socket.io/?transport=polling`, { headers: { cookie } });
      expect((await again.text()).split(' ')[0]).toBe(served);
    }
    expect(await upgradeBackend(wsUrl(stack.agentUrl, '/sticky/socket.io/?transport=websocket'), { cookie })).toBe(served);

    const drained = await stack.api('POST', `/api/v1/balancers/${balancerId}/members/${memberIds[served]}/drain`, {});
    await agentAtRevision(stack.agentAdminUrl, Number(drained.headers.get('switchboard-revision')));
    expect(await upgradeBackend(wsUrl(stack.agentUrl, '/sticky/ws'), { cookie })).toBe(served);
    const other = served === 'p-one' ? 'p-two' : 'p-one';
    expect(await upgradeBackend(wsUrl(stack.agentUrl, '/sticky/ws'), {})).toBe(other);

    const disabled = await stack.api('PATCH', `/api/v1/balancers/${balancerId}/members/${memberIds[served]}`, { state: 'disabled' });
    await agentAtRevision(stack.agentAdminUrl, Number(disabled.headers.get('switchboard-revision')));
    expect(await upgradeBackend(wsUrl(stack.agentUrl, '/sticky/ws'), { cookie })).toBe(other);
  });

  it('hash on a header: one key always reaches one member, and keys spread over all members', async () => {
    const { balancerId, revision } = await createBalancer(stack, 'hashed', backends.map((b) => ({ url: b.url, name: b.name })), 'byrequests');
    const patched = await stack.api('PATCH', `/api/v1/balancers/${balancerId}`, { lbMethod: 'hash', hash: { source: 'header', name: 'X-User' } });
    await agentAtRevision(stack.agentAdminUrl, Math.max(revision, Number(patched.headers.get('switchboard-revision'))));
    const owners = new Map<string, string>();
    for (let user = 0; user < 60; user++) {
      const backend = await upgradeBackend(wsUrl(stack.agentUrl, '/hashed/ws'), { 'x-user': `user-${user}` });
      owners.set(`user-${user}`, backend);
    }
    expect(new Set(owners.values()).size).toBe(3);
    for (const [user, backend] of [...owners].slice(0, 10)) {
      const res = await fetch(`${stack.agentUrl}/hashed/x`, { headers: { 'x-user': user } });
      expect((await res.text()).split(' ')[0]).toBe(backend);
    }
  });
});
