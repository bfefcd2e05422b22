import { z } from 'zod';
import {
  balancerName,
  DEFAULT_REBALANCE,
  failover,
  healthCheck,
  lbMethod,
  limits,
  passiveHealth,
  rebalance,
  snapshotBalancer,
  timeouts,
  upstreamTls,
} from '../config';
import { balancerSettingsInput, hashInput, hostHeaderInput, stickyInput } from './balancer-input';
import { isoTime } from './common';

/** `healthCheck` as sent: any subset of its fields; the rest keep their current (or default) values. */
const healthCheckInput = z.strictObject(healthCheck.shape).partial().describe('Any subset of the health check, merged over the current (or default) one; timeoutMs must not exceed intervalMs');
export type HealthCheckInput = z.infer<typeof healthCheckInput>;

/** `tls` as sent: any subset of its fields. */
const tlsInput = upstreamTls.partial().strict();

/** POST /api/v1/balancers body. Unknown fields are refused so a typo is not silently ignored. */
export const createBalancerBody = z
  .strictObject({
    name: balancerName,
    ...balancerSettingsInput,
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
