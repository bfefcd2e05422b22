import { CLOSE_CODES } from '@switchboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgentChannel } from './support/agent-channel';
import { agentAtRevision, createBalancer } from './support/config';
import { eventually } from './support/processes';
import { startStack, type Stack } from './support/stack';

interface AgentRow {
  id: string;
  name: string;
  hostname: string;
  version: string;
  tokenId: string | null;
  online: boolean;
  connectedAt: string | null;
}

/**
 * An agent's name is bound to the agent token it enrolled with: another token cannot take over
 * the name or its row while that token is valid; once it is revoked, a new token re-enrols the name.
 */
describe('agent name bound to its token', () => {
  let stack: Stack;
  let firstTokenId: string;
  let other: { id: string; token: string };

  const row = async (name: string) => (await stack.api<AgentRow[]>('GET', '/api/v1/agents')).body.find((a) => a.name === name);

  beforeAll(async () => {
    stack = await startStack(); // agent-1 with the token "test-agents"
    firstTokenId = (await stack.api<{ id: string; name: string }[]>('GET', '/api/v1/agent-tokens')).body.find((t) => t.name === 'test-agents')!.id;
    other = (await stack.api<{ id: string; token: string }>('POST', '/api/v1/agent-tokens', { name: 'other' })).body;
    await eventually(async () => (await row('agent-1'))?.online, 10_000, 'agent-1 online');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('refuses a hello naming an agent bound to another token (4409), leaving the row and the agent alone', async () => {
    const before = await row('agent-1');
    expect(before?.tokenId).toBe(firstTokenId);
    const impostor = await openAgentChannel(stack.apiUrl, other.token);
    impostor.hello('agent-1');
    const closed = await impostor.closed;
    expect(closed.code).toBe(CLOSE_CODES.nameConflict);
    expect(closed.reason).toBe('agent name agent-1 is bound to another agent token');
    expect(impostor.received).toEqual([]); // no welcome, no snapshot
    const after = await row('agent-1');
    expect({ ...after, lastSeenAt: undefined }).toEqual({ ...before, lastSeenAt: undefined });

    // The real agent kept its channel: it still gets new revisions.
    const { revision } = await createBalancer(stack, 'bound', [{ url: 'ws://127.0.0.1:9', name: 'nowhere' }]);
    await agentAtRevision(stack.agentAdminUrl, revision);
  });

  it('cuts the close reason to the 123 bytes a close frame carries when the name is long', async () => {
    const name = `long-${'é'.repeat(97)}`; // 199 characters, 199 + 97 bytes
    const owner = await openAgentChannel(stack.apiUrl, other.token);
    owner.hello(name);
    await owner.next('welcome');
    const first = (await stack.api<{ token: string }>('POST', '/api/v1/agent-tokens', { name: 'third' })).body.token;
    const impostor = await openAgentChannel(stack.apiUrl, first);
    impostor.hello(name);
    const closed = await impostor.closed;
    expect(closed.code).toBe(CLOSE_CODES.nameConflict);
    expect(Buffer.byteLength(closed.reason)).toBeLessThanOrEqual(123);
    expect(closed.reason).toMatch(/^agent name long-é+\.\.\.$/);
    owner.ws.close();
  });

  it('lets the other token enrol its own names', async () => {
    const own = await openAgentChannel(stack.apiUrl, other.token);
    own.hello('agent-2');
    const welcome = await own.next('welcome');
    expect(await row('agent-2')).toMatchObject({ id: welcome.agentId, tokenId: other.id, hostname: 'agent-2.test' });
    own.ws.close();
  });

  it('re-enrols the name under a new token once the bound token is revoked, keeping the row', async () => {
    const before = await row('agent-1');
    expect((await stack.api('DELETE', `/api/v1/agent-tokens/${firstTokenId}`)).status).toBe(200);
    await eventually(() => stack.agents[0].proc.output.some((line) => line.includes('4403')), 5_000, 'agent-1 to be closed with 4403');
    const successor = await openAgentChannel(stack.apiUrl, other.token);
    successor.hello('agent-1');
    const welcome = await successor.next('welcome');
    expect(welcome.agentId).toBe(before?.id);
    expect(await row('agent-1')).toMatchObject({ id: before?.id, tokenId: other.id, hostname: 'agent-1.test', version: 'raw-test', online: true });
    successor.ws.close();
  });
});
