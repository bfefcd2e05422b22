import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { useStack, whenReleased } from '../testing/stack';
import { upgradeRequest } from '../testing/ws-frames';

// Slowloris: a client trickling its request head one byte per 100 ms is cut once
// SWITCHBOARD_REQUEST_HEADER_MS (here 300 ms) has passed since the connection opened, with 408,
// before any member hears of it (HAProxy's `timeout http-request`, NGINX's
// client_header_timeout). Bodies are not timed: an upload trickled for far longer than the head
// limit goes through whole.

const stack = useStack(0);
const HEADER_MS = 300;
let recorder: RecordingMember;

beforeEach(async () => {
  recorder = await new RecordingMember().start();
  await stack.start({ env: { SWITCHBOARD_REQUEST_HEADER_MS: String(HEADER_MS) } });
  await stack.serve(singleBalancer([member('m1', recorder.url())]));
});
afterEach(() => recorder.close());

/** Writes `text` one byte every `everyMs` until done or the socket is closed; resolves with the count written. */
function trickle(client: RawPeer, text: string, everyMs: number): Promise<number> {
  return new Promise((resolve) => {
    let written = 0;
    const timer = setInterval(() => {
      if (written === text.length || client.closed) {
        clearInterval(timer);
        resolve(written);
        return;
      }
      client.write(text[written++]!);
    }, everyMs);
  });
}

describe('slowloris', () => {
  it.each([
    ['a request head', 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(100) + '\r\n\r\n'],
    ['an upgrade request head', upgradeRequest()],
  ])('%s trickled one byte per 100 ms is cut after SWITCHBOARD_REQUEST_HEADER_MS with 408', async (_name, head) => {
    const client = await RawPeer.connect(stack.agent.port);
    const started = Date.now();
    const written = trickle(client, head, 100);
    await client.whenClosed(10_000);
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(HEADER_MS - 50); // never before the limit (timer granularity aside)
    expect(elapsed).toBeLessThan(5_000); // cut, not left to finish (the head takes over 9 s)
    expect(await written).toBeLessThan(head.length);
    expect(client.text).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(recorder.requests).toEqual([]);
    expect(stack.counters('m1').elected).toBe(0);
  });

  it('a body trickled long after the head is not cut by the head timeout', async () => {
    const body = 'abcdefghijklmnopqrst'; // 20 bytes × 100 ms ≈ 2 s, several head timeouts
    const client = await RawPeer.connect(stack.agent.port);
    client.write(`POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`);
    expect(await trickle(client, body, 100)).toBe(body.length);
    await client.whenClosed(10_000);
    expect(client.text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nseen POST \/upload$/);
    expect(recorder.requests).toHaveLength(1);
    expect(recorder.requests[0]!.body).toBe(body);
    await whenReleased(stack.counters('m1'));
  });
});
