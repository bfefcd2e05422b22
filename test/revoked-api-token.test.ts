import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/processes';
import { openEventStream, type EventStream } from './support/sse';
import { startStack, type Stack } from './support/stack';

/** A revoked API token must not keep watching: its open live streams end on every replica. */
describe('revoking an API token ends its open live streams', () => {
  let stack: Stack;
  let replicaUrl: string;
  const streams: EventStream[] = [];

  beforeAll(async () => {
    stack = await startStack({ agents: 0 });
    replicaUrl = await stack.startReplica();
  });
  afterAll(async () => {
    for (const stream of streams) stream.destroy();
    await stack?.stop();
  });

  const token = async (name: string) => {
    const res = await stack.api<{ id: string; token: string }>('POST', '/api/v1/tokens', { name, role: 'viewer' });
    expect(res.status).toBe(201);
    return res.body;
  };
  const open = async (baseUrl: string, secret: string) => {
    const stream = await openEventStream(`${baseUrl}/api/v1/stats/stream`, secret);
    streams.push(stream);
    expect(stream.status).toBe(200);
    await eventually(() => stream.events() >= 1, 10_000, 'the first stats event');
    return stream;
  };

  it('ends the streams on both replicas within a second of a revoke made through one of them; other tokens keep theirs', async () => {
    const watcher = await token('watcher');
    const bystander = await token('bystander');
    const onFirst = await open(stack.apiUrl, watcher.token);
    const onReplica = await open(replicaUrl, watcher.token);
    const other = await open(stack.apiUrl, bystander.token);

    // Measured from the moment the DELETE is sent: the stream may end before its answer arrives.
    const revokedAt = Date.now();
    const res = await fetch(`${replicaUrl}/api/v1/tokens/${watcher.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${stack.adminToken}` } });
    const answeredAt = Date.now();
    expect(res.status).toBe(200);
    const [first, replica] = await Promise.all([onFirst.ended, onReplica.ended]);
    const figures = { otherReplica: first.at - revokedAt, sameReplica: replica.at - revokedAt };
    process.stdout.write(`revoked API token: streams ended ${figures.otherReplica} ms (other replica) / ${figures.sameReplica} ms (replica that revoked) after the DELETE was sent (answered after ${answeredAt - revokedAt} ms)\n`);
    expect(first.complete && replica.complete).toBe(true); // a proper end of the chunked body, not a reset
    // Within a second of the revoke being committed (before its answer: negative is fine).
    expect(first.at - answeredAt).toBeLessThan(1000);
    expect(replica.at - answeredAt).toBeLessThan(1000);

    const before = other.events();
    await eventually(() => other.events() >= before + 2, 10_000, 'the bystander stream to keep streaming');
  });

  it('refuses the revoked token a new stream (401) on either replica', async () => {
    const watcher = await token('short-lived');
    await open(stack.apiUrl, watcher.token);
    expect((await stack.api('DELETE', `/api/v1/tokens/${watcher.id}`)).status).toBe(200);
    for (const baseUrl of [stack.apiUrl, replicaUrl]) {
      const again = await openEventStream(`${baseUrl}/api/v1/stats/stream`, watcher.token);
      streams.push(again);
      expect(again.status).toBe(401);
    }
  });
});
