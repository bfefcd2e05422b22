import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { forwardedRequestHeaders, proxyToControlPlane, returnedResponseHeaders, upstreamUrl } from './proxy';

describe('proxy helpers', () => {
  it('keeps the path and query, whatever the base looks like', () => {
    expect(upstreamUrl('http://dash:3000/api/v1/balancers?x=1&y=%20', 'http://cp:4000/')).toBe('http://cp:4000/api/v1/balancers?x=1&y=%20');
    expect(upstreamUrl('http://dash/api/v1/a%2Fb', 'http://cp/prefix')).toBe('http://cp/prefix/api/v1/a%2Fb');
  });

  it('forwards content headers only, never Authorization or cookies', () => {
    const out = forwardedRequestHeaders(new Headers({ authorization: 'Bearer x', cookie: 'a=b', 'content-type': 'application/json', 'if-match': '3', host: 'dash' }));
    expect(Object.fromEntries(out)).toEqual({ 'content-type': 'application/json', 'if-match': '3' });
  });

  it('drops framing headers and keeps event streams unbuffered', () => {
    const out = returnedResponseHeaders(new Headers({ 'content-type': 'text/event-stream', 'content-encoding': 'gzip', 'content-length': '5', connection: 'keep-alive', 'switchboard-revision': '9' }));
    expect(Object.fromEntries(out)).toEqual({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no', 'switchboard-revision': '9' });
  });
});

describe('proxyToControlPlane against a real server', () => {
  let server: Server;
  let base: string;
  const seen: { method: string; url: string; auth: string | undefined; cookie: string | undefined; body: string }[] = [];
  let streamClosed: Promise<void>;
  let markStreamClosed: () => void = () => undefined;

  beforeAll(async () => {
    streamClosed = new Promise((r) => (markStreamClosed = r));
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, cookie: req.headers.cookie, body });
        if (req.url === '/api/v1/stats/stream') {
          res.writeHead(200, { 'content-type': 'text/event-stream' });
          res.write('event: stats\ndata: {"n":1}\n\n');
          const t = setInterval(() => res.write('event: stats\ndata: {"n":2}\n\n'), 20);
          res.on('close', () => {
            clearInterval(t);
            markStreamClosed();
          });
          return;
        }
        if (req.url?.startsWith('/api/v1/balancers/b1/members/m1')) {
          res.writeHead(400, { 'content-type': 'application/problem+json', 'switchboard-revision': '5' });
          res.end(JSON.stringify({ status: 400, title: 'Bad Request', detail: 'weight must be between 1 and 100' }));
          return;
        }
        res.writeHead(204);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('passes method, body, query and the session token, and returns status, headers and body', async () => {
    const req = new Request('http://dash/api/v1/balancers/b1/members/m1?dryRun=true', {
      method: 'PATCH',
      headers: { authorization: 'Bearer from-a-script', cookie: 'secret=1', 'content-type': 'application/json' },
      body: JSON.stringify({ weight: 500 }),
    });
    const res = await proxyToControlPlane(req, { baseUrl: base, token: 'abc' });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.headers.get('switchboard-revision')).toBe('5');
    expect(await res.json()).toMatchObject({ detail: 'weight must be between 1 and 100' });
    expect(seen.at(-1)).toEqual({ method: 'PATCH', url: '/api/v1/balancers/b1/members/m1?dryRun=true', auth: 'Bearer abc', cookie: undefined, body: '{"weight":500}' });
  });

  it('sends no Authorization without a session token', async () => {
    const res = await proxyToControlPlane(new Request('http://dash/api/v1/other', { headers: { authorization: 'Bearer from-a-script' } }), { baseUrl: base });
    expect(res.status).toBe(204);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/v1/other', auth: undefined });
  });

  it('handles bodiless answers', async () => {
    const res = await proxyToControlPlane(new Request('http://dash/api/v1/other', { method: 'DELETE' }), { baseUrl: base });
    expect(res.status).toBe(204);
    expect(res.body).toBeNull();
  });

  it('streams the body and aborts upstream when the client goes away', async () => {
    const ac = new AbortController();
    const res = await proxyToControlPlane(new Request('http://dash/api/v1/stats/stream', { signal: ac.signal }), { baseUrl: base });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const first = await reader.read(); // arrives before the upstream response has ended
    expect(new TextDecoder().decode(first.value)).toContain('"n":1');
    ac.abort();
    await expect(streamClosed).resolves.toBeUndefined();
  });

  it('answers 502 problem+json when the control plane is down', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const res = await proxyToControlPlane(new Request('http://dash/api/v1/me'), { baseUrl: `http://127.0.0.1:${port}` });
    expect(log).toHaveBeenCalledOnce();
    log.mockRestore();
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
  });
});
