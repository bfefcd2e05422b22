import { DEFAULT_TIMEOUTS } from '@switchboard/protocol';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWebSocket, roundTrip } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer, rawServer } from '../testing/raw-tcp';
import type { RawServer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { useStack, whenReleased } from '../testing/stack';
import { waitFor } from '../testing/wait';

// Issue 7, item 4: a member that accepts a request and never answers held the client and the
// member's in-flight count forever. Per balancer `timeouts.responseHeaderMs` (HAProxy's
// `timeout server`, NGINX's `proxy_read_timeout`; here 300 ms) bounds the wait for its response
// head once the request is sent, or while the member holds the request body back: the client
// gets 504 naming balancer, member and limit, the member connection is destroyed (never pooled
// again), a passive failure is counted, and the in-flight count returns to 0. Tunnels are not
// concerned (only tunnelIdleMs closes an idle one).

const stack = useStack(1);
const LIMIT = 300;
const REASON = `member m1 of balancer b1 sent no response head within ${LIMIT} ms (timeouts.responseHeaderMs)`;
const timeouts = { ...DEFAULT_TIMEOUTS, responseHeaderMs: LIMIT };

describe('a member that never answers', () => {
  let recorder: RecordingMember;

  beforeEach(async () => {
    recorder = await new RecordingMember().start();
    await stack.serve(singleBalancer([member('m1', recorder.url())], { timeouts }));
  });
  afterEach(() => recorder.close());

  it.each([
    ['GET without a body', { method: 'GET' }],
    ['POST with a body', { method: 'POST', body: 'payload' }],
  ])('%s gets 504 after responseHeaderMs; the member connection is destroyed, a failure counted, in-flight back to 0', async (_name, init) => {
    const started = Date.now();
    const res = await fetch(stack.agent.http('/stall/1'), init);
    const elapsed = Date.now() - started;
    expect(res.status).toBe(504);
    expect(await res.text()).toBe(REASON);
    expect(res.headers.get('connection')).toBe('close');
    expect(elapsed).toBeGreaterThanOrEqual(LIMIT - 20); // never before the limit (timer granularity aside)
    expect(elapsed).toBeLessThan(5_000);
    expect(recorder.stalled).toEqual(['/stall/1']);
    expect(stack.counters('m1')).toMatchObject({ failures: 1, health: 'down', healthReason: 'response ETIMEDOUT', inflightRequests: 0 });
    await waitFor(() => recorder.openConnections === 0, 'the stalled member connection to be closed');

    // The next request is served on a new member connection: the stalled one was not pooled.
    const next = await fetch(stack.agent.http('/ok'));
    expect(await next.text()).toBe('seen GET /ok');
    expect(recorder.connections).toBe(2);
    await whenReleased(stack.counters('m1'));
  });

  it('counts every timeout in the passive streak: with passiveHealth.fails 2 the second one marks the member down', async () => {
    await stack.serve(singleBalancer([member('m1', recorder.url())], { timeouts, passiveHealth: { fails: 2, retryMs: 600_000 } }));
    expect((await fetch(stack.agent.http('/stall/1'))).status).toBe(504);
    // The member accepted a new connection for the second request: a connect alone does not reset the streak.
    expect(stack.counters('m1')).toMatchObject({ failures: 1, health: 'unknown' });
    expect((await fetch(stack.agent.http('/stall/2'))).status).toBe(504);
    expect(stack.counters('m1')).toMatchObject({ failures: 2, health: 'down', healthReason: '2 response failures: ETIMEDOUT' });
    expect(recorder.connections).toBe(2);
    await whenReleased(stack.counters('m1'));
  });

  it('a member answering within the limit is not cut, and its connection is pooled', async () => {
    for (let i = 0; i < 3; i++) expect(await (await fetch(stack.agent.http(`/ok/${i}`))).text()).toBe(`seen GET /ok/${i}`);
    expect(recorder.connections).toBe(1);
    expect(stack.counters('m1')).toMatchObject({ failures: 0, health: 'up' });
  });
});

describe('a member that never reads the request body', () => {
  let silent: RawServer;

  beforeEach(async () => {
    // Reads the head's first packet, then stops reading: the agent's writes back up.
    silent = await rawServer((peer) => peer.socket.pause());
    // A client idle limit below the member's: were the member's hold counted against the client, this would be a 408.
    await stack.start({ env: { SWITCHBOARD_REQUEST_BODY_IDLE_MS: String(LIMIT / 2) } });
    await stack.serve(singleBalancer([member('m1', silent.url('http'))], { timeouts }));
  });
  afterEach(() => silent.close());

  it('gets 504 once it has held the body back for responseHeaderMs, not 408 for the client', async () => {
    const body = Buffer.alloc(64 * 1024 * 1024, 'x'); // far more than the socket buffers between agent and member hold
    const client = await RawPeer.connect(stack.agent.port);
    client.write(`PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n`);
    client.write(body);
    await client.until('\r\n\r\n', 10_000);
    expect(client.text).toMatch(/^HTTP\/1\.1 504 Gateway Timeout\r\n/);
    expect(await client.until(REASON)).toBeTruthy();
    expect(stack.counters('m1')).toMatchObject({ failures: 1, inflightRequests: 0 });
    for (const peer of silent.peers) peer.socket.resume(); // reading again, it sees the agent's close
    await waitFor(() => silent.openConnections() === 0, 'the member connection to be closed');
    client.socket.destroy();
    await whenReleased(stack.counters('m1'));
  });
});

describe('WebSocket tunnels', () => {
  it('are not cut by responseHeaderMs', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url('ws'))], { timeouts }));
    const ws = await openWebSocket(stack.agent.ws('/chat'));
    await sleep(LIMIT * 3); // silent for three times the limit
    expect((await roundTrip(ws, 'still here')).toString()).toBe('still here');
    expect(stack.counters('m1')).toMatchObject({ openTunnels: 1, failures: 0 });
    ws.close();
    await whenReleased(stack.counters('m1'));
  });
});
