import { z } from 'zod';
import {
  balancerName,
  DEFAULT_FAILOVER,
  DEFAULT_HASH_KEY,
  DEFAULT_HOST_HEADER,
  DEFAULT_LIMITS,
  DEFAULT_PASSIVE_HEALTH,
  DEFAULT_REBALANCE,
  DEFAULT_STICKY,
  DEFAULT_STICKY_COOKIE,
  DEFAULT_TIMEOUTS,
  DEFAULT_UPSTREAM_TLS,
  failover,
  hashKey,
  healthCheck,
  hostHeader,
  lbMethod,
  limits,
  passiveHealth,
  rebalance,
  snapshotBalancer,
  sticky,
  timeouts,
  upstreamTls,
  type Sticky,
} from '../config';
import { isoTime } from './common';

/** `sticky` as sent: `{ mode: "cookie" }` alone names the cookie SWITCHBOARD_ROUTE. */
const stickyInput = z
  .strictObject({ mode: sticky.shape.mode, name: sticky.shape.name.optional() })
  .transform((s): Sticky => ({ mode: s.mode, name: s.mode === 'cookie' ? (s.name ?? DEFAULT_STICKY_COOKIE) : null }))
  .describe(`Sticky sessions; mode cookie without a name uses the cookie ${DEFAULT_STICKY_COOKIE}`);

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
const healthCheckInput = z.strictObject(healthCheck.shape).partial().describe('Any subset of the health check, merged over the current (or default) one; timeoutMs must not exceed intervalMs');
export type HealthCheckInput = z.infer<typeof healthCheckInput>;

/** `tls` as sent: any subset of its fields. */
const tlsInput = upstreamTls.partial().strict();

/** POST /api/v1/balancers body. Unknown fields are refused so a typo is not silently ignored. */
export const createBalancerBody = z
  .strictObject({
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
  })
  .meta({ id: 'CreateBalancerBody', description: 'A new balancer: every field but name has a default; partial objects are completed with the defaults' });
export type CreateBalancerBody = z.infer<typeof createBalancerBody>;

/** PATCH /api/v1/balancers/{id} body: any subset of the creatable fields. */
export const updateBalancerBody = z
  .strictObject({
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
  })
  .meta({ id: 'UpdateBalancerBody', description: 'Any subset of the balancer settings; partial objects are merged over the current values' });
export type UpdateBalancerBody = z.infer<typeof updateBalancerBody>;

/** POST /api/v1/balancers/{id}/rebalance body: how close to fair share is enough, and the pace. */
export const rebalanceBody = z
  .strictObject({
    tolerance: rebalance.shape.tolerance.default(DEFAULT_REBALANCE.tolerance),
    closesPerSecond: rebalance.shape.closesPerSecond.default(DEFAULT_REBALANCE.closesPerSecond),
  })
  .meta({ id: 'RebalanceBody', description: 'How close to their fair share members must come, and how fast tunnels are moved' });
export type RebalanceBody = z.infer<typeof rebalanceBody>;

/** A balancer as the API shows it (../shared/API.md): its snapshot settings, without members, and when it was made and changed. */
export const balancer = snapshotBalancer
  .omit({ members: true })
  .extend({ timeouts, createdAt: isoTime, updatedAt: isoTime })
  .meta({ id: 'Balancer', description: 'A balancer: how it chooses members and treats their traffic (its members are listed apart)' });
export type Balancer = z.infer<typeof balancer>;
