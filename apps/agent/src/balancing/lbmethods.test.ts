import { describe, expect, it } from 'vitest';
import type { SnapshotBalancer, SnapshotMember } from '@switchboard/protocol';
import { compileConfig } from '../config/compile';
import type { CompileOptions } from '../config/compile';
import { ConfigState } from '../config/config-state';
import { CounterRegistry } from '../config/member-counters';
import type { RuntimeBalancer, RuntimeMember } from '../config/runtime';
import { balancer, member, route, singleBalancer, snapshotOf } from '../testing/fixtures';
import { effectiveWeight, selectMember } from './select-member';

const url = (port: number) => `ws://127.0.0.1:${port}`;

/** A clock the test moves by hand. */
class FakeClock {
  ms = 1_000_000;
  readonly now = (): number => this.ms;
}

/** mulberry32: a small seeded PRNG, so random lbmethods are reproducible. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function compile(members: SnapshotMember[], overrides: Partial<SnapshotBalancer> = {}, registry = new CounterRegistry(), options: CompileOptions = {}): RuntimeBalancer {
  return compileConfig({ balancers: [balancer('b', members, overrides)], routes: [route('r', 'b')] }, registry, options).balancers[0]!;
}

function byId(target: RuntimeBalancer, id: string): RuntimeMember {
  return target.members.find((m) => m.id === id)!;
}

function tally(target: RuntimeBalancer, count: number, key = ''): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const id = selectMember(target, [], key)!.id;
    counts[id] = (counts[id] ?? 0) + 1;
  }
  return counts;
}

describe('bytraffic: fewest recent bytes / weight, halving every 10 s', () => {
  it('prefers the member with less traffic, dividing by weight', () => {
    const clock = new FakeClock();
    const target = compile([member('a', url(1), { weight: 2 }), member('b', url(2))], { lbMethod: 'bytraffic' }, new CounterRegistry(clock.now));
    byId(target, 'a').counters.bytesIn = 1000;
    byId(target, 'b').counters.bytesOut = 400;
    expect(selectMember(target, [])?.id).toBe('b'); // 400 < 1000/2
    byId(target, 'b').counters.bytesOut += 200;
    expect(selectMember(target, [])?.id).toBe('a'); // 600 > 1000/2
  });

  it('lets old traffic decay with a 10 s half-life', () => {
    const clock = new FakeClock();
    const target = compile([member('a', url(1)), member('b', url(2))], { lbMethod: 'bytraffic' }, new CounterRegistry(clock.now));
    const [a, b] = target.members;
    a!.counters.bytesIn = 1000;
    expect(selectMember(target, [])?.id).toBe('b');
    clock.ms += 10_000;
    b!.counters.bytesOut = 600;
    expect(a!.counters.recentTraffic(clock.ms)).toBeCloseTo(500, 6);
    expect(selectMember(target, [])?.id).toBe('a'); // 500 < 600
    clock.ms += 30_000;
    expect(a!.counters.recentTraffic(clock.ms)).toBeCloseTo(62.5, 6);
    expect(b!.counters.recentTraffic(clock.ms)).toBeCloseTo(75, 6);
  });

  it('shares idle members by weight with the smooth round robin', () => {
    const target = compile([member('a', url(1), { weight: 3 }), member('b', url(2))], { lbMethod: 'bytraffic' });
    expect(tally(target, 40)).toEqual({ a: 30, b: 10 });
  });
});

describe('p2c: the less busy of two random members (NGINX random two least_conn)', () => {
  it('takes a single candidate directly', () => {
    const target = compile([member('a', url(1)), member('b', url(2), { state: 'draining' })], { lbMethod: 'p2c' });
    expect(tally(target, 5)).toEqual({ a: 5 });
  });

  it('never picks the busiest of three, and uses both others', () => {
    const target = compileConfig(singleBalancer([member('a', url(1)), member('b', url(2)), member('c', url(3))], { lbMethod: 'p2c' }), new CounterRegistry(), { random: seeded(1) }).balancers[0]!;
    byId(target, 'a').counters.openTunnels = 10;
    const counts = tally(target, 300);
    expect(counts['a']).toBeUndefined();
    expect(counts['b']).toBeGreaterThan(100);
    expect(counts['c']).toBeGreaterThan(100);
  });

  it('compares busyness divided by weight', () => {
    const target = compileConfig(singleBalancer([member('a', url(1), { weight: 4 }), member('b', url(2))], { lbMethod: 'p2c' }), new CounterRegistry(), { random: seeded(2) }).balancers[0]!;
    byId(target, 'a').counters.openTunnels = 3;
    byId(target, 'b').counters.openTunnels = 1;
    expect(tally(target, 20)).toEqual({ a: 20 });
  });

  it('draws by weight, so idle members share new connections by weight', () => {
    const target = compileConfig(singleBalancer([member('a', url(1), { weight: 3 }), member('b', url(2)), member('c', url(3))], { lbMethod: 'p2c' }), new CounterRegistry(), { random: seeded(3) }).balancers[0]!;
    const counts = tally(target, 10_000);
    // First of two weighted draws without replacement: a 3/5 + (1/5)(3/4)·0 … = 0.6; b and c 0.2 each.
    expect(counts['a']! / 10_000).toBeCloseTo(0.6, 1);
    expect(counts['b']! / 10_000).toBeCloseTo(0.2, 1);
  });

  it('fills members evenly as connections open', () => {
    const target = compileConfig(singleBalancer([member('a', url(1)), member('b', url(2)), member('c', url(3)), member('d', url(4))], { lbMethod: 'p2c' }), new CounterRegistry(), { random: seeded(4) }).balancers[0]!;
    for (let i = 0; i < 400; i++) selectMember(target, [])!.counters.openTunnels += 1;
    for (const m of target.members) expect(m.counters.openTunnels).toBeGreaterThan(90);
  });
});

describe('hash: weighted rendezvous hashing of the key', () => {
  const keys = Array.from({ length: 10_000 }, (_, i) => `client-${i}`);
  const members = (count: number, weight = (_i: number) => 1) => Array.from({ length: count }, (_, i) => member(`m${i}`, url(i + 1), { weight: weight(i) }));
  const assign = (target: RuntimeBalancer, tried: (key: string) => RuntimeMember[] = () => []) => keys.map((key) => selectMember(target, tried(key), key)!.id);

  it('keeps a key on the same member across requests and recompiled snapshots', () => {
    const first = assign(compile(members(5), { lbMethod: 'hash' }));
    expect(assign(compile(members(5), { lbMethod: 'hash' }))).toEqual(first);
    // The order of members in the snapshot does not matter either.
    expect(assign(compile(members(5).reverse(), { lbMethod: 'hash' }))).toEqual(first);
  });

  it('spreads keys evenly, and by weight', () => {
    const even = assign(compile(members(5), { lbMethod: 'hash' }));
    for (let i = 0; i < 5; i++) expect(even.filter((id) => id === `m${i}`).length / keys.length).toBeCloseTo(0.2, 1);
    const weighted = assign(compile(members(2, (i) => (i === 0 ? 3 : 1)), { lbMethod: 'hash' }));
    expect(weighted.filter((id) => id === 'm0').length / keys.length).toBeCloseTo(0.75, 1);
  });

  it('adding a sixth member moves about 1/6 of the keys, all to it', () => {
    const before = assign(compile(members(5), { lbMethod: 'hash' }));
    const after = assign(compile(members(6), { lbMethod: 'hash' }));
    const moved = keys.filter((_, i) => before[i] !== after[i]);
    expect(moved.length / keys.length).toBeGreaterThan(1 / 6 - 0.02);
    expect(moved.length / keys.length).toBeLessThan(1 / 6 + 0.02);
    expect(keys.every((_, i) => before[i] === after[i] || after[i] === 'm5')).toBe(true);
  });

  it('removing a member moves only its keys', () => {
    const before = assign(compile(members(6), { lbMethod: 'hash' }));
    const after = assign(compile(members(6).filter((m) => m.id !== 'm2'), { lbMethod: 'hash' }));
    for (let i = 0; i < keys.length; i++) {
      if (before[i] === 'm2') expect(after[i]).not.toBe('m2');
      else expect(after[i]).toBe(before[i]);
    }
    expect(before.filter((id) => id === 'm2').length / keys.length).toBeCloseTo(1 / 6, 1);
  });

  it('fails over to the next-highest score: where the key would go without the member tried', () => {
    const full = compile(members(5), { lbMethod: 'hash' });
    const first = assign(full);
    const failover = assign(full, (key) => [byId(full, first[keys.indexOf(key)]!)]);
    const without = keys.map((key, i) => selectMember(compile(members(5).filter((m) => m.id !== first[i]), { lbMethod: 'hash' }), [], key)!.id);
    expect(failover).toEqual(without);
  });

  it('skips members seen down the same way, and comes back when they recover', () => {
    const target = compile(members(4), { lbMethod: 'hash' });
    const before = assign(target);
    byId(target, 'm1').counters.markFailure();
    const during = assign(target);
    expect(keys.every((_, i) => (before[i] === 'm1' ? during[i] !== 'm1' : during[i] === before[i]))).toBe(true);
    byId(target, 'm1').counters.markConnected();
    expect(assign(target)).toEqual(before);
  });
});

describe('slow start: weight ramps from weight/10 over slowStartMs', () => {
  const members3 = [member('a', url(1)), member('b', url(2)), member('c', url(3))];
  const config = (members: SnapshotMember[], overrides: Partial<SnapshotBalancer> = {}) => singleBalancer(members, { slowStartMs: 10_000, ...overrides });

  it('the ramp is linear from weight/10 to the full weight', () => {
    const clock = new FakeClock();
    const target = compile([member('a', url(1), { weight: 10 })], {}, new CounterRegistry(clock.now));
    const a = target.members[0]!;
    a.counters.usableSince = clock.ms;
    expect(effectiveWeight(a, 10_000, clock.ms)).toBeCloseTo(1, 9);
    expect(effectiveWeight(a, 10_000, clock.ms + 5_000)).toBeCloseTo(5.5, 9);
    expect(effectiveWeight(a, 10_000, clock.ms + 10_000)).toBe(10);
    expect(effectiveWeight(a, 0, clock.ms)).toBe(10);
  });

  it('members of the first configuration loaded start at full weight; a member added later ramps up', () => {
    const clock = new FakeClock();
    const state = new ConfigState(new CounterRegistry(clock.now));
    state.offer(snapshotOf(1, config(members3.slice(0, 2))), 'cache');
    const first = state.current!.runtime.balancers[0]!;
    expect(first.members.map((m) => effectiveWeight(m, 10_000, clock.ms))).toEqual([1, 1]);
    state.offer(snapshotOf(2, config(members3)), 'control-plane');
    const target = state.current!.runtime.balancers[0]!;
    expect(target.members.map((m) => effectiveWeight(m, 10_000, clock.ms))).toEqual([1, 1, 0.1]);
    expect(tally(target, 210)).toEqual({ a: 100, b: 100, c: 10 });
    clock.ms += 5_000; // c at 0.55
    const half = tally(target, 2550);
    expect(half['c']).toBeGreaterThanOrEqual(549);
    expect(half['c']).toBeLessThanOrEqual(551);
    clock.ms += 5_000;
    expect(tally(target, 300)).toEqual({ a: 100, b: 100, c: 100 });
  });

  it('a member made active again after draining or disabled ramps up; standby → active does not', () => {
    const clock = new FakeClock();
    const state = new ConfigState(new CounterRegistry(clock.now));
    state.offer(snapshotOf(1, config([member('a', url(1), { state: 'draining' }), member('b', url(2), { state: 'disabled' }), member('c', url(3), { state: 'standby' })])), 'control-plane');
    clock.ms += 60_000;
    state.offer(snapshotOf(2, config(members3)), 'control-plane');
    const weights = state.current!.runtime.balancers[0]!.members.map((m) => effectiveWeight(m, 10_000, clock.ms));
    expect(weights).toEqual([0.1, 0.1, 1]);
  });

  it('a member seen up after down ramps up; unknown → up does not', () => {
    const clock = new FakeClock();
    const target = compile(members3.slice(0, 2), { slowStartMs: 10_000 }, new CounterRegistry(clock.now));
    const [a, b] = target.members;
    a!.counters.markConnected();
    b!.counters.markFailure();
    clock.ms += 1_000;
    b!.counters.markConnected();
    expect(effectiveWeight(a!, 10_000, clock.ms)).toBe(1);
    expect(effectiveWeight(b!, 10_000, clock.ms)).toBeCloseTo(0.1, 9);
    clock.ms += 2_000;
    expect(effectiveWeight(b!, 10_000, clock.ms)).toBeCloseTo(0.28, 9);
  });

  it('every weighted lbmethod uses the effective weight', () => {
    for (const lbMethod of ['byrequests', 'bybusyness', 'bytraffic', 'p2c', 'hash'] as const) {
      const clock = new FakeClock();
      const registry = new CounterRegistry(clock.now);
      const previous = compileConfig(config(members3.slice(0, 2), { lbMethod }), registry);
      const target = compileConfig(config(members3, { lbMethod }), registry, { previous, random: seeded(5) }).balancers[0]!;
      let c = 0;
      for (let i = 0; i < 2100; i++) if (selectMember(target, [], `key-${i}`)!.id === 'c') c += 1;
      expect(c, lbMethod).toBeGreaterThan(40);
      expect(c, lbMethod).toBeLessThan(250);
    }
  });
});
