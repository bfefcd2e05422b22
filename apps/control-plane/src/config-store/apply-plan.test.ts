import { configDocument, type ConfigDocument } from '@switchboard/protocol';
import { describe, expect, it } from 'vitest';
import type { Member, Route } from '../generated/prisma/client';
import { planApply, type ExistingConfig } from './apply-plan';
import type { BalancerWithMembers } from './rows';

const T0 = new Date('2026-12-01T00:00:00Z');
const NOW = Date.parse('2026-12-02T00:00:00Z');

/** A balancer row as POST /balancers makes it with no options. */
function balancerRow(id: string, name: string, members: Member[] = []): BalancerWithMembers {
  return {
    id, name, lbMethod: 'byrequests', stickyMode: 'none', stickyName: null, hashSource: 'ip', hashName: null, slowStartMs: 0, hostMode: 'keep', hostValue: null,
    connectMs: 3000, tunnelIdleMs: 3600000, keepAliveMs: 15000, responseHeaderMs: 60000, maxTunnelsPerMember: 0, queueTimeoutMs: 0, retries: 2,
    hcType: 'none', hcPath: '/', hcExpectStatus: 200, hcIntervalMs: 5000, hcTimeoutMs: 2000, hcPasses: 2, hcFails: 3, passiveFails: 1, passiveRetryMs: 10000,
    tlsInsecureSkipVerify: false, tlsServerName: null, rebalanceRequestedAt: null, rebalanceTolerance: null, rebalanceClosesPerSecond: null,
    createdAt: T0, updatedAt: T0, members,
  };
}

function memberRow(id: string, balancerId: string, url: string, extra: Partial<Member> = {}): Member {
  return { id, balancerId, url, name: null, weight: 1, lbset: 0, state: 'active', drainStartedAt: null, drainWindowMs: null, drainDeadlineMs: null, drainedAt: null, createdAt: T0, updatedAt: T0, ...extra };
}

function routeRow(id: string, balancerId: string, path: string, extra: Partial<Route> = {}): Route {
  return { id, balancerId, priority: 0, host: null, matchType: 'prefix', matchPath: path, websocket: 'any', stripPrefix: false, enabled: true, createdAt: T0, updatedAt: T0, ...extra };
}

let ids = 0;
const plan = (existing: ExistingConfig, document: Omit<ConfigDocument, 'version'>) => planApply(existing, configDocument.parse({ version: 1, ...document }), { now: NOW, newId: () => `new-${++ids}` });

/** The plan's writes in short: `op id` per entry, empty lists left out. */
function summary(result: ReturnType<typeof plan>): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(result)
      .map(([op, list]) => [op, (list as (string | { id: string })[]).map((entry) => (typeof entry === 'string' ? entry : entry.id))])
      .filter(([, list]) => list.length > 0),
  );
}

describe('planApply', () => {
  const chat = () => balancerRow('b1', 'chat', [memberRow('m1', 'b1', 'ws://10.0.0.1:9000'), memberRow('m2', 'b1', 'ws://10.0.0.2:9000', { weight: 2 })]);
  const current = (): ConfigDocument['balancers'] => ({ chat: { members: [{ url: 'ws://10.0.0.1:9000' }, { url: 'ws://10.0.0.2:9000', weight: 2 }] } });

  it('writes nothing for the configuration as it is', () => {
    expect(summary(plan({ balancers: [chat()], routes: [routeRow('r1', 'b1', '/chat')] }, { balancers: current(), routes: [{ balancer: 'chat', match: { path: '/chat' } }] }))).toEqual({});
  });

  it('matches members by URL within their balancer: updates what differs, deletes and creates the rest', () => {
    const result = plan({ balancers: [chat()], routes: [] }, { balancers: { chat: { members: [{ url: 'ws://10.0.0.1:9000', weight: 5 }, { url: 'ws://10.0.0.3:9000' }] } }, routes: [] });
    expect(summary(result)).toEqual({ deleteMembers: ['m2'], updateMembers: ['m1'], createMembers: ['new-1'] });
    expect(result.updateMembers[0].data).toMatchObject({ weight: 5, url: 'ws://10.0.0.1:9000', drainStartedAt: null });
    expect(result.createMembers[0]).toMatchObject({ balancerId: 'b1', url: 'ws://10.0.0.3:9000', state: 'active' });
  });

  it('keeps a running drain when the document names it without startedAt, and starts a new one at the apply otherwise', () => {
    const draining = { state: 'draining', drainStartedAt: T0, drainWindowMs: 1000, drainDeadlineMs: 60000, drainedAt: null };
    const existing = { balancers: [balancerRow('b1', 'chat', [memberRow('m1', 'b1', 'ws://10.0.0.1:9000', draining)])], routes: [] };
    const same = plan(existing, { balancers: { chat: { members: [{ url: 'ws://10.0.0.1:9000', state: 'draining', drain: { windowMs: 1000, deadlineMs: 60000 } }] } }, routes: [] });
    expect(summary(same)).toEqual({});
    const longer = plan(existing, { balancers: { chat: { members: [{ url: 'ws://10.0.0.1:9000', state: 'draining', drain: { deadlineMs: 120000 } }] } }, routes: [] });
    expect(longer.updateMembers[0].data).toMatchObject({ drainStartedAt: new Date(NOW), drainWindowMs: 0, drainDeadlineMs: 120000, drainedAt: null });
    const ended = plan(existing, { balancers: { chat: { members: [{ url: 'ws://10.0.0.1:9000' }] } }, routes: [] });
    expect(ended.updateMembers[0].data).toMatchObject({ state: 'active', drainStartedAt: null, drainDeadlineMs: null });
  });

  it('lets names and URLs pass between entities matched by id: both parked first, then updated', () => {
    const existing = { balancers: [balancerRow('b1', 'blue', [memberRow('m1', 'b1', 'ws://a:1'), memberRow('m2', 'b1', 'ws://b:1')]), balancerRow('b2', 'green')], routes: [] };
    const result = plan(existing, { balancers: { blue: { id: 'b2', members: [] }, green: { id: 'b1', members: [{ id: 'm1', url: 'ws://b:1' }, { id: 'm2', url: 'ws://a:1' }] } }, routes: [] });
    expect(summary(result)).toEqual({ parkBalancers: ['b2', 'b1'], updateBalancers: ['b2', 'b1'], parkMembers: ['m1', 'm2'], updateMembers: ['m1', 'm2'] });
    expect(result.updateBalancers.map((u) => u.data.name)).toEqual(['blue', 'green']);
  });

  it('creates an entity whose id is unknown with that id, and deletes the row it replaces (a rollback of a deleted and re-created balancer)', () => {
    const existing = { balancers: [balancerRow('b9', 'chat', [memberRow('m9', 'b9', 'ws://10.0.0.1:9000')])], routes: [routeRow('r9', 'b9', '/chat')] };
    const result = plan(existing, { balancers: { chat: { id: 'b1', members: [{ id: 'm1', url: 'ws://10.0.0.1:9000' }] } }, routes: [{ id: 'r1', balancer: 'chat', match: { path: '/chat' } }] });
    expect(summary(result)).toEqual({ deleteRoutes: ['r9'], deleteMembers: ['m9'], parkBalancers: ['b9'], createBalancers: ['b1'], createMembers: ['m1'], createRoutes: ['r1'], deleteBalancers: ['b9'] });
    expect(result.createMembers[0].balancerId).toBe('b1');
    expect(result.createRoutes[0].balancerId).toBe('b1');
  });

  it('matches routes by key, preferring one of the same balancer (blue/green pairs keep their ids)', () => {
    const existing = { balancers: [balancerRow('b1', 'blue'), balancerRow('b2', 'green')], routes: [routeRow('r1', 'b1', '/api'), routeRow('r2', 'b2', '/api', { enabled: false })] };
    const result = plan(existing, {
      balancers: { blue: { members: [] }, green: { members: [] } },
      routes: [{ balancer: 'green', match: { path: '/api' } }, { balancer: 'blue', match: { path: '/api' }, enabled: false }],
    });
    expect(result.updateRoutes).toEqual([
      { id: 'r2', data: expect.objectContaining({ balancerId: 'b2', enabled: true }) },
      { id: 'r1', data: expect.objectContaining({ balancerId: 'b1', enabled: false }) },
    ]);
    expect(summary(result)).toEqual({ updateRoutes: ['r2', 'r1'] });
  });

  it('keeps a rebalance whose tolerance and pace are unchanged, and clears it when the document has none', () => {
    const rebalanced = { ...balancerRow('b1', 'chat'), rebalanceRequestedAt: T0, rebalanceTolerance: 0.2, rebalanceClosesPerSecond: 5 };
    expect(summary(plan({ balancers: [rebalanced], routes: [] }, { balancers: { chat: { rebalance: { tolerance: 0.2, closesPerSecond: 5 }, members: [] } }, routes: [] }))).toEqual({});
    const cleared = plan({ balancers: [rebalanced], routes: [] }, { balancers: { chat: { members: [] } }, routes: [] });
    expect(cleared.updateBalancers[0].data).toMatchObject({ rebalanceRequestedAt: null, rebalanceTolerance: null, rebalanceClosesPerSecond: null });
  });
});
