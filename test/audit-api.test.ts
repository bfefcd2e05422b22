import type { AuditEvent, AuditPage } from '@switchboard/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type ApiAnswer, type Stack } from './support/stack';

/**
 * The audit log through the real control plane and Postgres: writes made by an admin and by an
 * operator token, read back with each filter (compared with the same filter applied to the whole
 * log), paged with the cursor, refused parameters named, and no way to change it.
 */
describe('audit log API', () => {
  let stack: Stack;
  let admin: string;
  let operator: string;
  let operatorAuth: Record<string, string>;
  let balancerA: string;
  let balancerB: string;
  const members: string[] = [];
  /** Every event, newest first, once the writes below are done. */
  let all: AuditEvent[];

  const audit = (query: string, headers?: Record<string, string>): Promise<ApiAnswer<AuditPage>> => stack.api<AuditPage>('GET', `/api/v1/audit${query}`, undefined, headers);
  const ids = (events: AuditEvent[]) => events.map((e) => e.id);
  /** The ids `GET /api/v1/audit?<query>` answers on one page of 500, which must be the last. */
  const idsOf = async (query: string): Promise<string[]> => {
    const page = await audit(`?limit=500&${query}`);
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    expect(page.body.nextCursor).toBeNull();
    return ids(page.body.items);
  };

  beforeAll(async () => {
    stack = await startStack({ agents: 0 });
    admin = (await stack.api<{ name: string }>('GET', '/api/v1/me')).body.name;
    const token = await stack.api<{ token: string; name: string }>('POST', '/api/v1/tokens', { name: 'ops-alice', role: 'operator' });
    expect(token.status).toBe(201);
    operator = token.body.name;
    operatorAuth = { authorization: `Bearer ${token.body.token}` };

    balancerA = (await stack.api<{ id: string }>('POST', '/api/v1/balancers', { name: 'audit-a' })).body.id;
    balancerB = (await stack.api<{ id: string }>('POST', '/api/v1/balancers', { name: 'audit-b' })).body.id;
    for (const [balancer, port] of [[balancerA, 9001], [balancerA, 9002], [balancerB, 9003]] as const) {
      const member = await stack.api<{ id: string }>('POST', `/api/v1/balancers/${balancer}/members`, { url: `http://127.0.0.1:${port}` });
      expect(member.status).toBe(201);
      members.push(member.body.id);
    }
    await stack.api('POST', '/api/v1/routes', { balancerId: balancerA, match: { path: '/a' } });
    for (const [i, weight] of [[0, 3], [1, 4], [0, 5], [2, 6]] as const) {
      const balancer = i === 2 ? balancerB : balancerA;
      const patched = await stack.api('PATCH', `/api/v1/balancers/${balancer}/members/${members[i]}`, { weight }, operatorAuth);
      expect(patched.status).toBe(200);
    }
    await stack.api('PATCH', `/api/v1/balancers/${balancerA}`, { lbMethod: 'bybusyness' });

    const page = await audit('?limit=500');
    expect(page.body.nextCursor).toBeNull();
    all = page.body.items;
  }, 180_000);
  afterAll(async () => stack?.stop());

  it('lists every event newest first, with who, what, which target, before/after and the revision', () => {
    expect(all.map((e) => e.action)).toEqual([
      'balancer.update', 'member.update', 'member.update', 'member.update', 'member.update', 'route.create',
      'member.create', 'member.create', 'member.create', 'balancer.create', 'balancer.create', 'token.create',
      'agent-token.create', // startStack's, for agents
    ]);
    const times = all.map((e) => Date.parse(e.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(all[0]).toMatchObject({ actor: admin, target: `balancer:${balancerA}`, before: { lbMethod: 'byrequests' }, after: { lbMethod: 'bybusyness' } });
    expect(all[1]).toMatchObject({ actor: operator, target: `member:${members[2]}`, before: { weight: 1 }, after: { weight: 6 } });
    expect(all[0].revision).toBe(all[1].revision! + 1);
    expect(all.at(-2)).toMatchObject({ actor: admin, action: 'token.create', revision: null, after: { name: 'ops-alice', role: 'operator' } });
  });

  it('filters by actor exactly: the operator token sees its four updates, the admin everything else', async () => {
    expect(await idsOf(`actor=${operator}`)).toEqual(ids(all.filter((e) => e.actor === operator)));
    expect(await idsOf(`actor=${encodeURIComponent(admin)}`)).toEqual(ids(all.filter((e) => e.actor === admin)));
    expect(all.filter((e) => e.actor === operator).map((e) => e.action)).toEqual(['member.update', 'member.update', 'member.update', 'member.update']);
    expect(await idsOf('actor=ops')).toEqual([]); // exact, not a prefix
  });

  it('filters by action prefix, taking % and _ literally', async () => {
    expect(await idsOf('action=member.')).toEqual(ids(all.filter((e) => e.action.startsWith('member.'))));
    expect(await idsOf('action=member.create')).toEqual(ids(all.filter((e) => e.action === 'member.create')));
    expect((await idsOf('action=member.')).length).toBe(7);
    expect(await idsOf('action=member_')).toEqual([]);
    expect(await idsOf(`action=${encodeURIComponent('%')}`)).toEqual([]);
  });

  it('filters by target prefix: one balancer, one member, every token', async () => {
    expect(await idsOf(`target=balancer:${balancerA}`)).toEqual(ids(all.filter((e) => e.target === `balancer:${balancerA}`)));
    expect((await idsOf(`target=balancer:${balancerA}`)).length).toBe(2);
    expect(await idsOf(`target=member:${members[0]}`)).toEqual(ids(all.filter((e) => e.target === `member:${members[0]}`)));
    expect((await idsOf(`target=member:${members[0]}`)).length).toBe(3); // created, then two weights
    expect(await idsOf('target=token:')).toEqual(ids(all.filter((e) => e.action === 'token.create')));
    expect(await idsOf('target=agent-token:')).toEqual(ids(all.filter((e) => e.action === 'agent-token.create')));
    expect(await idsOf(`actor=${operator}&target=member:${members[0]}`)).toEqual(ids(all.filter((e) => e.actor === operator && e.target === `member:${members[0]}`)));
  });

  it('filters by time, since and until inclusive, with Z or an offset', async () => {
    const middle = all[5];
    const at = Date.parse(middle.createdAt);
    const since = await idsOf(`since=${middle.createdAt}`);
    const until = await idsOf(`until=${middle.createdAt}`);
    expect(since).toEqual(ids(all.filter((e) => Date.parse(e.createdAt) >= at)));
    expect(until).toEqual(ids(all.filter((e) => Date.parse(e.createdAt) <= at)));
    expect(since).toContain(middle.id);
    expect(until).toContain(middle.id);
    expect(await idsOf(`since=${middle.createdAt}&until=${middle.createdAt}`)).toEqual(ids(all.filter((e) => Date.parse(e.createdAt) === at)));
    // The same instant written with a +02:00 offset.
    const shifted = new Date(at + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect(await idsOf(`since=${encodeURIComponent(shifted)}`)).toEqual(since);
    expect(await idsOf('until=2000-01-01T00:00:00Z')).toEqual([]);
  });

  it('pages through the whole log with the cursor, every event exactly once, even with writes in between', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: ApiAnswer<AuditPage> = await audit(`?limit=5${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(5);
      seen.push(...ids(page.body.items));
      cursor = page.body.nextCursor;
      // A write after the first page is newer than every cursor: it shifts nothing on later pages.
      if (pages++ === 0) expect((await stack.api('PATCH', `/api/v1/balancers/${balancerB}/members/${members[2]}`, { weight: 7 }, operatorAuth)).status).toBe(200);
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids(all));

    const filtered: string[] = [];
    cursor = null;
    do {
      const page: ApiAnswer<AuditPage> = await audit(`?action=member.&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      filtered.push(...ids(page.body.items));
      cursor = page.body.nextCursor;
    } while (cursor);
    const latest = (await audit('?limit=1')).body.items[0];
    expect(filtered).toEqual([latest.id, ...ids(all.filter((e) => e.action.startsWith('member.')))]);
  });

  it('answers 400 problem+json naming every bad parameter, unknown ones included', async () => {
    const bad = await audit('?limit=0&since=yesterday&sort=asc&cursor=not-a-cursor&actor=');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect((bad.body as unknown as { errors: { path: string }[] }).errors.map((e) => e.path).sort()).toEqual(['actor', 'cursor', 'limit', 'since', 'sort']);

    const paths = async (query: string) => ((await audit(query)).body as unknown as { errors: { path: string; message: string }[] }).errors;
    expect(await paths('?since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z')).toEqual([{ path: 'since', message: 'must not be after until' }]);
    expect((await paths('?limit=501&until=2026-02-30T00:00:00Z')).map((e) => e.path).sort()).toEqual(['limit', 'until']);
    expect((await paths('?limit=1&limit=2')).map((e) => e.path)).toEqual(['limit']);

    const real = (await audit('?limit=1')).body.nextCursor!;
    const b64 = (text: string) => Buffer.from(text).toString('base64url');
    for (const tampered of [real.slice(0, -4), `${real.slice(0, -1)}*`, b64('["2026-13-01T00:00:00Z","x"]'), b64('{"createdAt":"2026-12-01T00:00:00Z"}')]) {
      expect(await paths(`?cursor=${encodeURIComponent(tampered)}`), tampered).toEqual([{ path: 'cursor', message: expect.stringMatching(/^is not a cursor this API gave out/) }]);
    }
  });

  it('is read by every role and cannot be changed by any: no route writes, edits or deletes an event', async () => {
    const viewer = await stack.api<{ token: string }>('POST', '/api/v1/tokens', { name: 'ro', role: 'viewer' });
    const viewerAuth = { authorization: `Bearer ${viewer.body.token}` };
    expect((await audit('?limit=1', viewerAuth)).status).toBe(200);
    expect((await fetch(`${stack.apiUrl}/api/v1/audit`)).status).toBe(401);

    const before = (await audit('?limit=500')).body;
    const revision = (await stack.api<{ number: number }[]>('GET', '/api/v1/revisions?limit=1')).body[0].number;
    const event = before.items[0];
    const attempts: [string, string, unknown][] = [
      ['POST', '/api/v1/audit', { actor: 'forged', action: 'balancer.delete', target: 'balancer:x' }],
      ['PUT', '/api/v1/audit', []],
      ['PATCH', '/api/v1/audit', { actor: 'forged' }],
      ['DELETE', '/api/v1/audit', undefined],
      ['PUT', `/api/v1/audit/${event.id}`, { ...event, actor: 'forged' }],
      ['PATCH', `/api/v1/audit/${event.id}`, { actor: 'forged' }],
      ['DELETE', `/api/v1/audit/${event.id}`, undefined],
      ['POST', `/api/v1/audit/${event.id}`, { actor: 'forged' }],
    ];
    for (const [method, path, body] of attempts) {
      for (const auth of [{}, viewerAuth]) {
        const answer = await stack.api(method, path, body, auth);
        expect([404, 405], `${method} ${path} answered ${answer.status}`).toContain(answer.status);
      }
    }
    expect((await audit('?limit=500')).body).toEqual(before);
    expect((await stack.api<{ number: number }[]>('GET', '/api/v1/revisions?limit=1')).body[0].number).toBe(revision);
  });
});
