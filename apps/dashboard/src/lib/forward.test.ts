import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DISCARD_AFTER_REFUSAL_BYTES } from './body-limit';
import { forwardWithSession } from './forward';

// The `/api/v1/*` route's logic against a recording control plane built on node:http: what the
// browser sends, and what the control plane receives.

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  cookie: string | undefined;
  bytes: number;
}

describe('forwardWithSession', () => {
  let server: Server;
  let base: string;
  let seen: Seen[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, cookie: req.headers.cookie, bytes });
        const revoked = req.headers.authorization === 'Bearer revoked';
        res.writeHead(revoked ? 401 : 200, { 'content-type': 'application/json' });
        res.end(revoked ? '{"status":401}' : '{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  beforeEach(() => {
    seen = [];
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const sameOrigin = { host: 'dash:3000', 'sec-fetch-site': 'same-origin' };

  it('sends the session cookie as the bearer token, never the browser Authorization or cookies', async () => {
    const res = await forwardWithSession(
      new Request('http://dash:3000/api/v1/balancers', {
        method: 'POST',
        headers: { ...sameOrigin, cookie: 'theme=dark; switchboard_session=sb_good', authorization: 'Bearer sb_other', 'content-type': 'application/json' },
        body: '{"name":"x"}',
      }),
      { baseUrl: base },
    );
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ method: 'POST', url: '/api/v1/balancers', authorization: 'Bearer sb_good', cookie: undefined, bytes: 12 }]);
  });

  it.each([
    ['a cross-site page', { host: 'dash:3000', 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }],
    ['a sibling subdomain', { host: 'dash:3000', 'sec-fetch-site': 'same-site', origin: 'https://x.dash' }],
    ['a foreign Origin without fetch metadata', { host: 'dash:3000', origin: 'https://evil.example' }],
    ['no proof at all', { host: 'dash:3000' }],
  ])('refuses a state-changing request from %s with 403, forwarding nothing', async (_, headers) => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE']) {
      const res = await forwardWithSession(
        new Request('http://dash:3000/api/v1/balancers/b1', { method, headers: { ...headers, cookie: 'switchboard_session=sb_good' }, body: '{}' }),
        { baseUrl: base },
      );
      expect(res.status, method).toBe(403);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(((await res.json()) as { detail: string }).detail).toMatch(/^Cross-site request refused/);
    }
    expect(seen).toEqual([]);
  });

  it('answers 413 for a body over the cap, declared or chunked, and the control plane never sees it', async () => {
    const big = new Uint8Array(64 * 1024 + 1);
    const declared = await forwardWithSession(
      new Request('http://dash:3000/api/v1/config', { method: 'PUT', headers: { ...sameOrigin, 'content-length': String(big.length) }, body: big }),
      { baseUrl: base, maxBodyBytes: 64 * 1024 },
    );
    expect(declared.status).toBe(413);
    // A client that never stops sending: refused at the cap, then drained up to the discard cap, then cut.
    let pulled = 0;
    let markCancelled: () => void = () => undefined;
    const cancelled = new Promise<void>((r) => (markCancelled = r));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024));
      },
      cancel: () => markCancelled(),
    });
    const chunked = await forwardWithSession(
      new Request('http://dash:3000/api/v1/config', { method: 'PUT', headers: sameOrigin, body: endless, duplex: 'half' } as RequestInit),
      { baseUrl: base, maxBodyBytes: 64 * 1024 },
    );
    expect(chunked.status).toBe(413);
    expect(await chunked.json()).toMatchObject({ status: 413, detail: 'The request body exceeds 65536 bytes.' });
    await cancelled;
    expect(pulled).toBeGreaterThan(DISCARD_AFTER_REFUSAL_BYTES);
    expect(pulled).toBeLessThanOrEqual(64 * 1024 + DISCARD_AFTER_REFUSAL_BYTES + 4 * 16 * 1024);
    expect(seen).toEqual([]);
    const fits = await forwardWithSession(new Request('http://dash:3000/api/v1/config', { method: 'PUT', headers: sameOrigin, body: new Uint8Array(64 * 1024) }), {
      baseUrl: base,
      maxBodyBytes: 64 * 1024,
    });
    expect(fits.status).toBe(200);
    expect(seen.map((s) => s.bytes)).toEqual([64 * 1024]);
  });

  it('removes the session cookie when the control plane refuses its token', async () => {
    const revoked = await forwardWithSession(new Request('http://dash:3000/api/v1/me', { headers: { cookie: 'switchboard_session=revoked' } }), { baseUrl: base });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get('set-cookie')).toBe('switchboard_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict');
    const fine = await forwardWithSession(new Request('http://dash:3000/api/v1/me', { headers: { cookie: 'switchboard_session=sb_good' } }), { baseUrl: base });
    expect(fine.headers.get('set-cookie')).toBeNull();
  });
});
