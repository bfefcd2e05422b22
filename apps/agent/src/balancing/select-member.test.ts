import { describe, expect, it } from 'vitest';
import { DEFAULT_HEALTH_CHECK } from '@switchboard/protocol';
import type { SnapshotBalancer, SnapshotMember } from '@switchboard/protocol';
import { compileConfig } from '../config/compile';
import { CounterRegistry } from '../config/member-counters';
import type { RuntimeBalancer, RuntimeMember } from '../config/runtime';
import { balancer, member, route } from '../testing/fixtures';
import { selectMember } from './select-member';

function runtimeBalancer(members: SnapshotMember[], overrides: Partial<SnapshotBalancer> = {}): RuntimeBalancer {
  return compileConfig({ balancers: [balancer('b', members, overrides)], routes: [route('r', 'b')] }, new CounterRegistry()).balancers[0]!;
}

function byId(target: RuntimeBalancer, id: string): RuntimeMember {
  return target.members.find((m) => m.id === id)!;
}

function picks(target: RuntimeBalancer, count: number, tried: RuntimeMember[] = []): string[] {
  return Array.from({ length: count }, () => selectMember(target, tried)?.id ?? '-');
}

function tally(ids: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

const url = (port: number) => `ws://127.0.0.1:${port}`;

describe('byrequests: smooth weighted round robin as NGINX', () => {
  it("weights 5,1,1 give a a b a c a a, the example of NGINX's smooth weighted round-robin change", () => {
    const target = runtimeBalancer([member('a', url(1), { weight: 5 }), member('b', url(2)), member('c', url(3))]);
    expect(picks(target, 14).join(' ')).toBe('a a b a c a a a a b a c a a');
  });

  it('equal weights alternate', () => {
    const target = runtimeBalancer([member('a', url(1)), member('b', url(2))]);
    expect(picks(target, 6)).toEqual(['a', 'b', 'a', 'b', 'a', 'b']);
  });

  it('spreads by weight exactly over a full cycle', () => {
    const target = runtimeBalancer([member('a', url(1), { weight: 3 }), member('b', url(2), { weight: 2 }), member('c', url(3), { weight: 5 })]);
    expect(tally(picks(target, 1000))).toEqual({ a: 300, b: 200, c: 500 });
  });

  it('counts elections', () => {
    const target = runtimeBalancer([member('a', url(1)), member('b', url(2))]);
    picks(target, 5);
    expect(target.members.map((m) => m.counters.elected)).toEqual([3, 2]);
  });

  it('skips members already tried for the request', () => {
    const target = runtimeBalancer([member('a', url(1)), member('b', url(2))]);
    expect(picks(target, 3, [target.members[0]!])).toEqual(['b', 'b', 'b']);
    expect(selectMember(target, target.members)).toBeUndefined();
  });
});

describe('bybusyness: fewest (tunnels + requests) / weight', () => {
  it('picks the least busy member', () => {
    const target = runtimeBalancer([member('a', url(1)), member('b', url(2)), member('c', url(3))], { lbMethod: 'bybusyness' });
    const [a, b, c] = target.members;
    a!.counters.openTunnels = 3;
    b!.counters.inflightRequests = 1;
    c!.counters.openTunnels = 2;
    expect(picks(target, 3)).toEqual(['b', 'b', 'b']);
  });

  it('divides by weight', () => {
    const target = runtimeBalancer([member('a', url(1), { weight: 4 }), member('b', url(2))], { lbMethod: 'bybusyness' });
    target.members[0]!.counters.openTunnels = 3;
    target.members[1]!.counters.openTunnels = 1;
    expect(selectMember(target, [])?.id).toBe('a');
  });

  it('shares ties fairly, so two idle members both get used', () => {
    const target = runtimeBalancer([member('a', url(1)), member('b', url(2))], { lbMethod: 'bybusyness' });
    expect(picks(target, 4)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('fills up evenly as connections open', () => {
    const target = runtimeBalancer([member('a', url(1)), member('b', url(2), { weight: 2 })], { lbMethod: 'bybusyness' });
    for (let i = 0; i < 30; i++) selectMember(target, [])!.counters.openTunnels += 1;
    expect(target.members.map((m) => m.counters.openTunnels)).toEqual([10, 20]);
  });

  it('counts tunnels still connecting as busy, so a burst of upgrades spreads', () => {
    const target = runtimeBalancer([member('a', url(1)), member('b', url(2))], { lbMethod: 'bybusyness' });
    target.members[0]!.counters.connectingTunnels = 2;
    target.members[1]!.counters.openTunnels = 1;
    expect(selectMember(target, [])?.id).toBe('b');
  });
});

describe('member states and passive health', () => {
  it('draining and disabled members get no new connections', () => {
    const target = runtimeBalancer([member('a', url(1), { state: 'draining' }), member('b', url(2), { state: 'disabled' }), member('c', url(3))]);
    expect(picks(target, 4)).toEqual(['c', 'c', 'c', 'c']);
  });

  it('no eligible member at all → undefined', () => {
    const target = runtimeBalancer([member('a', url(1), { state: 'draining' }), member('b', url(2), { state: 'disabled' })]);
    expect(selectMember(target, [])).toBeUndefined();
    expect(selectMember(runtimeBalancer([]), [])).toBeUndefined();
  });

  it('standby is used only when no active member is usable', () => {
    const target = runtimeBalancer([member('hot', url(1), { state: 'standby' }), member('a', url(2)), member('b', url(3), { state: 'draining' })]);
    expect(picks(target, 3)).toEqual(['a', 'a', 'a']);
    target.members[1]!.counters.markFailure();
    expect(picks(target, 2)).toEqual(['hot', 'hot']);
    expect(picks(target, 1, [target.members[0]!])).toEqual(['a']);
  });

  it('standby members are balanced by weight among themselves', () => {
    const target = runtimeBalancer([member('s1', url(1), { state: 'standby', weight: 2 }), member('s2', url(2), { state: 'standby' })]);
    expect(tally(picks(target, 30))).toEqual({ s1: 20, s2: 10 });
  });

  it('members seen down are skipped while another is usable, and tried again when all are down', () => {
    const target = runtimeBalancer([member('a', url(1)), member('b', url(2))]);
    target.members[0]!.counters.markFailure();
    expect(picks(target, 3)).toEqual(['b', 'b', 'b']);
    target.members[1]!.counters.markFailure();
    expect(picks(target, 4).sort()).toEqual(['a', 'a', 'b', 'b']);
    target.members[0]!.counters.markConnected();
    expect(picks(target, 2)).toEqual(['a', 'a']);
  });

  it('an active member seen down comes after a usable standby, before a standby seen down', () => {
    const target = runtimeBalancer([member('a', url(1)), member('s', url(2), { state: 'standby' })]);
    target.members[0]!.counters.markFailure();
    expect(selectMember(target, [])?.id).toBe('s');
    target.members[1]!.counters.markFailure();
    expect(selectMember(target, [])?.id).toBe('a');
    expect(selectMember(target, [target.members[0]!])?.id).toBe('s');
  });
});

describe('lbset tiers (Apache lbset)', () => {
  it('uses only the lowest lbset with a usable member, by weight within it', () => {
    const target = runtimeBalancer([member('c', url(3), { lbset: 2 }), member('a', url(1), { weight: 2, lbset: 1 }), member('b', url(2), { lbset: 1 })]);
    expect(tally(picks(target, 30))).toEqual({ a: 20, b: 10 });
  });

  it('falls to the next lbset when every member of the lower one is down, draining or disabled, and back when one recovers', () => {
    const target = runtimeBalancer([
      member('a', url(1)),
      member('d', url(2), { state: 'draining' }),
      member('x', url(3), { state: 'disabled' }),
      member('t1', url(4), { lbset: 1 }),
      member('t2', url(5), { lbset: 2 }),
    ]);
    expect(picks(target, 2)).toEqual(['a', 'a']);
    byId(target, 'a').counters.markFailure();
    expect(picks(target, 3)).toEqual(['t1', 't1', 't1']);
    byId(target, 't1').counters.markFailure();
    expect(picks(target, 2)).toEqual(['t2', 't2']);
    byId(target, 'a').counters.markConnected();
    expect(picks(target, 2)).toEqual(['a', 'a']);
  });

  it('failover within a request goes through the lower tier first, then the next tier', () => {
    const target = runtimeBalancer([member('a', url(1)), member('b', url(2)), member('t1', url(3), { lbset: 1 })]);
    const tried: RuntimeMember[] = [];
    for (let i = 0; i < 3; i++) tried.push(selectMember(target, tried)!);
    expect(tried.map((m) => m.id)).toEqual(['a', 'b', 't1']);
    expect(selectMember(target, tried)).toBeUndefined();
  });

  it('standby members are used only when no active member of any lbset is usable, lowest lbset first', () => {
    const target = runtimeBalancer([member('s0', url(1), { state: 'standby' }), member('s1', url(2), { state: 'standby', lbset: 1 }), member('a1', url(3), { lbset: 1 })]);
    expect(picks(target, 2)).toEqual(['a1', 'a1']);
    byId(target, 'a1').counters.markFailure();
    expect(picks(target, 2)).toEqual(['s0', 's0']);
    byId(target, 's0').counters.markFailure();
    expect(picks(target, 2)).toEqual(['s1', 's1']);
  });

  it('when every member is down, tries active members by lbset, then standby ones', () => {
    const target = runtimeBalancer([member('s', url(1), { state: 'standby' }), member('a1', url(2), { lbset: 1 }), member('a0', url(3))]);
    for (const m of target.members) m.counters.markFailure();
    const tried: RuntimeMember[] = [];
    for (let i = 0; i < 3; i++) tried.push(selectMember(target, tried)!);
    expect(tried.map((m) => m.id)).toEqual(['a0', 'a1', 's']);
  });

  it('applies to every lbmethod', () => {
    for (const lbMethod of ['byrequests', 'bybusyness', 'bytraffic', 'p2c', 'hash'] as const) {
      const target = runtimeBalancer([member('t1', url(1), { lbset: 1, weight: 100 }), member('t0a', url(2)), member('t0b', url(3))], { lbMethod });
      expect(picks(target, 20).filter((id) => id === 't1')).toEqual([]);
    }
  });
});

describe('sticky member', () => {
  it('takes an active, draining or standby member not seen down, even with another lbset usable', () => {
    const target = runtimeBalancer([member('a', url(1)), member('d', url(2), { state: 'draining', lbset: 1 }), member('s', url(3), { state: 'standby' })]);
    expect(selectMember(target, [], '', byId(target, 'd'))?.id).toBe('d');
    expect(selectMember(target, [], '', byId(target, 's'))?.id).toBe('s');
    expect(byId(target, 'd').counters.elected).toBe(1);
  });

  it('falls back to normal selection when the member is disabled, seen down, or already tried', () => {
    const target = runtimeBalancer([member('a', url(1)), member('x', url(2), { state: 'disabled' }), member('b', url(3))]);
    expect(selectMember(target, [], '', byId(target, 'x'))?.id).toBe('a');
    byId(target, 'b').counters.markFailure();
    expect(selectMember(target, [], '', byId(target, 'b'))?.id).toBe('a');
    expect(selectMember(target, [byId(target, 'a')], '', byId(target, 'a'))?.id).toBe('b');
  });

  it('keeps a draining member for sticky requests, but not for new tunnels once its paced drain closes tunnels', () => {
    const now = Date.now();
    const waiting = { startedAt: now, windowMs: 60_000, deadlineMs: 120_000 };
    const closing = { startedAt: now - 10_000, windowMs: 5_000, deadlineMs: 60_000 };
    const target = runtimeBalancer([member('a', url(1)), member('w', url(2), { state: 'draining', drain: waiting }), member('c', url(3), { state: 'draining', drain: closing })]);
    expect(selectMember(target, [], '', byId(target, 'w'), true)?.id).toBe('w');
    expect(selectMember(target, [], '', byId(target, 'c'), false)?.id).toBe('c');
    expect(selectMember(target, [], '', byId(target, 'c'), true)?.id).toBe('a');
  });
});

describe('passive health retry (Apache retry)', () => {
  function withClock(overrides: Partial<SnapshotBalancer>): { target: RuntimeBalancer; clock: { ms: number } } {
    const clock = { ms: 1_000_000 };
    const config = { balancers: [balancer('b', [member('a', url(1)), member('b', url(2))], overrides)], routes: [route('r', 'b')] };
    return { target: compileConfig(config, new CounterRegistry(() => clock.ms)).balancers[0]!, clock };
  }

  it('keeps a member down by passive health out for retryMs, then tries it again; a failed retry restarts the delay', () => {
    const { target, clock } = withClock({ passiveHealth: { fails: 1, retryMs: 5_000 } });
    const a = byId(target, 'a');
    a.counters.markFailure('ECONNREFUSED', a.passive);
    expect(picks(target, 3)).toEqual(['b', 'b', 'b']);
    clock.ms += 4_999;
    expect(picks(target, 2)).toEqual(['b', 'b']);
    clock.ms += 1;
    expect(picks(target, 2).sort()).toEqual(['a', 'b']);
    a.counters.markFailure('ECONNREFUSED', a.passive);
    expect(picks(target, 3)).toEqual(['b', 'b', 'b']);
    expect(selectMember(target, [], '', a)?.id).toBe('b');
    clock.ms += 5_000;
    expect(selectMember(target, [], '', a)?.id).toBe('a');
  });

  it('does not retry a member under an active check, however long it has been down', () => {
    const { target, clock } = withClock({ passiveHealth: { fails: 1, retryMs: 0 }, healthCheck: { ...DEFAULT_HEALTH_CHECK, type: 'tcp' } });
    const a = byId(target, 'a');
    a.counters.markFailure('ECONNREFUSED', a.passive);
    clock.ms += 3_600_000;
    expect(picks(target, 3)).toEqual(['b', 'b', 'b']);
  });
});
