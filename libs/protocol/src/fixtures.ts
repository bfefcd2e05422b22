// Test fixtures of the snapshot schema, shared by the lib's, the agent's and the dashboard's
// tests (imported by path; not exported from the lib's index, so no bundle carries them).
import { DEFAULT_FAILOVER, DEFAULT_HASH_KEY, DEFAULT_HEALTH_CHECK, DEFAULT_HOST_HEADER, DEFAULT_LIMITS, DEFAULT_PASSIVE_HEALTH, DEFAULT_STICKY, DEFAULT_TIMEOUTS, DEFAULT_UPSTREAM_TLS, type SnapshotBalancer, type SnapshotMember } from './config';

export { route } from './routing/fixtures';

/** A member of the snapshot schema: weight 1, lbset 0, active, unless overridden. */
export function member(id: string, url: string, overrides: Partial<SnapshotMember> = {}): SnapshotMember {
  return { id, url, name: null, weight: 1, lbset: 0, state: 'active', drain: null, ...overrides };
}

/**
 * A balancer named after its id: byrequests, not sticky, hash of the client IP, no slow start,
 * client Host kept, the protocol's default timeouts, limits, failover, health checks (passive
 * only) and upstream TLS (verified), no rebalance, unless overridden. Every object is a fresh
 * copy, so a test that changes one never changes the protocol's defaults or another balancer.
 */
export function balancer(id: string, members: SnapshotMember[], overrides: Partial<SnapshotBalancer> = {}): SnapshotBalancer {
  return { ...defaults(), id, name: id, members, ...overrides };
}

function defaults(): Omit<SnapshotBalancer, 'id' | 'name' | 'members'> {
  return structuredClone({ lbMethod: 'byrequests', sticky: DEFAULT_STICKY, hash: DEFAULT_HASH_KEY, slowStartMs: 0, hostHeader: DEFAULT_HOST_HEADER, timeouts: DEFAULT_TIMEOUTS, limits: DEFAULT_LIMITS, failover: DEFAULT_FAILOVER, healthCheck: DEFAULT_HEALTH_CHECK, passiveHealth: DEFAULT_PASSIVE_HEALTH, tls: DEFAULT_UPSTREAM_TLS, rebalance: null });
}
