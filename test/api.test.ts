import type { AuditPage } from '@switchboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './support/stack';

/** The REST API against a real control plane process and a real Postgres. */
describe('REST API', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ agents: 0 });
  });
  afterAll(async () => stack?.stop());

  const revisionOf = (headers: Headers) => Number(headers.get('switchboard-revision'));

  it('creates, reads, updates and deletes balancers, members and routes, each write a new revision and audit event', async () => {
    const created = await stack.api('POST', '/api/v1/balancers', { name: 'crud', lbMethod: 'byrequests' });
    expect(created.status).toBe(201);
    const r1 = revisionOf(created.headers);
    expect(r1).toBeGreaterThan(0);
    const id = created.body.id as string;

    const member = await stack.api('POST', `/api/v1/balancers/${id}/members`, { url: 'ws://127.0.0.1:9', name: 'm1', weight: 5 });
    expect(member.status).toBe(201);
    expect(member.body).toMatchObject({ balancerId: id, url: 'ws://127.0.0.1:9', weight: 5, lbset: 0, state: 'active' });
    expect(revisionOf(member.headers)).toBe(r1 + 1);

    const patched = await stack.api('PATCH', `/api/v1/balancers/${id}/members/${member.body.id}`, { weight: 9, state: 'standby' });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ weight: 9, state: 'standby' });

    const route = await stack.api('POST', '/api/v1/routes', { balancerId: id, match: { path: '/crud' }, websocket: 'only' });
    expect(route.status).toBe(201);
    expect(route.body).toMatchObject({ match: { type: 'prefix', path: '/crud' }, websocket: 'only', priority: 0, stripPrefix: false, enabled: true });

    const renamed = await stack.api('PATCH', `/api/v1/balancers/${id}`, { lbMethod: 'bybusyness', timeouts: { tunnelIdleMs: 0 } });
    expect(renamed.body).toMatchObject({ lbMethod: 'bybusyness', timeouts: { connectMs: 3000, tunnelIdleMs: 0, keepAliveMs: 15000 }, limits: { maxTunnelsPerMember: 0 } });
    const limited = await stack.api('PATCH', `/api/v1/balancers/${id}`, { limits: { maxTunnelsPerMember: 500, queueTimeoutMs: 2000 }, timeouts: { keepAliveMs: 0 } });
    expect(limited.body).toMatchObject({ timeouts: { connectMs: 3000, tunnelIdleMs: 0, keepAliveMs: 0 }, limits: { maxTunnelsPerMember: 500, queueTimeoutMs: 2000 } });

    const snapshot = await stack.api('GET', `/api/v1/revisions/${revisionOf(limited.headers)}`);
    expect(snapshot.body.config.balancers).toEqual([expect.objectContaining({ id, lbMethod: 'bybusyness', limits: { maxTunnelsPerMember: 500, queueTimeoutMs: 2000 }, members: [expect.objectContaining({ weight: 9, state: 'standby' })] })]);
    expect(snapshot.body.hash).toMatch(/^[0-9a-f]{64}$/);

    expect((await stack.api('DELETE', `/api/v1/balancers/${id}`)).status).toBe(409);
    expect((await stack.api('DELETE', `/api/v1/routes/${route.body.id}`)).status).toBe(200);
    expect((await stack.api('DELETE', `/api/v1/balancers/${id}/members/${member.body.id}`)).status).toBe(200);
    const deleted = await stack.api('DELETE', `/api/v1/balancers/${id}`);
    expect(deleted.status).toBe(200);
    expect((await stack.api('GET', `/api/v1/balancers/${id}`)).status).toBe(404);

    const audit = await stack.api<AuditPage>('GET', '/api/v1/audit?limit=9');
    expect(audit.body.items.map((e) => e.action)).toEqual([
      'balancer.delete', 'member.delete', 'route.delete', 'balancer.update', 'balancer.update', 'route.create', 'member.update', 'member.create', 'balancer.create',
    ]);
    expect(audit.body.items[0].revision).toBe(revisionOf(deleted.headers));
  });

  it('answers bad input with 400 problem+json naming every bad field, and writes nothing', async () => {
    const before = await stack.api('GET', '/api/v1/revisions?limit=1');
    const res = await fetch(`${stack.apiUrl}/api/v1/balancers`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bad Name!', lbMethod: 'random', timeouts: { connectMs: 0 }, extra: true }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await res.json()) as { status: number; errors: { path: string }[] };
    expect(problem.status).toBe(400);
    expect(problem.errors.map((e) => e.path).sort()).toEqual(['extra', 'lbMethod', 'name', 'timeouts.connectMs']);

    const member = await stack.api('POST', '/api/v1/balancers/nope/members', { url: 'ftp://x', weight: 500 });
    expect(member.status).toBe(400);
    expect(member.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['url', 'weight']);

    const malformed = await stack.api('POST', '/api/v1/balancers', '{"name":');
    expect(malformed.status).toBe(400);

    expect((await stack.api('GET', '/api/v1/balancers')).body.some((b: { name: string }) => b.name.startsWith('Bad'))).toBe(false);
    expect((await stack.api('GET', '/api/v1/revisions?limit=1')).body[0].number).toBe(before.body[0].number);
  });

  it('refuses a missing or unknown token with 401 and a viewer write with 403, writing nothing', async () => {
    const before = (await stack.api('GET', '/api/v1/revisions?limit=1')).body[0].number;
    const none = await fetch(`${stack.apiUrl}/api/v1/balancers`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'sneaky' }) });
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/problem+json');
    expect((await stack.api('GET', '/api/v1/balancers', undefined, { authorization: 'Bearer sb_wrong' })).status).toBe(401);

    const viewer = await stack.api('POST', '/api/v1/tokens', { name: 'ro', role: 'viewer' });
    expect(viewer.status).toBe(201);
    const asViewer = await stack.api('POST', '/api/v1/balancers', { name: 'sneaky' }, { authorization: `Bearer ${viewer.body.token}` });
    expect(asViewer.status).toBe(403);
    expect((await stack.api('GET', '/api/v1/balancers', undefined, { authorization: `Bearer ${viewer.body.token}` })).status).toBe(200);

    expect((await stack.api('GET', '/api/v1/balancers')).body.some((b: { name: string }) => b.name === 'sneaky')).toBe(false);
    expect((await stack.api('GET', '/api/v1/revisions?limit=1')).body[0].number).toBe(before);
  });

  it('lets an operator change member state and weight but not its URL', async () => {
    const b = await stack.api('POST', '/api/v1/balancers', { name: 'ops' });
    const m = await stack.api('POST', `/api/v1/balancers/${b.body.id}/members`, { url: 'http://127.0.0.1:9' });
    const operator = await stack.api('POST', '/api/v1/tokens', { name: 'op', role: 'operator' });
    const auth = { authorization: `Bearer ${operator.body.token}` };
    const path = `/api/v1/balancers/${b.body.id}/members/${m.body.id}`;
    expect((await stack.api('POST', `${path}/drain`, {}, auth)).body.state).toBe('draining');
    expect((await stack.api('PATCH', path, { weight: 3 }, auth)).body.weight).toBe(3);
    expect((await stack.api('PATCH', path, { url: 'http://127.0.0.1:10' }, auth)).status).toBe(403);
  });

  it('refuses a write whose If-Match names a stale revision with 412', async () => {
    const current = (await stack.api('GET', '/api/v1/revisions?limit=1')).body[0].number as number;
    const stale = await stack.api('POST', '/api/v1/balancers', { name: 'late' }, { 'if-match': String(current - 1) });
    expect(stale.status).toBe(412);
    const fresh = await stack.api('POST', '/api/v1/balancers', { name: 'late' }, { 'if-match': String(current) });
    expect(fresh.status).toBe(201);
    expect(revisionOf(fresh.headers)).toBe(current + 1);
  });

  it('stores the balancing policy (lbmethod, sticky cookie, hash key, slow start) and names bad policy fields', async () => {
    const created = await stack.api('POST', '/api/v1/balancers', { name: 'policy', lbMethod: 'hash', hash: { source: 'header', name: 'X-User' }, sticky: { mode: 'cookie' }, slowStartMs: 30000 });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ lbMethod: 'hash', hash: { source: 'header', name: 'X-User' }, sticky: { mode: 'cookie', name: 'SWITCHBOARD_ROUTE' }, slowStartMs: 30000 });
    const snapshot = await stack.api('GET', `/api/v1/revisions/${revisionOf(created.headers)}`);
    expect(snapshot.body.config.balancers.find((b: { name: string }) => b.name === 'policy')).toMatchObject({ hash: { source: 'header', name: 'X-User' }, sticky: { mode: 'cookie', name: 'SWITCHBOARD_ROUTE' }, slowStartMs: 30000 });

    const bad = await stack.api('PATCH', `/api/v1/balancers/${created.body.id}`, { lbMethod: 'leastconn', hash: { source: 'cookie' }, sticky: { mode: 'cookie', name: 'bad name' }, slowStartMs: -1 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['hash.name', 'lbMethod', 'slowStartMs', 'sticky.name']);
    expect((await stack.api('GET', `/api/v1/balancers/${created.body.id}`)).body).toMatchObject({ lbMethod: 'hash', slowStartMs: 30000 });
  });

  it('stores health checks, passive health and upstream TLS, merges a partial check, and names a timeout above the interval', async () => {
    const created = await stack.api('POST', '/api/v1/balancers', { name: 'checked', healthCheck: { type: 'websocket', path: '/ws' }, tls: { insecureSkipVerify: true } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      healthCheck: { type: 'websocket', path: '/ws', expectStatus: 200, intervalMs: 5000, timeoutMs: 2000, passes: 2, fails: 3 },
      passiveHealth: { fails: 1, retryMs: 10000 },
      tls: { insecureSkipVerify: true, serverName: null },
      rebalance: null,
    });
    const id = created.body.id as string;
    const patched = await stack.api('PATCH', `/api/v1/balancers/${id}`, { healthCheck: { intervalMs: 1000, timeoutMs: 500 }, passiveHealth: { fails: 3 } });
    expect(patched.body).toMatchObject({ healthCheck: { type: 'websocket', path: '/ws', intervalMs: 1000, timeoutMs: 500 }, passiveHealth: { fails: 3, retryMs: 10000 } });
    const snapshot = await stack.api('GET', `/api/v1/revisions/${revisionOf(patched.headers)}`);
    expect(snapshot.body.config.balancers.find((b: { id: string }) => b.id === id)).toMatchObject({ healthCheck: { type: 'websocket', intervalMs: 1000 }, passiveHealth: { fails: 3 }, tls: { insecureSkipVerify: true } });

    const bad = await stack.api('PATCH', `/api/v1/balancers/${id}`, { healthCheck: { timeoutMs: 1500 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'healthCheck.timeoutMs', message: 'must not exceed intervalMs' }]);
    const unknown = await stack.api('PATCH', `/api/v1/balancers/${id}`, { healthCheck: { type: 'icmp', rise: 2 }, tls: { serverName: 'bad name' } });
    expect(unknown.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['healthCheck.rise', 'healthCheck.type', 'tls.serverName']);
    expect((await stack.api('GET', `/api/v1/balancers/${id}`)).body.healthCheck).toMatchObject({ timeoutMs: 500 });
  });

  it('drains with a deadline and a window, reports drain progress, and clears it when the member is made active', async () => {
    const balancer = await stack.api('POST', '/api/v1/balancers', { name: 'paced' });
    const member = await stack.api('POST', `/api/v1/balancers/${balancer.body.id}/members`, { url: 'ws://127.0.0.1:9' });
    const path = `/api/v1/balancers/${balancer.body.id}/members/${member.body.id}`;
    expect(member.body.drain).toBeNull();

    const bad = await stack.api('POST', `${path}/drain`, { windowMs: 5000 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: 'deadlineMs', message: 'is required with windowMs' }]);
    expect((await stack.api('POST', `${path}/drain`, { deadlineMs: 1000, windowMs: 2000 })).body.errors).toEqual([{ path: 'windowMs', message: 'must not exceed deadlineMs' }]);
    expect((await stack.api('GET', path)).body.state).toBe('active');

    const before = Date.now();
    const drained = await stack.api('POST', `${path}/drain`, { deadlineMs: 60000, windowMs: 10000 });
    expect(drained.status).toBe(200);
    expect(drained.body).toMatchObject({ state: 'draining', drain: { windowMs: 10000, deadlineMs: 60000, remainingTunnels: 0, drainedAt: null } });
    const snapshot = await stack.api('GET', `/api/v1/revisions/${revisionOf(drained.headers)}`);
    const drain = snapshot.body.config.balancers.find((b: { id: string }) => b.id === balancer.body.id).members[0].drain;
    expect(drain).toMatchObject({ windowMs: 10000, deadlineMs: 60000 });
    expect(drain.startedAt).toBeGreaterThanOrEqual(before - 1000);

    const plain = await stack.api('POST', `${path}/drain`, {});
    expect(plain.body.drain).toMatchObject({ windowMs: null, deadlineMs: null });
    const active = await stack.api('PATCH', path, { state: 'active' });
    expect(active.body.drain).toBeNull();
    const latest = await stack.api('GET', `/api/v1/revisions/${revisionOf(active.headers)}`);
    expect(latest.body.config.balancers.find((b: { id: string }) => b.id === balancer.body.id).members[0]).toMatchObject({ state: 'active', drain: null });
  });

  it('asks for a rebalance with a tolerance and a pace, as an operator, and names bad values', async () => {
    const balancer = await stack.api('POST', '/api/v1/balancers', { name: 'spread' });
    const path = `/api/v1/balancers/${balancer.body.id}/rebalance`;
    const bad = await stack.api('POST', path, { tolerance: -1, closesPerSecond: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['closesPerSecond', 'tolerance']);
    const before = Date.now();
    const asked = await stack.api('POST', path, {});
    expect(asked.status).toBe(200);
    expect(asked.body.rebalance).toMatchObject({ tolerance: 0.1, closesPerSecond: 10 });
    expect(asked.body.rebalance.requestedAt).toBeGreaterThanOrEqual(before - 1000);
    const snapshot = await stack.api('GET', `/api/v1/revisions/${revisionOf(asked.headers)}`);
    expect(snapshot.body.config.balancers.find((b: { id: string }) => b.id === balancer.body.id).rebalance).toEqual(asked.body.rebalance);
    expect((await stack.api('POST', '/api/v1/balancers/nope/rebalance', {})).status).toBe(404);
  });

  it('accepts regex routes and a Host header policy, and names an invalid regex or a missing host value', async () => {
    const b = await stack.api('POST', '/api/v1/balancers', { name: 'hosted', hostHeader: { mode: 'set', value: 'internal.example:8443' } });
    expect(b.body.hostHeader).toEqual({ mode: 'set', value: 'internal.example:8443' });
    const route = await stack.api('POST', '/api/v1/routes', { balancerId: b.body.id, match: { type: 'regex', path: '^/v[0-9]+/ws$' } });
    expect(route.status).toBe(201);
    expect(route.body.match).toEqual({ type: 'regex', path: '^/v[0-9]+/ws$' });

    const badRegex = await stack.api('POST', '/api/v1/routes', { balancerId: b.body.id, match: { type: 'regex', path: '^/(open' } });
    expect(badRegex.status).toBe(400);
    expect(badRegex.body.errors).toEqual([{ path: 'match.path', message: expect.stringMatching(/^is not a valid regular expression/) }]);
    const badPrefix = await stack.api('PATCH', `/api/v1/routes/${route.body.id}`, { match: { type: 'prefix', path: 'no-slash' } });
    expect(badPrefix.body.errors).toEqual([{ path: 'match.path', message: 'must start with /' }]);
    const noValue = await stack.api('PATCH', `/api/v1/balancers/${b.body.id}`, { hostHeader: { mode: 'set' } });
    expect(noValue.body.errors).toEqual([{ path: 'hostHeader.value', message: 'is required when mode is set' }]);
  });

  it('refuses a duplicate balancer name with 409', async () => {
    await stack.api('POST', '/api/v1/balancers', { name: 'twice' });
    const again = await stack.api('POST', '/api/v1/balancers', { name: 'twice' });
    expect(again.status).toBe(409);
    expect(again.body.errors).toEqual([{ path: 'name', message: 'is already taken' }]);
  });

  it('serves the OpenAPI document, liveness, readiness and metrics', async () => {
    const doc = (await (await fetch(`${stack.apiUrl}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/balancers', '/api/v1/balancers/{balancerId}/members/{id}/drain', '/api/v1/stats']));
    expect((await fetch(`${stack.apiUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${stack.apiUrl}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${stack.apiUrl}/metrics`)).text()).toContain('switchboard_agents_connected');
  });
});
