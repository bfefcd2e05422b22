import { DEFAULT_FAILOVER, DEFAULT_HASH_KEY, DEFAULT_HEALTH_CHECK, DEFAULT_HOST_HEADER, DEFAULT_LIMITS, DEFAULT_PASSIVE_HEALTH, DEFAULT_STICKY, DEFAULT_TIMEOUTS, DEFAULT_UPSTREAM_TLS } from '@switchboard/protocol';
import { hashConfig } from '@switchboard/protocol/node';
import { route } from '../../../../libs/protocol/src/routing/fixtures';
import type { Snapshot, SnapshotBalancer, SnapshotConfig, SnapshotMember } from '@switchboard/protocol';

/** A member of the snapshot schema: weight 1, lbset 0, active, unless overridden. */
export function member(id: string, url: string, overrides: Partial<SnapshotMember> = {}): SnapshotMember {
  return { id, url, name: null, weight: 1, lbset: 0, state: 'active', drain: null, ...overrides };
}

/** A balancer named after its id: byrequests, not sticky, hash of the client IP, no slow start, client Host kept, the protocol's default timeouts, limits, failover, health checks (passive only) and upstream TLS (verified), no rebalance, unless overridden. */
export function balancer(id: string, members: SnapshotMember[], overrides: Partial<SnapshotBalancer> = {}): SnapshotBalancer {
  return { id, name: id, lbMethod: 'byrequests', sticky: DEFAULT_STICKY, hash: DEFAULT_HASH_KEY, slowStartMs: 0, hostHeader: DEFAULT_HOST_HEADER, timeouts: DEFAULT_TIMEOUTS, limits: DEFAULT_LIMITS, failover: DEFAULT_FAILOVER, healthCheck: DEFAULT_HEALTH_CHECK, passiveHealth: DEFAULT_PASSIVE_HEALTH, tls: DEFAULT_UPSTREAM_TLS, rebalance: null, members, ...overrides };
}

/** An enabled route with prefix `/`, any host, any websocket-ness, priority 0, unless overridden (the route matcher's own fixture). */
export { route };

/** A snapshot with its correct hash. */
export function snapshotOf(revision: number, config: SnapshotConfig): Snapshot {
  return { revision, hash: hashConfig(config), config };
}

/** One balancer `b1` with the given members and a catch-all route to it. */
export function singleBalancer(members: SnapshotMember[], overrides: Partial<SnapshotBalancer> = {}): SnapshotConfig {
  return { balancers: [balancer('b1', members, overrides)], routes: [route('r1', 'b1')] };
}
