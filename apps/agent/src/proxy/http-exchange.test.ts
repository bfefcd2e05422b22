import { request } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { closedPort, silentServer } from '../testing/backends';
import type { EchoedRequest } from '../testing/backends';
import { balancer, member, route, singleBalancer } from '../testing/fixtures';
import { useStack } from '../testing/stack';
import { waitFor } from '../testing/wait';

const stack = useStack();

async function echoed(res: Response): Promise<EchoedRequest> {
  expect(res.status).toBe(200);
  return (await res.json()) as EchoedRequest;
}

describe('HTTP proxy', () => {
  it('forwards method, path, query, body and headers, with the forwarding headers of an untrusted client replaced', async () => {
    const { http, port } = await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url('http'))]));
    const res = await fetch(http('/api/items?x=1&y=%20'), {
      method: 'POST',
      body: 'payload',
      headers: { 'content-type': 'text/plain', 'x-forwarded-for': '203.0.113.7', forwarded: 'for=203.0.113.7', 'x-custom': 'kept' },
    });
    const seen = await echoed(res);
    expect(res.headers.get('x-backend')).toBe('b1');
    expect(seen).toMatchObject({ method: 'POST', url: '/api/items?x=1&y=%20', body: 'payload' });
    expect(seen.headers).toMatchObject({
      host: `127.0.0.1:${port}`,
      'x-custom': 'kept',
      'content-type': 'text/plain',
      'x-forwarded-for': '127.0.0.1',
      'x-forwarded-proto': 'http',
      'x-forwarded-host': `127.0.0.1:${port}`,
      'x-real-ip': '127.0.0.1',
      forwarded: `for=127.0.0.1;host="127.0.0.1:${port}";proto=http`,
    });
    expect(stack.counters('m1')).toMatchObject({ elected: 1, bytesIn: 7, health: 'up', inflightRequests: 0 });
    expect(stack.counters('m1').bytesOut).toBeGreaterThan(100);
  });

  it('drops hop-by-hop headers, including those named in Connection', async () => {
    const { port } = await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url('http'))]));
    const seen = await new Promise<EchoedRequest>((resolve, reject) => {
      const req = request({ port, host: '127.0.0.1', path: '/', headers: { connection: 'keep-alive, x-secret', 'x-secret': '1', 'keep-alive': 'timeout=5', te: 'trailers' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as EchoedRequest));
      });
      req.on('error', reject);
      req.end();
    });
    expect(seen.headers['x-secret']).toBeUndefined();
    expect(seen.headers['keep-alive']).toBeUndefined();
    expect(seen.headers['te']).toBeUndefined();
  });

  it('streams a large body both ways', async () => {
    const { http } = await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url('http'))]));
    const body = 'x'.repeat(3_000_000);
    const seen = await echoed(await fetch(http('/upload'), { method: 'PUT', body }));
    expect(seen.body.length).toBe(body.length);
    expect(stack.counters('m1').bytesIn).toBe(body.length);
  });

  it('strips the prefix and keeps the query', async () => {
    const config = { balancers: [balancer('b1', [member('m1', stack.backends[0]!.url('http'))])], routes: [route('r1', 'b1', { match: { type: 'prefix', path: '/api' }, stripPrefix: true })] };
    const { http } = await stack.serve(config);
    expect((await echoed(await fetch(http('/api/v1/x?q=1')))).url).toBe('/v1/x?q=1');
    expect((await echoed(await fetch(http('/api?q=1')))).url).toBe('/?q=1');
  });

  it('puts the member URL path in front', async () => {
    const { http } = await stack.serve(singleBalancer([member('m1', `${stack.backends[0]!.url('http')}/base/`)]));
    expect((await echoed(await fetch(http('/x?y')))).url).toBe('/base/x?y');
  });

  it('uses both members by weight', async () => {
    const { http } = await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url('http'), { weight: 3 }), member('m2', stack.backends[1]!.url('http'))]));
    const names: string[] = [];
    for (let i = 0; i < 8; i++) names.push((await echoed(await fetch(http('/')))).backend);
    expect(names.filter((n) => n === 'b1')).toHaveLength(6);
    expect(names.filter((n) => n === 'b2')).toHaveLength(2);
  });

  it('answers 404 naming the cause when no route matches', async () => {
    const config = { balancers: [balancer('b1', [member('m1', stack.backends[0]!.url('http'))])], routes: [route('r1', 'b1', { host: 'chat.example.com' })] };
    const { http } = await stack.serve(config);
    const res = await fetch(http('/x?secret=1'));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await res.text()).toBe('no route matches GET /x on host 127.0.0.1');
  });

  it('answers 503 naming the balancer when no member is usable', async () => {
    const { http } = await stack.serve(singleBalancer([member('m1', stack.backends[0]!.url('http'), { state: 'draining' }), member('m2', stack.backends[1]!.url('http'), { state: 'disabled' })]));
    const res = await fetch(http('/'));
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('no usable member in balancer b1');
  });

  it('answers 503 before it has any configuration', async () => {
    await stack.start();
    const res = await fetch(stack.agent.http('/'));
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('agent has no configuration yet');
  });

  it('retries another member after a connect failure, body included', async () => {
    const dead = await closedPort();
    const { http } = await stack.serve(singleBalancer([member('dead', `http://127.0.0.1:${dead}`), member('m2', stack.backends[1]!.url('http'))]));
    for (let i = 0; i < 4; i++) {
      const seen = await echoed(await fetch(http('/'), { method: 'POST', body: `body ${i}` }));
      expect(seen).toMatchObject({ backend: 'b2', body: `body ${i}` });
    }
    expect(stack.counters('dead')).toMatchObject({ failures: 1, health: 'down', inflightRequests: 0 });
  });

  it('retries after connectMs when a member does not complete its connection', async () => {
    const silent = await silentServer();
    try {
      const { http } = await stack.serve(singleBalancer([member('silent', `https://127.0.0.1:${silent.port}`), member('m2', stack.backends[1]!.url('http'))], { timeouts: { connectMs: 100, tunnelIdleMs: 0, keepAliveMs: 15_000, responseHeaderMs: 60_000 } }));
      expect((await echoed(await fetch(http('/')))).backend).toBe('b2');
      expect(stack.counters('silent')).toMatchObject({ failures: 1, health: 'down' });
    } finally {
      await silent.close();
    }
  });

  it('gives up after failover.retries further members with 503 naming the last error', async () => {
    const ports = await Promise.all([closedPort(), closedPort(), closedPort()]);
    const members = ports.map((p, i) => member(`dead${i}`, `http://127.0.0.1:${p}`));
    const { http } = await stack.serve(singleBalancer(members, { failover: { retries: 1 } }));
    const res = await fetch(http('/'));
    expect(res.status).toBe(503);
    expect(await res.text()).toBe('no member of balancer b1 could be reached (2 tried, last error: ECONNREFUSED)');
  });

  it('answers 502 when the member breaks the connection after accepting it, while the body still streams', async () => {
    const rude: Server = createServer((socket) => socket.once('data', () => socket.destroy()));
    rude.listen(0, '127.0.0.1');
    await once(rude, 'listening');
    try {
      const { http } = await stack.serve(singleBalancer([member('rude', `http://127.0.0.1:${(rude.address() as AddressInfo).port}`)]));
      const res = await fetch(http('/'), { method: 'POST', body: 'x'.repeat(2_000_000) });
      expect(res.status).toBe(502);
      expect(await res.text()).toMatch(/^member rude of balancer b1 failed: ECONNRESET$/);
      await waitFor(() => stack.counters('rude').inflightRequests === 0, 'the request to be released');
      expect(stack.counters('rude').failures).toBe(0);
    } finally {
      rude.close();
    }
  });
});
