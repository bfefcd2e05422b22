import { canonicalJson } from '@switchboard/protocol/node';
import type { MemberDrain, ParsedDocumentMember, ParsedDocumentRoute, Rebalance, SnapshotMember } from '@switchboard/protocol';
import { healthCheckColumns, policyColumns, type BalancerSettings } from '../balancers/balancer.dto';
import type { Balancer, Member, Route } from '../generated/prisma/client';
import { drainOf } from '../members/member.dto';

/** A balancer row with its members, as the config store reads it. */
export type BalancerWithMembers = Balancer & { members: Member[] };

/** A balancer's settings in the snapshot's shape, its name included, its id and members not. */
export type BalancerState = Omit<BalancerSettings, 'id'>;

/** The Balancer columns of a balancer's settings (every one of them). */
export function balancerColumns(settings: BalancerState) {
  const { timeouts, limits, rebalance } = settings;
  return {
    name: settings.name,
    lbMethod: settings.lbMethod,
    ...policyColumns(settings),
    ...healthCheckColumns(settings.healthCheck),
    connectMs: timeouts.connectMs,
    tunnelIdleMs: timeouts.tunnelIdleMs,
    keepAliveMs: timeouts.keepAliveMs,
    responseHeaderMs: timeouts.responseHeaderMs,
    maxTunnelsPerMember: limits.maxTunnelsPerMember,
    queueTimeoutMs: limits.queueTimeoutMs,
    retries: settings.failover.retries,
    rebalanceRequestedAt: rebalance ? new Date(rebalance.requestedAt) : null,
    rebalanceTolerance: rebalance?.tolerance ?? null,
    rebalanceClosesPerSecond: rebalance?.closesPerSecond ?? null,
  };
}

/** A member as the snapshot shows it, with its balancer, for comparison. */
export type MemberState = Omit<SnapshotMember, 'id'> & { balancerId: string };

/** The snapshot view of a member row. */
export function memberStateOf(row: Member): MemberState {
  return { balancerId: row.balancerId, url: row.url, name: row.name, weight: row.weight, lbset: row.lbset, state: row.state as SnapshotMember['state'], drain: drainOf(row) };
}

/**
 * The Member columns of `wanted` (for the row `before`, or a new member when null). The drain
 * columns are left alone while a draining member keeps the same drain (its clock, a drain
 * without deadline's start, its `drainedAt` survive); a drain that starts or changes starts at
 * its `startedAt`, or `now` when it has none (a drain without deadline).
 */
export function memberColumns(wanted: MemberState, before: Member | null, now: number) {
  const { drain, ...fields } = wanted;
  const keep = before !== null && before.state === 'draining' && wanted.state === 'draining' && sameJson(drainOf(before), drain);
  if (keep) return fields;
  if (wanted.state !== 'draining') return { ...fields, drainStartedAt: null, drainWindowMs: null, drainDeadlineMs: null, drainedAt: null };
  return { ...fields, drainStartedAt: new Date(drain?.startedAt ?? now), drainWindowMs: drain?.windowMs ?? null, drainDeadlineMs: drain?.deadlineMs ?? null, drainedAt: null };
}

/**
 * The drain a document member asks for: none unless draining with a deadline; `startedAt` as
 * written, else the running drain's when `before` already drains with this window and deadline,
 * else `now`.
 */
export function wantedDrain(member: ParsedDocumentMember, before: Member | null, now: number): MemberDrain | null {
  if (member.state !== 'draining' || member.drain === null) return null;
  const { startedAt, windowMs, deadlineMs } = member.drain;
  const running = before ? drainOf(before) : null;
  const same = running !== null && running.windowMs === windowMs && running.deadlineMs === deadlineMs;
  return { startedAt: startedAt ?? (same ? running.startedAt : now), windowMs, deadlineMs };
}

/** The rebalance a document balancer asks for: `requestedAt` as written, else the current one's when tolerance and pace are the same, else `now`. */
export function wantedRebalance(wanted: { requestedAt?: number; tolerance: number; closesPerSecond: number } | null, current: Rebalance | null, now: number): Rebalance | null {
  if (wanted === null) return null;
  const same = current !== null && current.tolerance === wanted.tolerance && current.closesPerSecond === wanted.closesPerSecond;
  return { requestedAt: wanted.requestedAt ?? (same ? current.requestedAt : now), tolerance: wanted.tolerance, closesPerSecond: wanted.closesPerSecond };
}

/** The Route columns of a document route sent to balancer `balancerId`. */
export function routeColumns(route: ParsedDocumentRoute, balancerId: string) {
  return {
    balancerId,
    priority: route.priority,
    host: route.host,
    matchType: route.match.type,
    matchPath: route.match.path,
    websocket: route.websocket,
    stripPrefix: route.stripPrefix,
    enabled: route.enabled,
  };
}

/** The Route columns of a route row, for comparison with routeColumns. */
export function routeColumnsOf(row: Route): ReturnType<typeof routeColumns> {
  return { balancerId: row.balancerId, priority: row.priority, host: row.host, matchType: row.matchType as ParsedDocumentRoute['match']['type'], matchPath: row.matchPath, websocket: row.websocket as ParsedDocumentRoute['websocket'], stripPrefix: row.stripPrefix, enabled: row.enabled };
}

/** Equal as data: the same canonical JSON (keys in any order; undefined fields ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
