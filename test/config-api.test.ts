import { Client as Pg } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { connect, wsUrl } from './support/clients';
import { agentAtRevision, createBalancer } from './support/config';
import { databaseState } from './support/database-state';
import { startEchoBackend, startStack, type EchoBackend, type Stack } from './support/stack';

/** GET/PUT /api/v1/config and the revision diff, on a real control plane, Postgres and agent. */
describe('configuration API', () => {
  let stack: Stack;
  let db: Pg;
  const backends: EchoBackend[] = [];

  beforeAll(async () => {
    stack = await startStack();
    db = new Pg({ connectionString: stack.databaseUrl! });
    await db.connect();
    backends.push(await startEchoBackend('cfg-a'), await startEchoBackend('cfg-b'));
    await createBalancer(stack, 'chat', backends.map((b) => ({ url: b.url, name: b.name })), 'bybusyness');
  });
  afterAll(async () => {
    await db?.end();
    await stack?.stop();
    await Promise.all(backends.map((b) => b.close()));
  });

  const latest = async () => (await stack.api<{ number: number; hash: string }[]>('GET', '/api/v1/revisions?limit=1')).body[0];
  const putYaml = (text: string, headers: Record<string, string> = {}) => stack.api('PUT', '/api/v1/config', text, { 'content-type': 'application/yaml', ...headers });
  const exportYaml = async (query = '') => {
    const res = await fetch(`${stack.apiUrl}/api/v1/config${query}`, { headers: { authorization: `Bearer ${stack.adminToken}`, accept: 'application/yaml' } });
    return { res, text: await res.text() };
  };

  it('exports the latest revision as JSON or YAML, names it in Switchboard-Revision, ids only with ?ids=true, to a viewer too', async () => {
    const current = await latest();
    const json = await stack.api('GET', '/api/v1/config');
    expect(json.status).toBe(200);
    expect(json.headers.get('switchboard-revision')).toBe(String(current.number));
    expect(json.body).toMatchObject({ version: 1, revision: current.number, routes: [{ balancer: 'chat', match: { type: 'prefix', path: '/chat' }, websocket: 'any' }] });
    expect(json.body.balancers.chat.lbMethod).toBe('bybusyness');
    expect(json.body.balancers.chat.members).toEqual(
      expect.arrayContaining([{ url: backends[0].url, name: 'cfg-a', weight: 1, lbset: 0, state: 'active' }, { url: backends[1].url, name: 'cfg-b', weight: 1, lbset: 0, state: 'active' }]),
    );
    expect(JSON.stringify(json.body)).not.toContain('"id"');

    const withIds = await stack.api('GET', '/api/v1/config?ids=true');
    const balancer = (await stack.api('GET', '/api/v1/balancers')).body.find((b: { name: string }) => b.name === 'chat');
    expect(withIds.body.balancers.chat.id).toBe(balancer.id);
    expect(withIds.body.routes[0].id).toEqual(expect.any(String));

    const { res, text } = await exportYaml();
    expect(res.headers.get('content-type')).toMatch(/^application\/yaml/);
    expect(res.headers.get('switchboard-revision')).toBe(String(current.number));
    expect(text).toMatch(/^version: 1\nrevision: \d+\nbalancers:\n {2}chat:\n/);
    expect(parseYaml(text)).toEqual(json.body);

    const viewer = (await stack.api('POST', '/api/v1/tokens', { name: 'cfg-viewer', role: 'viewer' })).body.token;
    expect((await stack.api('GET', '/api/v1/config', undefined, { authorization: `Bearer ${viewer}` })).status).toBe(200);
    expect((await putYaml(text, { authorization: `Bearer ${viewer}` })).status).toBe(403);
  });

  it('YAML round trip: the export applied as it is changes nothing and writes no revision', async () => {
    const { text } = await exportYaml();
    const before = await databaseState(db);
    const res = await putYaml(text);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, revision: (await latest()).number, diff: { changes: [], text: '' } });
    expect(res.headers.get('switchboard-revision')).toBe(String(res.body.revision));
    expect(await databaseState(db)).toEqual(before);
  });

  it('applies a whole configuration as one revision and one audit event: creates, updates, deletes, keeps ids; the agent serves it', async () => {
    const current = await latest();
    const ids = (await stack.api('GET', '/api/v1/config?ids=true')).body;
    const document = (await stack.api('GET', '/api/v1/config')).body;
    const byName = (name: string) => document.balancers.chat.members.find((m: { name: string }) => m.name === name);
    const [a, b] = [byName('cfg-a'), byName('cfg-b')];
    document.balancers.chat.lbMethod = 'byrequests';
    document.balancers.chat.members = [{ ...a, weight: 5 }, { url: 'ws://127.0.0.1:9', name: 'spare', state: 'disabled' }];
    document.balancers.echo = { timeouts: { connectMs: 1500 }, members: [{ url: b.url, name: 'cfg-b' }] };
    document.routes.push({ balancer: 'echo', match: { type: 'exact', path: '/echo' }, websocket: 'only' });
    const res = await stack.api('PUT', '/api/v1/config', document);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const revision = current.number + 1;
    expect(res.headers.get('switchboard-revision')).toBe(String(revision));
    expect(res.body).toMatchObject({ dryRun: false, revision, diff: { from: { revision: current.number, hash: current.hash }, to: { revision } } });
    const changes = res.body.diff.changes as { kind: string; op: string; balancer: string; key: string; fields: unknown[] }[];
    expect(changes.map((c) => `${c.kind} ${c.op} ${c.balancer} ${c.key}`).sort()).toEqual(
      ['balancer changed chat chat', `member changed chat ${a.url}`, `member removed chat ${b.url}`, 'member added chat ws://127.0.0.1:9', 'balancer added echo echo', `member added echo ${b.url}`, 'route added echo * exact /echo only'].sort(),
    );
    expect(changes.find((c) => c.op === 'changed' && c.kind === 'member')!.fields).toEqual([{ path: 'weight', before: 1, after: 5 }]);
    expect(changes.find((c) => c.kind === 'balancer' && c.op === 'changed')!.fields).toEqual([{ path: 'lbMethod', before: 'bybusyness', after: 'byrequests' }]);

    const after = (await stack.api('GET', '/api/v1/config?ids=true')).body;
    expect(after.balancers.chat.id).toBe(ids.balancers.chat.id);
    const idOf = (config: { balancers: { chat: { members: { url: string; id: string }[] } } }) => config.balancers.chat.members.find((m) => m.url === a.url)!.id;
    expect(idOf(after)).toBe(idOf(ids));
    expect(after.routes.find((r: { balancer: string }) => r.balancer === 'chat').id).toBe(ids.routes[0].id);

    const audit = await db.query('SELECT actor, action, target, revision, after FROM "AuditEvent" WHERE revision = $1', [revision]);
    expect(audit.rows).toEqual([expect.objectContaining({ action: 'config.apply', target: 'config', revision })]);
    expect(audit.rows[0].after.changes).toHaveLength(7);
    expect((await db.query('SELECT count(*)::int AS n FROM "Revision" WHERE number > $1', [current.number])).rows[0].n).toBe(1);

    await agentAtRevision(stack.agentAdminUrl, revision);
    const served = (await (await fetch(`${stack.agentAdminUrl}/config`)).json()) as { hash: string };
    expect(served.hash).toBe((await latest()).hash);
    const client = await connect(wsUrl(stack.agentUrl, '/echo'));
    expect(await client.roundTrip('through the new route')).toBe('cfg-b: through the new route');
    client.close();
  });

  it('keeps a running drain and its open tunnel across an apply that changes something else', async () => {
    const { balancerId, memberIds } = await createBalancer(stack, 'drainkeep', [{ url: backends[0].url, name: 'keep-a' }, { url: backends[1].url, name: 'keep-b' }], 'byrequests');
    const tunnels = await Promise.all([0, 1].map(() => connect(wsUrl(stack.agentUrl, '/drainkeep'))));
    const drained = await stack.api('POST', `/api/v1/balancers/${balancerId}/members/${memberIds['keep-a']}/drain`, { deadlineMs: 600_000, windowMs: 300_000 });
    expect(drained.status).toBe(200);
    const startedAt = drained.body.drain.startedAt;
    await agentAtRevision(stack.agentAdminUrl, Number(drained.headers.get('switchboard-revision')));
    const onA = (await Promise.all(tunnels.map(async (client) => ({ client, reply: await client.roundTrip('who') })))).find((t) => t.reply.startsWith('cfg-a'));
    expect(onA).toBeDefined();

    const document = (await stack.api('GET', '/api/v1/config')).body;
    const members = document.balancers.drainkeep.members as { name: string; weight: number }[];
    expect(members.find((m) => m.name === 'keep-a')).toMatchObject({ state: 'draining', drain: { startedAt: new Date(startedAt).getTime(), windowMs: 300_000, deadlineMs: 600_000 } });
    members.find((m) => m.name === 'keep-b')!.weight = 9;
    const res = await stack.api('PUT', '/api/v1/config', document);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.diff.changes).toEqual([{ kind: 'member', op: 'changed', balancer: 'drainkeep', key: backends[1].url, fields: [{ path: 'weight', before: 1, after: 9 }] }]);
    await agentAtRevision(stack.agentAdminUrl, res.body.revision);

    const member = (await stack.api('GET', `/api/v1/balancers/${balancerId}/members/${memberIds['keep-a']}`)).body;
    expect(member).toMatchObject({ id: memberIds['keep-a'], state: 'draining', drain: { startedAt, windowMs: 300_000, deadlineMs: 600_000 } });
    expect(await onA!.client.roundTrip('still open')).toBe('cfg-a: still open');
    for (const client of tunnels) client.close();
  });

  it('refuses a stale If-Match with 412 and takes the current one', async () => {
    const document = (await stack.api('GET', '/api/v1/config')).body;
    document.balancers.chat.slowStartMs = 1000;
    const current = await latest();
    expect((await stack.api('PUT', '/api/v1/config', document, { 'if-match': String(current.number - 1) })).status).toBe(412);
    expect((await latest()).number).toBe(current.number);
    const res = await stack.api('PUT', '/api/v1/config', document, { 'if-match': String(current.number) });
    expect(res.status).toBe(200);
    expect(res.body.revision).toBe(current.number + 1);
  });

  it('names every bad field of a bad document by its path, YAML syntax errors by line and column, and writes nothing', async () => {
    const before = await databaseState(db);
    const document = (await stack.api('GET', '/api/v1/config')).body;
    document.balancers.chat.members[1].url = 'ftp://nowhere';
    document.balancers.chat.members[0].colour = 'red';
    document.balancers.chat.timeouts.connectMs = -1;
    document.balancers['Bad Name'] = { members: [] };
    document.routes.push({ balancer: 'missing', match: { path: '/m' } });
    const bad = await stack.api('PUT', '/api/v1/config', document);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['balancers.Bad Name', 'balancers.chat.members.0.colour', 'balancers.chat.members.1.url', 'balancers.chat.timeouts.connectMs']);

    delete document.balancers['Bad Name'];
    document.balancers.chat.members[1].url = document.balancers.chat.members[0].url;
    delete document.balancers.chat.members[0].colour;
    document.balancers.chat.timeouts.connectMs = 1000;
    const crossed = await stack.api('PUT', '/api/v1/config', document);
    expect(crossed.status).toBe(400);
    expect(crossed.body.errors).toEqual([
      { path: 'balancers.chat.members.1.url', message: 'duplicate member URL: also members.0 of this balancer' },
      { path: `routes.${document.routes.length - 1}.balancer`, message: 'names no balancer of this document: missing' },
    ]);

    const syntax = await putYaml('version: 1\nbalancers:\n  chat: {members: [}\nroutes: []\n');
    expect(syntax.status).toBe(400);
    expect(syntax.body.errors[0].message).toMatch(/^YAML line 3, column \d+: /);
    const empty = await stack.api('PUT', '/api/v1/config', undefined, { 'content-type': 'application/json' });
    expect(empty.status).toBe(400);
    const huge = await putYaml(`version: 1\nbalancers: {}\nroutes: []\n# ${'x'.repeat(1_100_000)}\n`);
    expect(huge.status).toBe(413);
    expect(await databaseState(db)).toEqual(before);
  });

  it('diffs any two revisions (either order), 404 for one that does not exist', async () => {
    const current = await latest();
    const forward = await stack.api('GET', `/api/v1/revisions/${current.number - 1}/diff/${current.number}`);
    expect(forward.status).toBe(200);
    expect(forward.body).toMatchObject({ from: { revision: current.number - 1 }, to: { revision: current.number, hash: current.hash } });
    expect(forward.body.changes).toEqual([{ kind: 'balancer', op: 'changed', balancer: 'chat', key: 'chat', fields: [{ path: 'slowStartMs', before: 0, after: 1000 }] }]);
    expect(forward.body.text).toContain(`--- revision ${current.number - 1}\n+++ revision ${current.number}\n`);
    expect(forward.body.text).toContain('\n-    slowStartMs: 0\n+    slowStartMs: 1000\n');
    const backward = await stack.api('GET', `/api/v1/revisions/${current.number}/diff/${current.number - 1}`);
    expect(backward.body.changes[0].fields).toEqual([{ path: 'slowStartMs', before: 1000, after: 0 }]);
    const all = await stack.api('GET', `/api/v1/revisions/0/diff/${current.number}`);
    expect(all.body.changes.filter((c: { op: string }) => c.op === 'added').length).toBeGreaterThan(5);
    expect((await stack.api('GET', `/api/v1/revisions/0/diff/${current.number + 100}`)).status).toBe(404);
    expect((await stack.api('GET', '/api/v1/revisions/x/diff/1')).status).toBe(400);
  });
});
