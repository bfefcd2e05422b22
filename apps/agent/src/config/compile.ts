import { createHash } from 'node:crypto';
import type { SecureContext } from 'node:tls';
import { compileRoutes, DEFAULT_UPSTREAM_TLS } from '@switchboard/protocol';
import type { SnapshotBalancer, SnapshotConfig, SnapshotMember, UpstreamTls } from '@switchboard/protocol';
import { createCandidates, createPicker } from '../balancing/pickers';
import type { PickerOptions } from '../balancing/pickers';
import { hashString } from '../balancing/rendezvous';
import { upstreamTlsOptions } from '../tls/upstream-tls';
import type { CounterRegistry, PassiveRule } from './member-counters';
import type { RuntimeBalancer, RuntimeConfig, RuntimeMember, UpstreamTarget } from './runtime';

/**
 * Parses a member URL (already validated by the protocol schema): `ws`/`http` → plain TCP,
 * `wss`/`https` → TLS under the balancer's `tls` settings and the agent-wide `trust` (see
 * upstreamTlsOptions), default ports 80/443.
 */
export function upstreamTarget(memberUrl: string, tls: UpstreamTls = DEFAULT_UPSTREAM_TLS, trust?: SecureContext): UpstreamTarget {
  const url = new URL(memberUrl);
  const secure = url.protocol === 'https:' || url.protocol === 'wss:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    secure,
    host,
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    basePath: url.pathname.replace(/\/$/, ''),
    tls: secure ? upstreamTlsOptions(host, tls, trust) : null,
  };
}

/** The member URL's `host[:port]` (default port omitted, IPv6 in brackets) and its origin as HTTP(S). */
export function memberAuthority(memberUrl: string): { host: string; origin: string } {
  const url = new URL(memberUrl);
  const http = new URL(`${url.protocol === 'wss:' || url.protocol === 'https:' ? 'https' : 'http'}://${url.host}`);
  return { host: http.host, origin: http.origin };
}

/** The sticky cookie value naming a member: the first 12 hex digits of sha1(member id), stable across snapshots and agents, opaque to clients. */
export function routeToken(memberId: string): string {
  return createHash('sha1').update(memberId).digest('hex').slice(0, 12);
}

/** What compileConfig needs besides the configuration. */
export interface CompileOptions extends PickerOptions {
  /** The runtime served until now (undefined for the first configuration the agent loads): members it lacked, or had draining or disabled, start slow start now. */
  readonly previous?: RuntimeConfig;
  /** The agent-wide trust for https/wss members (createUpstreamTrust); absent = Node's default CAs. */
  readonly upstreamTrust?: SecureContext;
}

/** The passive health rule of a balancer's members: with an active check, no retry by traffic (only the check brings a member back up). */
function passiveRule(balancer: SnapshotBalancer): PassiveRule {
  const checked = balancer.healthCheck.type !== 'none';
  return { fails: balancer.passiveHealth.fails, retryMs: checked ? Infinity : balancer.passiveHealth.retryMs, checked };
}

function compileMember(member: SnapshotMember, index: number, balancer: SnapshotBalancer, counters: CounterRegistry, passive: PassiveRule, trust: SecureContext | undefined): RuntimeMember {
  const cookie = balancer.sticky.mode === 'cookie' ? balancer.sticky.name : null;
  const token = cookie === null ? '' : routeToken(member.id);
  const authority = memberAuthority(member.url);
  const { mode, value } = balancer.hostHeader;
  return {
    id: member.id,
    balancerId: balancer.id,
    url: member.url,
    index,
    weight: member.weight,
    lbset: member.lbset,
    state: member.state,
    drain: member.drain,
    target: upstreamTarget(member.url, balancer.tls, trust),
    counters: counters.countersFor(member.id),
    routeToken: token,
    setCookie: cookie === null ? '' : `${cookie}=${token}; Path=/; HttpOnly; SameSite=Lax`,
    hashSeed: hashString(member.id),
    hostHeader: mode === 'member' ? authority.host : mode === 'set' ? value : null,
    origin: authority.origin,
    passive,
  };
}

function compileBalancer(balancer: SnapshotBalancer, counters: CounterRegistry, options: CompileOptions): RuntimeBalancer {
  const passive = passiveRule(balancer);
  const members = balancer.members.map((member, index) => compileMember(member, index, balancer, counters, passive, options.upstreamTrust));
  const hashKey = balancer.hash.source === 'header' && balancer.hash.name ? { source: 'header' as const, name: balancer.hash.name.toLowerCase() } : balancer.hash;
  return {
    id: balancer.id,
    name: balancer.name,
    lbMethod: balancer.lbMethod,
    timeouts: balancer.timeouts,
    healthCheck: balancer.healthCheck,
    retries: balancer.failover.retries,
    maxTunnelsPerMember: balancer.limits.maxTunnelsPerMember,
    queueTimeoutMs: balancer.limits.queueTimeoutMs,
    members,
    picker: createPicker(balancer.lbMethod, members, options),
    slowStartMs: balancer.slowStartMs,
    stickyCookie: balancer.sticky.mode === 'cookie' ? balancer.sticky.name : null,
    byRouteToken: new Map(balancer.sticky.mode === 'cookie' ? members.map((member) => [member.routeToken, member]) : []),
    hashKey,
    usesClock: balancer.slowStartMs > 0 || balancer.lbMethod === 'bytraffic',
    clock: counters.clock,
    candidates: createCandidates(members.length),
    rebalance: balancer.rebalance,
  };
}

/**
 * Starts slow start (MemberCounters.usableSince) for the members that become usable with this
 * configuration: added (absent from `previous`), or active now after draining or disabled.
 * Nothing for the first configuration loaded: its members start at full weight.
 */
function markNewlyUsable(balancers: readonly RuntimeBalancer[], previous: RuntimeConfig | undefined, now: number): void {
  if (!previous) return;
  const before = new Map<string, RuntimeMember>();
  for (const balancer of previous.balancers) for (const member of balancer.members) before.set(member.id, member);
  for (const balancer of balancers) {
    for (const member of balancer.members) {
      const old = before.get(member.id);
      if (!old || (member.state === 'active' && (old.state === 'draining' || old.state === 'disabled'))) member.counters.usableSince = now;
    }
  }
}

/**
 * Compiles a validated configuration into what the proxy reads per request: balancers with
 * fresh picker state, members bound to their (surviving) counters, routes in match order.
 */
export function compileConfig(config: SnapshotConfig, counters: CounterRegistry, options: CompileOptions = {}): RuntimeConfig {
  const balancers = config.balancers.map((balancer) => compileBalancer(balancer, counters, options));
  markNewlyUsable(balancers, options.previous, counters.clock());
  const byId = new Map(balancers.map((balancer) => [balancer.id, balancer]));
  return { balancers, routes: compileRoutes(config.routes, (id) => byId.get(id)) };
}
