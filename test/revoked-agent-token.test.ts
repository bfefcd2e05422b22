import { CLOSE_CODES } from '@switchboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgentChannel } from './support/agent-channel';
import { connect, wsUrl } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { eventually } from './support/processes';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

/**
 * Revoking an agent token closes, at once and on every replica, each channel opened with it
 * (close 4403); the agents keep serving their revision, and a reconnect is refused at the handshake.
 */
describe('revoking an agent token', () => {
  let stack: Stack;
  let replicaUrl: string;
  let backend: EchoBackend;
  let revision: number;

  beforeAll(async () => {
    // agent-1, on the first replica, with the token "test-agents"; refused retries after 1 s ± 50 %
    stack = await startStack({ agentEnv: { SWITCHBOARD_CONTROL_REFUSED_RETRY_MS: '1000' } });
    replicaUrl = await stack.startReplica();
    backend = await startEchoBackend('rv-backend');
    ({ revision } = await createBalancer(stack, 'revoked', [{ url: backend.url, name: backend.name }]));
    await agentAtRevision(stack.agentAdminUrl, revision);
  });
  afterAll(async () => {
    await stack?.stop();
    await backend?.close();
  });

  it('closes every channel of the token with 4403 on both replicas, the agent says so and keeps serving; reconnects get 401', async () => {
    const tokens = (await stack.api<{ id: string; name: string }[]>('GET', '/api/v1/agent-tokens')).body;
    const tokenId = tokens.find((t) => t.name === 'test-agents')!.id;
    const secret = (await stack.api<{ token: string }>('POST', '/api/v1/agent-tokens', { name: 'raw' })).body.token;
    const rawId = (await stack.api<{ id: string; name: string }[]>('GET', '/api/v1/agent-tokens')).body.find((t) => t.name === 'raw')!.id;
    const raw = await openAgentChannel(replicaUrl, secret);
    raw.hello('raw-agent');
    await raw.next('welcome');
    const tunnel = await connect(wsUrl(stack.agentUrl, '/revoked/ws'));
    expect(await tunnel.roundTrip('before')).toBe('rv-backend: before');

    // The real agent is on the first replica; both revokes go through the other one.
    const agent = stack.agents[0].proc;
    const logged = agent.output.length;
    // Figures are measured from the moment each DELETE is sent.
    const agentRevokedAt = Date.now();
    let res = await fetch(`${replicaUrl}/api/v1/agent-tokens/${tokenId}`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.adminToken}` } });
    const agentAnsweredAt = Date.now();
    expect(res.status).toBe(200);
    const line = await eventually(() => agent.output.slice(logged).find((l) => l.includes('4403')), 5_000, 'the agent to log the revocation');
    const agentFigure = Date.now() - agentRevokedAt;
    const agentAfterAnswer = Date.now() - agentAnsweredAt;
    expect(JSON.parse(line)).toMatchObject({ level: 50, code: CLOSE_CODES.credentialRevoked, reason: 'agent token revoked', servingRevision: revision });
    expect(line).toContain(`still serving revision ${revision}`);
    process.stdout.write(`agent log: ${(JSON.parse(line) as { msg: string }).msg}\n`);

    const rawRevokedAt = Date.now();
    res = await fetch(`${replicaUrl}/api/v1/agent-tokens/${rawId}`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.adminToken}` } });
    const rawAnsweredAt = Date.now();
    expect(res.status).toBe(200);
    const closed = await raw.closed;
    expect(closed).toMatchObject({ code: 4403, reason: 'agent token revoked' });
    process.stdout.write(`revoked agent token: raw channel closed ${closed.at - rawRevokedAt} ms after the DELETE was sent (same replica); the real agent logged 4403 within ${agentFigure} ms (other replica, log polled every 50 ms)\n`);
    // Within a second of the revoke being committed (measured from its answer; negative is fine).
    expect(closed.at - rawAnsweredAt).toBeLessThan(1000);
    expect(agentAfterAnswer).toBeLessThan(1000);
    expect(JSON.parse(line)['retryInMs'] as number).toBeGreaterThanOrEqual(500); // the refused delay, not the normal backoff

    // Still serving: the open tunnel, a new one, and the same revision.
    expect(await tunnel.roundTrip('after')).toBe('rv-backend: after');
    const fresh = await connect(wsUrl(stack.agentUrl, '/revoked/ws'));
    expect(await fresh.roundTrip('new')).toBe('rv-backend: new');
    fresh.close();
    tunnel.close();
    expect(((await (await fetch(`${stack.agentAdminUrl}/config`)).json()) as { revision: number }).revision).toBe(revision);
    expect(await (await fetch(`${stack.agentAdminUrl}/metrics`)).text()).toContain('switchboard_agent_control_connected 0');

    for (const baseUrl of [stack.apiUrl, replicaUrl]) await expect(openAgentChannel(baseUrl, secret)).rejects.toThrow('upgrade answered 401');
    // The agent's own retry, on its refused delay, is refused at the handshake.
    const retried = await eventually(() => agent.output.slice(logged).find((l) => l.includes('HTTP 401 at the handshake')), 10_000, 'the agent to retry and be refused');
    expect(JSON.parse(retried)).toMatchObject({ level: 50, status: 401, servingRevision: revision });
    const agents = (await stack.api<{ name: string; online: boolean }[]>('GET', '/api/v1/agents')).body;
    expect(await eventually(async () => (await stack.api<{ name: string; online: boolean }[]>('GET', '/api/v1/agents')).body.every((a) => !a.online), 10_000, 'both agents offline')).toBe(true);
    expect(agents.map((a) => a.name).sort()).toEqual(['agent-1', 'raw-agent']);
  });
});
