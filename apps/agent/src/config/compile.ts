import type { SnapshotBalancer, SnapshotConfig, SnapshotMember } from '@switchboard/protocol';
import { createPicker } from '../balancing/pickers';
import { compileRoutes } from '../routing/routes';
import type { CounterRegistry } from './member-counters';
import type { RuntimeBalancer, RuntimeConfig, RuntimeMember, UpstreamTarget } from './runtime';

/** Parses a member URL (already validated by the protocol schema): `ws`/`http` → plain TCP, `wss`/`https` → TLS, default ports 80/443. */
export function upstreamTarget(memberUrl: string): UpstreamTarget {
  const url = new URL(memberUrl);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  return {
    secure,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    basePath: url.pathname.replace(/\/$/, ''),
  };
}

function compileMember(member: SnapshotMember, balancerId: string, counters: CounterRegistry): RuntimeMember {
  return {
    id: member.id,
    balancerId,
    url: member.url,
    weight: member.weight,
    state: member.state,
    target: upstreamTarget(member.url),
    counters: counters.countersFor(member.id),
  };
}

function compileBalancer(balancer: SnapshotBalancer, counters: CounterRegistry): RuntimeBalancer {
  const members = balancer.members.map((member) => compileMember(member, balancer.id, counters));
  return {
    id: balancer.id,
    name: balancer.name,
    lbMethod: balancer.lbMethod,
    timeouts: balancer.timeouts,
    retries: balancer.failover.retries,
    members,
    picker: createPicker(balancer.lbMethod, members),
  };
}

/**
 * Compiles a validated configuration into what the proxy reads per request: balancers with
 * fresh picker state, members bound to their (surviving) counters, routes in match order.
 */
export function compileConfig(config: SnapshotConfig, counters: CounterRegistry): RuntimeConfig {
  const balancers = config.balancers.map((balancer) => compileBalancer(balancer, counters));
  const byId = new Map(balancers.map((balancer) => [balancer.id, balancer]));
  return { balancers, routes: compileRoutes(config.routes, (id) => byId.get(id)) };
}
