import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { useStack, whenReleased } from '../testing/stack';
import { waitFor } from '../testing/wait';

// Issue 7, item 4: a client that sends a request head and part of its body, then nothing,
// held the member request and its in-flight count forever. SWITCHBOARD_REQUEST_BODY_IDLE_MS
// (here 300 ms; HAProxy's `timeout client`, NGINX's client_body_timeout) bounds the silence
// between two body reads: the client gets 408 and its connection closed, the member request is
// aborted (the member never sees a whole request), and the counters return to 0. A body that
// keeps coming, however slowly, is never cut.

const stack = useStack(0);
const IDLE_MS = 300;
let recorder: RecordingMember;

beforeEach(async () => {
  recorder = await new RecordingMember().start();
  await stack.start({ env: { SWITCHBOARD_REQUEST_BODY_IDLE_MS: String(IDLE_MS) } });
  await stack.serve(singleBalancer([member('m1', recorder.url())]));
});
afterEach(() => recorder.close());

describe('a request body that stops coming', () => {
  it.each([
    ['a Content-Length body', 'Content-Length: 100\r\n', 'only ten b'],
    ['a chunked body', 'Transfer-Encoding: chunked\r\n', '64\r\nonly ten b'],
  ])('%s idle for SWITCHBOARD_REQUEST_BODY_IDLE_MS gets 408; the member request is aborted', async (_name, framing, part) => {
    const client = await RawPeer.connect(stack.agent.port);
    const started = Date.now();
    client.write(`POST /upload HTTP/1.1\r\nHost: x\r\n${framing}\r\n${part}`);
    await client.whenClosed(10_000);
    const elapsed = Date.now() - started;
    expect(client.text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(client.text).toMatch(/\r\nconnection: close\r\n/i);
    expect(client.text).toMatch(/\r\n\r\nrequest body idle for 300 ms \(SWITCHBOARD_REQUEST_BODY_IDLE_MS\)$/);
    expect(elapsed).toBeGreaterThanOrEqual(IDLE_MS - 20); // never before the limit (timer granularity aside)
    expect(elapsed).toBeLessThan(5_000);
    // The member got the head and part of the body, never a whole request, and its connection was closed.
    expect(recorder.connections).toBe(1);
    await waitFor(() => recorder.openConnections === 0, 'the member connection to be closed');
    expect(recorder.requests).toEqual([]);
    expect(stack.counters('m1')).toMatchObject({ failures: 0, inflightRequests: 0 });
    await whenReleased(stack.counters('m1'));
  });

  it('a body trickled for several times the limit, never idle that long, goes through whole', async () => {
    // 16 pieces 50 ms apart: about 800 ms in all (nearly 3 limits), each gap a sixth of the limit (slack for a busy machine).
    const pieces = Array.from({ length: 16 }, (_, i) => `piece-${String(i).padStart(2, '0')};`);
    const body = pieces.join('');
    const client = await RawPeer.connect(stack.agent.port);
    client.write(`POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`);
    for (const piece of pieces) {
      await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 6));
      client.write(piece);
    }
    await client.whenClosed(10_000);
    expect(client.text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nseen POST \/upload$/);
    expect(recorder.requests.map((request) => request.body)).toEqual([body]);
    await whenReleased(stack.counters('m1'));
  });
});
