import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Proc } from './support/processes';
import { startDashboard } from './support/stack';

// The dashboard process over plain HTTP, in front of a recording control plane on node:http
// (it answers `/api/v1/me` for one token, as the real one does): the headers of every page,
// the login route, cross-site writes refused, oversized bodies refused — and what the control
// plane received in each case.

const TOKEN = 'sb_test_dashboard_http_0123456789';
const MiB = 1024 * 1024;

interface Received {
  method: string;
  url: string;
  authorization: string | undefined;
  cookie: string | undefined;
  bytes: number;
}

describe('dashboard over HTTP: CSP, session cookie, CSRF and body limits', () => {
  let upstream: Server;
  let dashboard: { proc: Proc; url: string } | undefined;
  let received: Received[] = [];
  let dash = '';
  let host = '';

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (c: Buffer) => (bytes += c.length));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, cookie: req.headers.cookie, bytes });
        const ok = req.headers.authorization === `Bearer ${TOKEN}`;
        res.writeHead(ok ? 200 : 401, { 'content-type': ok ? 'application/json' : 'application/problem+json' });
        res.end(JSON.stringify(ok ? { id: 't1', name: 'ops', role: 'admin' } : { status: 401, title: 'Unauthorized' }));
      });
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    dashboard = await startDashboard(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    dash = dashboard.url;
    host = new URL(dash).host;
  }, 120_000);

  beforeEach(() => {
    received = [];
  });

  afterAll(async () => {
    await dashboard?.proc.stop();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });

  const session = `switchboard_session=${TOKEN}`;
  const sameOrigin = { 'sec-fetch-site': 'same-origin', origin: `http://${host}` };

  /** Directive name → its sources, of a Content-Security-Policy header. */
  function csp(header: string | null): Map<string, string> {
    expect(header, 'Content-Security-Policy header').toBeTruthy();
    return new Map(header!.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources.join(' ')]));
  }

  describe('pages', () => {
    it.each([
      ['/login', false, 200],
      ['/', true, 200],
      ['/balancers/b1', true, 200],
      ['/no-such-page', true, 404],
    ])('%s carries a nonce CSP, nosniff and same-origin referrers; every script tag has the nonce', async (path, signedIn, status) => {
      const nonces = new Set<string>();
      for (let i = 0; i < 2; i++) {
        const res = await fetch(`${dash}${path}`, { headers: signedIn ? { cookie: session } : {}, redirect: 'manual' });
        expect(res.status).toBe(status);
        const policy = csp(res.headers.get('content-security-policy'));
        expect(policy.get('default-src')).toBe("'self'");
        expect(policy.get('object-src')).toBe("'none'");
        expect(policy.get('base-uri')).toBe("'self'");
        expect(policy.get('form-action')).toBe("'self'");
        expect(policy.get('frame-ancestors')).toBe("'none'");
        expect(policy.get('connect-src')).toBe("'self'");
        const nonce = /^'self' 'nonce-([A-Za-z0-9+/=]{24})' 'strict-dynamic'$/.exec(policy.get('script-src') ?? '')?.[1];
        expect(nonce, `script-src ${policy.get('script-src')}`).toBeTruthy();
        expect(res.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/);
        expect(res.headers.get('x-content-type-options')).toBe('nosniff');
        expect(res.headers.get('referrer-policy')).toBe('same-origin');
        const html = await res.text();
        const scripts = html.match(/<script\b[^>]*>/g) ?? [];
        expect(scripts.length).toBeGreaterThan(0);
        for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
        nonces.add(nonce!);
      }
      expect(nonces.size, 'a fresh nonce per request').toBe(2);
    });

    it.each([
      ['/', '/login'],
      ['/balancers/b1?tab=members', '/login?next=%2Fbalancers%2Fb1%3Ftab%3Dmembers'],
    ])('%s without a session cookie redirects to %s', async (path, location) => {
      const res = await fetch(`${dash}${path}`, { redirect: 'manual' });
      expect(res.status).toBe(307);
      expect(res.headers.get('location')).toBe(location);
    });

    it('answers API calls with nosniff and a CSP that lets nothing run', async () => {
      const res = await fetch(`${dash}/api/v1/me`, { headers: { cookie: session } });
      expect(res.status).toBe(200);
      expect(csp(res.headers.get('content-security-policy')).get('default-src')).toBe("'none'");
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    });
  });

  describe('login route', () => {
    it('sets the token as an HttpOnly SameSite=Strict cookie only once the control plane accepted it', async () => {
      const good = await fetch(`${dash}/session`, { method: 'POST', headers: { ...sameOrigin, 'content-type': 'application/json' }, body: JSON.stringify({ token: TOKEN }) });
      expect(good.status).toBe(200);
      expect(good.headers.get('set-cookie')).toBe(`${session}; Path=/; HttpOnly; SameSite=Strict`);
      expect(await good.json()).toEqual({ id: 't1', name: 'ops', role: 'admin' });
      const bad = await fetch(`${dash}/session`, { method: 'POST', headers: { ...sameOrigin, 'content-type': 'application/json' }, body: JSON.stringify({ token: 'sb_wrong' }) });
      expect(bad.status).toBe(401);
      expect(bad.headers.get('set-cookie')).toBeNull();
      expect(received.map((r) => [r.url, r.authorization])).toEqual([
        ['/api/v1/me', `Bearer ${TOKEN}`],
        ['/api/v1/me', 'Bearer sb_wrong'],
      ]);
    });

    it('sets a Secure cookie behind a TLS terminator', async () => {
      const res = await fetch(`${dash}/session`, {
        method: 'POST',
        headers: { ...sameOrigin, 'x-forwarded-proto': 'https', 'content-type': 'application/json' },
        body: JSON.stringify({ token: TOKEN }),
      });
      expect(res.headers.get('set-cookie')).toBe(`${session}; Path=/; HttpOnly; SameSite=Strict; Secure`);
    });

    it('refuses a cross-site login (login CSRF) without asking the control plane', async () => {
      const res = await fetch(`${dash}/session`, {
        method: 'POST',
        headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example', 'content-type': 'application/json' },
        body: JSON.stringify({ token: TOKEN }),
      });
      expect(res.status).toBe(403);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(received).toEqual([]);
    });

    it('logs out by expiring the cookie', async () => {
      const res = await fetch(`${dash}/session`, { method: 'DELETE', headers: { ...sameOrigin, cookie: session } });
      expect(res.status).toBe(204);
      expect(res.headers.get('set-cookie')).toBe('switchboard_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict');
      const crossSite = await fetch(`${dash}/session`, { method: 'DELETE', headers: { 'sec-fetch-site': 'cross-site', cookie: session } });
      expect(crossSite.status).toBe(403);
      expect(crossSite.headers.get('set-cookie')).toBeNull();
    });
  });

  describe('forwarder', () => {
    it('sends the cookie as the bearer token; a browser-sent Authorization and the cookies stay behind', async () => {
      const res = await fetch(`${dash}/api/v1/balancers?dryRun=true`, {
        method: 'POST',
        headers: { ...sameOrigin, cookie: `theme=dark; ${session}`, authorization: 'Bearer sb_someone_else', 'content-type': 'application/json' },
        body: '{"name":"x"}',
      });
      expect(res.status).toBe(200);
      expect(received).toEqual([{ method: 'POST', url: '/api/v1/balancers?dryRun=true', authorization: `Bearer ${TOKEN}`, cookie: undefined, bytes: 12 }]);
      const anonymous = await fetch(`${dash}/api/v1/me`, { headers: { authorization: `Bearer ${TOKEN}` } });
      expect(anonymous.status).toBe(401);
      expect(received[1]).toMatchObject({ url: '/api/v1/me', authorization: undefined });
    });

    it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses a cross-site %s with 403 and forwards nothing', async (method) => {
      const variants: Record<string, string>[] = [
        { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
        { 'sec-fetch-site': 'same-site', origin: `http://x.${host}` },
        { origin: 'https://evil.example' },
        { origin: 'null' },
        {},
      ];
      for (const headers of variants) {
        const res = await fetch(`${dash}/api/v1/balancers/b1`, { method, headers: { ...headers, cookie: session, 'content-type': 'application/json' }, body: '{}' });
        expect(res.status, JSON.stringify(headers)).toBe(403);
        expect(res.headers.get('content-type')).toBe('application/problem+json');
      }
      expect(received).toEqual([]);
      const same = await fetch(`${dash}/api/v1/balancers/b1`, { method, headers: { ...sameOrigin, cookie: session, 'content-type': 'application/json' }, body: '{}' });
      expect(same.status).toBe(200);
      expect(received.map((r) => r.method)).toEqual([method]);
    });

    it('answers 413 for a body over 1 MiB, with or without Content-Length, and the control plane never gets it', async () => {
      const declared = await fetch(`${dash}/api/v1/config`, { method: 'PUT', headers: { ...sameOrigin, cookie: session, 'content-type': 'application/json' }, body: new Uint8Array(2 * MiB) });
      expect(declared.status).toBe(413);
      expect(await declared.json()).toMatchObject({ status: 413, detail: `The request body exceeds ${MiB} bytes.` });
      // The client is still sending when the 413 comes: it must read the answer, never a reset.
      for (const size of [3 * MiB, 3 * MiB, 3 * MiB, 20 * MiB]) expect(await chunkedPut(`${dash}/api/v1/config`, size)).toBe(413);
      expect(received).toEqual([]);
      // Just under the cap goes through whole.
      const fits = await fetch(`${dash}/api/v1/config`, { method: 'PUT', headers: { ...sameOrigin, cookie: session, 'content-type': 'application/json' }, body: new Uint8Array(MiB) });
      expect(fits.status).toBe(200);
      expect(received.map((r) => r.bytes)).toEqual([MiB]);
    });

    /** A chunked PUT (no Content-Length) of `bytes` zeros, written 64 KiB at a time; resolves with the status. */
    function chunkedPut(url: string, bytes: number): Promise<number> {
      return new Promise((resolve, reject) => {
        const req = httpRequest(url, { method: 'PUT', headers: { ...sameOrigin, cookie: session, 'content-type': 'application/json' } });
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        let sent = 0;
        const chunk = Buffer.alloc(64 * 1024);
        const write = (): void => {
          while (sent < bytes) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once('drain', write);
          }
          req.end();
        };
        write();
      });
    }
  });
});
