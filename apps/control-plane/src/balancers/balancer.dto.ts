import { balancerName, DEFAULT_FAILOVER, DEFAULT_TIMEOUTS, failover, lbMethod, timeouts } from '@switchboard/protocol';
import { z } from 'zod';

/** POST /api/v1/balancers body. Unknown fields are refused so a typo is not silently ignored. */
export const createBalancerBody = z.strictObject({
  name: balancerName,
  lbMethod: lbMethod.default('byrequests'),
  timeouts: timeouts.partial().strict().default({}).transform((t) => ({ ...DEFAULT_TIMEOUTS, ...t })),
  failover: failover.partial().strict().default({}).transform((f) => ({ ...DEFAULT_FAILOVER, ...f })),
});
export type CreateBalancerBody = z.infer<typeof createBalancerBody>;

/** PATCH /api/v1/balancers/{id} body: any subset of the creatable fields. */
export const updateBalancerBody = z.strictObject({
  name: balancerName.optional(),
  lbMethod: lbMethod.optional(),
  timeouts: timeouts.partial().strict().optional(),
  failover: failover.partial().strict().optional(),
});
export type UpdateBalancerBody = z.infer<typeof updateBalancerBody>;

/** A balancer as the API shows it (../shared/API.md). */
export interface BalancerDto {
  id: string;
  name: string;
  lbMethod: string;
  timeouts: { connectMs: number; tunnelIdleMs: number };
  failover: { retries: number };
  createdAt: Date;
  updatedAt: Date;
}

export function toBalancerDto(row: { id: string; name: string; lbMethod: string; connectMs: number; tunnelIdleMs: number; retries: number; createdAt: Date; updatedAt: Date }): BalancerDto {
  return {
    id: row.id,
    name: row.name,
    lbMethod: row.lbMethod,
    timeouts: { connectMs: row.connectMs, tunnelIdleMs: row.tunnelIdleMs },
    failover: { retries: row.retries },
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
