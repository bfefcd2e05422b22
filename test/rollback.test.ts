import { Client as Pg } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, wsUrl } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { databaseState } from './support/database-state';
import { resource, startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

/** POST /api/v1/revisions/{n}/rollback on a real control plane, Postgres and agent. */
describe('rollback', () => {
  let stack: Stack;
  let db: Pg;
  const backends: EchoBackend[] = [];

  beforeAll(async () => {
    stack = await startStack();
    db = new Pg({ connectionString: stack.databaseUrl! });
    await db.connect();
    backends.push(await startEchoBackend('rb-a'), await startEchoBackend('rb-b'));
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
    await Promise.all(backends.map((b) => b.close()));
  });

  const revisionOf = (headers: Headers) => Number(headers.get('switchboard-revision'));
  const revision = async (n: number) => (await resource('read revision', stack.client.GET('/api/v1/revisions/{number}', { params: { path: { number: n } } }))).body;

  it('makes a new revision whose configuration and hash are the old one’s byte for byte, ids, drain and rebalance included; audited; the agent serves it again', async () => {
    const { balancerId, memberIds } = await createBalancer(stack, 'rb', backends.map((b) => ({ url: b.url, name: b.name })), 'byrequests');
    await createBalancer(stack, 'other', [{ url: 'http://127.0.0.1:9', name: 'nobody' }]);
    const { client } = stack;
    await resource('rebalance', client.POST('/api/v1/balancers/{id}/rebalance', { params: { path: { id: balancerId } }, body: { tolerance: 0.3 } }));
    const drained = await resource('drain', client.POST('/api/v1/balancers/{balancerId}/members/{id}/drain', { params: { path: { balancerId, id: memberIds['rb-b'] } }, body: { deadlineMs: 600_000, windowMs: 300_000 } }));
    const target = revisionOf(drained.response.headers);
    const old = await revision(target);
    await agentAtRevision(stack.agentAdminUrl, target);
    const before = await connect(wsUrl(stack.agentUrl, '/rb'));
    expect(await before.roundTrip('hi')).toBe('rb-a: hi');
    before.close();

    const { body: routes } = await resource('list routes', client.GET('/api/v1/routes'));
    await resource('delete route', client.DELETE('/api/v1/routes/{id}', { params: { path: { id: routes.find((r) => r.balancerId === balancerId)!.id } } }));
    await resource('delete balancer', client.DELETE('/api/v1/balancers/{id}', { params: { path: { id: balancerId } } }));
    await createBalancer(stack, 'newer', [{ url: 'http://127.0.0.1:10', name: 'later' }]);
    const other = (await resource('list balancers', client.GET('/api/v1/balancers'))).body.find((b) => b.name === 'other')!;
    const last = revisionOf((await resource('patch balancer', client.PATCH('/api/v1/balancers/{id}', { params: { path: { id: other.id } }, body: { lbMethod: 'p2c' } }))).response.headers);
    await agentAtRevision(stack.agentAdminUrl, last);
    expect((await fetch(`${stack.agentUrl}/rb`)).status).toBe(404);

    const res = await stack.api('POST', `/api/v1/revisions/${target}/rollback`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(revisionOf(res.headers)).toBe(last + 1);
    expect(res.body).toMatchObject({ dryRun: false, revision: last + 1, diff: { from: { revision: last }, to: { revision: last + 1, hash: old.hash } } });
    const summary = (res.body.diff.changes as { kind: string; op: string; key: string }[]).map((c) => `${c.kind} ${c.op} ${c.key}`);
    expect(summary).toEqual(expect.arrayContaining(['balancer added rb', 'balancer removed newer', 'balancer changed other', 'route added * prefix /rb any', 'route removed * prefix /newer any']));

    const restored = await revision(last + 1);
    expect(restored.hash).toBe(old.hash);
    expect(restored.config).toEqual(old.config);
    expect(restored.config.balancers.find((b: { name: string }) => b.name === 'rb')).toMatchObject({ id: balancerId, rebalance: { tolerance: 0.3 } });
    const audit = await db.query('SELECT actor, action, target, before, after FROM "AuditEvent" WHERE revision = $1', [last + 1]);
    expect(audit.rows).toEqual([
      expect.objectContaining({ actor: 'bootstrap-admin', action: 'revision.rollback', target: `revision:${target}`, before: { revision: last, hash: expect.any(String) }, after: expect.objectContaining({ revision: last + 1, hash: old.hash }) }),
    ]);
    expect((await stack.api('GET', `/api/v1/balancers/${balancerId}/members/${memberIds['rb-b']}`)).body).toMatchObject({ state: 'draining', drain: { startedAt: drained.body.drain?.startedAt, deadlineMs: 600_000 } });

    await agentAtRevision(stack.agentAdminUrl, last + 1);
    const served = (await (await fetch(`${stack.agentAdminUrl}/config`)).json()) as { hash: string };
    expect(served.hash).toBe(old.hash);
    const after = await connect(wsUrl(stack.agentUrl, '/rb'));
    expect(await after.roundTrip('back')).toBe('rb-a: back');
    after.close();
  });

  it('writes nothing when the configuration already is the one asked for', async () => {
    const current = (await stack.api('GET', '/api/v1/revisions?limit=1')).body[0].number as number;
    const state = await databaseState(db);
    const res = await stack.api('POST', `/api/v1/revisions/${current}/rollback`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, revision: current, diff: { changes: [], text: '' } });
    expect(await databaseState(db)).toEqual(state);
  });

  it('answers 404 for a revision that does not exist and 403 to an operator, writing nothing', async () => {
    const state = await databaseState(db);
    const missing = await stack.api('POST', '/api/v1/revisions/9999/rollback');
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toBe('revision 9999 does not exist');
    const operator = (await stack.api('POST', '/api/v1/tokens', { name: 'rb-operator', role: 'operator' })).body.token;
    const before = await databaseState(db);
    expect((await stack.api('POST', '/api/v1/revisions/1/rollback', undefined, { authorization: `Bearer ${operator}` })).status).toBe(403);
    expect(await databaseState(db)).toEqual(before);
    expect(before.Revision).toEqual(state.Revision);
  });
});
