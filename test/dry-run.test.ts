import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseState, revisionNotifications } from './support/database-state';
import { startStack, type Stack } from './support/stack';

/** `?dryRun=true` on every configuration write, against a real control plane process and Postgres. */
describe('dry run', () => {
  let stack: Stack;
  let db: Client;
  let heard: number[];
  let balancerId: string;
  let spareId: string;
  let memberIds: string[];
  let routeId: string;

  beforeAll(async () => {
    stack = await startStack({ agents: 0 });
    db = new Client({ connectionString: stack.databaseUrl! });
    await db.connect();
    heard = await revisionNotifications(db);
    balancerId = (await stack.api('POST', '/api/v1/balancers', { name: 'dry' })).body.id;
    spareId = (await stack.api('POST', '/api/v1/balancers', { name: 'spare' })).body.id;
    memberIds = [];
    for (const url of ['ws://127.0.0.1:9001', 'ws://127.0.0.1:9002']) memberIds.push((await stack.api('POST', `/api/v1/balancers/${balancerId}/members`, { url })).body.id);
    routeId = (await stack.api('POST', '/api/v1/routes', { balancerId, match: { path: '/dry' } })).body.id;
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const current = async () => (await stack.api<{ number: number; hash: string }[]>('GET', '/api/v1/revisions?limit=1')).body[0];

  /** Each write with what its dry run must announce: `kind op key` of one change and one of its fields. */
  const writes = (): [string, string, unknown, string, string][] => [
    ['POST', '/api/v1/balancers', { name: 'dry-new', lbMethod: 'p2c' }, 'balancer added dry-new', 'lbMethod'],
    ['PATCH', `/api/v1/balancers/${balancerId}`, { lbMethod: 'bybusyness' }, 'balancer changed dry', 'lbMethod'],
    ['DELETE', `/api/v1/balancers/${spareId}`, undefined, 'balancer removed spare', 'lbMethod'],
    ['POST', `/api/v1/balancers/${balancerId}/rebalance`, { tolerance: 0.5 }, 'balancer changed dry', 'rebalance.tolerance'],
    ['POST', `/api/v1/balancers/${balancerId}/members`, { url: 'ws://127.0.0.1:9003', weight: 4 }, 'member added ws://127.0.0.1:9003', 'weight'],
    ['PATCH', `/api/v1/balancers/${balancerId}/members/${memberIds[0]}`, { weight: 7 }, 'member changed ws://127.0.0.1:9001', 'weight'],
    ['DELETE', `/api/v1/balancers/${balancerId}/members/${memberIds[1]}`, undefined, 'member removed ws://127.0.0.1:9002', 'url'],
    ['POST', `/api/v1/balancers/${balancerId}/members/${memberIds[0]}/drain`, { deadlineMs: 60000 }, 'member changed ws://127.0.0.1:9001', 'drain.deadlineMs'],
    ['POST', '/api/v1/routes', { balancerId, match: { path: '/dry2' } }, 'route added * prefix /dry2 any', 'match.path'],
    ['PATCH', `/api/v1/routes/${routeId}`, { priority: 9 }, 'route changed * prefix /dry any', 'priority'],
    ['DELETE', `/api/v1/routes/${routeId}`, undefined, 'route removed * prefix /dry any', 'enabled'],
  ];

  it('on each of the 11 entity writes: 200 with the diff it would make, and nothing written (rows, revisions, audit, NOTIFY)', async () => {
    const before = await databaseState(db);
    const revision = await current();
    const heardBefore = heard.length;
    for (const [method, path, body, change, field] of writes()) {
      const res = await stack.api(method, `${path}?dryRun=true`, body);
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(200);
      expect(res.headers.get('switchboard-revision'), `${method} ${path}`).toBeNull();
      expect(res.body).toMatchObject({ dryRun: true, revision: revision.number, diff: { from: { revision: revision.number, hash: revision.hash }, to: { revision: null } } });
      const found = res.body.diff.changes.find((c: { kind: string; op: string; key: string }) => `${c.kind} ${c.op} ${c.key}` === change);
      expect(found, `${method} ${path}: ${JSON.stringify(res.body.diff.changes)}`).toBeDefined();
      expect(found.fields.map((f: { path: string }) => f.path)).toContain(field);
      expect(res.body.diff.text).toMatch(/^={10,}\n--- revision \d+\n\+\+\+ dry run\n/);
    }
    expect(await databaseState(db)).toEqual(before);
    expect(await current()).toEqual(revision);
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.length).toBe(heardBefore);
  });

  it('on PUT /api/v1/config and on a rollback: the diff, nothing written', async () => {
    const document = (await stack.api('GET', '/api/v1/config')).body;
    delete document.balancers.spare;
    document.balancers.dry.members.push({ url: 'ws://127.0.0.1:9009', weight: 2 });
    const before = await databaseState(db);
    const revision = await current();
    const heardBefore = heard.length;
    const put = await stack.api('PUT', '/api/v1/config?dryRun=true', document);
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.headers.get('switchboard-revision')).toBeNull();
    expect(put.body).toMatchObject({ dryRun: true, revision: revision.number, diff: { to: { revision: null } } });
    expect(put.body.diff.changes.map((c: { kind: string; op: string; key: string }) => `${c.kind} ${c.op} ${c.key}`).sort()).toEqual(['balancer removed spare', 'member added ws://127.0.0.1:9009']);
    const rollback = await stack.api('POST', '/api/v1/revisions/0/rollback?dryRun=true');
    expect(rollback.status).toBe(200);
    expect(rollback.headers.get('switchboard-revision')).toBeNull();
    expect(rollback.body).toMatchObject({ dryRun: true, revision: revision.number, diff: { to: { revision: null, hash: (await stack.api('GET', '/api/v1/revisions/0')).body.hash } } });
    expect(rollback.body.diff.changes.filter((c: { op: string }) => c.op !== 'removed')).toEqual([]);
    expect(rollback.body.diff.changes.map((c: { kind: string; key: string }) => `${c.kind} ${c.key}`)).toEqual(expect.arrayContaining(['balancer dry', 'balancer spare', 'route * prefix /dry any']));
    expect(await databaseState(db)).toEqual(before);
    await new Promise((r) => setTimeout(r, 100));
    expect(heard.length).toBe(heardBefore);
  });

  it('predicts the revision: the real write makes the hash its dry run announced, and the diff shows the change field by field', async () => {
    const dry = await stack.api('PATCH', `/api/v1/balancers/${balancerId}?dryRun=true`, { timeouts: { connectMs: 4500 }, healthCheck: { type: 'tcp' } });
    expect(dry.body.diff.changes).toEqual([
      {
        kind: 'balancer',
        op: 'changed',
        balancer: 'dry',
        key: 'dry',
        fields: [
          { path: 'timeouts.connectMs', before: 3000, after: 4500 },
          { path: 'healthCheck.type', before: 'none', after: 'tcp' },
        ],
      },
    ]);
    expect(dry.body.diff.text).toContain('\n-      connectMs: 3000\n+      connectMs: 4500\n');
    const real = await stack.api('PATCH', `/api/v1/balancers/${balancerId}`, { timeouts: { connectMs: 4500 }, healthCheck: { type: 'tcp' } });
    expect(real.status).toBe(200);
    const written = Number(real.headers.get('switchboard-revision'));
    expect(written).toBe(dry.body.revision + 1);
    expect((await stack.api('GET', `/api/v1/revisions/${written}`)).body.hash).toBe(dry.body.diff.to.hash);
  });

  it('still refuses bad input (400 naming the fields), a stale If-Match (412) and a role without the right (403), writing nothing', async () => {
    const before = await databaseState(db);
    const bad = await stack.api('POST', '/api/v1/balancers?dryRun=true', { name: 'Bad!', timeouts: { connectMs: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['name', 'timeouts.connectMs']);
    const maybe = await stack.api('PATCH', `/api/v1/routes/${routeId}?dryRun=maybe`, { priority: 1 });
    expect(maybe.status).toBe(400);
    expect(maybe.body.errors).toEqual([{ path: 'dryRun', message: 'must be true or false' }]);
    const revision = (await current()).number;
    expect((await stack.api('PATCH', `/api/v1/routes/${routeId}?dryRun=true`, { priority: 1 }, { 'if-match': String(revision - 1) })).status).toBe(412);
    expect((await stack.api('DELETE', `/api/v1/balancers/${balancerId}?dryRun=true`)).status).toBe(409);
    const viewer = (await stack.api('POST', '/api/v1/tokens', { name: 'dry-viewer', role: 'viewer' })).body.token;
    const before2 = await databaseState(db);
    expect((await stack.api('POST', '/api/v1/balancers?dryRun=true', { name: 'nope' }, { authorization: `Bearer ${viewer}` })).status).toBe(403);
    expect((await databaseState(db)).Balancer).toEqual(before.Balancer);
    expect(await databaseState(db)).toEqual(before2);
  });

  it('with dryRun=false is an ordinary write', async () => {
    const res = await stack.api('POST', '/api/v1/balancers?dryRun=false', { name: 'not-dry' });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe('not-dry');
    expect(Number(res.headers.get('switchboard-revision'))).toBeGreaterThan(0);
  });
});
