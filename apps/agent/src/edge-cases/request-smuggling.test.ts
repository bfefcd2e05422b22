import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { useStack, whenReleased } from '../testing/stack';
import { waitFor } from '../testing/wait';

// Requests whose framing two HTTP parsers could read differently (CL.TE, TE.CL and friends,
// as in PortSwigger's request smuggling classes and httpxy's request-smuggling test) must be
// refused by the agent with 400 before anything reaches a member: the member records every
// request it parses, and must never see one, least of all the smuggled `GET /smuggled`.
// Node's parser (llhttp, strict) does most of the refusing; these tests pin that down so a
// lenient parser option or a Node upgrade cannot silently reopen it. The agent itself refuses
// what llhttp lets through (proxy/request-framing.ts): a Transfer-Encoding not ending in
// chunked, one in HTTP/1.0, and a WebSocket upgrade carrying a body. Every method × framing
// forwarded: request-smuggling-methods.test.ts.

const stack = useStack(0);
let recorder: RecordingMember;

beforeEach(async () => {
  recorder = await new RecordingMember().start();
  await stack.serve(singleBalancer([member('m1', recorder.url())]));
});
afterEach(() => recorder.close());

const SMUGGLED = 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
/** A WebSocket upgrade request head without its final empty line. */
const UPGRADE_HEAD = 'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n';

const exchange = (payload: string): Promise<string> => RawPeer.exchange(stack.agent.port, payload);

/** Refused at the head: no member is even chosen. */
const refusedAtHead: [string, string][] = [
  ['CL.TE: Content-Length and Transfer-Encoding: chunked', `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 38\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['TE.CL: Transfer-Encoding: chunked and a short Content-Length', `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`],
  ['two Content-Length headers with different values', `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nContent-Length: 0\r\n\r\nabcdef${SMUGGLED}`],
  ['two Content-Length headers with the same value', `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\nContent-Length: 6\r\n\r\nabcdef${SMUGGLED}`],
  ['a Content-Length list', `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0, 6\r\n\r\nabcdef${SMUGGLED}`],
  ['a signed Content-Length', `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +6\r\n\r\nabcdef${SMUGGLED}`],
  ['Transfer-Encoding: chunked, identity (chunked not last)', `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['Transfer-Encoding chunked then identity on two lines', `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['a space before the colon of Transfer-Encoding', `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['a vertical tab before chunked', `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\x0bchunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['Transfer-Encoding folded onto the next line (obs-fold)', `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['any obs-fold', `GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n${SMUGGLED}`],
  ['Transfer-Encoding and Content-Length on HTTP/1.0', `POST / HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['bare LF line ends', `GET / HTTP/1.1\nHost: x\n\n${SMUGGLED}`],
  ['a NUL in a header value', `GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n${SMUGGLED}`],
  ['an upgrade with Content-Length and Transfer-Encoding', `GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nContent-Length: 38\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['Transfer-Encoding: xchunked', `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['Transfer-Encoding: chunked with a parameter', `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked;x=1\r\n\r\n0\r\n\r\n${SMUGGLED}`],
  ['Transfer-Encoding in HTTP/1.0 without Content-Length', `POST / HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`],
  ['an upgrade with a Content-Length body', `${UPGRADE_HEAD}Content-Length: ${SMUGGLED.length}\r\n\r\n${SMUGGLED}`],
  ['an upgrade with a chunked body', `${UPGRADE_HEAD}Transfer-Encoding: chunked\r\n\r\n${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`],
];

/** Refused once the head was accepted: the member was chosen and may have got the head, never a whole request. */
const refusedInBody: [string, string][] = [
  ['a chunk size line ended by a bare LF', `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\n\r\n${SMUGGLED}`],
  ['a chunk size that is not hex', `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0x\r\n\r\n${SMUGGLED}`],
];

describe('request smuggling', () => {
  it.each(refusedAtHead)('refuses %s with 400 before choosing a member', async (_name, payload) => {
    const answer = await exchange(payload);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(recorder.requests).toEqual([]);
    expect(stack.counters('m1').elected).toBe(0);
  });

  it.each(refusedInBody)('refuses %s with 400 in the body: the member never gets a whole request', async (_name, payload) => {
    const answer = await exchange(payload);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    await whenReleased(stack.counters('m1'));
    expect(recorder.requests).toEqual([]);
  });

  it('frames `Transfer-Encoding: identity, chunked` by its last coding and re-frames the body for the member', async () => {
    const answer = await exchange(`POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: identity, chunked\r\n\r\n5\r\nabcde\r\n0\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(recorder.requests).toHaveLength(1);
    expect(recorder.requests[0]).toMatchObject({ method: 'POST', url: '/upload', body: 'abcde' });
    expect(recorder.requests[0]!.headers['transfer-encoding']).toBe('chunked');
  });

  it('forwards a Content-Length with leading zeros in canonical form, with exactly its body', async () => {
    const answer = await exchange(`POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 007\r\n\r\nabcdefg`);
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(recorder.requests).toHaveLength(1);
    expect(recorder.requests[0]).toMatchObject({ method: 'POST', url: '/upload', body: 'abcdefg' });
    expect(recorder.requests[0]!.headers['content-length']).toBe('7');
  });

  it.each([
    ['a plain request', 'GET / HTTP/1.1\r\nHost: x\r\nHost: admin.internal\r\n\r\n'],
    ['an upgrade', 'GET / HTTP/1.1\r\nHost: x\r\nHost: admin.internal\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n'],
  ])('refuses %s with two Host headers with 400 (RFC 9112 §3.2): the agent routes by one, a member could read the other', async (_name, payload) => {
    const answer = await exchange(payload);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/more than one Host header$/);
    expect(recorder.requests).toEqual([]);
  });

  it.each([
    ['a plain request', SMUGGLED],
    ['an upgrade', `${UPGRADE_HEAD}\r\n`],
  ])('%s pipelined behind a refused request never reaches the member: the connection closes after the 400', async (_name, pipelined) => {
    const answer = await exchange(`GET /first HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \r\n\r\n${pipelined}`);
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[^]*does not end in chunked/);
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(recorder.requests).toEqual([]);
    expect(recorder.connections).toBe(0);
  });

  it('a request pipelined behind an upgrade never reaches the member when the member does not switch protocols', async () => {
    // The member is HTTP only: it answers the upgrade request with a plain 200 and keeps the
    // connection. A raw tunnel would hand it the pipelined request unrouted (CVE-2019-17567).
    const upgrade = 'GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n';
    const client = await RawPeer.connect(stack.agent.port);
    client.write(upgrade + SMUGGLED);
    await waitFor(() => client.closed || recorder.urls.includes('/smuggled'), 'the connection to close');
    expect(recorder.urls).toEqual(['/ws']);
    expect(client.text).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\nseen GET \/ws$/);
    await whenReleased(stack.counters('m1'));
  });
});
