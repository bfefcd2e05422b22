import { describe, expect, it } from 'vitest';
import { applyMemberChange, awaitsDrainedAt, buildRows, hasUnknownMembers, newerSnapshot, tunnelsByBalancer } from './rows';
import type { Member, MemberFigures, Stats } from '@switchboard/api-client';

const member = (id: string, state: Member['state'], updatedAt: string): Member => ({
  id,
  balancerId: 'b1',
  url: `ws://127.0.0.1/${id}`,
  name: id,
  weight: 1,
  lbset: 0,
  state,
  drain: null,
  createdAt: '2030-01-01T00:00:00Z',
  updatedAt,
});

const stats = (at: string, rows: Partial<MemberFigures>[]): Stats => ({
  at,
  revision: 1,
  members: rows.map((r) => ({
    balancerId: 'b1',
    memberId: 'm1',
    url: '',
    name: null,
    state: 'active',
    weight: 1,
    health: 'up',
    openTunnels: 0,
    inflightRequests: 0,
    elected: 0,
    bytesIn: 0,
    bytesOut: 0,
    failures: 0,
    closedByAgent: 0,
    agents: [],
    ...r,
  })),
});

describe('buildRows', () => {
  it('takes figures and state from the feed', () => {
    const rows = buildRows([member('m1', 'active', '2030-01-01T00:00:00Z')], stats('2030-01-01T00:00:05Z', [{ state: 'disabled', weight: 7, openTunnels: 3 }]));
    expect(rows[0]).toMatchObject({ state: 'disabled', weight: 7, figures: { openTunnels: 3 } });
    const noWeight = buildRows([member('m1', 'active', '2030-01-01T00:00:00Z')], stats('2030-01-01T00:00:05Z', [{}]));
    expect(noWeight[0]?.weight).toBe(1);
  });

  it('keeps a freshly written state against an older snapshot', () => {
    const fresh = { ...member('m1', 'draining', '2030-01-01T00:00:10Z'), weight: 50 };
    const rows = buildRows([fresh], stats('2030-01-01T00:00:09Z', [{ state: 'active', weight: 1, openTunnels: 2 }]));
    expect(rows[0]).toMatchObject({ state: 'draining', weight: 50, figures: { openTunnels: 2 } });
  });

  it('shows members the feed does not know yet, without figures', () => {
    const rows = buildRows([member('m2', 'standby', '2030-01-01T00:00:00Z')], stats('2030-01-01T00:00:05Z', []));
    expect(rows[0]).toMatchObject({ state: 'standby', figures: null });
    expect(buildRows([member('m2', 'active', 'x')], null)[0]?.figures).toBeNull();
  });
});

describe('snapshot helpers', () => {
  it('notices members added elsewhere', () => {
    const s = stats('2030-01-01T00:00:05Z', [{ memberId: 'm1' }, { memberId: 'm9' }, { memberId: 'zz', balancerId: 'other' }]);
    expect(hasUnknownMembers('b1', [member('m1', 'active', '')], s)).toBe(true);
    expect(hasUnknownMembers('b1', [member('m1', 'active', ''), member('m9', 'active', '')], s)).toBe(false);
  });

  it('never goes back in time', () => {
    const a = stats('2030-01-01T00:00:05Z', []);
    const b = stats('2030-01-01T00:00:04Z', []);
    expect(newerSnapshot(a, b)).toBe(a);
    expect(newerSnapshot(b, a)).toBe(a);
    expect(newerSnapshot(null, b)).toBe(b);
  });

  it('sums open tunnels per balancer', () => {
    const s = stats('2030-01-01T00:00:05Z', [{ openTunnels: 2 }, { memberId: 'm2', openTunnels: 3 }, { balancerId: 'b2', openTunnels: 1 }]);
    expect(Object.fromEntries(tunnelsByBalancer(s))).toEqual({ b1: 5, b2: 1 });
  });
});

describe('awaitsDrainedAt', () => {
  const draining = (drainedAt: string | null): Member => ({
    ...member('m1', 'draining', '2030-01-01T00:00:00Z'),
    drain: { startedAt: '2030-01-01T00:00:00Z', windowMs: null, deadlineMs: null, remainingTunnels: 2, drainedAt },
  });
  const at = '2030-01-01T00:00:05Z';

  it('waits for drainedAt once the feed shows no tunnels left', () => {
    expect(awaitsDrainedAt(buildRows([draining(null)], stats(at, [{ openTunnels: 0 }])))).toBe(true);
    expect(awaitsDrainedAt(buildRows([draining(null)], null))).toBe(true);
  });

  it('does not while tunnels remain, once drained, or without a drain', () => {
    expect(awaitsDrainedAt(buildRows([draining(null)], stats(at, [{ openTunnels: 2 }])))).toBe(false);
    expect(awaitsDrainedAt(buildRows([draining(at)], stats(at, [{ openTunnels: 0 }])))).toBe(false);
    expect(awaitsDrainedAt(buildRows([member('m1', 'active', at)], stats(at, [{ openTunnels: 0 }])))).toBe(false);
  });
});

describe('applyMemberChange', () => {
  it('appends a new member, replaces a changed one and drops a removed one', () => {
    const a = member('a', 'active', '2030-01-01T00:00:00Z');
    const b = member('b', 'active', '2030-01-01T00:00:00Z');
    const b2 = { ...b, weight: 7 };
    expect(applyMemberChange([a], b)).toEqual([a, b]);
    expect(applyMemberChange([a, b], b2)).toEqual([a, b2]);
    expect(applyMemberChange([a, b], a, true)).toEqual([b]);
  });
});
