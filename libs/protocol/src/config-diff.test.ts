import { describe, expect, it } from 'vitest';
import type { SnapshotConfig } from './config';
import { diffConfigs } from './config-diff';
import { balancer as fixtureBalancer, member as fixtureMember } from './fixtures';

const balancer = (id: string, name: string, members: SnapshotConfig['balancers'][number]['members'] = []) => fixtureBalancer(id, members, { name });
const member = (id: string, url: string, extra: Partial<SnapshotConfig['balancers'][number]['members'][number]> = {}) => fixtureMember(id, url, extra);
const route = (id: string, balancerId: string, path: string, extra: Partial<SnapshotConfig['routes'][number]> = {}): SnapshotConfig['routes'][number] => ({
  id,
  balancerId,
  priority: 0,
  host: null,
  match: { type: 'prefix', path },
  websocket: 'any',
  stripPrefix: false,
  enabled: true,
  ...extra,
});

const base = (): SnapshotConfig => ({
  balancers: [balancer('b1', 'chat', [member('m1', 'ws://10.0.0.1:9000'), member('m2', 'ws://10.0.0.2:9000')])],
  routes: [route('r1', 'b1', '/chat')],
});

describe('diffConfigs', () => {
  it('finds nothing between equal configurations, whatever their order', () => {
    const reordered = base();
    reordered.balancers[0].members.reverse();
    expect(diffConfigs(base(), reordered)).toEqual({ changes: [], text: '' });
  });

  it('names changed fields by dotted path, added and removed entities by their document key', () => {
    const after = base();
    after.balancers[0].timeouts.connectMs = 5000;
    after.balancers[0].members[0].weight = 3;
    after.balancers[0].members.splice(1, 1, member('m3', 'ws://10.0.0.3:9000', { name: 'chat-c' }));
    after.balancers.push(balancer('b2', 'api', [member('m4', 'http://10.0.0.4:80')]));
    after.routes = [route('r2', 'b2', '/api', { websocket: 'never', host: 'api.example.com' })];
    const { changes } = diffConfigs(base(), after);
    expect(changes.map(({ kind, op, balancer: b, key }) => `${kind} ${op} ${b} ${key}`)).toEqual([
      'balancer added api api',
      'member added api http://10.0.0.4:80',
      'balancer changed chat chat',
      'member changed chat ws://10.0.0.1:9000',
      'member removed chat ws://10.0.0.2:9000',
      'member added chat ws://10.0.0.3:9000',
      'route removed chat * prefix /chat any',
      'route added api api.example.com prefix /api never',
    ]);
    expect(changes[2].fields).toEqual([{ path: 'timeouts.connectMs', before: 3000, after: 5000 }]);
    expect(changes[3].fields).toEqual([{ path: 'weight', before: 1, after: 3 }]);
    expect(changes[5].fields).toEqual([
      { path: 'id', after: 'm3' },
      { path: 'url', after: 'ws://10.0.0.3:9000' },
      { path: 'name', after: 'chat-c' },
      { path: 'weight', after: 1 },
      { path: 'lbset', after: 0 },
      { path: 'state', after: 'active' },
    ]);
    expect(changes[0].fields).toContainEqual({ path: 'healthCheck.intervalMs', after: 5000 });
  });

  it('reads a rename, a drain and a route whose path changed as one change each, matched by id', () => {
    const after = base();
    after.balancers[0].name = 'talk';
    after.balancers[0].members[1] = member('m2', 'ws://10.0.0.2:9000', { state: 'draining', drain: { startedAt: 1000, windowMs: 0, deadlineMs: 60000 } });
    after.routes[0].match.path = '/talk';
    const { changes } = diffConfigs(base(), after);
    expect(changes).toEqual([
      { kind: 'balancer', op: 'changed', balancer: 'talk', key: 'talk', fields: [{ path: 'name', before: 'chat', after: 'talk' }] },
      {
        kind: 'member',
        op: 'changed',
        balancer: 'talk',
        key: 'ws://10.0.0.2:9000',
        fields: [
          { path: 'state', before: 'active', after: 'draining' },
          { path: 'drain.startedAt', after: 1000 },
          { path: 'drain.windowMs', after: 0 },
          { path: 'drain.deadlineMs', after: 60000 },
        ],
      },
      {
        kind: 'route',
        op: 'changed',
        balancer: 'talk',
        key: '* prefix /talk any',
        fields: [
          { path: 'balancer', before: 'chat', after: 'talk' },
          { path: 'match.path', before: '/chat', after: '/talk' },
        ],
      },
    ]);
  });

  it('shows a balancer re-created under its old name as a changed id, and pairs same-key routes by balancer', () => {
    const before: SnapshotConfig = { balancers: [balancer('b1', 'blue'), balancer('b2', 'green')], routes: [route('r1', 'b1', '/api'), route('r2', 'b2', '/api', { enabled: false })] };
    const after: SnapshotConfig = { balancers: [balancer('b3', 'blue'), balancer('b2', 'green')], routes: [route('r1', 'b3', '/api', { enabled: false }), route('r2', 'b2', '/api', { enabled: true })] };
    const { changes } = diffConfigs(before, after);
    expect(changes).toEqual([
      { kind: 'balancer', op: 'changed', balancer: 'blue', key: 'blue', fields: [{ path: 'id', before: 'b1', after: 'b3' }] },
      { kind: 'route', op: 'changed', balancer: 'blue', key: '* prefix /api any', fields: [{ path: 'enabled', before: true, after: false }] },
      { kind: 'route', op: 'changed', balancer: 'green', key: '* prefix /api any', fields: [{ path: 'enabled', before: false, after: true }] },
    ]);
  });

  it('gives the unified diff of the two YAML exports, without ids, under the labels given', () => {
    const after = base();
    after.balancers[0].members[0].weight = 3;
    const { text } = diffConfigs(base(), after, { before: 'revision 4', after: 'dry run' });
    expect(text).toContain('--- revision 4\n+++ dry run\n');
    expect(text).toContain('\n-        weight: 1\n+        weight: 3\n');
    expect(text).toContain('\n       - url: ws://10.0.0.1:9000\n');
    expect(text).not.toMatch(/\bid:/);
  });
});
