import type { Balancer, HashKey, HealthCheck, HostHeader, LbMethod, Rebalance, SnapshotBalancer, Sticky, UpdateBalancerBody } from '@switchboard/protocol';
import type { WithDates } from '../common/json';
import type { Balancer as BalancerRow } from '../generated/prisma/client';

/** A balancer as a service returns it (../shared/API.md): the contract's Balancer, times as Dates until serialised. */
export type BalancerDto = WithDates<Balancer, 'createdAt' | 'updatedAt'>;

/** A balancer's settings as the snapshot carries them (everything but its members). */
export type BalancerSettings = Omit<SnapshotBalancer, 'members'>;

/** The Balancer columns of a body's policy fields (undefined fields stay unchanged). */
export function policyColumns(body: Pick<UpdateBalancerBody, 'sticky' | 'hash' | 'slowStartMs' | 'hostHeader' | 'passiveHealth' | 'tls'>) {
  return {
    passiveFails: body.passiveHealth?.fails,
    passiveRetryMs: body.passiveHealth?.retryMs,
    tlsInsecureSkipVerify: body.tls?.insecureSkipVerify,
    tlsServerName: body.tls ? body.tls.serverName : undefined,
    stickyMode: body.sticky?.mode,
    stickyName: body.sticky ? body.sticky.name : undefined,
    hashSource: body.hash?.source,
    hashName: body.hash ? body.hash.name : undefined,
    slowStartMs: body.slowStartMs,
    hostMode: body.hostHeader?.mode,
    hostValue: body.hostHeader ? body.hostHeader.value : undefined,
  };
}

/**
 * The settings of a balancer row in the protocol's shape: what the API shows and what the
 * snapshot builder publishes (stored strings are cast here and checked by the snapshot schema).
 */
export function balancerSettingsOf(row: BalancerRow): BalancerSettings {
  return {
    id: row.id,
    name: row.name,
    lbMethod: row.lbMethod as LbMethod,
    sticky: { mode: row.stickyMode as Sticky['mode'], name: row.stickyName },
    hash: { source: row.hashSource as HashKey['source'], name: row.hashName },
    slowStartMs: row.slowStartMs,
    hostHeader: { mode: row.hostMode as HostHeader['mode'], value: row.hostValue },
    timeouts: { connectMs: row.connectMs, tunnelIdleMs: row.tunnelIdleMs, keepAliveMs: row.keepAliveMs, responseHeaderMs: row.responseHeaderMs },
    limits: { maxTunnelsPerMember: row.maxTunnelsPerMember, queueTimeoutMs: row.queueTimeoutMs },
    failover: { retries: row.retries },
    healthCheck: healthCheckOf(row),
    passiveHealth: { fails: row.passiveFails, retryMs: row.passiveRetryMs },
    tls: { insecureSkipVerify: row.tlsInsecureSkipVerify, serverName: row.tlsServerName },
    rebalance: rebalanceOf(row),
  };
}

/** A balancer row as the API shows it. */
export function toBalancerDto(row: BalancerRow): BalancerDto {
  return { ...balancerSettingsOf(row), createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/** The stored active health check of a balancer row. */
export function healthCheckOf(row: BalancerRow): HealthCheck {
  return {
    type: row.hcType as HealthCheck['type'],
    path: row.hcPath,
    expectStatus: row.hcExpectStatus,
    intervalMs: row.hcIntervalMs,
    timeoutMs: row.hcTimeoutMs,
    passes: row.hcPasses,
    fails: row.hcFails,
  };
}

/** The Balancer columns of a health check. */
export function healthCheckColumns(check: HealthCheck) {
  return {
    hcType: check.type,
    hcPath: check.path,
    hcExpectStatus: check.expectStatus,
    hcIntervalMs: check.intervalMs,
    hcTimeoutMs: check.timeoutMs,
    hcPasses: check.passes,
    hcFails: check.fails,
  };
}

/** The stored latest rebalance of a balancer row, or null when none was asked for. */
function rebalanceOf(row: BalancerRow): Rebalance | null {
  if (!row.rebalanceRequestedAt) return null;
  return { requestedAt: row.rebalanceRequestedAt.getTime(), tolerance: row.rebalanceTolerance ?? 0, closesPerSecond: row.rebalanceClosesPerSecond ?? 1 };
}
