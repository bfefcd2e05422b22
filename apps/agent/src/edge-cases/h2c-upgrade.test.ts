import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { useStack } from '../testing/stack';

// `Upgrade: h2c` (and any upgrade but WebSocket) must never become a tunnel: a member that
// speaks h2c would get the client over HTTP/2, past every route of the agent (h2c smuggling,
// as in Bishop Fox's h2csmuggler). The agent serves it as the plain request it also is.

const stack = useStack(0);
let recorder: RecordingMember;

beforeEach(async () => {
  recorder = await new RecordingMember().start();
  await stack.serve(singleBalancer([member('m1', recorder.url())]));
});
afterEach(() => recorder.close());

const exchange = (payload: string): Promise<string> => RawPeer.exchange(stack.agent.port, payload);

describe('h2c upgrade', () => {
  it('is forwarded as a plain request without Upgrade or HTTP2-Settings, and the answer closes the connection', async () => {
    const answer = await exchange('GET /x HTTP/1.1\r\nHost: app\r\nConnection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    expect(answer.endsWith('seen GET /x')).toBe(true);
    expect(recorder.requests).toHaveLength(1);
    expect(recorder.requests[0]!.headers).not.toHaveProperty('upgrade');
    expect(recorder.requests[0]!.headers).not.toHaveProperty('http2-settings');
  });

  it('never lets a request pipelined behind it reach the member unrouted', async () => {
    const answer = await exchange('GET /x HTTP/1.1\r\nHost: app\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: app\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(recorder.urls).toEqual(['/x']);
  });

  it('refuses one with a body with 400, reaching no member', async () => {
    const answer = await exchange('POST /x HTTP/1.1\r\nHost: app\r\nConnection: Upgrade\r\nUpgrade: h2c\r\nContent-Length: 5\r\n\r\nhello');
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/Upgrade: h2c with a request body is not supported/);
    expect(recorder.requests).toHaveLength(0);
  });
});
