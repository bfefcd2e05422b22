import {
  balancerName,
  DEFAULT_FAILOVER,
  DEFAULT_HASH_KEY,
  DEFAULT_PASSIVE_HEALTH,
  DEFAULT_UPSTREAM_TLS,
  DEFAULT_HOST_HEADER,
  DEFAULT_LIMITS,
  DEFAULT_REBALANCE,
  DEFAULT_STICKY,
  DEFAULT_STICKY_COOKIE,
  DEFAULT_TIMEOUTS,
  failover,
  hashKey,
  healthCheck,
  hostHeader,
  lbMethod,
  limits,
  passiveHealth,
  rebalance,
  snapshotBalancer,
  type SnapshotBalancer,
  sticky,
  timeouts,
  upstreamTls,
  type HashKey,
  type LbMethod,
  type HealthCheck,
  type HostHeader,
  type Rebalance,
  type Sticky,
} from '@switchboard/protocol';
import { z } from 'zod';
import type { Balancer as BalancerRow } from '../generated/prisma/client';

/** `sticky` as sent: `{ mode: "cookie" }` alone names the cookie SWITCHBOARD_ROUTE. */
const stickyInput = z
  .strictObject({ mode: sticky.shape.mode, name: sticky.shape.name.optional() })
  .transform((s): Sticky => ({ mode: s.mode, name: s.mode === 'cookie' ? (s.name ?? DEFAULT_STICKY_COOKIE) : null }));

/** `hash` as sent: `name` is required for header and cookie sources. */
const hashInput = z
  .strictObject({ source: hashKey.shape.source, name: hashKey.shape.name.optional() })
  .transform((h) => ({ source: h.source, name: h.source === 'ip' ? null : (h.name ?? null) }))
  .pipe(hashKey);

/** `hostHeader` as sent: `value` only with mode `set`. */
const hostHeaderInput = z
  .strictObject({ mode: hostHeader.shape.mode, value: hostHeader.shape.value.optional() })
  .transform((h) => ({ mode: h.mode, value: h.mode === 'set' ? (h.value ?? null) : null }))
  .pipe(hostHeader);

/** `healthCheck` as sent: any subset of its fields; the rest keep their current (or default) values. */
const healthCheckInput = z.strictObject(healthCheck.shape).partial();
export type HealthCheckInput = z.infer<typeof healthCheckInput>;

/** `tls` as sent: any subset of its fields. */
const tlsInput = upstreamTls.partial().strict();

/** POST /api/v1/balancers body. Unknown fields are refused so a typo is not silently ignored. */
export const createBalancerBody = z.strictObject({
  name: balancerName,
  lbMethod: lbMethod.default('byrequests'),
  sticky: stickyInput.default(DEFAULT_STICKY),
  hash: hashInput.default(DEFAULT_HASH_KEY),
  slowStartMs: snapshotBalancer.shape.slowStartMs.default(0),
  hostHeader: hostHeaderInput.default(DEFAULT_HOST_HEADER),
  timeouts: timeouts.partial().strict().default({}).transform((t) => ({ ...DEFAULT_TIMEOUTS, ...t })),
  limits: limits.partial().strict().default({}).transform((l) => ({ ...DEFAULT_LIMITS, ...l })),
  failover: failover.partial().strict().default({}).transform((f) => ({ ...DEFAULT_FAILOVER, ...f })),
  healthCheck: healthCheckInput.default({}),
  passiveHealth: passiveHealth.partial().strict().default({}).transform((p) => ({ ...DEFAULT_PASSIVE_HEALTH, ...p })),
  tls: tlsInput.default({}).transform((t) => ({ ...DEFAULT_UPSTREAM_TLS, ...t })),
});
export type CreateBalancerBody = z.infer<typeof createBalancerBody>;

/** PATCH /api/v1/balancers/{id} body: any subset of the creatable fields. */
export const updateBalancerBody = z.strictObject({
  name: balancerName.optional(),
  lbMethod: lbMethod.optional(),
  sticky: stickyInput.optional(),
  hash: hashInput.optional(),
  slowStartMs: snapshotBalancer.shape.slowStartMs.optional(),
  hostHeader: hostHeaderInput.optional(),
  timeouts: timeouts.partial().strict().optional(),
  limits: limits.partial().strict().optional(),
  failover: failover.partial().strict().optional(),
  healthCheck: healthCheckInput.optional(),
  passiveHealth: passiveHealth.partial().strict().optional(),
  tls: tlsInput.optional(),
});
export type UpdateBalancerBody = z.infer<typeof updateBalancerBody>;

/** A balancer as the API shows it (../shared/API.md): its snapshot settings, without members, and when it was made and changed. */
export type BalancerDto = BalancerSettings & { createdAt: Date; updatedAt: Date };

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

/** POST /api/v1/balancers/{id}/rebalance body: how close to fair share is enough, and the pace. */
export const rebalanceBody = z.strictObject({
  tolerance: rebalance.shape.tolerance.default(DEFAULT_REBALANCE.tolerance),
  closesPerSecond: rebalance.shape.closesPerSecond.default(DEFAULT_REBALANCE.closesPerSecond),
});
export type RebalanceBody = z.infer<typeof rebalanceBody>;
