import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { login, logout } from './login';

// The login route's logic against a control plane stand-in on node:http that answers `/me`
// by token, as the real one does (apps/control-plane/src/auth/me.controller.ts).

const ME = { id: 't1', name: 'ops', role: 'operator' };

describe('login', () => {
  let server: Server;
  let base: string;
  const checked: (string | undefined)[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      checked.push(req.headers.authorization);
      const answers: Record<string, [number, string, Record<string, string>?]> = {
        'Bearer sb_good': [200, JSON.stringify(ME)],
        'Bearer sb_viewer_only': [403, '{"status":403}'],
        'Bearer sb_db_down': [503, '{"status":503}', { 'retry-after': '5' }],
        'Bearer sb_broken': [500, '{"status":500}'],
        'Bearer sb_html': [200, '<html>'],
      };
      if (req.headers.authorization === 'Bearer sb_slow') return; // never answers
      const [status, body, extra] = answers[req.headers.authorization ?? ''] ?? [401, '{"status":401}'];
      res.writeHead(status, { 'content-type': 'application/json', ...extra });
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  const post = (body: BodyInit, url = 'http://dash:3000/session', headers: Record<string, string> = {}) =>
    new Request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

  it('keeps an accepted token in an HttpOnly SameSite=Strict cookie and answers who it is', async () => {
    const res = await login(post(JSON.stringify({ token: 'sb_good' })), { baseUrl: base });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(ME);
    expect(res.headers.get('set-cookie')).toBe('switchboard_session=sb_good; Path=/; HttpOnly; SameSite=Strict');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(checked.at(-1)).toBe('Bearer sb_good');
  });

  it('marks the cookie Secure behind https', async () => {
    const direct = await login(post(JSON.stringify({ token: 'sb_good' }), 'https://dash/session'), { baseUrl: base });
    expect(direct.headers.get('set-cookie')).toMatch(/; Secure$/);
    const terminated = await login(post(JSON.stringify({ token: 'sb_good' }), undefined, { 'x-forwarded-proto': 'https' }), { baseUrl: base });
    expect(terminated.headers.get('set-cookie')).toMatch(/; Secure$/);
  });

  it.each([
    ['sb_wrong', 401, /not accepted/],
    ['sb_viewer_only', 403, /may not use the dashboard/],
    ['sb_db_down', 503, /unavailable/],
    ['sb_broken', 502, /HTTP 500/],
    ['sb_html', 502, /HTTP 200 but no JSON object/],
  ])('sets no cookie when the control plane answers %s with something else than a principal (→ %i)', async (token, status, detail) => {
    const res = await login(post(JSON.stringify({ token })), { baseUrl: base });
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(((await res.json()) as { detail: string }).detail).toMatch(detail);
    expect(res.headers.get('set-cookie')).toBeNull();
    if (status === 503) expect(res.headers.get('retry-after')).toBe('5');
  });

  it('answers 504 when the control plane does not answer in time, 502 when it is down', async () => {
    const slow = await login(post(JSON.stringify({ token: 'sb_slow' })), { baseUrl: base, timeoutMs: 200 });
    expect(slow.status).toBe(504);
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const down = await login(post(JSON.stringify({ token: 'sb_good' })), { baseUrl: 'http://127.0.0.1:9' });
    log.mockRestore();
    expect(down.status).toBe(502);
    expect(down.headers.get('set-cookie')).toBeNull();
  });

  it.each([
    ['{}', 'token must be a non-empty string'],
    ['{"token":""}', 'token must be a non-empty string'],
    ['{"token":["sb_good"]}', 'token must be a non-empty string'],
    ['{"token":"sb good"}', 'token must be printable ASCII without spaces'],
    ['{"token":"sb\\r\\nX-Evil: 1"}', 'token must be printable ASCII without spaces'],
  ])('refuses %s with 400 naming the token, asking nobody', async (body, detail) => {
    const before = checked.length;
    const res = await login(post(body), { baseUrl: base });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ detail, errors: [{ path: 'token' }] });
    expect(checked.length).toBe(before);
  });

  it('refuses a body that is not JSON (400) or too large (413)', async () => {
    expect((await login(post('token=sb_good'), { baseUrl: base })).status).toBe(400);
    expect((await login(post(JSON.stringify({ token: 'x'.repeat(5000) })), { baseUrl: base })).status).toBe(413);
  });

  it('logs out by expiring the cookie', () => {
    const res = logout(new Request('http://dash:3000/session', { method: 'DELETE' }));
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toBe('switchboard_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict');
  });
});
