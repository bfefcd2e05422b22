import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { MemberDrain } from '@switchboard/protocol';
import type { WebSocket } from 'ws';
import { openWebSocket, roundTrip } from '../testing/clients';
import { member, singleBalancer } from '../testing/fixtures';
import { RecordingWsMember } from '../testing/raw-peers';
import { useStack } from '../testing/stack';
import { waitFor } from '../testing/wait';

const stack = useStack(2);
const peers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(peers.splice(0).map((peer) => peer.close()));
});

/** A client and how it ended: close code, reason and time (Date.now), and any error its ws raised (ws errors on a corrupt frame). */
interface Watched {
  readonly ws: WebSocket;
  readonly errors: Error[];
  closed?: { code: number; reason: string; at: number };
  messages: number;
}

function watch(ws: WebSocket): Watched {
  const watched: Watched = { ws, errors: [], messages: 0 };
  ws.on('error', (error) => watched.errors.push(error));
  ws.on('message', () => (watched.messages += 1));
  ws.on('close', (code, reason) => (watched.closed = { code, reason: reason.toString(), at: Date.now() }));
  return watched;
}

async function openClients(count: number): Promise<Watched[]> {
  return Promise.all(Array.from({ length: count }, async () => watch(await openWebSocket(stack.agent.ws()))));
}

/** Serves m1 (draining with `drain`) and m2 (b1, b2). */
async function drainM1(drain: MemberDrain): Promise<void> {
  await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url(), { state: 'draining', drain }), member('m2', stack.backends[1]!.url())]));
}

/** Sends fragmented messages of `fragments` × `size` random bytes for as long as the socket is open, each fragment once the previous one was written. */
async function streamFragmented(ws: WebSocket, size: number, fragments: number): Promise<void> {
  const fragment = randomBytes(size);
  while (ws.readyState === ws.OPEN) {
    for (let i = 0; i < fragments && ws.readyState === ws.OPEN; i++) {
      await new Promise<void>((resolve) => ws.send(fragment, { binary: true, fin: i === fragments - 1 }, () => resolve()));
    }
  }
}

describe('paced drain', () => {
  it('closes with 1001 at a frame boundary while both sides stream large fragmented messages', async () => {
    const streaming = await new RecordingWsMember().start();
    peers.push(streaming);
    streaming.onConnection = ({ ws }) => void streamFragmented(ws, 256 * 1024, 8);
    await stack.serve(singleBalancer([member('m1', streaming.url()), member('m2', stack.backends[1]!.url())], { lbMethod: 'bybusyness' }));
    const clients = await openClients(2);
    expect(streaming.connections).toHaveLength(1);
    for (const client of clients) void streamFragmented(client.ws, 200 * 1024, 6);
    await waitFor(() => clients.every((client) => client.messages >= 2) && streaming.connections.every((c) => c.messages.length >= 2), 'messages flowing both ways', 20_000);

    await stack.serve(singleBalancer([member('m1', streaming.url(), { state: 'draining', drain: { startedAt: Date.now(), windowMs: 0, deadlineMs: 0 } }), member('m2', stack.backends[1]!.url())], { lbMethod: 'bybusyness' }));
    await waitFor(() => streaming.connections[0]!.closeCode !== undefined && clients.some((c) => c.closed), 'the drained client to close', 20_000);
    const drained = clients.filter((c) => c.closed);
    expect(drained).toHaveLength(1);
    for (const client of drained) {
      expect(client.closed).toMatchObject({ code: 1001, reason: 'going away' });
      expect(client.errors).toEqual([]);
    }
    for (const connection of streaming.connections) {
      expect(connection.closeCode).toBe(1001);
      expect(connection.errors).toEqual([]);
    }
    expect(stack.counters('m1').closedByAgent).toBe(1);
    await waitFor(() => stack.counters('m1').openTunnels === 0, 'the drained tunnels to be closed');
    for (const client of clients) client.ws.terminate();
  });

  it('leaves tunnels alone for windowMs, then closes them one by one until deadlineMs; new clients go to the other member', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())]));
    const clients = await openClients(20);
    const startedAt = Date.now();
    await drainM1({ startedAt, windowMs: 300, deadlineMs: 1_500 });
    const later = await openClients(5);
    expect(stack.backends.map((b) => b.accepted)).toEqual([20, 5]);

    await waitFor(() => clients.every((client) => client.closed), 'every drained client to close', 15_000);
    const times = clients.map((client) => client.closed!.at).sort((a, b) => a - b);
    expect(clients.map((client) => client.closed!.code)).toEqual(Array(20).fill(1001));
    expect(clients.flatMap((client) => client.errors)).toEqual([]);
    expect(times[0]! - startedAt).toBeGreaterThanOrEqual(300);
    // Paced over ~1.2 s, not all at once (a loaded machine only delays the closes further apart).
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(300);
    expect(stack.counters('m1').closedByAgent).toBe(20);
    await stack.controlPlane.next('stats', (stats) => stats.members.some((m) => m.memberId === 'm1' && m.closedByAgent === 20));
    for (const client of later) expect((await roundTrip(client.ws, 'still on m2')).toString()).toBe('still on m2');
    expect(later.every((client) => !client.closed)).toBe(true);
    for (const client of later) client.ws.terminate();
  });

  it('closes whatever is left at the deadline when windowMs equals deadlineMs', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())]));
    const clients = await openClients(5);
    const startedAt = Date.now();
    await drainM1({ startedAt, windowMs: 200, deadlineMs: 200 });
    await waitFor(() => clients.every((client) => client.closed), 'every client to close');
    expect(clients.map((client) => client.closed!.code)).toEqual(Array(5).fill(1001));
    expect(Math.min(...clients.map((client) => client.closed!.at)) - startedAt).toBeGreaterThanOrEqual(200);
  });

  it('stops closing when the member is made active again; its other tunnels keep working', async () => {
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url())]));
    const clients = await openClients(10);
    await drainM1({ startedAt: Date.now(), windowMs: 0, deadlineMs: 4_000 });
    await waitFor(() => stack.counters('m1').closedByAgent >= 1, 'a first close');
    await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url()), member('m2', stack.backends[1]!.url())]));
    const closed = stack.counters('m1').closedByAgent;
    // At this pace (one close every ~400 ms) a drain still running would close ~3 more in 1.2 s.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(stack.counters('m1').closedByAgent).toBe(closed);
    const open = clients.filter((client) => !client.closed);
    expect(open.length).toBeGreaterThanOrEqual(10 - closed - 1);
    for (const client of open) expect((await roundTrip(client.ws, 'kept')).toString()).toBe('kept');
    for (const client of clients) client.ws.terminate();
  });
});
