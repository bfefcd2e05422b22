import { CLOSE_CODES } from '@switchboard/protocol';
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgentChannel } from './support/agent-channel';
import { eventually } from './support/processes';
import { openEventStream, type EventStream } from './support/sse';
import { startStack, type Stack } from './support/stack';

/**
 * A revocation whose announcement a replica could not hear (its LISTEN connection was down)
 * still reaches the sessions: once the connection is back, the tokens they hold are re-checked.
 */
describe('revocations missed while the LISTEN connection was down', () => {
  let stack: Stack;
  let db: Client;
  const streams: EventStream[] = [];

  beforeAll(async () => {
    stack = await startStack({ agents: 0 });
    db = new Client({ connectionString: stack.databaseUrl! });
    await db.connect();
  });
  afterAll(async () => {
    for (const stream of streams) stream.destroy();
    await db?.end();
    await stack?.stop();
  });

  /** Cuts the control plane's LISTEN connection, then revokes in SQL without any announcement. */
  const revokeUnheard = async (table: 'ApiToken' | 'AgentToken', id: string) => {
    const cut = await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`);
    expect(cut.rowCount).toBe(1);
    await db.query(`UPDATE "${table}" SET "revokedAt" = now() WHERE id = $1`, [id]);
  };

  it('ends a live stream whose API token was revoked meanwhile', async () => {
    const { id, token } = (await stack.api<{ id: string; token: string }>('POST', '/api/v1/tokens', { name: 'unheard', role: 'viewer' })).body;
    const stream = await openEventStream(`${stack.apiUrl}/api/v1/stats/stream`, token);
    streams.push(stream);
    await eventually(() => stream.events() >= 1, 10_000, 'the first event');
    const revokedAt = Date.now();
    await revokeUnheard('ApiToken', id);
    const end = await stream.ended;
    process.stdout.write(`unheard API token revocation: stream ended ${end.at - revokedAt} ms later (LISTEN reconnects after 1 s)\n`);
    expect(end.complete).toBe(true);
  });

  it('closes an agent channel whose token was revoked meanwhile with 4403', async () => {
    const { token } = (await stack.api<{ token: string }>('POST', '/api/v1/agent-tokens', { name: 'unheard' })).body;
    const id = (await stack.api<{ id: string; name: string }[]>('GET', '/api/v1/agent-tokens')).body.find((t) => t.name === 'unheard')!.id;
    const channel = await openAgentChannel(stack.apiUrl, token);
    channel.hello('unheard-agent');
    await channel.next('welcome');
    await eventually(async () => (await db.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'`)).rowCount === 1, 10_000, 'the LISTEN connection to be back');
    const revokedAt = Date.now();
    await revokeUnheard('AgentToken', id);
    const closed = await channel.closed;
    process.stdout.write(`unheard agent token revocation: channel closed ${closed.at - revokedAt} ms later\n`);
    expect(closed).toMatchObject({ code: CLOSE_CODES.credentialRevoked, reason: 'agent token revoked' });
  });
});
