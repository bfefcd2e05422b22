import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { member, singleBalancer } from '../testing/fixtures';
import { RawPeer } from '../testing/raw-tcp';
import { RecordingMember } from '../testing/recording-member';
import { useStack, whenReleased } from '../testing/stack';

// Issue 7, item 1: `GET` with `Transfer-Encoding: chunked` and a chunked body holding
// `GET /smuggled …` reached a pooled keep-alive member connection with its TE header removed and
// the decoded body written raw, because Node's client frames GET, HEAD, DELETE, OPTIONS and TRACE
// bodies only when told to: the member parsed `/smuggled` as a request of its own, outside every
// route. The rule (RFC 9112 §6–7): a body is forwarded with framing whatever the method, or the
// request is refused with 400 and its connection closed. The member here is node:http (a real
// parser): for every method × framing it must receive exactly what the client sent, and a
// following request on the same client connection must reach it on the same pooled connection.

const stack = useStack(0);
let recorder: RecordingMember;

beforeEach(async () => {
  recorder = await new RecordingMember().start();
  await stack.serve(singleBalancer([member('m1', recorder.url())]));
});
afterEach(() => recorder.close());

const METHODS = ['GET', 'HEAD', 'DELETE', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'TRACE'];
const SMUGGLED = 'GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n';
const NEXT = 'GET /next HTTP/1.1\r\nHost: x\r\n\r\n';

interface Variant {
  /** Framing header lines of the request (each ending in CRLF). */
  readonly head: string;
  /** The body as sent on the wire. */
  readonly wire: string;
  /** The body the member must receive, and how it must be framed for it. */
  readonly body: string;
  readonly framing: { 'transfer-encoding'?: string; 'content-length'?: string };
}

const VARIANTS: Record<string, Variant> = {
  'a chunked body holding a request': {
    head: 'Transfer-Encoding: chunked\r\n',
    wire: `${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`,
    body: SMUGGLED,
    framing: { 'transfer-encoding': 'chunked' },
  },
  'a Content-Length body holding a request': { head: `Content-Length: ${SMUGGLED.length}\r\n`, wire: SMUGGLED, body: SMUGGLED, framing: { 'content-length': String(SMUGGLED.length) } },
  'an empty chunked body': { head: 'Transfer-Encoding: chunked\r\n', wire: '0\r\n\r\n', body: '', framing: { 'transfer-encoding': 'chunked' } },
  'Content-Length: 0': { head: 'Content-Length: 0\r\n', wire: '', body: '', framing: { 'content-length': '0' } },
  'no body': { head: '', wire: '', body: '', framing: {} },
};

const forwarded = METHODS.flatMap((method) => Object.keys(VARIANTS).map((variant) => [method, variant] as const));

/** Refused with 400 whatever the method: the framing is faulty or not one the agent can forward faithfully. */
const REFUSED: Record<string, (method: string) => string> = {
  'Transfer-Encoding in HTTP/1.0': (method) => `${method} /first HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${SMUGGLED.length.toString(16)}\r\n${SMUGGLED}\r\n0\r\n\r\n`,
  'Transfer-Encoding: xchunked': (method) => `${method} /first HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n${SMUGGLED}`,
  'Transfer-Encoding: gzip (not ending in chunked)': (method) => `${method} /first HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n${SMUGGLED}`,
  'an empty Transfer-Encoding': (method) => `${method} /first HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \r\n\r\n${SMUGGLED}`,
};

const refused = METHODS.flatMap((method) => Object.keys(REFUSED).map((variant) => [method, variant] as const));

describe('request framing for every method', () => {
  it.each(forwarded)('%s with %s reaches the member exactly as sent, and the next request reuses the pooled member connection', async (method, name) => {
    const variant = VARIANTS[name]!;
    const client = await RawPeer.connect(stack.agent.port);
    client.write(`${method} /first HTTP/1.1\r\nHost: x\r\n${variant.head}\r\n${variant.wire}`);
    // A HEAD answer has a head only; the others end with the member's `seen` body.
    await client.until(method === 'HEAD' ? '\r\n\r\n' : `seen ${method} /first`);
    client.write(NEXT);
    await client.until('seen GET /next');

    expect(client.text.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    expect(recorder.requests.map(({ method: m, url, body }) => ({ method: m, url, body }))).toEqual([
      { method, url: '/first', body: variant.body },
      { method: 'GET', url: '/next', body: '' },
    ]);
    expect(recorder.urls).not.toContain('/smuggled');
    const headers = recorder.requests[0]!.headers;
    for (const [name, value] of Object.entries(variant.framing)) expect(headers[name]).toBe(value);
    if (variant.framing['transfer-encoding']) expect(headers['content-length']).toBeUndefined();
    // Both requests went over one member connection: the pooled one was reused, and framed right.
    expect(recorder.connections).toBe(1);
    expect(client.closed).toBe(false);
    client.socket.destroy();
    await whenReleased(stack.counters('m1'));
  });

  it.each(refused)('%s with %s gets 400, its connection closed, and no member hears of it', async (method, name) => {
    const answer = await RawPeer.exchange(stack.agent.port, REFUSED[name]!(method));
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer.match(/HTTP\/1\.1 /g)).toHaveLength(1);
    expect(recorder.requests).toEqual([]);
    expect(recorder.connections).toBe(0);
    expect(stack.counters('m1').elected).toBe(0);
  });
});
