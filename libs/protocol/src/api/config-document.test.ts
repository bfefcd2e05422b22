import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_CHECK, DEFAULT_TIMEOUTS, type SnapshotConfig } from '../config';
import { balancer as fixtureBalancer } from '../fixtures';
import { configDocument, configDocumentErrors, configDocumentOf, routeKey, type ParsedConfigDocument } from './config-document';

/** A balancer as an operator would tune it: bybusyness, cookie stickiness, an http health check, no tunnel idle limit. */
const balancer = (id: string, name: string, members: SnapshotConfig['balancers'][number]['members']) =>
  fixtureBalancer(id, members, {
    name,
    lbMethod: 'bybusyness',
    sticky: { mode: 'cookie', name: 'SB' },
    timeouts: { ...DEFAULT_TIMEOUTS, tunnelIdleMs: 0 },
    healthCheck: { ...DEFAULT_HEALTH_CHECK, type: 'http', path: '/health' },
  });

/** Two balancers (given out of name order), a draining member, a rebalance and two routes. */
const snapshot = (): SnapshotConfig => ({
  balancers: [
    { ...balancer('b2', 'zeta', [{ id: 'm3', url: 'http://10.0.0.3:80', name: null, weight: 1, lbset: 0, state: 'active', drain: null }]), rebalance: { requestedAt: 1_700_000_000_000, tolerance: 0.2, closesPerSecond: 5 } },
    balancer('b1', 'chat', [
      { id: 'm1', url: 'ws://10.0.0.1:9000', name: 'chat-a', weight: 3, lbset: 0, state: 'draining', drain: { startedAt: 1_700_000_000_123, windowMs: 1000, deadlineMs: 60000 } },
      { id: 'm2', url: 'ws://10.0.0.2:9000', name: null, weight: 1, lbset: 1, state: 'standby', drain: null },
    ]),
  ],
  routes: [
    { id: 'r2', balancerId: 'b2', priority: 5, host: 'api.example.com', match: { type: 'regex', path: '^/v[0-9]+/' }, websocket: 'never', stripPrefix: false, enabled: true },
    { id: 'r1', balancerId: 'b1', priority: 0, host: null, match: { type: 'prefix', path: '/chat' }, websocket: 'any', stripPrefix: true, enabled: false },
  ],
});

/** What a parsed document with every id given stands for, as a snapshot configuration (the inverse of configDocumentOf). */
function snapshotOf(document: ParsedConfigDocument): SnapshotConfig {
  const ids = new Map(Object.entries(document.balancers).map(([name, b]) => [name, b.id!]));
  return {
    balancers: Object.entries(document.balancers).map(([name, { id, members, rebalance, ...settings }]) => ({
      id: id!,
      name,
      ...settings,
      rebalance: rebalance && { ...rebalance, requestedAt: rebalance.requestedAt! },
      members: members.map(({ id: memberId, drain, ...fields }) => ({ id: memberId!, ...fields, drain: drain && { ...drain, startedAt: drain.startedAt! } })),
    })),
    routes: document.routes.map(({ id, balancer: name, ...fields }) => ({ id: id!, balancerId: ids.get(name)!, ...fields })),
  };
}

describe('configDocumentOf', () => {
  it('keys balancers by name in name order, names each route’s balancer, leaves out ids and nulls', () => {
    const document = configDocumentOf(snapshot(), { ids: false, revision: 7 });
    expect(Object.keys(document)).toEqual(['version', 'revision', 'balancers', 'routes']);
    expect(document.revision).toBe(7);
    expect(Object.keys(document.balancers)).toEqual(['chat', 'zeta']);
    expect(document.balancers.chat).not.toHaveProperty('id');
    expect(document.balancers.chat).not.toHaveProperty('rebalance');
    expect(document.balancers.chat.hash).toEqual({ source: 'ip' });
    expect(document.balancers.chat.members[1]).toEqual({ url: 'ws://10.0.0.2:9000', weight: 1, lbset: 1, state: 'standby' });
    expect(document.balancers.zeta.rebalance).toEqual({ requestedAt: 1_700_000_000_000, tolerance: 0.2, closesPerSecond: 5 });
    expect(document.routes).toEqual([
      { balancer: 'chat', priority: 0, match: { type: 'prefix', path: '/chat' }, websocket: 'any', stripPrefix: true, enabled: false },
      { balancer: 'zeta', priority: 5, host: 'api.example.com', match: { type: 'regex', path: '^/v[0-9]+/' }, websocket: 'never', stripPrefix: false, enabled: true },
    ]);
  });

  it('with ids, parses back to exactly the configuration it came from (what a rollback applies)', () => {
    const parsed = configDocument.parse(configDocumentOf(snapshot(), { ids: true }));
    const expected = snapshot();
    expected.balancers.reverse();
    expect(snapshotOf(parsed)).toEqual({ ...expected, routes: [expected.routes[1], expected.routes[0]] });
  });

  it('routeKey reads host (* for any), match type, path and websocket', () => {
    expect(snapshot().routes.map(routeKey)).toEqual(['api.example.com regex ^/v[0-9]+/ never', '* prefix /chat any']);
  });
});

describe('configDocument', () => {
  it('fills what is absent with the defaults of POST /balancers, /members and /routes', () => {
    const parsed = configDocument.parse({ version: 1, balancers: { chat: { members: [{ url: 'ws://10.0.0.1:9000' }] } }, routes: [{ balancer: 'chat', match: { path: '/chat' } }] });
    expect(parsed.balancers.chat).toMatchObject({
      lbMethod: 'byrequests',
      sticky: { mode: 'none', name: null },
      timeouts: DEFAULT_TIMEOUTS,
      healthCheck: DEFAULT_HEALTH_CHECK,
      tls: { insecureSkipVerify: false, serverName: null },
      rebalance: null,
      members: [{ url: 'ws://10.0.0.1:9000', name: null, weight: 1, lbset: 0, state: 'active', drain: null }],
    });
    expect(parsed.routes[0]).toEqual({ balancer: 'chat', priority: 0, host: null, match: { type: 'prefix', path: '/chat' }, websocket: 'any', stripPrefix: false, enabled: true });
    expect(configDocument.parse({ version: 1, balancers: { s: { sticky: { mode: 'cookie' }, healthCheck: { type: 'tcp' }, members: [] } }, routes: [] }).balancers.s).toMatchObject({
      sticky: { mode: 'cookie', name: 'SWITCHBOARD_ROUTE' },
      healthCheck: { ...DEFAULT_HEALTH_CHECK, type: 'tcp' },
    });
  });

  it('names every bad field by its path in the document, unknown fields and bad balancer names included', () => {
    const result = configDocument.safeParse({
      version: 1,
      color: 'blue',
      balancers: {
        Chat: { members: [] },
        chat: {
          lbMethod: 'random',
          timeouts: { connectMs: 0, idle: 5 },
          healthCheck: { intervalMs: 1000, timeoutMs: 2000 },
          members: [{ url: 'ws://10.0.0.1:9000' }, { url: 'ftp://x', weight: 0 }, { url: 'ws://10.0.0.1:9000', state: 'active', drain: { deadlineMs: 10, windowMs: 20 } }],
        },
      },
      routes: [{ balancer: 'nope', match: { type: 'prefix', path: 'no-slash' }, extra: 1 }],
    });
    expect(result.success).toBe(false);
    const errors = configDocumentErrors(result.error!);
    expect(errors.map((e) => e.path).sort()).toEqual([
      'balancers.Chat',
      'balancers.chat.healthCheck.timeoutMs',
      'balancers.chat.lbMethod',
      'balancers.chat.members.1.url',
      'balancers.chat.members.1.weight',
      'balancers.chat.members.2.drain',
      'balancers.chat.members.2.drain.windowMs',
      'balancers.chat.timeouts.connectMs',
      'balancers.chat.timeouts.idle',
      'color',
      'routes.0.extra',
      'routes.0.match.path',
    ]);
    expect(errors.find((e) => e.path === 'color')?.message).toBe('is not a known field');
    expect(errors.find((e) => e.path === 'balancers.Chat')?.message).toContain('must match [a-z0-9-]{1,63}');
  });

  it('checks across entities once the fields are right: duplicate URLs and ids, routes naming no balancer, drains without draining', () => {
    const result = configDocument.safeParse({
      version: 1,
      balancers: {
        a: { id: 'b1', members: [{ id: 'm1', url: 'ws://10.0.0.1:9000' }, { url: 'ws://10.0.0.1:9000' }, { url: 'ws://10.0.0.2:9000', drain: { deadlineMs: 10 } }] },
        b: { id: 'b1', members: [{ id: 'm1', url: 'ws://10.0.0.1:9000' }] },
      },
      routes: [{ id: 'r1', balancer: 'a', match: { path: '/a' } }, { id: 'r1', balancer: 'c', match: { path: '/c' } }],
    });
    expect(configDocumentErrors(result.error!)).toEqual([
      { path: 'balancers.a.members.2.drain', message: 'is allowed only with state draining' },
      { path: 'balancers.a.members.1.url', message: 'duplicate member URL: also members.0 of this balancer' },
      { path: 'balancers.b.id', message: 'duplicate balancer id: also balancers.a.id' },
      { path: 'balancers.b.members.0.id', message: 'duplicate member id: also balancers.a.members.0.id' },
      { path: 'routes.1.id', message: 'duplicate route id: also routes.0.id' },
      { path: 'routes.1.balancer', message: 'names no balancer of this document: c' },
    ]);
  });

  it('requires balancers, members and routes, so that a truncated file cannot delete what it forgot', () => {
    const result = configDocument.safeParse({ version: 1, balancers: { a: {} } });
    expect(configDocumentErrors(result.error!).map((e) => e.path).sort()).toEqual(['balancers.a.members', 'routes']);
  });
});
