import { describe, expect, it } from 'vitest';
import { balancer, member, route, singleBalancer, snapshotOf } from '../testing/fixtures';
import { selectMember } from '../balancing/select-member';
import { ConfigState } from './config-state';
import { CounterRegistry } from './member-counters';

const one = singleBalancer([member('m1', 'ws://127.0.0.1:1'), member('m2', 'ws://127.0.0.1:2')]);
const two = singleBalancer([member('m1', 'ws://127.0.0.1:1', { state: 'draining' }), member('m2', 'ws://127.0.0.1:2')]);

describe('ConfigState.offer', () => {
  it('applies a valid snapshot', () => {
    const state = new ConfigState(new CounterRegistry());
    const snapshot = snapshotOf(1, one);
    expect(state.offer(snapshot, 'control-plane')).toEqual({ result: 'applied', revision: 1, hash: snapshot.hash });
    expect(state.current).toMatchObject({ revision: 1, hash: snapshot.hash, config: one, source: 'control-plane' });
    expect(state.current!.runtime.balancers[0]!.members.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(state.current!.runtime.routes.map((r) => r.id)).toEqual(['r1']);
  });

  it('rejects a schema violation with the issues, keeping the previous configuration', () => {
    const state = new ConfigState(new CounterRegistry());
    state.offer(snapshotOf(1, one), 'control-plane');
    const bad = snapshotOf(2, singleBalancer([member('m1', 'ftp://nowhere', { weight: 0 })]));
    const outcome = state.offer(bad, 'control-plane');
    expect(outcome).toMatchObject({ result: 'rejected', revision: 2 });
    expect(outcome.result === 'rejected' && outcome.reason).toMatch(/config\.balancers\.0\.members\.0\.url: must be an absolute/);
    expect(outcome.result === 'rejected' && outcome.reason).toMatch(/config\.balancers\.0\.members\.0\.weight/);
    expect(state.current!.revision).toBe(1);
  });

  it('rejects an inconsistent snapshot (route to an unknown balancer, duplicate ids)', () => {
    const state = new ConfigState(new CounterRegistry());
    const config = { balancers: [balancer('b1', [member('m', 'ws://h:1'), member('m', 'ws://h:2')])], routes: [route('r1', 'nope')] };
    const outcome = state.offer(snapshotOf(3, config), 'control-plane');
    expect(outcome.result === 'rejected' && outcome.reason).toMatch(/duplicate member id m.*unknown balancer nope/);
    expect(state.current).toBeNull();
  });

  it('rejects a hash that does not cover the config', () => {
    const state = new ConfigState(new CounterRegistry());
    const outcome = state.offer({ ...snapshotOf(4, one), hash: 'f'.repeat(64) }, 'control-plane');
    expect(outcome).toMatchObject({ result: 'rejected', revision: 4 });
    expect(outcome.result === 'rejected' && outcome.reason).toMatch(/^hash: does not match/);
  });

  it('names revision 0 in the nack of something without a usable revision', () => {
    const state = new ConfigState(new CounterRegistry());
    expect(state.offer('nonsense', 'control-plane')).toMatchObject({ result: 'rejected', revision: 0 });
    expect(state.offer({ revision: -3 }, 'control-plane')).toMatchObject({ result: 'rejected', revision: 0 });
  });

  it('same hash: no re-apply, takes over the revision and the source', () => {
    const state = new ConfigState(new CounterRegistry());
    state.offer(snapshotOf(1, one), 'cache');
    const before = state.current!;
    expect(state.offer(snapshotOf(7, one), 'control-plane')).toMatchObject({ result: 'unchanged', revision: 7 });
    expect(state.current!.runtime).toBe(before.runtime);
    expect(state.current).toMatchObject({ revision: 7, source: 'control-plane', appliedAt: before.appliedAt });
  });

  it('hashes the config as received, so unknown fields from a newer control plane pass', () => {
    const state = new ConfigState(new CounterRegistry());
    const config = { ...one, futureField: { x: 1 } };
    const outcome = state.offer(snapshotOf(1, config), 'control-plane');
    expect(outcome.result).toBe('applied');
    expect(state.current!.config).toEqual(one);
    expect(state.current!.rawConfig).toEqual(config);
  });

  it('keeps per-member counters across snapshots and rebuilds the round-robin state', () => {
    const state = new ConfigState(new CounterRegistry());
    state.offer(snapshotOf(1, one), 'control-plane');
    const old = state.current!.runtime;
    const oldM1 = old.balancers[0]!.members[0]!;
    oldM1.counters.openTunnels = 1;
    selectMember(old.balancers[0]!, []);
    state.offer(snapshotOf(2, two), 'control-plane');
    const fresh = state.current!.runtime;
    expect(fresh).not.toBe(old);
    expect(fresh.balancers[0]!.picker).not.toBe(old.balancers[0]!.picker);
    const m1 = fresh.balancers[0]!.members[0]!;
    expect(m1.state).toBe('draining');
    expect(m1.counters).toBe(oldM1.counters);
    expect(m1.counters).toMatchObject({ openTunnels: 1, elected: 1 });
    expect(oldM1.state).toBe('active');
  });
});
