import { describe, expect, it } from 'vitest';
import type { SnapshotRoute } from '@switchboard/protocol';
import { balancer, member, route } from '../testing/fixtures';
import { useStack } from '../testing/stack';

const stack = useStack(1);

/** Publishes one balancer (member URL = backend b1 + `basePath`) behind `routes`, with the backend answering `headers`. */
async function serve(routes: SnapshotRoute[], headers: Record<string, string | string[]>, basePath = ''): Promise<(path: string) => Promise<Response>> {
  stack.backends[0]!.responseHeaders = headers;
  const sticky = { mode: 'cookie' as const, name: 'ROUTE' };
  const { http } = await stack.serve({ balancers: [balancer('b1', [member('m1', `${stack.backends[0]!.url('http')}${basePath}`)], { sticky })], routes });
  return (path) => fetch(http(path), { redirect: 'manual' });
}

const stripped = route('app', 'b1', { match: { type: 'prefix', path: '/app/' }, stripPrefix: true });

describe('ProxyPassReverse for stripped prefix routes', () => {
  it('maps path-absolute and own-origin Location and Content-Location back under the prefix, nothing else', async () => {
    const own = stack.backends[0]!.url('http');
    const cases: [string, string][] = [
      ['/login?next=/x', '/app/login?next=/x'],
      ['/', '/app/'],
      [`${own}/done?a=1#f`, '/app/done?a=1#f'],
      [`${own.toUpperCase()}`, '/app/'],
      [`${own}?q`, '/app/?q'],
      ['http://other.example/x', 'http://other.example/x'],
      [`https://127.0.0.1:${stack.backends[0]!.port}/x`, `https://127.0.0.1:${stack.backends[0]!.port}/x`],
      ['relative/x', 'relative/x'],
      ['//cdn.example/x', '//cdn.example/x'],
    ];
    for (const [location, expected] of cases) {
      const get = await serve([stripped], { location, 'content-location': location });
      const res = await get('/app/x');
      expect(res.headers.get('location'), location).toBe(expected);
      expect(res.headers.get('content-location'), location).toBe(expected);
    }
  });

  it('maps Set-Cookie Path attributes (any case) and keeps everything else, the sticky cookie included', async () => {
    const get = await serve([stripped], { 'set-cookie': ['a=1; Path=/; HttpOnly', 'b=path=/x; path=/y ; Secure', 'c=3; Domain=example.com', 'd=4;PATH=/z;Max-Age=5', 'e=5; Path=rel'] });
    const res = await get('/app/x');
    expect(res.headers.getSetCookie()).toEqual([
      'a=1; Path=/app/; HttpOnly',
      'b=path=/x; path=/app/y ; Secure',
      'c=3; Domain=example.com',
      'd=4;PATH=/app/z;Max-Age=5',
      'e=5; Path=rel',
      expect.stringMatching(/^ROUTE=[0-9a-f]{12}; Path=\/; HttpOnly; SameSite=Lax$/) as string,
    ]);
  });

  it('maps the member URL path back too, leaving paths outside it alone', async () => {
    const own = stack.backends[0]!.url('http');
    const get = await serve([stripped], { location: `${own}/base/y`, 'content-location': '/elsewhere', 'set-cookie': ['a=1; Path=/base', 'b=2; Path=/based'] }, '/base');
    const res = await get('/app/x');
    expect(res.headers.get('location')).toBe('/app/y');
    expect(res.headers.get('content-location')).toBe('/elsewhere');
    expect(res.headers.getSetCookie().slice(0, 2)).toEqual(['a=1; Path=/app', 'b=2; Path=/based']);
  });

  it.each([
    ['a prefix route without stripPrefix', route('r', 'b1', { match: { type: 'prefix', path: '/app' } })],
    ['a regex route with stripPrefix', route('r', 'b1', { match: { type: 'regex', path: '^/app' }, stripPrefix: true })],
    ['an exact route with stripPrefix', route('r', 'b1', { match: { type: 'exact', path: '/app/x' }, stripPrefix: true })],
    ['prefix / with stripPrefix', route('r', 'b1', { stripPrefix: true })],
  ])('leaves the headers alone for %s', async (_, r) => {
    const own = stack.backends[0]!.url('http');
    const get = await serve([r], { location: `${own}/y`, 'content-location': '/c', 'set-cookie': ['a=1; Path=/p'] });
    const res = await get('/app/x');
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBe(`${own}/y`);
    expect(res.headers.get('content-location')).toBe('/c');
    expect(res.headers.getSetCookie()[0]).toBe('a=1; Path=/p');
  });
});
